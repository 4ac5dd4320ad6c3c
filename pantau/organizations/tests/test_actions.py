"""The unit write path: who may create, edit and move units, moves checked at both ends, and each unit's clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pantau.audit.models import AuditEntry
from pantau.conftest import make_region
from pantau.organizations import actions
from pantau.organizations.models import Unit, UnitKind


def tree(world):
    return sorted(Unit.objects.values_list("name", "path"))


def test_the_coordinator_creates_a_service_unit_under_an_agency_of_its_government(world):
    upt = actions.create_unit(actor=world.coordinator, parent=world.dpmptsp,
                              data={"name": "UPT Perizinan", "kind": UnitKind.SERVICE_UNIT})
    assert upt.path == f"{world.dpmptsp.path}{upt.pk}/"
    assert upt.province_code == "15"
    assert AuditEntry.objects.filter(object_id=str(upt.pk), action="create").count() == 1


@pytest.mark.parametrize("persona", ["officer", "assistant", "viewer", "outsider"])
def test_others_may_not_create_units_and_nothing_is_written(world, persona):
    before = tree(world)
    with pytest.raises(PermissionDenied):
        actions.create_unit(actor=getattr(world, persona), parent=world.dpmptsp,
                            data={"name": "UPT Perizinan", "kind": UnitKind.SERVICE_UNIT})
    assert tree(world) == before


def test_a_move_rewrites_the_whole_subtree(world):
    moved = actions.move_unit(actor=world.coordinator, unit=world.dukcapil, parent=world.mersam)
    world.dukcapil_upt.refresh_from_db()
    assert moved.path == f"{world.mersam.path}{world.dukcapil.pk}/"
    assert world.dukcapil_upt.path == f"{world.mersam.path}{world.dukcapil.pk}/{world.dukcapil_upt.pk}/"


def test_a_unit_cannot_move_under_its_own_sub_unit(world):
    before = tree(world)
    with pytest.raises(ValidationError):
        actions.move_unit(actor=world.coordinator, unit=world.mersam, parent=world.tapah_sari)
    with pytest.raises(ValidationError):
        actions.move_unit(actor=world.coordinator, unit=world.mersam, parent=world.mersam)
    assert tree(world) == before


def test_a_move_needs_rights_where_the_unit_leaves_and_where_it_goes(world):
    before = tree(world)
    # the coordinator of Batanghari may not put its agency into another regency
    with pytest.raises(PermissionDenied):
        actions.move_unit(actor=world.coordinator, unit=world.dukcapil, parent=world.other_regency)
    # an officer has no right to move even inside its own agency
    with pytest.raises(PermissionDenied):
        actions.move_unit(actor=world.officer, unit=world.dukcapil_upt, parent=world.dukcapil)
    assert tree(world) == before


def test_the_ombudsman_admin_of_the_province_may_move_a_unit_between_regencies_of_the_province(world):
    actions.move_unit(actor=world.ombudsman_admin, unit=world.dukcapil_upt, parent=world.other_regency)
    world.dukcapil_upt.refresh_from_db()
    assert world.dukcapil_upt.path.startswith(world.other_regency.path)


def test_a_top_level_kind_has_no_parent_and_others_need_one(world):
    with pytest.raises(ValidationError):
        actions.create_unit(actor=world.coordinator, parent=world.regency,
                            data={"name": "Pemerintah Desa Lain", "kind": UnitKind.REGIONAL_GOVERNMENT})


@pytest.mark.parametrize(("province", "name", "zone", "short"), [
    ("15", "Jambi", "Asia/Jakarta", "WIB"),
    ("51", "Bali", "Asia/Makassar", "WITA"),
    ("91", "Papua", "Asia/Jayapura", "WIT"),
])
def test_each_unit_keeps_the_clock_of_its_province(world, province, name, zone, short):
    if province != "15":
        make_region(province, name)
    unit = Unit.objects.create(name=f"Pemerintah Provinsi {name}", kind=UnitKind.REGIONAL_GOVERNMENT,
                               region_id=province)
    assert (unit.zone, unit.zone_abbreviation) == (zone, short)
    # 16 August 2024, 16:30 UTC: 23:30 WIB (still the 16th), 00:30 WITA and 01:30 WIT (already the 17th)
    instant = dt.datetime(2024, 8, 16, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert unit.local_today(instant) == (dt.date(2024, 8, 16) if short == "WIB" else dt.date(2024, 8, 17))


def test_a_unit_may_be_set_to_another_zone(world):
    actions.update_unit(actor=world.coordinator, unit=world.mersam, data={"time_zone": "Asia/Makassar"})
    world.mersam.refresh_from_db()
    assert (world.mersam.zone, world.mersam.zone_abbreviation) == ("Asia/Makassar", "WITA")
    assert world.tapah_sari.zone == "Asia/Jakarta"  # its own province's zone; the setting is per unit
