"""Excel in and out for a work plan's actions: the template, the all-or-nothing importer and the export.

The "Actions" sheet has one header row of stable machine keys (``TEMPLATE_COLUMNS``) and one action per row below.
A "Read me" sheet explains each column in the user's language and lists the responsible-unit names of the work plan's
government. Money is whole rupiah (IDR) as integers; dates are Excel dates or text ``YYYY-MM-DD`` / ``DD/MM/YYYY``.

The importer validates every row before writing anything and reports EVERY problem with its spreadsheet row number
(header = row 1) and column key, in the active language. Only when the whole file is valid does it write, inside one
transaction, through ``workplans.actions.create_action`` / ``update_action`` (the one write path: permission check and
audit entry per action); any error raised while writing rolls the whole import back. A code already in the plan
updates that action, so an exported file re-imports cleanly. The export writes the same columns plus read-only
columns (``EXPORT_ONLY_COLUMNS``) that the importer ignores.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
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
from pantau.core.spreadsheets import (
    CellError,
    RowError,
    read_header,
    read_sheet_rows,
    read_upload,
    safe_append,
    shown,
)
from pantau.organizations.models import Unit
from pantau.workplans import actions as action_service
from pantau.workplans.models import Action, BudgetSource
from pantau.workplans.summary import load_actions

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS_SHEET = "Actions"
README_SHEET = "Read me"

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "code", "parent_code", "title", "description", "finding", "start_date", "due_date", "responsible_unit",
    "pic_position", "supporting_units", "budget_planned", "budget_source", "fiscal_year", "indicator_name",
    "indicator_unit", "baseline", "target", "weight",
)
"""The importable columns, in order; row 1 of the "Actions" sheet holds exactly these keys."""

EXPORT_ONLY_COLUMNS: tuple[str, ...] = (
    "status", "reported_progress_pct", "verified_progress_pct", "budget_realized", "sample_data",
    "sub_actions_reported",
)
"""Read-only columns appended by the export; the importer ignores them."""

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
"""Rows beyond this many are refused: a work plan has tens to hundreds of actions, not thousands."""

MAX_MONEY = 10**15
MAX_COLUMNS = 60
"""Columns read from a sheet (the template has fewer); more are ignored, so a sheet cannot declare 16,384."""
"""Upper bound for a planned budget (IDR): a thousand trillion rupiah, far above any regional budget."""

BUDGET_SOURCES = {choice.value.casefold(): choice.value for choice in BudgetSource}

_FIELD_TO_COLUMN = {"parent": "parent_code", NON_FIELD_ERRORS: "", "work_plan": ""}
_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ID_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_PLAIN_INT = re.compile(r"^\d+$")
_GROUPED_INT = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")
_DECIMAL_TEXT = re.compile(r"^-?\d+([.,]\d+)?$")




@dataclass
class ImportResult:
    """Outcome of ``import_actions``: the errors (empty on success; then nothing was written when non-empty) and,
    on success, how many actions were created, updated, or left unchanged because the row matched them exactly."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

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
# Column documentation (the "Read me" sheet)


def column_help() -> list[tuple[str, bool, str]]:
    """(column key, value required, explanation in the active language) for every template column."""
    return [
        ("code", True, _("Action number, unique in the work plan (e.g. 1, 1.2, A-3); at most 20 characters. A code "
                         "that already exists in the work plan updates that action.")),
        ("parent_code", False, _("Code of the parent action (in this file or already in the work plan) for a "
                                 "sub-action; empty for a main action.")),
        ("title", True, _("What changes; at most 300 characters.")),
        ("description", False, _("Longer description.")),
        ("finding", False, _("The finding the action answers (failed standard component, weak assessment "
                             "dimension, low survey element, complaint pattern).")),
        ("start_date", True, _("Start date: an Excel date, or text YYYY-MM-DD or DD/MM/YYYY.")),
        ("due_date", True, _("Due date, not before the start date; same formats as start_date.")),
        ("responsible_unit", True, _("Responsible unit: its exact name or short name, as listed in the Read me "
                                     "sheet.")),
        ("pic_position", True, _("Person in charge, by position (e.g. Kepala Dinas), not by name.")),
        ("supporting_units", False, _("Supporting units: names or short names as listed in the Read me sheet, "
                                      "separated by semicolons (;).")),
        ("budget_planned", False, _("Planned budget in whole rupiah (IDR), a number without decimals, not "
                                    "negative (e.g. 15000000); empty means 0.")),
        ("budget_source", True, _("Budget source: APBD, APBDes, other or none.")),
        ("fiscal_year", False, _("Fiscal year of the budget (e.g. 2021).")),
        ("indicator_name", True, _("What is measured; at most 300 characters.")),
        ("indicator_unit", True, _("Unit of the indicator (e.g. services, days, percent); at most 60 "
                                   "characters.")),
        ("baseline", True, _("Indicator value at the start: a number, at most two decimals.")),
        ("target", True, _("Indicator value to reach: a number, at most two decimals, different from the "
                           "baseline.")),
        ("weight", False, _("Weight relative to the sibling actions (a positive number). Give every sibling a "
                            "weight, or leave every weight empty for equal weights; a mix is refused.")),
    ]


def _export_column_help() -> list[tuple[str, str]]:
    return [
        ("status", _("Status today (read only; ignored on import).")),
        ("reported_progress_pct", _("Reported progress in percent (read only; ignored on import).")),
        ("verified_progress_pct", _("Progress verified by the Ombudsman in percent (read only; ignored on "
                                    "import).")),
        ("budget_realized", _("Realized budget in whole rupiah from accepted reports (read only; ignored on "
                              "import).")),
        ("sample_data", _("SAMPLE DATA when the action is illustrative, not a real commitment (read only; ignored "
                          "on import).")),
        ("sub_actions_reported", _("For an action with sub-actions: how many of them reported (a sub-action "
                                   "without a report counts as 0 % in the progress; read only; ignored on "
                                   "import).")),
    ]


def _government_units(work_plan: Agreement) -> list[Unit]:
    return list(Unit.objects.subtree_of(work_plan.government).order_by("path"))


_append = safe_append


def _write_readme(wb: Workbook, work_plan: Agreement, units: list[Unit], *, export: bool) -> tuple[int, int]:
    """Fill the "Read me" sheet; returns the first and last row of the unit-name list (column A)."""
    ws = wb.create_sheet(README_SHEET)
    bold = Font(bold=True)
    _append(ws, [_("How to fill in the Actions sheet"), str(work_plan)])
    ws["A1"].font = bold
    _append(ws, [_("Keep the first row of the Actions sheet as it is: its keys name the columns. Put one action per "
                 "row from row 2. When the file has any error, nothing is imported and every error is listed with "
                 "its row number.")])
    _append(ws, [_("Dates: Excel dates, or text YYYY-MM-DD (2021-01-31) or DD/MM/YYYY (31/01/2021).")])
    _append(ws, [_("Money: whole rupiah (IDR) as a number, without decimals (15000000).")])
    _append(ws, [])
    _append(ws, [_("Column"), _("Required"), _("Meaning")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for key, required, text in column_help():
        _append(ws, [key, _("yes") if required else _("no"), text])
    if export:
        for key, text in _export_column_help():
            _append(ws, [key, _("read only"), text])
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
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 100
    return first, max(first, ws.max_row)


def _actions_sheet(wb: Workbook, columns: tuple[str, ...]) -> Worksheet:
    ws = wb.active
    assert ws is not None
    ws.title = ACTIONS_SHEET
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = {"title": 40, "description": 30, "finding": 30, "responsible_unit": 36, "supporting_units": 30,
              "pic_position": 24, "indicator_name": 30}
    for index, key in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(key, 16)
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

    Sheets: "Actions" (row 1 = ``TEMPLATE_COLUMNS``; code columns formatted as text, date columns as dates, money
    as whole numbers) and "Read me" (column help, budget sources, and the names and short names of every unit in
    the work plan's government subtree). Texts are in the active language.
    """
    wb = Workbook()
    ws = _actions_sheet(wb, TEMPLATE_COLUMNS)
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

    Columns: ``TEMPLATE_COLUMNS`` then ``EXPORT_ONLY_COLUMNS`` (status label in the active language, reported and
    verified progress in percent, realized budget in whole rupiah). Dates are Excel dates, money integers,
    indicator values numbers. Raises PermissionDenied when ``actor`` may not view the work plan.
    """
    if not Agreement.objects.for_user(actor, Permission.VIEW).filter(pk=work_plan.pk).exists():
        raise PermissionDenied(_("You may not view this work plan."))
    actions = load_actions(actor, work_plan)
    prefetch_related_objects(actions, "supporting_units")
    wb = Workbook()
    ws = _actions_sheet(wb, TEMPLATE_COLUMNS + EXPORT_ONLY_COLUMNS)
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
# Parsing cells


def _text(value: Any) -> str:
    """A cell as stripped text; whole-number floats lose their ".0" (a code typed as 1 reads "1")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        iso = _ISO_DATE.match(text)
        local = _ID_DATE.match(text)
        try:
            if iso:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if local:
                return dt.date(int(local[3]), int(local[2]), int(local[1]))
        except ValueError:
            raise CellError(_("%(value)s is not a date in the calendar.") % {"value": shown(text)}) from None
    raise CellError(
        _("%(value)s is not a date: use an Excel date, YYYY-MM-DD or DD/MM/YYYY.") % {"value": shown(value)}
    )


def _money(value: Any) -> int:
    """Whole rupiah from a number or from digits (thousands may be grouped with dots or commas)."""
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not an amount of money.") % {"value": shown(value)})
    amount: int | None = None
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise CellError(_("%(value)s is not an amount of money.") % {"value": shown(value)})
        if number != number.to_integral_value():
            raise CellError(_("%(value)s is not a whole number of rupiah.") % {"value": shown(value)})
        amount = int(number)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        negative = text.startswith("-")
        digits = text.lstrip("-")
        if digits[:2].casefold() == "rp":
            digits = digits[2:]
        if _PLAIN_INT.match(digits) or _GROUPED_INT.match(digits):
            amount = int(digits.replace(".", "").replace(",", ""))
            amount = -amount if negative else amount
    if amount is None:
        raise CellError(
            _("%(value)s is not an amount of money: write whole rupiah as a number, e.g. 15000000.")
            % {"value": shown(value)}
        )
    if amount < 0:
        raise CellError(_("The amount cannot be negative."))
    if amount > MAX_MONEY:
        raise CellError(_("The amount is too large."))
    return amount


def _decimal(value: Any) -> Decimal:
    """A decimal with at most two decimals from a number or text (a decimal comma is accepted)."""
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
    elif isinstance(value, str) and _DECIMAL_TEXT.match(value.strip()):
        number = Decimal(value.strip().replace(",", "."))
    if number is None or not number.is_finite():
        raise CellError(_("%(value)s is not a number.") % {"value": shown(value)})
    if abs(number) >= Decimal(10) ** 14:
        raise CellError(_("%(value)s is too large.") % {"value": shown(value)})
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise CellError(_("%(value)s has more than two decimals.") % {"value": shown(value)})
    return number.quantize(Decimal("0.01"))


def _year(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a year.") % {"value": shown(value)})
    text = _text(value) if isinstance(value, int | float) else str(value).strip()
    if not _PLAIN_INT.match(text) or not 2000 <= int(text) <= 2100:
        raise CellError(_("%(value)s is not a year between 2000 and 2100.") % {"value": shown(value)})
    return int(text)


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
                _("Unknown unit %(value)s: use a name or short name listed in the Read me sheet.")
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
    start = read("start_date", _date)
    due = read("due_date", _date)
    if start and due and due < start:
        fail("due_date", _("The due date %(due)s is before the start date %(start)s.")
             % {"due": due.isoformat(), "start": start.isoformat()})
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


def parse_actions_file(*, work_plan: Agreement, data: bytes) -> tuple[list[ParsedRow], list[RowError]]:
    """Read and validate every row of an actions workbook without writing anything.

    Returns the parsed rows (in sheet order) and the list of every error found; the rows are only usable when the
    error list is empty. Checks columns, required values, dates, money, units, budget sources, duplicate codes
    within the file, target versus baseline, and parent codes (in the file or the plan, without loops).
    """
    errors: list[RowError] = []
    try:
        raw_rows = read_sheet_rows(data, sheet=ACTIONS_SHEET, max_data_rows=MAX_DATA_ROWS, max_cols=MAX_COLUMNS)
    except CellError as exc:
        return [], [RowError(None, "", str(exc))]
    if not raw_rows or raw_rows[0][0] != 1 or not any(_text(v) for v in raw_rows[0][1]):
        return [], [RowError(1, "", _("The first row must hold the column keys; it is empty."))]
    if len(raw_rows) > MAX_DATA_ROWS + 1:
        return [], [RowError(None, "", _("The file has more than %(limit)d rows of actions.")
                             % {"limit": MAX_DATA_ROWS})]
    positions = read_header(
        raw_rows[0][1], allowed=(*TEMPLATE_COLUMNS, *EXPORT_ONLY_COLUMNS), required=TEMPLATE_COLUMNS, errors=errors
    )
    if errors:
        return [], errors
    units = _UnitIndex(_government_units(work_plan))
    rows: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    for number, values in raw_rows[1:]:
        cells = {key: (values[index] if index < len(values) else None) for key, index in positions.items()
                 if key in TEMPLATE_COLUMNS}
        if all(_text(v) == "" for v in cells.values()):
            continue
        code = _text(cells.get("code"))
        if code and code in first_row_of:
            errors.append(RowError(number, "code", _("Code %(code)s appears twice in the file (first in row "
                                                     "%(row)d).") % {"code": shown(code), "row": first_row_of[code]}))
        elif code:
            first_row_of[code] = number
        parsed = _parse_row(number, cells, units, errors)
        if parsed is not None:
            rows.append(parsed)
    if not first_row_of and not errors:
        return [], [RowError(None, "", _("The file has no actions: fill in rows from row 2 of the Actions sheet."))]
    existing = {a.code: a for a in work_plan.actions.select_related("parent")}
    _check_parents(rows, existing, errors)
    errors.sort(key=lambda e: (e.row or 0, TEMPLATE_COLUMNS.index(e.column) if e.column in TEMPLATE_COLUMNS else -1))
    return rows, errors


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
    *, actor: Any, work_plan: Agreement, file: IO[bytes] | bytes, file_name: str = ""
) -> ImportResult:
    """Import the actions in an XLSX file (``file``: bytes or a binary file object) into ``work_plan``, all or nothing.

    Requires IMPORT_ACTIONS on the work plan's government (else raises PermissionDenied, nothing read); each created
    or changed action goes through ``create_action`` / ``update_action``, which require EDIT_ACTIONS on its
    responsible unit. A code already in the plan updates that action (rows identical to the stored action are left
    alone). Returns an ImportResult: with errors (row, column, translated reason; nothing written, no audit entry)
    or with the counts, in which case one IMPORT audit entry on the work plan records the file name and counts.
    Files larger than ``settings.PANTAU_MAX_UPLOAD_BYTES`` and non-XLSX files are reported as errors, never raised.
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
    rows, result.errors = parse_actions_file(work_plan=work_plan, data=data)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write_rows(actor, work_plan, rows, result)
            if result.errors:
                raise _Rollback
            record(actor=actor, action=AuditAction.IMPORT, obj=work_plan, note=_(
                "Imported %(file)s: %(summary)s") % {"file": file_name or "-", "summary": result.summary()})
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    return result


def _write_rows(actor: Any, work_plan: Agreement, rows: list[ParsedRow], result: ImportResult) -> None:
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
                    check_weights=False,
                )
                result.created += 1
            elif _is_unchanged(action, data, row.supporting_units):
                saved[row.code] = action
                result.unchanged += 1
            else:
                saved[row.code] = action_service.update_action(
                    actor=actor, action=action, data=data, supporting_units=row.supporting_units,
                    check_weights=False,
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
    if not result.errors:  # sibling weights, all set or none: checked once the whole file is written
        for action, message in action_service.sibling_weight_errors(work_plan):
            result.errors.append(RowError(row_of.get(action.code), "weight", message))
    result.errors.sort(key=lambda e: e.row or 0)
