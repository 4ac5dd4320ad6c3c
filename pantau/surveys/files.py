"""Reading files of survey responses (XLSX or CSV) into validated rows, without touching the database.

Layout: one header row, one respondent per row below. Required columns ``U1``..``U9`` (or the element codes asked
for); optional ``respondent`` (the questionnaire number; a repeated number is a duplicate row), ``age``, ``sex``
(L/P), ``education``, ``occupation``, ``service_received`` and ``comment``. Header keys ignore case and surrounding
spaces. Blank rows are skipped. Row numbers are the spreadsheet's (header = row 1).

Every problem is reported (row, column, reason), never only the first: unreadable or empty file, unknown, repeated
or missing columns, and per row a missing score, a score that is text or out of 1-4, a duplicate respondent, and
bad profile values. Used by ``services.import_responses`` (all or nothing) and the ``compute_ikm`` command.
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pantau.core.spreadsheets import MAX_BLANK_RUN, WorkbookTooLarge, bounded_rows, clean_text, open_workbook
from pantau.surveys.choices import Education, Occupation, Sex
from pantau.surveys.ikm import ELEMENT_CODES, RowError, validate_rows

PROFILE_COLUMNS: tuple[str, ...] = (
    "respondent", "age", "sex", "education", "occupation", "service_received", "comment",
)
"""Optional columns besides the element scores."""

MAX_DATA_ROWS = 50_000
"""A file holds at most this many responses; a larger survey is imported in parts."""

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
    """What ``read_responses`` found: valid rows (meaningful only without errors) and every error."""

    responses: list[ParsedResponse] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no error."""
        return not self.errors


class _FileError(Exception):
    """The file as a whole cannot be read; the message is translated."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_COLUMNS = 60
"""Columns read per row; a sheet that declares more (up to 16,384) is cut here."""


def _read_xlsx(data: bytes) -> list[list[Any]]:
    try:
        wb = open_workbook(data)
    except WorkbookTooLarge:
        raise _FileError(_("The Excel file is too large once unpacked; split it into smaller files.")) from None
    except Exception:  # openpyxl raises many types (BadZipFile, KeyError, InvalidFileException...) on non-xlsx
        raise _FileError(_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        ws = wb.worksheets[0]
        rows = []
        limit = MAX_DATA_ROWS + MAX_BLANK_RUN + 1
        for _number, values in bounded_rows(ws, max_rows=limit, max_cols=MAX_COLUMNS):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            rows.append([clean_text(v) for v in values])
            if len(rows) > MAX_DATA_ROWS + 1:
                break
        return rows
    except Exception:  # a damaged sheet inside a valid zip
        raise _FileError(_("The Excel file is damaged and cannot be read.")) from None
    finally:
        wb.close()


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _FileError(_("The CSV file is not UTF-8 text.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = []
    try:
        for values in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append([clean_text(v) for v in values[:MAX_COLUMNS]])
            if len(rows) > MAX_DATA_ROWS + 1:
                break
    except csv.Error:
        raise _FileError(_("The CSV file cannot be read (a field is too long or a quote is not closed).")) from None
    return rows


def read_table(data: bytes, file_name: str) -> list[list[Any]]:
    """Raw rows of the first sheet (XLSX) or of the CSV, chosen by the file name's extension (a ZIP signature also
    counts as XLSX). Raises _FileError when the file cannot be read."""
    name = file_name.lower()
    if not data:
        raise _FileError(_("The file is empty."))
    if name.endswith(".xlsx") or (not name.endswith(".csv") and zipfile.is_zipfile(io.BytesIO(data))):
        return _read_xlsx(data)
    if name.endswith(".csv") or not name.rpartition(".")[1]:
        return _read_csv(data)
    raise _FileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def _header(raw: list[Any], elements: Sequence[str]) -> tuple[list[str], list[RowError]]:
    """Normalised column keys and the header's errors."""
    errors: list[RowError] = []
    keys: list[str] = []
    seen: set[str] = set()
    allowed_elements = {code.upper() for code in elements}
    for value in raw:
        text = _cell_text(value)
        key = text.upper() if text.upper() in allowed_elements else text.lower()
        keys.append(key)
        if not key:
            continue
        if key in seen:
            errors.append(RowError(1, key, _("The column appears twice.")))
        elif key not in allowed_elements and key not in PROFILE_COLUMNS:
            errors.append(RowError(1, text, _(
                "Unknown column. Use %(elements)s and optionally %(profile)s."
            ) % {"elements": ", ".join(elements), "profile": ", ".join(PROFILE_COLUMNS)}))
        seen.add(key)
    for code in elements:
        if code not in seen:
            errors.append(RowError(1, code, _("The column is missing.")))
    return keys, errors


def _profile(number: int, values: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
    profile: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, limit in TEXT_LIMITS.items():
        text = _cell_text(values.get(key))
        if len(text) > limit:
            errors.append(RowError(number, key, _("At most %(limit)d characters.") % {"limit": limit}))
        profile["respondent_ref" if key == "respondent" else key] = text[:limit]
    age = _cell_text(values.get("age"))
    profile["age"] = None
    if age:
        if age.isdigit() and 10 <= int(age) <= 120:
            profile["age"] = int(age)
        else:
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
    try:
        raw_rows = read_table(data, file_name)
    except _FileError as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    if not raw_rows or not any(_cell_text(v) for v in raw_rows[0]):
        result.errors.append(RowError(None, "", _("The file is empty: the first row must name the columns.")))
        return result
    keys, header_errors = _header(raw_rows[0], elements)
    result.errors.extend(header_errors)
    if header_errors:
        return result
    rows: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(raw_rows[1:], start=2):
        if not any(_cell_text(v) for v in raw):
            continue
        if index > MAX_DATA_ROWS + 1:
            result.errors.append(RowError(None, "", _(
                "The file has more than %(limit)d responses; import it in parts."
            ) % {"limit": MAX_DATA_ROWS}))
            return result
        values = {key: raw[i] if i < len(raw) else None for i, key in enumerate(keys) if key}
        extra = [v for v in raw[len(keys):] if _cell_text(v)]
        if extra:
            result.errors.append(RowError(index, "", _("The row has more cells than the header has columns.")))
        rows.append((index, values))
    if not rows:
        result.errors.append(RowError(None, "", _("The file has no responses below the header row.")))
        return result
    scores, errors = validate_rows(rows, elements)
    result.errors.extend(errors)
    for (number, values), row_scores in zip(rows, scores, strict=True):
        profile, profile_errors = _profile(number, values)
        result.errors.extend(profile_errors)
        result.responses.append(ParsedResponse(number, row_scores, profile))
    result.errors.sort(key=lambda e: (e.row or 0, _column_order(e.column, elements)))
    return result


def _column_order(column: str, elements: Sequence[str]) -> int:
    order = [*elements, *PROFILE_COLUMNS]
    return order.index(column) if column in order else -1
