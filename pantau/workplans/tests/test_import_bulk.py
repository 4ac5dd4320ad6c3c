"""The bulk path of the action import (issue 11, item 4): every row checked first, permissions once per distinct
unit, then batched inserts in one transaction. It writes the same rows and audit entries as the row-by-row path
(expected values written out by hand from the file below), a denied row leaves nothing written, repeated codes are
refused, and ``import_actions_bulk`` reports its progress. Speed is measured in ``bench/bench_import.py``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from pantau.audit.models import AuditEntry
from pantau.workplans import actions as wp
from pantau.workplans import xlsx
from pantau.workplans.models import Action
from pantau.workplans.tests.test_xlsx import field_values, row, workbook


def small_file():
    """Three actions: 1 (Dukcapil, weight 3), 2 (DPMPTSP, weight 1) and 1.1 under 1 with two supporting units."""
    return workbook([
        row(weight=3),
        row(code="2", responsible_unit="DPMPTSP", title="Open the licence desk on Saturdays", weight=1,
            budget_planned="Rp 2.500.000", budget_source="APBDes", baseline="70,5", target=90),
        row(code="1.1", parent_code="1", title="Publish standards at the UPT", responsible_unit="Dukcapil",
            supporting_units="DPMPTSP; Kecamatan Mersam", start_date="15/02/2021", due_date="2021-06-30",
            budget_planned=None, budget_source="none", fiscal_year=None, baseline=0, target=4),
    ])


EXPECTED = {
    "1": {
        "code": "1", "parent": None, "title": "Publish the service standard of every service",
        "description": "Standards on the notice board and the website", "finding": "Service standards not published",
        "start_date": dt.date(2021, 1, 1), "due_date": dt.date(2021, 12, 31),
        "responsible_unit": "Dinas Kependudukan dan Pencatatan Sipil", "pic_position": "Kepala Dinas",
        "supporting_units": [], "budget_planned": 15_000_000, "budget_source": "APBD", "fiscal_year": 2021,
        "indicator_name": "Services with a published standard", "indicator_unit": "services",
        "baseline": Decimal("0"), "target": Decimal("10"), "weight": Decimal("3"),
    },
    "2": {
        "code": "2", "parent": None, "title": "Open the licence desk on Saturdays",
        "description": "Standards on the notice board and the website", "finding": "Service standards not published",
        "start_date": dt.date(2021, 1, 1), "due_date": dt.date(2021, 12, 31),
        "responsible_unit": "Dinas Penanaman Modal dan PTSP", "pic_position": "Kepala Dinas",
        "supporting_units": [], "budget_planned": 2_500_000, "budget_source": "APBDes", "fiscal_year": 2021,
        "indicator_name": "Services with a published standard", "indicator_unit": "services",
        "baseline": Decimal("70.5"), "target": Decimal("90"), "weight": Decimal("1"),
    },
    "1.1": {
        "code": "1.1", "parent": "1", "title": "Publish standards at the UPT",
        "description": "Standards on the notice board and the website", "finding": "Service standards not published",
        "start_date": dt.date(2021, 2, 15), "due_date": dt.date(2021, 6, 30),
        "responsible_unit": "Dinas Kependudukan dan Pencatatan Sipil", "pic_position": "Kepala Dinas",
        "supporting_units": ["Dinas Penanaman Modal dan PTSP", "Kecamatan Mersam"], "budget_planned": 0,
        "budget_source": "none", "fiscal_year": None,
        "indicator_name": "Services with a published standard", "indicator_unit": "services",
        "baseline": Decimal("0"), "target": Decimal("4"), "weight": None,
    },
}


def audit_of(world):
    """Every audit entry as (action, actor, object, selected after-values), in the order written."""
    ids = {a.pk: a.code for a in Action.objects.all()}
    units = {u.pk: u.short_name or u.name for u in (world.dukcapil, world.dpmptsp, world.mersam)}
    entries = []
    for entry in AuditEntry.objects.order_by("id"):
        after = entry.after or {}
        entries.append((
            entry.action, entry.actor_label, entry.object_repr,
            {"code": after.get("code"), "parent": ids.get(after.get("parent_id")),
             "unit": units.get(after.get("responsible_unit_id")), "version": after.get("version"),
             "province_code": after.get("province_code"), "budget_planned": after.get("budget_planned"),
             "weight": after.get("weight"),
             "supporting_units": sorted(units[pk] for pk in after.get("supporting_units", []))} if after else None,
            entry.note,
        ))
    return entries


EXPECTED_AUDIT = [
    ("create", "coordinator", "1 Publish the service standard of every service",
     {"code": "1", "parent": None, "unit": "Dukcapil", "version": 1, "province_code": "15",
      "budget_planned": 15_000_000, "weight": "3.00", "supporting_units": []}, ""),
    ("create", "coordinator", "2 Open the licence desk on Saturdays",
     {"code": "2", "parent": None, "unit": "DPMPTSP", "version": 1, "province_code": "15",
      "budget_planned": 2_500_000, "weight": "1.00", "supporting_units": []}, ""),
    ("create", "coordinator", "1.1 Publish standards at the UPT",
     {"code": "1.1", "parent": "1", "unit": "Dukcapil", "version": 1, "province_code": "15",
      "budget_planned": 0, "weight": None, "supporting_units": ["DPMPTSP", "Kecamatan Mersam"]}, ""),
    ("import", "coordinator", "Rencana Kerja Pelayanan Publik 2020", None,
     "Imported small.xlsx: 3 created, 0 updated, 0 unchanged"),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("bulk", [False, True])
def test_both_paths_write_the_same_rows_and_audit_entries(world, bulk):
    result = xlsx.import_actions(actor=world.coordinator, work_plan=world.plan, file=small_file(),
                                 file_name="small.xlsx", bulk=bulk)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert {a.code: field_values(a) for a in Action.objects.all()} == EXPECTED
    assert audit_of(world) == EXPECTED_AUDIT
    assert AuditEntry.objects.values("request_id").distinct().count() == 1
    # parents first, then file order: 1 and 2 (depth 1), then 1.1
    assert list(Action.objects.order_by("id").values_list("code", flat=True)) == ["1", "2", "1.1"]
    # the natural sort key is set by both paths (the bulk path skips ``save``): each digit run as its length in two
    # digits, then the digits (core.natural.sort_key's docstring)
    assert dict(Action.objects.values_list("code", "sort_key")) == {"1": "011", "2": "012", "1.1": "011.011"}


def test_the_bulk_path_from_parsed_rows_reports_progress(world):
    rows, errors = xlsx.parse_actions_file(work_plan=world.plan, data=small_file())
    assert errors == []
    seen = []
    result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan, rows=rows, file_name="small.xlsx",
                                      progress=lambda done, total: seen.append((done, total)))
    assert result.ok
    assert seen == [(0, 3), (3, 3)]
    assert audit_of(world) == EXPECTED_AUDIT


def test_a_denied_row_leaves_nothing_written(world, monkeypatch):
    real = wp.has_unit_permission

    def no_edit_at_dpmptsp(user, permission, unit):
        if permission == wp.Permission.EDIT_ACTIONS and unit is not None and unit.pk == world.dpmptsp.pk:
            return False
        return real(user, permission, unit)

    monkeypatch.setattr(wp, "has_unit_permission", no_edit_at_dpmptsp)
    result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan, file=small_file(),
                                      file_name="small.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "responsible_unit", "You may not create or edit actions of this unit.")]
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_parent_with_reports_is_refused_before_writing(world):
    parent = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                              data={**xlsx_data(world), "code": "P"})
    wp.report_progress(actor=world.officer, action=parent, report_date=dt.date(2021, 2, 1),
                       actual_value=Decimal("1"), narrative="x")
    before = Action.objects.count(), AuditEntry.objects.count()
    result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan,
                                      file=workbook([row(code="P.1", parent_code="P")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "parent_code")]
    assert (Action.objects.count(), AuditEntry.objects.count()) == before


def xlsx_data(world):
    from pantau.conftest import action_data

    return action_data(world.dukcapil)


def test_repeated_codes_are_refused_and_nothing_is_written(world):
    result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan,
                                      file=workbook([row(), row(code="2"), row(code="1", title="Again")]))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (4, "code", "Code 1 appears twice in the file (first in row 2).")]
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_code_already_in_the_plan_is_updated_as_row_by_row(world):
    taken = wp.create_action(actor=world.coordinator, work_plan=world.plan, data={**xlsx_data(world), "code": "7"})
    rows, errors = xlsx.parse_actions_file(work_plan=world.plan, data=workbook([row(code="8"), row(code="9")]))
    Action.objects.filter(pk=taken.pk).update(code="9")  # another save took code 9 after the file was read
    before = Action.objects.count(), AuditEntry.objects.count()
    result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan, rows=rows)
    # code 9 is now in the plan: the bulk path updates it like the row-by-row path, and 8 is created
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert Action.objects.count() == before[0] + 1
    assert AuditEntry.objects.count() == before[1] + 3  # create 8, update 9, the import


def test_errors_are_in_indonesian_for_an_indonesian_user(world, monkeypatch):
    monkeypatch.setattr(wp, "has_unit_permission", lambda user, permission, unit: permission != "edit_actions")
    with translation.override("id"):
        result = xlsx.import_actions_bulk(user=world.coordinator, work_plan=world.plan, file=workbook([row()]))
        text = str(result.errors[0])
    assert text.startswith("Baris 2")
    assert "unit" in text.lower()
    assert Action.objects.count() == 0
