"""The issue-4 demo on top of the ``world`` fixture: the Jambi regions of the published results, the units the demo
names (DPMPTSP and Dinas Kesehatan, Kecamatan Muara Bulian, three villages) and the demo personas mapped to
``world``'s personas."""

from types import SimpleNamespace

import pytest

from pantau.conftest import make_region
from pantau.demo.assessments import load_demo
from pantau.organizations.models import AgencyType, Unit, UnitKind
from pantau.regions.models import Region

JAMBI_REGIONS = [
    ("15.01", "Kabupaten Kerinci"), ("15.02", "Kabupaten Merangin"), ("15.03", "Kabupaten Sarolangun"),
    ("15.06", "Kabupaten Tanjung Jabung Barat"), ("15.07", "Kabupaten Tanjung Jabung Timur"),
    ("15.08", "Kabupaten Bungo"), ("15.09", "Kabupaten Tebo"), ("15.71", "Kota Jambi"),
    ("15.72", "Kota Sungai Penuh"), ("15.04.03", "Muara Bulian"), ("15.04.01.2006", "Mersam"),
    ("15.04.01.2002", "Sengkati Kecil"), ("15.04.03.1001", "Muara Bulian"),
]


def demo_args(world):
    """The ``units`` and ``users`` the demo expects, built from ``world`` plus the missing units."""
    for code, name in JAMBI_REGIONS:
        if not Region.objects.filter(code=code).exists():
            make_region(code, name)
    dinkes = Unit.objects.create(name="Dinas Kesehatan", short_name="Dinkes", kind=UnitKind.AGENCY,
                                 agency_type=AgencyType.DINAS, parent=world.regency)
    muara_bulian = Unit.objects.create(name="Kecamatan Muara Bulian", kind=UnitKind.DISTRICT_OFFICE,
                                       parent=world.regency, region_id="15.04.03")
    villages = [
        Unit.objects.create(name="Pemerintah Desa Mersam", kind=UnitKind.VILLAGE_GOVERNMENT, parent=world.mersam,
                            region_id="15.04.01.2006"),
        Unit.objects.create(name="Pemerintah Desa Sengkati Kecil", kind=UnitKind.VILLAGE_GOVERNMENT,
                            parent=world.mersam, region_id="15.04.01.2002"),
        Unit.objects.create(name="Kelurahan Muara Bulian", kind=UnitKind.VILLAGE_GOVERNMENT, parent=muara_bulian,
                            region_id="15.04.03.1001"),
    ]
    units = {
        "Pemerintah Kabupaten Batanghari": world.regency,
        "Dinas Kependudukan dan Pencatatan Sipil": world.dukcapil,
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": world.dpmptsp,
        "Dinas Kesehatan": dinkes,
        "Kecamatan Mersam": world.mersam,
        "Kecamatan Muara Bulian": muara_bulian,
    }
    users = {"asisten": world.assistant, "koordinator": world.coordinator, "ombudsman.admin": world.ombudsman_admin}
    return SimpleNamespace(units=units, users=users, dinkes=dinkes, muara_bulian=muara_bulian, villages=villages)


@pytest.fixture
def demo(world):
    """``world`` with the issue-4 demo loaded once; ``demo.counts`` is what the loader returned."""
    args = demo_args(world)
    counts = load_demo(work_plan=world.plan, units=args.units, users=args.users)
    return SimpleNamespace(world=world, counts=counts, **vars(args))
