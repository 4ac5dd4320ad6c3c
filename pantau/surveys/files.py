"""Reading files of survey responses (XLSX or CSV) into validated rows, without touching the database.

Layout: one header row, one respondent per row below. Required columns ``U1``..``U9`` (or the element codes asked
for); optional ``respondent`` (the questionnaire number; a repeated number is a duplicate row), ``age``, ``sex``
(L/P), ``education``, ``occupation``, ``service_received`` and ``comment``, or their Indonesian names
("Responden", "Umur", "Jenis Kelamin", "Pendidikan", "Pekerjaan", "Layanan yang Diterima", "Saran"); header names
ignore case and spacing. The file is read by ``core.spreadsheets.read_table``: in a workbook the sheet named
"Jawaban" (or "Responses"), else the only visible sheet, never a hidden one; formulas by their computed value, a
formula without one refused naming the cell. Blank rows are skipped. Row numbers are the spreadsheet's (header = row
1).

Every problem is reported (row, column, reason), never only the first: unreadable or empty file, unknown, repeated
or missing columns, and per row a missing score, a score that is text or out of 1-4, a duplicate respondent, and
bad profile values. Used by ``services.import_responses`` (all or nothing) and the ``compute_ikm`` command.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pantau.core.spreadsheets import (
    CellError,
    Column,
    RowError,
    cell_text,
    cell_whole_number,
    read_table,
    without_repeats,
)
from pantau.surveys.choices import Education, Occupation, Sex
from pantau.surveys.ikm import ELEMENT_CODES, validate_rows

PROFILE: tuple[Column, ...] = (
    Column("respondent", "Responden", "Respondent"),
    Column("age", "Umur", "Age"),
    Column("sex", "Jenis Kelamin", "Sex"),
    Column("education", "Pendidikan", "Education"),
    Column("occupation", "Pekerjaan", "Occupation"),
    Column("service_received", "Layanan yang Diterima", "Service received"),
    Column("comment", "Saran", "Comment"),
)
"""Optional columns besides the element scores (key, Indonesian name, English name)."""

PROFILE_COLUMNS: tuple[str, ...] = tuple(column.key for column in PROFILE)
"""Keys of the optional columns."""

SHEET_NAMES = ("Jawaban", "Responses")
"""Names under which a workbook's response sheet is found (else its only visible sheet is read)."""

MAX_DATA_ROWS = 50_000
"""A file holds at most this many responses; a larger survey is imported in parts."""

MAX_COLUMNS = 60
"""Columns read per row; a sheet that declares more (up to 16,384) is cut here."""

TEXT_LIMITS = {"respondent": 40, "service_received": 200, "comment": 2000}

_SEX_ALIASES = {"l": Sex.MALE, "laki-laki": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE,
                "p": Sex.FEMALE, "perempuan": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE}


@dataclass
class ParsedResponse:
    """One valid row: its spreadsheet ``row``, ``scores`` per element and ``profile`` field values."""

    row: int
    scores: dict[str, int]
    profile: dict[str, Any]


@dataclass
class ReadResult:
    """What ``read_responses`` found: valid rows (meaningful only without errors), every error, and which sheet and
    rows were read (``source``)."""

    responses: list[ParsedResponse] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    source: str = ""

    @property
    def ok(self) -> bool:
        """True when the file has no error."""
        return not self.errors


_cell_text = cell_text


def columns_for(elements: Sequence[str]) -> tuple[Column, ...]:
    """The columns of a response file asking ``elements``: each element code required, then the profile."""
    return (*(Column(code, code, required=True) for code in elements), *PROFILE)


def _profile(number: int, values: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
    profile: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, limit in TEXT_LIMITS.items():
        text = _cell_text(values.get(key))
        if len(text) > limit:
            errors.append(RowError(number, key, _("At most %(limit)d characters.") % {"limit": limit}))
        profile["respondent_ref" if key == "respondent" else key] = text[:limit]
    age = values.get("age")
    profile["age"] = None
    if _cell_text(age):
        try:
            profile["age"] = cell_whole_number(age, min_value=10, max_value=120)
        except CellError:
            errors.append(RowError(number, "age", _("Age is a whole number of years from 10 to 120.")))
    sex = _cell_text(values.get("sex")).lower()
    profile["sex"] = ""
    if sex:
        if sex in _SEX_ALIASES:
            profile["sex"] = _SEX_ALIASES[sex].value
        else:
            errors.append(RowError(number, "sex", _("Write L (male) or P (female).")))
    for key, choices in (("education", Education), ("occupation", Occupation)):
        text = _cell_text(values.get(key)).lower()
        profile[key] = ""
        if text:
            if text in choices.values:
                profile[key] = text
            else:
                errors.append(RowError(number, key, _("Use one of: %(values)s.") % {
                    "values": ", ".join(choices.values)}))
    return profile, errors


def read_responses(data: bytes, file_name: str, elements: Sequence[str] = ELEMENT_CODES) -> ReadResult:
    """Read and validate a file of responses; see the module docstring for the layout and the checks."""
    result = ReadResult()
    if not data:
        result.errors.append(RowError(None, "", _("The file is empty.")))
        return result
    table = read_table(data, columns=columns_for(elements), sheet_names=SHEET_NAMES, file_name=file_name,
                       allow_csv=True, max_data_rows=MAX_DATA_ROWS, max_cols=MAX_COLUMNS)
    result.source = table.describe()
    if table.errors and not table.rows:
        result.errors = table.errors
        return result
    if not table.rows:
        result.errors.append(RowError(None, "", _("The file has no responses below the header row.")))
        return result
    rows = [(line.number, line.cells) for line in table.rows]
    scores, errors = validate_rows(rows, elements)
    for (number, values), row_scores in zip(rows, scores, strict=True):
        profile, profile_errors = _profile(number, values)
        errors.extend(profile_errors)
        result.responses.append(ParsedResponse(number, row_scores, profile))
    result.errors = without_repeats(table.errors + errors)
    result.errors.sort(key=lambda e: (e.row or 0, _column_order(e.column, elements)))
    return result


def _column_order(column: str, elements: Sequence[str]) -> int:
    order = [*elements, *PROFILE_COLUMNS]
    return order.index(column) if column in order else -1
