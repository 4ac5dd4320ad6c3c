"""Excel in and out for a work plan's actions: template, all-or-nothing import with row-numbered errors, export,
round trip, the management commands and the pages.

Files are built here with openpyxl; expected values are worked out by hand from the rows written.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.organizations.models import Unit, UnitKind
from pantau.workplans import actions as wp
from pantau.workplans import xlsx
from pantau.workplans.models import Action

HEADER = [
    "code", "parent_code", "title", "description", "finding", "start_date", "due_date", "responsible_unit",
    "pic_position", "supporting_units", "budget_planned", "budget_source", "fiscal_year", "indicator_name",
    "indicator_unit", "baseline", "target", "weight",
]
EXTRA = ["status", "reported_progress_pct", "verified_progress_pct", "budget_realized", "sample_data",
         "sub_actions_reported"]
# Templates and exports write Indonesian headers (the English keys above are still read: files made before)
LABELS = [
    "Kode", "Kode Aksi Induk", "Apa yang Diubah", "Uraian", "Temuan yang Ditindaklanjuti", "Tanggal Mulai", "Tenggat",
    "Unit Penanggung Jawab", "Penanggung Jawab (Jabatan)", "Unit Pendukung", "Rencana Anggaran (Rp)",
    "Sumber Anggaran", "Tahun Anggaran", "Indikator", "Satuan Indikator", "Nilai Awal", "Target", "Bobot",
]
EXTRA_LABELS = ["Status", "Kemajuan Dilaporkan (%)", "Kemajuan Terverifikasi (%)", "Realisasi Anggaran (Rp)",
                "Data Contoh", "Sub-aksi yang Melapor"]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language), whatever catalogue is installed."""
    with translation.override("en"):
        yield


# ---------------------------------------------------------------------------------------------------------------
# Fixture builders


def row(**overrides):
    """A valid row for the Batanghari plan (Dukcapil responsible), as column key -> cell value."""
    values = {
        "code": "1",
        "parent_code": None,
        "title": "Publish the service standard of every service",
        "description": "Standards on the notice board and the website",
        "finding": "Service standards not published",
        "start_date": dt.date(2021, 1, 1),
        "due_date": dt.date(2021, 12, 31),
        "responsible_unit": "Dukcapil",
        "pic_position": "Kepala Dinas",
        "supporting_units": None,
        "budget_planned": 15_000_000,
        "budget_source": "APBD",
        "fiscal_year": 2021,
        "indicator_name": "Services with a published standard",
        "indicator_unit": "services",
        "baseline": 0,
        "target": 10,
        "weight": None,
    }
    values.update(overrides)
    return values


def workbook(rows, header=None, sheet="Actions"):
    """XLSX bytes: ``header`` (default HEADER) in row 1 and one row per dict (None = a blank row) from row 2."""
    header = HEADER if header is None else header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for values in rows:
        ws.append([None] * len(header) if values is None else [values.get(key) for key in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(world, content, actor=None, name="actions.xlsx"):
    return xlsx.import_actions(actor=actor or world.coordinator, work_plan=world.plan, file=content, file_name=name)


def where(result):
    """The (row, column) of every error, in order."""
    return [(e.row, e.column) for e in result.errors]


def existing_action(world):
    """An action already in the plan (code "E1"), created through the write path."""
    return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                            data=action_data(world.dpmptsp, code="E1", title="Existing action"))


def field_values(action):
    return {
        "code": action.code, "parent": action.parent.code if action.parent else None, "title": action.title,
        "description": action.description, "finding": action.finding, "start_date": action.start_date,
        "due_date": action.due_date, "responsible_unit": action.responsible_unit.name,
        "pic_position": action.pic_position,
        "supporting_units": sorted(u.name for u in action.supporting_units.all()),
        "budget_planned": action.budget_planned, "budget_source": action.budget_source,
        "fiscal_year": action.fiscal_year, "indicator_name": action.indicator_name,
        "indicator_unit": action.indicator_unit, "baseline": action.baseline, "target": action.target,
        "weight": action.weight,
    }


# ---------------------------------------------------------------------------------------------------------------
# A good file


def test_a_good_file_creates_every_action_with_exact_values(world):
    content = workbook([
        row(weight=3),  # the top-level siblings 1 and 2 both carry weights (all or none)
        row(code="1.1", parent_code="1", title="Open a service desk in Muara Tembesi", description=None,
            finding=None, start_date="15/02/2021", due_date="2021-06-30",
            responsible_unit="UPT Pelayanan Dukcapil Muara Tembesi", pic_position="Kepala UPT",
            supporting_units="DPMPTSP; Kecamatan Mersam", budget_planned="2.500.000", fiscal_year=None,
            indicator_name="Days to issue a KTP-el", indicator_unit="days", baseline=30, target=14,
            weight=2.5),
        row(code="2", title="Publish the maklumat", responsible_unit="Dinas Penanaman Modal dan PTSP",
            budget_planned=None, budget_source="none", fiscal_year=2022.0, baseline="12,5", target="100",
            weight="1"),
    ])

    result = run(world, content)

    assert where(result) == []
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    one, one_one, two = Action.objects.filter(work_plan=world.plan).order_by("code")
    assert field_values(one) == {
        "code": "1", "parent": None, "title": "Publish the service standard of every service",
        "description": "Standards on the notice board and the website", "finding": "Service standards not published",
        "start_date": dt.date(2021, 1, 1), "due_date": dt.date(2021, 12, 31),
        "responsible_unit": "Dinas Kependudukan dan Pencatatan Sipil", "pic_position": "Kepala Dinas",
        "supporting_units": [], "budget_planned": 15_000_000, "budget_source": "APBD", "fiscal_year": 2021,
        "indicator_name": "Services with a published standard", "indicator_unit": "services",
        "baseline": Decimal("0"), "target": Decimal("10"), "weight": Decimal("3"),
    }
    assert field_values(one_one) == {
        "code": "1.1", "parent": "1", "title": "Open a service desk in Muara Tembesi", "description": "",
        "finding": "", "start_date": dt.date(2021, 2, 15), "due_date": dt.date(2021, 6, 30),
        "responsible_unit": "UPT Pelayanan Dukcapil Muara Tembesi", "pic_position": "Kepala UPT",
        "supporting_units": ["Dinas Penanaman Modal dan PTSP", "Kecamatan Mersam"], "budget_planned": 2_500_000,
        "budget_source": "APBD", "fiscal_year": None, "indicator_name": "Days to issue a KTP-el",
        "indicator_unit": "days", "baseline": Decimal("30"), "target": Decimal("14"), "weight": Decimal("2.5"),
    }
    assert two.budget_planned == 0
    assert two.budget_source == "none"
    assert two.fiscal_year == 2022
    assert two.baseline == Decimal("12.5")
    assert two.target == Decimal("100")
    assert two.weight == Decimal("1")
    assert two.responsible_unit == world.dpmptsp


def test_a_good_import_is_audited_per_action_and_once_for_the_file(world):
    run(world, workbook([row(), row(code="2")]), name="rencana-aksi.xlsx")

    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 2
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert entry.actor == world.coordinator
    assert entry.object_id == str(world.plan.pk)
    assert entry.note == "Imported rencana-aksi.xlsx: 2 created, 0 updated, 0 unchanged"
    assert AuditEntry.objects.values("request_id").distinct().count() == 1


def test_headers_and_choices_are_read_without_regard_to_case_and_blank_rows_are_skipped(world):
    header = [key.upper() for key in HEADER]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(header)
    ws.append([row(budget_source="apbdes", responsible_unit="dukcapil")[key] for key in HEADER])
    ws.append([])
    ws.append([row(code="2")[key] for key in HEADER])
    buffer = io.BytesIO()
    wb.save(buffer)

    result = run(world, buffer.getvalue())

    assert where(result) == []
    assert result.created == 2
    assert Action.objects.get(code="1").budget_source == "APBDes"


def test_a_code_already_in_the_plan_updates_that_action(world):
    action = existing_action(world)

    result = run(world, workbook([row(code="E1", title="Renamed action", responsible_unit="DPMPTSP")]))

    assert where(result) == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    action.refresh_from_db()
    assert action.title == "Renamed action"
    assert Action.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).count() == 1


def test_a_new_child_may_name_a_parent_already_in_the_plan(world):
    parent = existing_action(world)

    result = run(world, workbook([row(code="E1.1", parent_code="E1")]))

    assert where(result) == []
    assert Action.objects.get(code="E1.1").parent == parent


def test_children_listed_before_their_parent_are_created_after_it(world):
    result = run(world, workbook([row(code="1.1.1", parent_code="1.1"), row(code="1.1", parent_code="1"), row()]))

    assert where(result) == []
    assert Action.objects.get(code="1.1.1").parent.code == "1.1"
    assert Action.objects.get(code="1.1").parent.code == "1"


# ---------------------------------------------------------------------------------------------------------------
# Bad rows: every problem with its row and column, nothing saved


BAD_CELLS = [
    ({"start_date": "31/02/2021"}, "start_date", "“31/02/2021” is not a date in the calendar."),
    ({"start_date": "next week"}, "start_date",
     "“next week” is not a date: write for example 31 August 2024 or 31/08/2024."),
    # 12345 is an Excel serial of 1933, outside the years read as dates (1990-2100): an amount, not a date
    ({"due_date": 12345}, "due_date",
     "“12345” is not a date: an Excel date number is read only from 1 January 1990 to 31 December 2100."),
    ({"start_date": "08/31/2021"}, "start_date",
     "“08/31/2021” is not a date: dates are written day first (DD/MM/YYYY); did you mean 31 August 2021?"),
    ({"start_date": dt.date(2021, 6, 1), "due_date": "31/05/2021"}, "due_date",
     "The due date 31 May 2021 is before the start date 1 June 2021."),
    ({"budget_planned": "lima juta"}, "budget_planned",
     "“lima juta” is not an amount of money: write whole rupiah, e.g. IDR 1,500,000."),
    ({"budget_planned": -5000}, "budget_planned", "“-5000” is negative: the amount cannot be below zero."),
    ({"budget_planned": 1500.5}, "budget_planned",
     "“1500.5” is not a whole number of rupiah: amounts are in whole rupiah, without sen."),
    # English UI: "450.000" may be 450 (English decimal point) or 450000 (Indonesian thousands): both named
    ({"budget_planned": "450.000"}, "budget_planned",
     "“450.000” can be read as 450 or as 450000: write it without thousands separators."),
    ({"responsible_unit": "Dinas Pariwisata"}, "responsible_unit",
     "Unknown unit Dinas Pariwisata: use a name or short name listed in the read-me sheet (Petunjuk)."),
    ({"responsible_unit": "Pemerintah Kabupaten Muaro Jambi"}, "responsible_unit",
     "Unknown unit Pemerintah Kabupaten Muaro Jambi: use a name or short name listed in the read-me sheet "
     "(Petunjuk)."),
    ({"supporting_units": "DPMPTSP; Dinas Pariwisata"}, "supporting_units",
     "Unknown unit Dinas Pariwisata: use a name or short name listed in the read-me sheet (Petunjuk)."),
    ({"budget_source": "DAK"}, "budget_source", "Unknown budget source DAK: use APBD, APBDes, other or none."),
    ({"baseline": 5, "target": 5}, "target", "The target must differ from the baseline."),
    ({"parent_code": "9"}, "parent_code", "No action with code 9 in this file or in the work plan."),
    ({"parent_code": "2"}, "parent_code", "An action cannot be its own parent."),
    ({"title": None}, "title", "A value is required."),
    ({"pic_position": "   "}, "pic_position", "A value is required."),
    ({"code": "X" * 21}, "code", "At most 20 characters (this has 21)."),
    ({"weight": 0}, "weight", "The weight must be a positive number."),
    ({"baseline": "banyak"}, "baseline", "“banyak” is not a number: write for example 70.5."),
    ({"target": 1.125}, "target", "“1.125” has more than 2 decimals."),
    ({"fiscal_year": "2021/2022"}, "fiscal_year", "“2021/2022” is not a year from 2000 to 2100."),
    ({"fiscal_year": 1999}, "fiscal_year", "“1999” is not a year from 2000 to 2100."),
    ({"code": "1"}, "code", "Code 1 appears twice in the file (first in row 2)."),
]


@pytest.mark.parametrize(("overrides", "column", "message"), BAD_CELLS, ids=[c[1] + "-" + str(i) for i, c in
                                                                             enumerate(BAD_CELLS)])
def test_a_bad_cell_is_reported_with_its_row_and_column_and_nothing_is_saved(world, overrides, column, message):
    action = existing_action(world)
    actions_before, audit_before = Action.objects.count(), AuditEntry.objects.count()
    content = workbook([row(), row(**{"code": "2", **overrides}), row(code="E1", title="Changed by the import")])

    result = run(world, content)

    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, column, message)]
    assert (result.created, result.updated) == (0, 0)
    assert Action.objects.count() == actions_before == 1
    assert AuditEntry.objects.count() == audit_before
    action.refresh_from_db()
    assert action.title == "Existing action"


def test_every_bad_row_is_listed_not_only_the_first(world):
    content = workbook([
        row(start_date="kemarin"),
        row(code="2"),
        None,
        row(code="3", budget_planned="Rp sepuluh", responsible_unit="Dinas Pariwisata"),
        row(code="4", due_date=dt.date(2020, 1, 1)),
    ])

    result = run(world, content)

    assert where(result) == [(2, "start_date"), (5, "responsible_unit"), (5, "budget_planned"), (6, "due_date")]
    assert str(result.errors[0]) == (
        "Row 2, column start_date: “kemarin” is not a date: write for example 31 August 2024 or 31/08/2024."
    )
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_parent_codes_that_form_a_loop_are_refused(world):
    result = run(world, workbook([row(code="A", parent_code="B"), row(code="B", parent_code="A")]))

    assert where(result) == [(2, "parent_code"), (3, "parent_code")]
    assert result.errors[0].message == "The parent codes form a loop: A > B > A."
    assert Action.objects.count() == 0


def test_a_name_shared_by_two_units_must_be_told_apart(world):
    Unit.objects.create(name="Puskesmas Mersam", kind=UnitKind.SERVICE_UNIT, parent=world.mersam)
    Unit.objects.create(name="Puskesmas Mersam", kind=UnitKind.SERVICE_UNIT, parent=world.dukcapil)

    result = run(world, workbook([row(responsible_unit="Puskesmas Mersam")]))

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "responsible_unit", "Puskesmas Mersam names several units: use the full name.")
    ]


def test_more_rows_than_the_limit_are_refused(world, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_DATA_ROWS", 2)

    result = run(world, workbook([row(code="3"), row(code="4"), row(code="5")]))

    assert [e.message for e in result.errors] == ["The file has more than 2 rows; import it in parts."]
    assert Action.objects.count() == 0


def test_blank_rows_do_not_count_towards_the_row_limit_nor_shift_row_numbers(world, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_DATA_ROWS", 2)

    result = run(world, workbook([row(), None, None, None, row(code="2", budget_source="DAK")]))

    assert where(result) == [(6, "budget_source")]


def test_a_loop_through_an_action_already_in_the_plan_is_refused(world):
    existing = existing_action(world)
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dpmptsp, code="E2", parent=existing))

    result = run(world, workbook([row(code="E1", parent_code="E2", responsible_unit="DPMPTSP")]))

    assert where(result) == [(2, "parent_code")]
    existing.refresh_from_db()
    assert existing.parent is None


def test_missing_and_unknown_columns_are_named(world):
    header = [key for key in HEADER if key not in ("budget_source", "target")] + ["budget"]

    result = run(world, workbook([row()], header=header))

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "budget", "Unknown column “budget”: use the column names of the template."),
        (1, "budget_source", "Column “Sumber Anggaran” (budget_source) is missing."),
        (1, "target", "Column “Target” (target) is missing."),
    ]
    assert Action.objects.count() == 0


def test_a_column_given_twice_is_refused(world):
    result = run(world, workbook([row()], header=[*HEADER, "title"]))

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "title", "Column title appears more than once.")
    ]


def test_a_file_with_only_the_header_is_refused(world):
    result = run(world, workbook([]))

    assert [(e.row, e.message) for e in result.errors] == [
        (None, "The file has no actions: fill in rows from row 2 of the Rencana Aksi sheet.")
    ]
    assert AuditEntry.objects.count() == 0


def test_a_sheet_without_a_header_row_is_refused(world):
    wb = openpyxl.Workbook()
    wb.active.title = "Actions"
    buffer = io.BytesIO()
    wb.save(buffer)

    result = run(world, buffer.getvalue())

    assert where(result) == [(1, "")]


NOT_EXCEL = "The file is not an Excel workbook (.xlsx). Save it as an Excel workbook and upload it again."


@pytest.mark.parametrize("content", [
    b"code,title\n1,Publish the standard\n",
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    b"",
    b"PK\x03\x04 not really a zip",
])
def test_a_file_that_is_not_an_xlsx_is_refused(world, content):
    result = run(world, content, name="actions.xlsx")

    expected = "The file is empty." if content == b"" else NOT_EXCEL
    assert [(e.row, e.column, e.message) for e in result.errors] == [(None, "", expected)]
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_file_larger_than_the_upload_limit_is_refused(world, settings):
    content = workbook([row()])
    settings.PANTAU_MAX_UPLOAD_BYTES = len(content) - 1

    result = run(world, io.BytesIO(content))

    assert [e.message for e in result.errors] == [
        f"The file is too large: the limit is {len(content) - 1} bytes."
    ]
    assert Action.objects.count() == 0


def test_an_error_raised_while_writing_rolls_back_every_row(world, monkeypatch):
    real_create = wp.create_action

    def create_failing_on_code_2(*, actor, work_plan, data, supporting_units=(), check_weights=True, refresh=True):
        if data["code"] == "2":
            raise ValidationError({"title": ["Refused by the write path."]})
        return real_create(actor=actor, work_plan=work_plan, data=data, supporting_units=supporting_units)

    monkeypatch.setattr(wp, "create_action", create_failing_on_code_2)

    result = run(world, workbook([row(), row(code="2"), row(code="3")]))

    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, "title", "Refused by the write path.")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_permission_refusal_while_writing_names_the_row_and_rolls_back(world, monkeypatch):
    real_create = wp.create_action

    def create_refusing_dpmptsp(*, actor, work_plan, data, supporting_units=(), check_weights=True, refresh=True):
        if data["responsible_unit"] == world.dpmptsp:
            raise PermissionDenied
        return real_create(actor=actor, work_plan=work_plan, data=data, supporting_units=supporting_units)

    monkeypatch.setattr(wp, "create_action", create_refusing_dpmptsp)

    result = run(world, workbook([row(), row(code="2", responsible_unit="DPMPTSP"), row(code="2.1", parent_code="2")]))

    assert where(result) == [(3, "responsible_unit"), (4, "parent_code")]
    assert result.errors[1].message == "The parent action (row 3) could not be saved."
    assert Action.objects.count() == 0


def test_a_user_without_the_import_permission_is_refused_before_reading(world):
    for user in (world.viewer, world.officer, world.assistant, world.outsider):
        with pytest.raises(PermissionDenied):
            run(world, workbook([row()]), actor=user)
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_actions_cannot_be_imported_into_an_mou(world):
    result = xlsx.import_actions(actor=world.coordinator, work_plan=world.mou, file=workbook([row()]))

    assert [e.message for e in result.errors] == ["Actions belong to a work plan, not to an MoU."]
    assert Action.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# Template and export


def test_the_template_has_the_columns_and_lists_the_governments_units(world):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.build_template(world.plan)))

    assert wb.sheetnames == ["Rencana Aksi", "Petunjuk"]
    assert [c.value for c in wb["Rencana Aksi"][1]] == LABELS
    assert wb["Rencana Aksi"].max_row == 1
    readme = [cell for r in wb["Petunjuk"].iter_rows(values_only=True) for cell in r if cell is not None]
    for name in ("Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil", "UPT Pelayanan Dukcapil Muara Tembesi",
                 "Pemerintah Desa Tapah Sari", "APBD", "APBDes", "other", "none", "budget_planned", "weight"):
        assert name in readme
    assert "Pemerintah Kabupaten Muaro Jambi" not in readme
    assert "Ombudsman RI Perwakilan Jambi" not in readme


def test_the_empty_template_reimports_as_an_empty_file(world):
    result = run(world, xlsx.build_template(world.plan))

    assert [e.row for e in result.errors] == [None]
    assert Action.objects.count() == 0


def make_actions(world):
    """A parent with a sub-action (weights, supporting units, decimals) and a second action of DPMPTSP."""
    parent = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    child = wp.create_action(
        actor=world.coordinator, work_plan=world.plan,
        data=action_data(world.dukcapil_upt, code="1.1", parent=parent, title="Open a desk", baseline=Decimal("30"),
                         target=Decimal("14.5"), weight=Decimal("2.25"), budget_planned=2_500_000,
                         fiscal_year=None, description="Line one\nline two"),
        supporting_units=[world.dpmptsp, world.mersam],
    )
    other = wp.create_action(
        actor=world.coordinator, work_plan=world.plan,
        data=action_data(world.dpmptsp, code="2", budget_source="none", budget_planned=0, finding=""),
    )
    return parent, child, other


def test_the_export_writes_numbers_as_numbers_and_dates_as_dates(world):
    make_actions(world)
    wp.report_progress(actor=world.officer, action=Action.objects.get(code="1.1"), report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("22.25"), narrative="halfway", amount_spent=1_000_000)

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.export_actions(actor=world.coordinator, work_plan=world.plan)))

    ws = wb["Rencana Aksi"]
    assert [c.value for c in ws[1]] == LABELS + EXTRA_LABELS
    rows = {r[0]: dict(zip(HEADER + EXTRA, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == ["1", "1.1", "2"]
    child = rows["1.1"]
    assert child["parent_code"] == "1"
    assert child["start_date"] == dt.datetime(2021, 1, 1)
    assert child["due_date"] == dt.datetime(2021, 12, 31)
    assert child["responsible_unit"] == "UPT Pelayanan Dukcapil Muara Tembesi"
    assert child["supporting_units"] == "Dinas Penanaman Modal dan PTSP; Kecamatan Mersam"
    assert child["budget_planned"] == 2_500_000
    assert isinstance(child["budget_planned"], int)
    assert child["fiscal_year"] is None
    assert child["baseline"] == 30
    assert child["target"] == 14.5
    assert child["weight"] == 2.25
    # (22.25 - 30) / (14.5 - 30) = 7.75 / 15.5 = 50 %; nothing verified yet; nothing realized.
    assert child["reported_progress_pct"] == 50
    assert child["verified_progress_pct"] == 0
    assert child["budget_realized"] == 0
    assert child["sample_data"] is None  # a real action (is_sample unset): the cell stays empty
    assert child["status"] == "overdue"  # due 2021-12-31 has passed at 50 % reported
    # the parent's roll-up says what it counts: its one sub-action reported
    assert (rows["1"]["sub_actions_reported"], child["sub_actions_reported"]) == ("1 of 1 reported", None)
    assert rows["2"]["budget_source"] == "none"
    assert rows["2"]["finding"] is None


def test_the_export_holds_only_the_actions_the_user_may_view(world):
    make_actions(world)

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.export_actions(actor=world.officer, work_plan=world.plan)))

    assert [r[0] for r in wb["Rencana Aksi"].iter_rows(min_row=2, values_only=True)] == ["1", "1.1"]


def test_the_export_is_refused_to_a_user_who_cannot_view_the_plan(world):
    with pytest.raises(PermissionDenied):
        xlsx.export_actions(actor=world.outsider, work_plan=world.plan)


def test_an_exported_file_reimports_without_changing_anything(world):
    make_actions(world)
    before = {a.code: field_values(a) for a in Action.objects.all()}
    audit_before = AuditEntry.objects.count()

    result = run(world, xlsx.export_actions(actor=world.coordinator, work_plan=world.plan))

    assert where(result) == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert {a.code: field_values(a) for a in Action.objects.all()} == before
    assert list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:1]) == [AuditAction.IMPORT]
    assert AuditEntry.objects.count() == audit_before + 1


def test_text_that_looks_like_a_formula_or_holds_control_characters_survives_the_round_trip(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                              data=action_data(world.dukcapil, title="=HYPERLINK(\"http://x\")",
                                               description="bell\x07 and tab\tkept"))

    content = xlsx.export_actions(actor=world.coordinator, work_plan=world.plan)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Rencana Aksi"]
    assert ws["C2"].data_type == "s"
    assert ws["C2"].value == '=HYPERLINK("http://x")'
    assert ws["D2"].value == "bell and tab\tkept"
    result = run(world, content)

    assert where(result) == []
    assert (result.updated, result.unchanged) == (1, 0)  # only the control character was lost
    action.refresh_from_db()
    assert action.title == '=HYPERLINK("http://x")'
    assert action.description == "bell and tab\tkept"


def test_an_exported_file_imported_into_another_plan_gives_the_same_actions(world):
    make_actions(world)
    copy = Agreement.objects.create(kind=AgreementKind.WORK_PLAN, title="Rencana Kerja 2021", parent=world.mou,
                                    ombudsman_office=world.office, government=world.regency)

    result = xlsx.import_actions(actor=world.coordinator, work_plan=copy,
                                 file=xlsx.export_actions(actor=world.coordinator, work_plan=world.plan))

    assert where(result) == []
    assert result.created == 3
    original = {a.code: field_values(a) for a in Action.objects.filter(work_plan=world.plan)}
    copied = {a.code: field_values(a) for a in Action.objects.filter(work_plan=copy)}
    assert copied == original


def test_an_edited_export_updates_only_the_changed_rows(world):
    make_actions(world)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.export_actions(actor=world.coordinator, work_plan=world.plan)))
    ws = wb["Rencana Aksi"]
    for cells in ws.iter_rows(min_row=2):
        if cells[0].value == "2":
            cells[HEADER.index("budget_planned")].value = 7_000_000
            cells[HEADER.index("budget_source")].value = "APBD"
    buffer = io.BytesIO()
    wb.save(buffer)

    result = run(world, buffer.getvalue())

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    action = Action.objects.get(code="2")
    assert (action.budget_planned, action.budget_source) == (7_000_000, "APBD")


# ---------------------------------------------------------------------------------------------------------------
# Management commands


def write(tmp_path, content, name="actions.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_the_import_command_imports_a_good_file(world, tmp_path, capsys):
    call_command("import_actions", write(tmp_path, workbook([row(), row(code="2")])),
                 "--work-plan", str(world.plan.pk), "--user", "coordinator")

    assert "actions.xlsx: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Action.objects.count() == 2
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).actor == world.coordinator


def test_the_import_command_fails_on_a_bad_file_and_prints_every_error(world, tmp_path):
    path = write(tmp_path, workbook([row(budget_planned=-1), row(code="2", budget_source="DAK")]))

    with pytest.raises(CommandError) as exc:
        call_command("import_actions", path, "--work-plan", str(world.plan.pk), "--user", "coordinator")

    text = str(exc.value)
    assert "nothing imported, 2 error(s)" in text
    assert "Row 2, column budget_planned: “-1” is negative: the amount cannot be below zero." in text
    assert "Row 3, column budget_source: Unknown budget source DAK: use APBD, APBDes, other or none." in text
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_the_import_command_requires_a_known_user_with_the_permission(world, tmp_path):
    path = write(tmp_path, workbook([row()]))
    with pytest.raises(CommandError, match="No active user named 'nobody'"):
        call_command("import_actions", path, "--work-plan", str(world.plan.pk), "--user", "nobody")
    with pytest.raises(CommandError, match="You may not import actions into this work plan."):
        call_command("import_actions", path, "--work-plan", str(world.plan.pk), "--user", "viewer")
    with pytest.raises(CommandError, match="No work plan with id 999999"):
        call_command("import_actions", path, "--work-plan", "999999", "--user", "coordinator")
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_actions", str(tmp_path / "missing.xlsx"), "--work-plan", str(world.plan.pk),
                     "--user", "coordinator")
    assert Action.objects.count() == 0


def test_the_export_command_writes_a_file_that_the_import_command_reads_back(world, tmp_path):
    make_actions(world)
    out = tmp_path / "export.xlsx"

    call_command("export_actions", "--work-plan", str(world.plan.pk), "--user", "viewer", "-o", str(out))

    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["Rencana Aksi"][1]] == LABELS + EXTRA_LABELS
    assert wb["Rencana Aksi"].max_row == 4
    call_command("import_actions", str(out), "--work-plan", str(world.plan.pk), "--user", "coordinator")
    assert Action.objects.count() == 3


def test_the_export_command_refuses_a_user_who_cannot_view_the_plan(world, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_actions", "--work-plan", str(world.plan.pk), "--user", "outsider",
                     "-o", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------------------------------------------
# Pages


def changes_recorded():
    """Audit entries other than logins (logging the test client in is itself audited)."""
    return AuditEntry.objects.exclude(action=AuditAction.LOGIN).count()


def client_for(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(content, name="actions.xlsx"):
    return SimpleUploadedFile(name, content, content_type=xlsx.XLSX_CONTENT_TYPE)


def urls(world, plan=None):
    pk = (plan or world.plan).pk
    return {
        "template": f"/work-plans/{pk}/actions/template.xlsx",
        "export": f"/work-plans/{pk}/actions/export.xlsx",
        "import": f"/work-plans/{pk}/actions/import/",
    }


def test_the_url_names_resolve_to_the_documented_paths(world):
    from django.urls import reverse

    assert reverse("workplans:actions_template", args=[world.plan.pk]) == urls(world)["template"]
    assert reverse("workplans:actions_export", args=[world.plan.pk]) == urls(world)["export"]
    assert reverse("workplans:actions_import", args=[world.plan.pk]) == urls(world)["import"]


def test_a_coordinator_downloads_a_template_that_opens_with_the_headers(world):
    response = client_for(world.coordinator).get(urls(world)["template"])

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="actions_template-{world.plan.pk}.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Rencana Aksi"][1]] == LABELS


def test_a_viewer_may_download_the_template_and_the_export(world):
    make_actions(world)
    client = client_for(world.viewer)

    assert client.get(urls(world)["template"]).status_code == 200
    response = client.get(urls(world)["export"])
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb["Rencana Aksi"].max_row == 4


def test_the_coordinator_sees_the_upload_form_with_a_csrf_token(world):
    response = client_for(world.coordinator).get(urls(world)["import"])

    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'type="file"' in body
    assert "style=" not in body
    assert not INLINE_SCRIPT.search(body)


def test_a_coordinator_imports_a_file_through_the_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(urls(world)["import"])
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(urls(world)["import"], {"file": upload(workbook([row(), row(code="2")])),
                                                   "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "actions.xlsx: 2 created, 0 updated, 0 unchanged" in response.content.decode()
    assert Action.objects.count() == 2


def test_the_page_lists_every_error_and_imports_nothing(world):
    response = client_for(world.coordinator).post(
        urls(world)["import"], {"file": upload(workbook([row(due_date="2020-01-01"), row(code="2", target=0)]))}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert ("<td>2</td><td>due_date</td><td>The due date 1 January 2020 is before the start date 1 January "
            "2021.</td>") in body
    assert "<td>3</td><td>target</td><td>The target must differ from the baseline.</td>" in body
    assert Action.objects.count() == 0
    assert changes_recorded() == 0


@pytest.mark.parametrize("data", [
    {},
    {"file": SimpleUploadedFile("actions.xlsx", b"")},
    {"file": SimpleUploadedFile("actions.xlsx", b"%PDF-1.4 not a workbook")},
    {"file": SimpleUploadedFile("actions.csv", b"code,title\n1,x\n")},
    {"file": "not a file at all"},
])
def test_bad_uploads_never_fail_the_page(world, data):
    response = client_for(world.coordinator).post(urls(world)["import"], data)

    assert response.status_code == 200
    assert Action.objects.count() == 0
    assert changes_recorded() == 0


def test_a_viewer_gets_403_on_the_import_page_and_nothing_changes(world):
    action = existing_action(world)
    audit_before = changes_recorded()
    client = client_for(world.viewer)

    assert client.get(urls(world)["import"]).status_code == 403
    response = client.post(urls(world)["import"], {"file": upload(workbook([row(code="E1", title="Hijacked")]))})

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Existing action"
    assert Action.objects.count() == 1
    assert changes_recorded() == audit_before


def test_an_officer_of_another_regency_gets_404_everywhere(world):
    client = client_for(world.outsider)

    for url in urls(world).values():
        assert client.get(url).status_code == 404
    assert client.post(urls(world)["import"], {"file": upload(workbook([row()]))}).status_code == 404
    assert Action.objects.count() == 0


def test_an_mou_and_impossible_ids_are_not_found(world):
    client = client_for(world.superuser)

    for url in urls(world, world.mou).values():
        assert client.get(url).status_code == 404
    assert client.get("/work-plans/99999999999999999999/actions/export.xlsx").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(world):
    for url in urls(world).values():
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
