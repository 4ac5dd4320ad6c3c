"""Complaint fixtures on top of ``world``: a service of Dukcapil, units in the WITA and WIT zones, a planted identity
whose every part is a distinctive string (searched for in every response of the leak tests), and helpers to take in
complaints at a chosen instant."""

import datetime as dt
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from pantau.accounts.models import Role
from pantau.complaints import actions
from pantau.conftest import make_region, make_user
from pantau.organizations.models import AgencyType, Unit, UnitKind
from pantau.standards.models import Service

WIB = ZoneInfo("Asia/Jakarta")

PLANTED = {
    "name": "Zulkarnaen Quixotepratama",
    "nik": "1504014107880042",  # 15.04.01 (Batanghari, Mersam), born 01-07-88 as a woman (41 = 1 + 40), serial 0042
    "phone": "081299887766",
    "email": "zq.quixote@example.org",
}
"""The identity planted in the leak tests; none of these strings may appear where the identity is masked."""

PLANTED_PARTS = ["Zulkarnaen", "Quixotepratama", "1504014107880042", "4107880042", "081299887766", "99887766",
                 "zq.quixote", "example.org"]
"""Every part searched for in response bodies and audit rows."""


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0, zone: ZoneInfo = WIB) -> dt.datetime:
    """An aware instant (default 10:00 WIB)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


@pytest.fixture(autouse=True)
def _fresh_cache(db: Any) -> Any:
    """Rate limits live in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cw(world: SimpleNamespace, settings: Any, tmp_path: Any) -> SimpleNamespace:
    """``world`` plus: the national Ombudsman office and its admin (``national_admin``); Dukcapil's service
    "Penerbitan KTP-el"; Kota Makassar (73.71, WITA) and Kota Jayapura (91.71,
    WIT) with one agency each; media files under a temporary folder; the coordinator has an e-mail address."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world.ktp = Service.objects.create(unit=world.dukcapil, name="Penerbitan KTP-el")
    world.permit = Service.objects.create(unit=world.dpmptsp, name="Persetujuan Bangunan Gedung")
    for code, name in [("73", "Sulawesi Selatan"), ("73.71", "Kota Makassar"), ("91", "Papua"),
                       ("91.71", "Kota Jayapura")]:
        make_region(code, name)
    world.makassar = Unit.objects.create(name="Pemerintah Kota Makassar", kind=UnitKind.REGIONAL_GOVERNMENT,
                                         region_id="73.71")
    world.makassar_dukcapil = Unit.objects.create(
        name="Disdukcapil Kota Makassar", kind=UnitKind.AGENCY, agency_type=AgencyType.DINAS, parent=world.makassar)
    world.jayapura = Unit.objects.create(name="Pemerintah Kota Jayapura", kind=UnitKind.REGIONAL_GOVERNMENT,
                                         region_id="91.71")
    world.jayapura_dukcapil = Unit.objects.create(
        name="Disdukcapil Kota Jayapura", kind=UnitKind.AGENCY, agency_type=AgencyType.DINAS, parent=world.jayapura)
    world.coordinator.email = "koordinator@example.net"
    world.coordinator.save()
    # national rules and the national calendar belong to the national Ombudsman (an office without a region)
    world.national_office = Unit.objects.create(name="Ombudsman Republik Indonesia", kind=UnitKind.OMBUDSMAN_OFFICE)
    world.national_admin = make_user("national_admin", Role.OMBUDSMAN_ADMIN, world.national_office)
    return world


def submit(government: Unit, *, now: dt.datetime, unit: Unit | None = None, service: Service | None = None,
           **extra: Any) -> actions.Submitted:
    """A complaint from the public form at ``now`` (the defaults are valid)."""
    data: dict[str, Any] = {"subject": "KTP-el belum jadi", "description": "Sudah tiga bulan menunggu.",
                            "name": "Budi Santoso"}
    data.update(extra)
    return actions.submit_complaint(government=government, unit=unit, service=service, now=now, **data)
