"""Excel in and out for a work plan's actions: the template, the all-or-nothing importer and the export.

Indonesian first: the "Rencana Aksi" sheet (English name "Actions" also read) has one header row of Indonesian
column names (``COLUMNS``: "Kode", "Tanggal Mulai", "Rencana Anggaran (Rp)"...) and one action per row below; the
importer also accepts the English keys of earlier files ("code", "start_date", "budget_planned"), whatever the case
and spacing. A "Petunjuk" (read-me) sheet explains each column in the user's language and lists the responsible-unit
names of the work plan's government. The file is read by ``core.spreadsheets.read_table`` (sheet by name, never a
hidden sheet, formulas by their computed value, percentage cells as percentages) and each cell by the
``core.spreadsheets.cell_*`` readers of ``core.typed_input``: money is whole rupiah, a number or text such as
"Rp 450.000" (in Indonesian "1,500,000" is refused: the comma is the decimal mark); dates are Excel dates, Excel
serial numbers or text "31/08/2024", "31 Agustus 2024", "2024-08-31"; decimals "70,5" or numbers.

The importer validates every row before writing anything and reports EVERY problem with its spreadsheet row number
(header = row 1) and column key, in the active language. Only when the whole file is valid does it write, inside one
transaction, through ``workplans.actions.create_action`` / ``update_action`` (the one write path: permission check and
audit entry per action); any error raised while writing rolls the whole import back. A code already in the plan
updates that action, so an exported file re-imports cleanly. The export writes the same columns plus read-only
columns (``EXPORT_ONLY_COLUMNS``) that the importer ignores.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.actions import record
from pantau.audit.models import AuditAction
from pantau.core.fields import active_notation
from pantau.core.spreadsheets import (
    CellError,
    Column,
    RowError,
    cell_date,
    cell_decimal,
    cell_money,
    cell_text,
    cell_whole_number,
    read_table,
    read_upload,
    safe_append,
    shown,
    without_repeats,
)
from pantau.core.typed_input import format_date
from pantau.organizations.models import Unit
from pantau.workplans import actions as action_service
from pantau.workplans.models import Action, BudgetSource
from pantau.workplans.summary import load_actions

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS_SHEET = "Rencana Aksi"
README_SHEET = "Petunjuk"
SHEET_NAMES = (ACTIONS_SHEET, "Actions")
"""Names under which the importer finds the actions sheet: Indonesian (templates and exports) and English (files
made before the templates became Indonesian-first)."""

# The header is part of the file format, not of the interface: templates and exports always write the Indonesian
# labels (whatever the user's language, so that a file re-imports anywhere); the importer also reads the English keys.
COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode", "Code", required=True),
    Column("parent_code", "Kode Aksi Induk", "Parent code", required=True),
    Column("title", "Apa yang Diubah", "What changes", required=True),
    Column("description", "Uraian", "Description", required=True),
    Column("finding", "Temuan yang Ditindaklanjuti", "Finding it answers", required=True),
    Column("start_date", "Tanggal Mulai", "Start date", required=True),
    Column("due_date", "Tenggat", "Due date", required=True),
    Column("responsible_unit", "Unit Penanggung Jawab", "Responsible unit", required=True),
    Column("pic_position", "Penanggung Jawab (Jabatan)", "Person in charge (position)", required=True),
    Column("supporting_units", "Unit Pendukung", "Supporting units", required=True),
    Column("budget_planned", "Rencana Anggaran (Rp)", "Planned budget (IDR)", required=True),
    Column("budget_source", "Sumber Anggaran", "Budget source", required=True),
    Column("fiscal_year", "Tahun Anggaran", "Fiscal year", required=True),
    Column("indicator_name", "Indikator", "Indicator", required=True),
    Column("indicator_unit", "Satuan Indikator", "Indicator unit", required=True),
    Column("baseline", "Nilai Awal", "Baseline", required=True),
    Column("target", "Target", "Target", required=True),
    Column("weight", "Bobot", "Weight", required=True),
)
"""The importable columns, in order (row 1 of the sheet holds their Indonesian labels)."""

EXPORT_ONLY: tuple[Column, ...] = (
    Column("status", "Status", "Status"),
    Column("reported_progress_pct", "Kemajuan Dilaporkan (%)", "Reported progress (%)"),
    Column("verified_progress_pct", "Kemajuan Terverifikasi (%)", "Verified progress (%)"),
    Column("budget_realized", "Realisasi Anggaran (Rp)", "Realized budget (IDR)"),
    Column("sample_data", "Data Contoh", "Sample data"),
    Column("sub_actions_reported", "Sub-aksi yang Melapor", "Sub-actions reported"),
)
"""Read-only columns appended by the export; the importer skips them."""

TEMPLATE_COLUMNS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
"""The keys of the importable columns, in order."""

EXPORT_ONLY_COLUMNS: tuple[str, ...] = tuple(column.key for column in EXPORT_ONLY)
"""The keys of the export's read-only columns."""

REQUIRED_VALUES = frozenset({
    "code", "title", "start_date", "due_date", "responsible_unit", "pic_position", "budget_source",
    "indicator_name", "indicator_unit", "baseline", "target",
})
"""Columns whose cell may not be empty in a data row."""

TEXT_LIMITS = {
    "code": 20, "title": 300, "pic_position": 200, "indicator_name": 300, "indicator_unit": 60,
}
"""Maximum lengths of the short text columns (the model's field lengths)."""

MAX_DATA_ROWS = 5000
"""Rows beyond this many are refused by the import page: a work plan has tens to hundreds of actions, not
thousands."""

MAX_BULK_ROWS = 50_000
"""Rows beyond this many are refused by ``import_actions_bulk`` (the command and background imports): a whole
province's plans in one file (about 20,000 actions for all of Indonesia, issue 11), with room; the sheet is
streamed (openpyxl read-only), the rows held in memory are parsed values (about 60 MB at this bound)."""

BULK_FROM_ROWS = 200
"""``import_actions`` writes files with more new rows than this through the bulk path (batched inserts; the same
checks and audit entries as row by row)."""

MAX_COLUMNS = 60
"""Columns read from a sheet (the template has fewer); more are ignored, so a sheet cannot declare 16,384."""

BUDGET_SOURCES = {choice.value.casefold(): choice.value for choice in BudgetSource}

MAX_MONEY = 10**15
"""Upper bound for a planned budget (IDR): a thousand trillion rupiah, far above any regional budget."""

_FIELD_TO_COLUMN = {"parent": "parent_code", NON_FIELD_ERRORS: "", "work_plan": ""}
_DATE_FORMAT = "dd/mm/yyyy"
_MONEY_FORMAT = "#,##0"


@dataclass
class ImportResult:
    """Outcome of ``import_actions``: the errors (empty on success; then nothing was written when non-empty) and,
    on success, how many actions were created, updated, or left unchanged because the row matched them exactly."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    source: str = ""
    """Which sheet and rows were read ("Sheet “Rencana Aksi”, rows 2 to 21 (20 rows read).")."""

    @property
    def ok(self) -> bool:
        """True when the import succeeded (and was written)."""
        return not self.errors

    def summary(self) -> str:
        """One translated line with the counts."""
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
        }


@dataclass
class ParsedRow:
    """One valid data row: spreadsheet ``row`` number, ``code``, ``parent_code`` (None for a main action), ``data``
    for ``create_action`` (without ``parent``; money in whole rupiah, indicator values as Decimal) and the resolved
    supporting units."""

    row: int
    code: str
    parent_code: str | None
    data: dict[str, Any]
    supporting_units: list[Unit]


class _Rollback(Exception):
    """Raised inside the import transaction to undo every write when a row failed."""


# --------------------------------------------------------------------------------------------------------------
# Column documentation (the "Petunjuk" read-me sheet)


def column_help() -> list[tuple[str, str, bool, str]]:
    """(Indonesian header, English key, value required, explanation in the active language) for every template
    column."""
    texts = {
        "code": (True, _("Action number, unique in the work plan (e.g. 1, 1.2, A-3); at most 20 characters. A code "
                         "that already exists in the work plan updates that action.")),
        "parent_code": (False, _("Code of the parent action (in this file or already in the work plan) for a "
                                 "sub-action; empty for a main action.")),
        "title": (True, _("What changes; at most 300 characters.")),
        "description": (False, _("Longer description.")),
        "finding": (False, _("The finding the action answers (failed standard component, weak assessment "
                             "dimension, low survey element, complaint pattern).")),
        "start_date": (True, _("Start date: an Excel date, or text day first such as 31/08/2024, 31 Agustus 2024 "
                               "or 2024-08-31.")),
        "due_date": (True, _("Due date, not before the start date; same formats as the start date.")),
        "responsible_unit": (True, _("Responsible unit: its exact name or short name, as listed in the read-me "
                                     "sheet.")),
        "pic_position": (True, _("Person in charge, by position (e.g. Kepala Dinas), not by name.")),
        "supporting_units": (False, _("Supporting units: names or short names as listed in the read-me sheet, "
                                      "separated by semicolons (;).")),
        "budget_planned": (False, _("Planned budget in whole rupiah (IDR), not negative: a number (15000000) or "
                                    "text such as 15.000.000 or Rp 15.000.000 (the dot groups thousands; the comma "
                                    "is the decimal mark, so 1,500,000 is refused); empty means 0.")),
        "budget_source": (True, _("Budget source: APBD, APBDes, other or none.")),
        "fiscal_year": (False, _("Fiscal year of the budget (e.g. 2021).")),
        "indicator_name": (True, _("What is measured; at most 300 characters.")),
        "indicator_unit": (True, _("Unit of the indicator (e.g. services, days, percent); at most 60 "
                                   "characters.")),
        "baseline": (True, _("Indicator value at the start: a number with at most two decimals (70,5 or 70.5; a "
                             "cell formatted as a percentage counts as percent: 75 % is 75).")),
        "target": (True, _("Indicator value to reach: a number with at most two decimals, different from the "
                           "baseline.")),
        "weight": (False, _("Weight relative to the sibling actions (a positive number). Give every sibling a "
                            "weight, or leave every weight empty for equal weights; a mix is refused.")),
    }
    return [(column.label, column.key, *texts[column.key]) for column in COLUMNS]


def _export_column_help() -> list[tuple[str, str, str]]:
    texts = {
        "status": _("Status today (read only; ignored on import)."),
        "reported_progress_pct": _("Reported progress in percent (read only; ignored on import)."),
        "verified_progress_pct": _("Progress verified by the Ombudsman in percent (read only; ignored on import)."),
        "budget_realized": _("Realized budget in whole rupiah from accepted reports (read only; ignored on "
                             "import)."),
        "sample_data": _("SAMPLE DATA when the action is illustrative, not a real commitment (read only; ignored "
                         "on import)."),
        "sub_actions_reported": _("For an action with sub-actions: how many of them reported (a sub-action "
                                  "without a report counts as 0 % in the progress; read only; ignored on "
                                  "import)."),
    }
    return [(column.label, column.key, texts[column.key]) for column in EXPORT_ONLY]


def _government_units(work_plan: Agreement) -> list[Unit]:
    return list(Unit.objects.subtree_of(work_plan.government).order_by("path"))


_append = safe_append


def _write_readme(wb: Workbook, work_plan: Agreement, units: list[Unit], *, export: bool) -> tuple[int, int]:
    """Fill the "Petunjuk" read-me sheet; returns the first and last row of the unit-name list (column A)."""
    ws = wb.create_sheet(README_SHEET)
    bold = Font(bold=True)
    _append(ws, [_("How to fill in the %(sheet)s sheet") % {"sheet": ACTIONS_SHEET}, str(work_plan)])
    ws["A1"].font = bold
    _append(ws, [_("Keep the first row of the %(sheet)s sheet as it is: it names the columns (one header row, no "
                   "merged cells; the English keys of older files are read too). Put one action per row from row 2. "
                   "When the file has any error, nothing is imported and every error is listed with its row "
                   "number.") % {"sheet": ACTIONS_SHEET}])
    _append(ws, [_("Dates: Excel dates, or text day first: 31/08/2024, 31 Agustus 2024 or 2024-08-31.")])
    _append(ws, [_("Money: whole rupiah (IDR), a number or text such as 15.000.000 or Rp 15.000.000; the dot groups "
                   "thousands and the comma is the decimal mark.")])
    _append(ws, [_("Formulas are read by their computed value: save the file in Excel before uploading it. Hidden "
                   "sheets are never read.")])
    _append(ws, [])
    _append(ws, [_("Column"), _("Key"), _("Required"), _("Meaning")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for label, key, required, text in column_help():
        _append(ws, [label, key, _("yes") if required else _("no"), text])
    if export:
        for label, key, text in _export_column_help():
            _append(ws, [label, key, _("read only"), text])
    _append(ws, [])
    _append(ws, [_("Budget sources"), _("Meaning")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for choice in BudgetSource:
        _append(ws, [choice.value, str(choice.label)])
    _append(ws, [])
    _append(ws, [_("Responsible and supporting units of %(government)s") % {"government": work_plan.government}])
    ws[f"A{ws.max_row}"].font = bold
    _append(ws, [_("Name"), _("Short name")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    first = ws.max_row + 1
    for unit in units:
        _append(ws, [unit.name, unit.short_name or None])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 100
    return first, max(first, ws.max_row)


def _actions_sheet(wb: Workbook, columns: tuple[Column, ...]) -> Worksheet:
    ws = wb.active
    assert ws is not None
    ws.title = ACTIONS_SHEET
    ws.append([column.label for column in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = {"title": 40, "description": 30, "finding": 30, "responsible_unit": 36, "supporting_units": 30,
              "pic_position": 24, "indicator_name": 30}
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(column.key, 18)
    return ws


def _letter(key: str) -> str:
    return get_column_letter(TEMPLATE_COLUMNS.index(key) + 1)


def _add_validations(ws: Worksheet, unit_rows: tuple[int, int]) -> None:
    """Drop-down lists for the budget source (strict) and the responsible unit (a suggestion: short names pass)."""
    sources = DataValidation(type="list", formula1='"' + ",".join(c.value for c in BudgetSource) + '"',
                             allow_blank=True, showErrorMessage=True,
                             error=_("Use APBD, APBDes, other or none."))
    sources.add(f"{_letter('budget_source')}2:{_letter('budget_source')}{MAX_DATA_ROWS + 1}")
    ws.add_data_validation(sources)
    first, last = unit_rows
    units = DataValidation(type="list", formula1=f"'{README_SHEET}'!$A${first}:$A${last}", allow_blank=True,
                           showErrorMessage=False)
    units.add(f"{_letter('responsible_unit')}2:{_letter('responsible_unit')}{MAX_DATA_ROWS + 1}")
    ws.add_data_validation(units)


def _to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_template(work_plan: Agreement) -> bytes:
    """An empty import template for ``work_plan`` as XLSX bytes.

    Sheets: "Rencana Aksi" (row 1 = the Indonesian labels of ``COLUMNS``; code columns formatted as text, date
    columns as day-first dates, money as whole numbers) and "Petunjuk" (column help with the English keys, budget
    sources, and the names and short names of every unit in the work plan's government subtree). The read-me texts
    are in the active language; sheet names and headers are Indonesian whatever the language.
    """
    wb = Workbook()
    ws = _actions_sheet(wb, COLUMNS)
    for key in ("code", "parent_code"):
        ws.column_dimensions[_letter(key)].number_format = "@"
    for key in ("start_date", "due_date"):
        ws.column_dimensions[_letter(key)].number_format = _DATE_FORMAT
    ws.column_dimensions[_letter("budget_planned")].number_format = _MONEY_FORMAT
    unit_rows = _write_readme(wb, work_plan, _government_units(work_plan), export=False)
    _add_validations(ws, unit_rows)
    return _to_bytes(wb)


# --------------------------------------------------------------------------------------------------------------
# Export


def export_actions(*, actor: Any, work_plan: Agreement) -> bytes:
    """The actions of ``work_plan`` that ``actor`` may view, as XLSX bytes in the template's format.

    Columns: ``COLUMNS`` then ``EXPORT_ONLY`` (Indonesian headers; status label in the active language, reported and
    verified progress in percent, realized budget in whole rupiah). Dates are Excel dates, money integers,
    indicator values numbers. Raises PermissionDenied when ``actor`` may not view the work plan.
    """
    if not Agreement.objects.for_user(actor, Permission.VIEW).filter(pk=work_plan.pk).exists():
        raise PermissionDenied(_("You may not view this work plan."))
    actions = load_actions(actor, work_plan)
    prefetch_related_objects(actions, "supporting_units")
    wb = Workbook()
    ws = _actions_sheet(wb, COLUMNS + EXPORT_ONLY)
    for action in actions:
        supporting = sorted(u.name for u in action.supporting_units.all())
        _append(ws, [
            action.code,
            action.parent.code if action.parent else None,
            action.title,
            action.description or None,
            action.finding or None,
            action.start_date,
            action.due_date,
            action.responsible_unit.name,
            action.pic_position,
            "; ".join(supporting) or None,
            int(action.budget_planned),
            action.budget_source,
            action.fiscal_year,
            action.indicator_name,
            action.indicator_unit,
            action.baseline,
            action.target,
            action.weight,
            action.get_status_display(),
            action.reported_progress,
            action.verified_progress,
            int(action.budget_realized),
            _("SAMPLE DATA") if action.is_sample else "",
            _coverage_text(action),
        ])
        row = ws.max_row
        for key in ("code", "parent_code"):
            ws[f"{_letter(key)}{row}"].number_format = "@"
        for key in ("start_date", "due_date"):
            ws[f"{_letter(key)}{row}"].number_format = _DATE_FORMAT
        ws[f"{_letter('budget_planned')}{row}"].number_format = _MONEY_FORMAT
        ws[f"{get_column_letter(len(TEMPLATE_COLUMNS) + 4)}{row}"].number_format = _MONEY_FORMAT
    unit_rows = _write_readme(wb, work_plan, _government_units(work_plan), export=True)
    _add_validations(ws, unit_rows)
    return _to_bytes(wb)


def _coverage_text(action: Action) -> str | None:
    """"3 of 4 reported" for an action with (non-cancelled) sub-actions, None otherwise."""
    covered = action.coverage()
    if not covered.total:
        return None
    return _("%(reported)d of %(total)d reported") % {"reported": covered.reported, "total": covered.total}


# --------------------------------------------------------------------------------------------------------------
# Parsing cells (each through ``core.spreadsheets``'s readers of typed input)


_text = cell_text


def _money(value: Any) -> int:
    """Whole rupiah (``cell_money``): a number cell, or text such as "Rp 450.000" or "15.000.000"."""
    return cell_money(value, max_value=MAX_MONEY)


def _decimal(value: Any) -> Any:
    """An indicator value or weight with at most two decimals (``cell_decimal``)."""
    return cell_decimal(value, places=2, max_value=Decimal(10) ** 14 - Decimal("0.01"),
                        min_value=-(Decimal(10) ** 14) + Decimal("0.01"))


def _year(value: Any) -> int:
    """A fiscal year 2000-2100 (``cell_whole_number``)."""
    try:
        return cell_whole_number(value, min_value=2000, max_value=2100)
    except CellError:
        raise CellError(_("“%(value)s” is not a year from %(first)d to %(last)d.")
                        % {"value": shown(cell_text(value)), "first": 2000, "last": 2100}) from None


class _UnitIndex:
    """Resolves unit names and short names within the work plan's government subtree."""

    def __init__(self, units: list[Unit]) -> None:
        self.exact: dict[str, list[Unit]] = {}
        self.folded: dict[str, list[Unit]] = {}
        for unit in units:
            for label in {unit.name.strip(), unit.short_name.strip()} - {""}:
                self.exact.setdefault(_squash(label), []).append(unit)
                self.folded.setdefault(_squash(label).casefold(), []).append(unit)

    def resolve(self, label: str) -> Unit:
        key = _squash(label)
        found = self.exact.get(key) or self.folded.get(key.casefold()) or []
        unique = {u.pk: u for u in found}
        if not unique:
            raise CellError(
                _("Unknown unit %(value)s: use a name or short name listed in the read-me sheet (Petunjuk).")
                % {"value": shown(key)}
            )
        if len(unique) > 1:
            raise CellError(
                _("%(value)s names several units: use the full name.") % {"value": shown(key)}
            )
        return next(iter(unique.values()))


def _squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------------------------
# Reading the workbook


def _parse_row(
    number: int, cells: dict[str, Any], units: _UnitIndex, errors: list[RowError]
) -> ParsedRow | None:
    """Read one data row; appends its errors and returns None when it has any."""
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    data: dict[str, Any] = {}
    for key in REQUIRED_VALUES:
        if _text(cells.get(key)) == "":
            fail(key, _("A value is required."))

    def read(key: str, parser: Any) -> Any:
        value = cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parser(value)
        except CellError as exc:
            fail(key, str(exc))
            return None

    code = _text(cells.get("code"))
    parent_code = _text(cells.get("parent_code")) or None
    if parent_code is not None and parent_code == code:
        fail("parent_code", _("An action cannot be its own parent."))
    for key in ("title", "description", "finding", "pic_position", "indicator_name", "indicator_unit"):
        data[key] = _text(cells.get(key))
    for key, limit in TEXT_LIMITS.items():
        text = code if key == "code" else data[key]
        if len(text) > limit:
            fail(key, _("At most %(limit)d characters (this has %(length)d).") % {"limit": limit, "length": len(text)})
    data["code"] = code
    start = read("start_date", cell_date)
    due = read("due_date", cell_date)
    if start and due and due < start:
        fail("due_date", _("The due date %(due)s is before the start date %(start)s.")
             % {"due": format_date(due, active_notation()), "start": format_date(start, active_notation())})
    data["start_date"], data["due_date"] = start, due
    data["responsible_unit"] = read("responsible_unit", lambda v: units.resolve(_text(v)))
    supporting: list[Unit] = []
    for label in _text(cells.get("supporting_units")).split(";"):
        if label.strip():
            try:
                supporting.append(units.resolve(label))
            except CellError as exc:
                fail("supporting_units", str(exc))
    budget = read("budget_planned", _money)
    data["budget_planned"] = 0 if budget is None else budget
    source_text = _text(cells.get("budget_source"))
    data["budget_source"] = BUDGET_SOURCES.get(source_text.casefold())
    if source_text and data["budget_source"] is None:
        fail("budget_source", _("Unknown budget source %(value)s: use APBD, APBDes, other or none.")
             % {"value": shown(source_text)})
    data["fiscal_year"] = read("fiscal_year", _year)
    data["baseline"] = read("baseline", _decimal)
    data["target"] = read("target", _decimal)
    if data["baseline"] is not None and data["target"] is not None and data["baseline"] == data["target"]:
        fail("target", _("The target must differ from the baseline."))
    weight = read("weight", _decimal)
    if weight is not None and weight <= 0:
        fail("weight", _("The weight must be a positive number."))
    data["weight"] = weight
    if len(errors) > before:
        return None
    # Safety net: the model's own field checks (lengths, choices), without queries.
    probe = Action(**data)
    try:
        probe.full_clean(exclude=["work_plan", "parent", "responsible_unit"], validate_unique=False,
                         validate_constraints=False)
    except ValidationError as exc:
        _add_validation_errors(number, exc, errors)
        return None
    return ParsedRow(number, code, parent_code, data, sorted(set(supporting), key=lambda u: u.pk))


def _add_validation_errors(number: int, exc: ValidationError, errors: list[RowError]) -> None:
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            column = _FIELD_TO_COLUMN.get(key, key)
            for message in messages:
                errors.append(RowError(number, column, message))
    else:
        for message in exc.messages:
            errors.append(RowError(number, "", message))


def _no_parent(code: str) -> str:
    return _("No action with code %(code)s in this file or in the work plan.") % {"code": shown(code)}


def _check_parents(rows: list[ParsedRow], existing: dict[str, Action], errors: list[RowError]) -> dict[str, int]:
    """Check every parent_code (in the file or in the plan) and refuse loops; returns each file code's depth."""
    parent_of: dict[str, str | None] = {
        code: (action.parent.code if action.parent_id and action.parent else None)
        for code, action in existing.items()
    }
    for row in rows:
        parent_of[row.code] = row.parent_code
    depth: dict[str, int] = {}
    for row in rows:
        if row.parent_code is not None and row.parent_code not in parent_of:
            errors.append(RowError(row.row, "parent_code", _no_parent(row.parent_code)))
            continue
        seen = [row.code]
        current = row.parent_code
        while current is not None and current in parent_of and current not in seen:
            seen.append(current)
            current = parent_of[current]
        if current == row.code:
            errors.append(RowError(row.row, "parent_code", _("The parent codes form a loop: %(loop)s.")
                                   % {"loop": " > ".join([*seen, row.code])}))
        depth[row.code] = len(seen)
    return depth


# --------------------------------------------------------------------------------------------------------------
# Import


def read_actions_file(
    *, work_plan: Agreement, data: bytes, max_rows: int | None = None,
) -> tuple[list[ParsedRow], list[RowError], str]:
    """Read and validate every row of an actions workbook without writing anything.

    Returns the parsed rows (in sheet order), the list of every error found (the rows are only usable when it is
    empty) and which sheet and rows were read (``Table.describe``). Reads the "Rencana Aksi" (or "Actions") sheet
    with ``core.spreadsheets.read_table``; checks columns, required values, dates, money, units, budget sources,
    duplicate codes within the file, target versus baseline, and parent codes (in the file or the plan, without
    loops).
    """
    table = read_table(data, columns=COLUMNS, sheet_names=SHEET_NAMES, ignored=_export_only_names(),
                       max_data_rows=MAX_DATA_ROWS if max_rows is None else max_rows, max_cols=MAX_COLUMNS)
    if table.errors and not table.rows:
        return [], table.errors, table.describe()
    errors: list[RowError] = []
    units = _UnitIndex(_government_units(work_plan))
    rows: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    for line in table.rows:
        number, cells = line.number, line.cells
        if all(_text(v) == "" for v in cells.values()) and not line.bad:
            continue  # only read-only export columns are filled
        code = _text(cells.get("code"))
        if code and code in first_row_of:
            errors.append(RowError(number, "code", _("Code %(code)s appears twice in the file (first in row "
                                                     "%(row)d).") % {"code": shown(code), "row": first_row_of[code]}))
        elif code:
            first_row_of[code] = number
        parsed = _parse_row(number, cells, units, errors)
        if parsed is not None and not line.bad:
            rows.append(parsed)
    if not first_row_of and not errors and not table.errors:
        return [], [RowError(None, "", _("The file has no actions: fill in rows from row 2 of the %(sheet)s sheet.")
                             % {"sheet": ACTIONS_SHEET})], ""
    existing = {a.code: a for a in work_plan.actions.select_related("parent")}
    _check_parents(rows, existing, errors)
    order = {key: index for index, key in enumerate(TEMPLATE_COLUMNS)}
    errors = without_repeats(table.errors + errors)
    errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    return rows, errors, table.describe()


def parse_actions_file(*, work_plan: Agreement, data: bytes) -> tuple[list[ParsedRow], list[RowError]]:
    """``read_actions_file`` without the description of what was read: (parsed rows, errors)."""
    rows, errors, _source = read_actions_file(work_plan=work_plan, data=data)
    return rows, errors


def _export_only_names() -> list[str]:
    return [name for column in EXPORT_ONLY for name in (column.key, column.label, column.english)]


def _is_unchanged(action: Action, data: dict[str, Any], supporting: list[Unit]) -> bool:
    for key, value in data.items():
        if key == "parent":
            if action.parent_id != (value.pk if value else None):
                return False
        elif key == "responsible_unit":
            if action.responsible_unit_id != value.pk:
                return False
        elif getattr(action, key) != value:
            return False
    return {u.pk for u in action.supporting_units.all()} == {u.pk for u in supporting}


def import_actions(
    *, actor: Any, work_plan: Agreement, file: IO[bytes] | bytes, file_name: str = "", bulk: bool | None = None,
    max_rows: int | None = None, progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the actions in an XLSX file (``file``: bytes or a binary file object) into ``work_plan``, all or nothing.

    Requires IMPORT_ACTIONS on the work plan's government (else raises PermissionDenied, nothing read); each created
    or changed action goes through ``create_action`` / ``update_action``, which require EDIT_ACTIONS on its
    responsible unit. A code already in the plan updates that action (rows identical to the stored action are left
    alone). Returns an ImportResult: with errors (row, column, translated reason; nothing written, no audit entry)
    or with the counts, in which case one IMPORT audit entry on the work plan records the file name and counts.
    Files larger than ``settings.PANTAU_MAX_UPLOAD_BYTES`` and non-XLSX files are reported as errors, never raised.

    ``bulk``: write the new actions in batched inserts (``actions.create_actions_bulk``) after checking every row
    (``actions.bulk_refusals``); None: when the file has more than ``BULK_FROM_ROWS`` new rows. Both paths write
    the same rows and audit entries. ``max_rows``: the row bound (``MAX_DATA_ROWS``; ``MAX_BULK_ROWS`` for the
    command). ``progress(done, total)``: called as rows are written.
    """
    result = ImportResult(file_name=file_name)
    if not has_unit_permission(actor, Permission.IMPORT_ACTIONS, work_plan.government):
        raise PermissionDenied(_("You may not import actions into this work plan."))
    if work_plan.kind != AgreementKind.WORK_PLAN:
        result.errors.append(RowError(None, "", _("Actions belong to a work plan, not to an MoU.")))
        return result
    data, result.errors = read_upload(file)
    if data is None:
        return result
    rows, result.errors, result.source = read_actions_file(work_plan=work_plan, data=data, max_rows=max_rows)
    if result.errors:
        return result
    return write_rows(actor=actor, work_plan=work_plan, rows=rows, result=result, bulk=bulk, progress=progress)


def write_rows(
    *, actor: Any, work_plan: Agreement, rows: list[ParsedRow], result: ImportResult, bulk: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write valid parsed ``rows`` all or nothing (see ``import_actions``); fills and returns ``result``."""
    existing_codes = set(work_plan.actions.values_list("code", flat=True))
    if bulk is None:
        bulk = sum(1 for row in rows if row.code not in existing_codes) > BULK_FROM_ROWS
    try:
        with transaction.atomic():
            if bulk:
                _write_rows_bulk(actor, work_plan, rows, result, progress)
            else:
                _write_rows(actor, work_plan, rows, result)
            if result.errors:
                raise _Rollback
            record(actor=actor, action=AuditAction.IMPORT, obj=work_plan, note=_(
                "Imported %(file)s: %(summary)s") % {"file": result.file_name or "-", "summary": result.summary()})
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    return result


def import_actions_bulk(
    *, user: Any, work_plan: Agreement, rows: list[ParsedRow] | None = None, file: IO[bytes] | bytes | None = None,
    file_name: str = "", progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a large file (up to ``MAX_BULK_ROWS`` rows; ``file``) or already parsed ``rows`` into ``work_plan``
    through the bulk path, all or nothing: every row checked first (errors name row, column and reason in the
    active language; nothing written), permissions checked once per distinct unit, then actions, supporting units
    and audit entries inserted in batches inside one transaction. Same permissions (IMPORT_ACTIONS on the
    government, else PermissionDenied; EDIT_ACTIONS per unit), checks and audit entries as ``import_actions``.
    ``progress(done, total)`` is called while reading (0, total) and after each written batch, for a background
    task to show. Returns an ImportResult."""
    if rows is None:
        if file is None:
            raise TypeError("import_actions_bulk needs rows or file")
        return import_actions(actor=user, work_plan=work_plan, file=file, file_name=file_name, bulk=True,
                              max_rows=MAX_BULK_ROWS, progress=progress)
    result = ImportResult(file_name=file_name)
    if not has_unit_permission(user, Permission.IMPORT_ACTIONS, work_plan.government):
        raise PermissionDenied(_("You may not import actions into this work plan."))
    if work_plan.kind != AgreementKind.WORK_PLAN:
        result.errors.append(RowError(None, "", _("Actions belong to a work plan, not to an MoU.")))
        return result
    return write_rows(actor=user, work_plan=work_plan, rows=rows, result=result, bulk=True, progress=progress)


def _write_rows_bulk(
    actor: Any, work_plan: Agreement, rows: list[ParsedRow], result: ImportResult,
    progress: Callable[[int, int], None] | None,
) -> None:
    """The bulk path of ``_write_rows``: rows whose code is in the plan go through ``update_action`` (or are left
    alone when identical), new rows are checked together (``bulk_refusals``) and inserted in batches."""
    existing = {
        a.code: a for a in work_plan.actions.select_related("parent", "responsible_unit")
        .prefetch_related("supporting_units")
    }
    new = [row for row in rows if row.code not in existing]
    for row_number, column, message in action_service.bulk_refusals(
            actor=actor, work_plan=work_plan, rows=new, existing=existing):
        result.errors.append(RowError(row_number, column, message))
    if result.errors:
        result.errors.sort(key=lambda e: e.row or 0)
        return
    total = len(rows)
    if progress is not None:
        progress(0, total)
    try:
        action_service.create_actions_bulk(actor=actor, work_plan=work_plan, rows=new, existing=existing,
                                           progress=progress, total=total)
    except ValidationError as exc:  # a code taken by a concurrent save
        for message in exc.messages:
            result.errors.append(RowError(None, "code", message))
        return
    result.created = len(new)
    old = [row for row in rows if row.code in existing]
    if old:  # updates are few in a large import: through the one write path, row by row
        _write_rows(actor, work_plan, old, result, check_weights=False)
        if progress is not None:
            progress(total, total)
        if result.errors:
            return
    for action, message in action_service.sibling_weight_errors(work_plan):
        result.errors.append(RowError(next((r.row for r in rows if r.code == action.code), None), "weight", message))


def _write_rows(
    actor: Any, work_plan: Agreement, rows: list[ParsedRow], result: ImportResult, *, check_weights: bool = True,
) -> None:
    """Create or update each row's action, parents first; per-row failures go to ``result.errors``."""
    existing = {
        a.code: a for a in work_plan.actions.select_related("parent", "responsible_unit")
        .prefetch_related("supporting_units")
    }
    depth = _check_parents(rows, existing, [])
    saved: dict[str, Action | None] = {}
    row_of = {row.code: row.row for row in rows}
    for row in sorted(rows, key=lambda r: (depth.get(r.code, 0), r.row)):
        parent: Action | None = None
        if row.parent_code is not None:
            if row.parent_code in saved:
                parent = saved[row.parent_code]
                if parent is None:
                    result.errors.append(RowError(row.row, "parent_code", _(
                        "The parent action (row %(row)d) could not be saved.") % {"row": row_of[row.parent_code]}))
                    saved[row.code] = None
                    continue
            elif row.parent_code in existing:
                parent = existing[row.parent_code]
            else:  # removed from the plan since the file was checked
                result.errors.append(RowError(row.row, "parent_code", _no_parent(row.parent_code)))
                saved[row.code] = None
                continue
        data = {**row.data, "parent": parent}
        action = existing.get(row.code)
        try:
            if action is None:
                saved[row.code] = action_service.create_action(
                    actor=actor, work_plan=work_plan, data=data, supporting_units=row.supporting_units,
                    check_weights=False, refresh=False,
                )
                result.created += 1
            elif _is_unchanged(action, data, row.supporting_units):
                saved[row.code] = action
                result.unchanged += 1
            else:
                saved[row.code] = action_service.update_action(
                    actor=actor, action=action, data=data, supporting_units=row.supporting_units,
                    check_weights=False, refresh=False,
                )
                result.updated += 1
        except ValidationError as exc:
            saved[row.code] = None
            _add_validation_errors(row.row, exc, result.errors)
        except PermissionDenied:
            saved[row.code] = None
            result.errors.append(RowError(row.row, "responsible_unit", _(
                "You may not create or edit actions of this unit.")))
        except DatabaseError:
            saved[row.code] = None
            result.errors.append(RowError(row.row, "", _("The action could not be saved.")))
    action_service.refresh_rollups(work_plan.pk)  # the stored roll-ups, once for the whole file
    if not result.errors and check_weights:  # sibling weights, all set or none: checked once the file is written
        for action, message in action_service.sibling_weight_errors(work_plan):
            result.errors.append(RowError(row_of.get(action.code), "weight", message))
    result.errors.sort(key=lambda e: e.row or 0)
