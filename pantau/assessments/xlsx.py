"""Excel import of assessment scores: the template and the all-or-nothing importer (DESIGN.md, "Excel in and out").

The "Nilai" sheet (English name "Scores" also read) has one header row of Indonesian column names (``COLUMNS``:
"Unit", "Dimensi", "Kode Indikator", "Nama Indikator", "Nilai"; the English keys "unit", "dimension",
"indicator_code", "indicator_name", "score" of earlier files are read too) and one score per row below: a unit, a
dimension of the method edition, optionally an indicator (code and name), and the score (0-100, at most 2 decimals:
a number, "70,5", or a cell formatted as a percentage, 75 % read as 75). The file is read by
``core.spreadsheets.read_table`` (sheet by name, never a hidden sheet, formulas by their computed value).
A row without an indicator is the unit's dimension score; every unit needs one for each dimension of the
edition. The round's edition, kind, date and year are chosen on the upload page (or the command line), one round per
unit of the file.

Every row is checked before anything is written, and EVERY problem is reported with its spreadsheet row number
(header = row 1), column key and a reason in the active language. Only a valid file is written, inside one
transaction, through ``assessments.actions.record_round`` (the one write path: permission check, total and band,
findings, audit entries), plus one IMPORT audit entry; any error while writing rolls everything back.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pantau.accounts.scoping import units_for
from pantau.assessments import scoring
from pantau.assessments.models import AssessmentRound, MethodEdition, RoundKind
from pantau.assessments.rules import RECORD_PERMISSION
from pantau.core.fields import active_notation
from pantau.core.spreadsheets import (
    CellError,
    Column,
    RowError,
    cell_decimal,
    cell_text,
    read_table,
    safe_append,
    shown,
    without_repeats,
)
from pantau.core.typed_input import format_date
from pantau.organizations.models import Unit, UnitKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORES_SHEET = "Nilai"
README_SHEET = "Petunjuk"
SHEET_NAMES = (SCORES_SHEET, "Scores")
"""Names under which the importer finds the scores sheet: Indonesian (template) and English (earlier files)."""

# The header is part of the file format: the template writes the Indonesian labels whatever the user's language.
COLUMNS: tuple[Column, ...] = (
    Column("unit", "Unit", "Unit", required=True),
    Column("dimension", "Dimensi", "Dimension", required=True),
    Column("indicator_code", "Kode Indikator", "Indicator code"),
    Column("indicator_name", "Nama Indikator", "Indicator name"),
    Column("score", "Nilai", "Score", required=True),
)
"""The columns, in order; row 1 of the "Nilai" sheet holds their Indonesian labels."""

TEMPLATE_COLUMNS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
"""The keys of the columns, in order."""

MAX_DATA_ROWS = 20000
"""Rows beyond this many are refused (a province's units times a few indicators each)."""
MAX_COLUMNS = 20
REQUIRED_COLUMNS = tuple(column.key for column in COLUMNS if column.required)
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass
class ImportResult:
    """Outcome of ``import_scores``: ``errors`` (then nothing was written) or the rounds created."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    rounds: list[AssessmentRound] = field(default_factory=list)
    findings: int = 0
    source: str = ""
    """Which sheet and rows were read ("Sheet “Nilai”, rows 2 to 9 (8 rows read).")."""

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.errors

    def summary(self) -> str:
        """One translated line with the counts."""
        return _("%(rounds)d rounds recorded, %(findings)d findings open") % {
            "rounds": len(self.rounds), "findings": self.findings,
        }


@dataclass
class _UnitScores:
    unit: Unit
    first_row: int
    dimensions: dict[str, Decimal] = field(default_factory=dict)
    indicators: dict[str, dict[str, tuple[str, Decimal]]] = field(default_factory=dict)
    has_errors: bool = False


def _text(value: Any) -> str:
    return " ".join(cell_text(value).split())


def column_help() -> list[tuple[str, str, bool, str]]:
    """(Indonesian header, English key, required, explanation in the active language) for each template column."""
    texts = {
        "unit": (True, _("The unit assessed: its number (id) or its exact name or short name, as listed in the "
                         "read-me sheet (Petunjuk).")),
        "dimension": (True, _("Code of a dimension of the method edition (listed in the read-me sheet).")),
        "indicator_code": (False, _("Empty for the dimension's own score; otherwise a short code of the indicator "
                                    "(letters, digits, - and _).")),
        "indicator_name": (False, _("Name of the indicator (defaults to its code).")),
        "score": (True, _("Score from 0 to 100 with at most two decimals: a number, text with a decimal comma "
                          "(70,5), or a cell formatted as a percentage (75 % is read as 75).")),
    }
    return [(column.label, column.key, *texts[column.key]) for column in COLUMNS]


def score_value(value: Any) -> Decimal:
    """A cell or typed text as a score 0-100 with 2 decimals (``core.spreadsheets.cell_decimal``: a number, "70,5"
    in Indonesian notation, a percentage cell 75 % as 75); more decimals are refused, never rounded. Raises
    CellError with the reason."""
    return cell_decimal(value, places=2, min_value=scoring.SCORE_MIN, max_value=scoring.SCORE_MAX)


def assessable_units(actor: Any, kind: str) -> Any:
    """The units ``actor`` may record a round of ``kind`` about (``rounds.RECORD_PERMISSION``); never an Ombudsman
    office (``rounds.check_unit``)."""
    return units_for(actor, RECORD_PERMISSION[kind]).exclude(kind=UnitKind.OMBUDSMAN_OFFICE)


def build_template(*, actor: Any, edition: MethodEdition, kind: str) -> bytes:
    """The empty template (XLSX bytes): the "Scores" sheet with its header and a "Read me" sheet with the columns,
    the edition's dimensions and the units ``actor`` may assess with this kind of round."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SCORES_SHEET
    safe_append(ws, [column.label for column in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["D"].width = 40
    readme = wb.create_sheet(README_SHEET)
    bold = Font(bold=True)
    safe_append(readme, [_("How to fill in the %(sheet)s sheet") % {"sheet": SCORES_SHEET},
                         f"{edition.code} · {RoundKind(kind).label}"])
    readme["A1"].font = bold
    safe_append(readme, [_("Keep the first row of the %(sheet)s sheet as it is (one header row, no merged cells; the "
                           "English keys of older files are read too). Put one score per row from row 2. When the "
                           "file has any error, nothing is imported and every error is listed with its row number.")
                         % {"sheet": SCORES_SHEET}])
    safe_append(readme, [_("Formulas are read by their computed value: save the file in Excel before uploading it. "
                           "Hidden sheets are never read.")])
    safe_append(readme, [])
    safe_append(readme, [_("Column"), _("Key"), _("Required"), _("Meaning")])
    for label, key, required, text in column_help():
        safe_append(readme, [label, key, _("yes") if required else _("no"), text])
    safe_append(readme, [])
    safe_append(readme, [_("Dimensions"), _("Name"), _("Weight (%)")])
    for dim in edition.dimensions.all():
        safe_append(readme, [dim.code, dim.name, str(dim.weight)])
    safe_append(readme, [])
    safe_append(readme, [_("Units you may assess"), _("Name"), _("Short name")])
    for unit in assessable_units(actor, kind).order_by("path")[:MAX_DATA_ROWS]:
        safe_append(readme, [unit.pk, unit.name, unit.short_name or None])
    readme.column_dimensions["A"].width = 22
    readme.column_dimensions["B"].width = 48
    readme.column_dimensions["C"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _UnitIndex:
    """Resolves a unit by id, exact name or short name among the units the actor may assess."""

    def __init__(self, units: list[Unit]) -> None:
        self.by_id = {unit.pk: unit for unit in units}
        self.by_label: dict[str, dict[int, Unit]] = {}
        for unit in units:
            for label in {unit.name, unit.short_name} - {""}:
                self.by_label.setdefault(" ".join(label.split()).casefold(), {})[unit.pk] = unit

    def resolve(self, value: Any) -> Unit:
        text = _text(value)
        if text.isdigit() and int(text) in self.by_id:
            return self.by_id[int(text)]
        found = self.by_label.get(text.casefold(), {})
        if len(found) > 1:
            raise CellError(_("%(value)s names several units: use the unit's number from the read-me sheet.")
                             % {"value": shown(text)})
        if not found:
            raise CellError(_("Unknown unit %(value)s, or a unit you may not assess: use a number or name listed "
                               "in the read-me sheet (Petunjuk).") % {"value": shown(text)})
        return next(iter(found.values()))


def parse_scores(
    *, actor: Any, edition: MethodEdition, kind: str, assessed_on: dt.date, data: bytes
) -> tuple[list[_UnitScores], list[RowError]]:
    """Read and check every row without writing; returns the scores per unit and every error found."""
    units, errors, _source = read_scores(actor=actor, edition=edition, kind=kind, assessed_on=assessed_on, data=data)
    return units, errors


def read_scores(
    *, actor: Any, edition: MethodEdition, kind: str, assessed_on: dt.date, data: bytes
) -> tuple[list[_UnitScores], list[RowError], str]:
    """``parse_scores`` plus which sheet and rows were read (``core.spreadsheets.Table.describe``)."""
    table = read_table(data, columns=COLUMNS, sheet_names=SHEET_NAMES, max_data_rows=MAX_DATA_ROWS,
                       max_cols=MAX_COLUMNS)
    if table.errors and not table.rows:
        return [], table.errors, table.describe()
    if not table.rows:
        return [], [RowError(None, "", _("The file has no scores: fill in rows from row 2 of the %(sheet)s sheet.")
                             % {"sheet": SCORES_SHEET})], ""
    errors: list[RowError] = []
    dimensions = {dim.code.casefold(): dim.code for dim in edition.dimensions.all()}
    units = _UnitIndex(list(assessable_units(actor, kind)))
    per_unit: dict[int, _UnitScores] = {}
    seen: dict[tuple[int, str, str], int] = {}
    for line in table.rows:
        number, cells = line.number, line.cells
        before = len(errors)

        def fail(column: str, message: str, number: int = number) -> None:
            errors.append(RowError(number, column, message))

        unit = dim_code = None
        if not _text(cells.get("unit")):
            fail("unit", _("A value is required."))
        else:
            try:
                unit = units.resolve(cells["unit"])
            except CellError as exc:
                fail("unit", str(exc))
        dim_text = _text(cells.get("dimension"))
        if not dim_text:
            fail("dimension", _("A value is required."))
        else:
            dim_code = dimensions.get(dim_text.casefold())
            if dim_code is None:
                fail("dimension", _("Unknown dimension %(value)s: use one of %(codes)s.")
                     % {"value": shown(dim_text), "codes": ", ".join(dimensions.values())})
        ind_code = _text(cells.get("indicator_code"))
        ind_name = _text(cells.get("indicator_name")) or ind_code
        if ind_code and (len(ind_code) > 60 or not _SLUG.match(ind_code)):
            fail("indicator_code", _("%(value)s is not a code: use at most 60 letters, digits, - and _.")
                 % {"value": shown(ind_code)})
        if len(ind_name) > 300:
            fail("indicator_name", _("At most %(limit)d characters (this has %(length)d).")
                 % {"limit": 300, "length": len(ind_name)})
        score = None
        if _text(cells.get("score")) == "":
            fail("score", _("A value is required."))
        else:
            try:
                score = score_value(cells["score"])
            except CellError as exc:
                fail("score", str(exc))
        if unit is None or dim_code is None:
            continue
        key = (unit.pk, dim_code, ind_code.casefold())
        if key in seen:
            fail("indicator_code" if ind_code else "dimension",
                 _("Duplicate of row %(row)d (same unit, dimension and indicator).") % {"row": seen[key]})
            continue
        seen[key] = number
        entry = per_unit.setdefault(unit.pk, _UnitScores(unit=unit, first_row=number))
        if score is None or len(errors) > before or line.bad:
            entry.has_errors = True
            continue
        if ind_code:
            entry.indicators.setdefault(dim_code, {})[ind_code] = (ind_name, score)
        else:
            entry.dimensions[dim_code] = score
    for entry in per_unit.values():
        missing = [code for code in dimensions.values() if code not in entry.dimensions]
        if missing and not entry.has_errors:
            errors.append(RowError(entry.first_row, "dimension", _(
                "The unit %(unit)s has no score for the dimension(s) %(codes)s; each unit needs one row per "
                "dimension without an indicator.") % {"unit": shown(entry.unit.name), "codes": ", ".join(missing)}))
        if AssessmentRound.objects.filter(kind=kind, unit=entry.unit, assessed_on=assessed_on).exists():
            errors.append(RowError(entry.first_row, "unit", _(
                "The unit %(unit)s already has a round of this kind on %(date)s.")
                % {"unit": shown(entry.unit.name), "date": format_date(assessed_on, active_notation())}))
    errors = without_repeats(table.errors + errors)
    errors.sort(key=lambda e: (e.row or 0, TEMPLATE_COLUMNS.index(e.column) if e.column in TEMPLATE_COLUMNS else -1))
    return list(per_unit.values()), errors, table.describe()


