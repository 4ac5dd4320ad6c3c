"""Safe reading and writing of spreadsheets (openpyxl) shared by every import and export.

Writing: text never becomes a formula (CSV/formula injection) and loses the control characters XML cannot hold.
Reading: ``read_table`` is the one reader of every importer (work-plan actions, assessment scores, compliance results,
survey responses): it picks the intended sheet by name and never reads a hidden one, maps the header (Indonesian
labels or English keys) to column keys, refuses merged and multi-row headers, reads formulas by their computed value
and refuses those without one, and keeps percentage cells apart (``PercentCell``). The ``cell_*`` functions read one
cell with ``pantau.core.typed_input`` (Indonesian notation first; the active language's). Problems are ``RowError``s
(row, column key, translated message), the one error type of every importer. A sheet can declare a million rows and
16,384 columns in a few kilobytes, so readers take at most ``max_cols`` columns and stop after ``max_rows`` rows or
``MAX_BLANK_RUN`` blank rows in a row.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pantau.core import typed_input
from pantau.core.fields import active_notation
from pantau.core.typed_input import MAX_MONEY, InputError

MAX_BLANK_RUN = 1000
"""Consecutive blank rows after which a reader assumes the data has ended."""


_XML_ILLEGAL_MORE = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 forbids that openpyxl's ILLEGAL_CHARACTERS_RE lets through (lone surrogates, U+FFFE, U+FFFF)."""


def clean_text(value: Any) -> Any:
    """``value`` with XML-illegal characters removed when it is text (C0 controls, lone surrogates, U+FFFE and
    U+FFFF: XML 1.0 section 2.2), so that no stored text can break a workbook; other values unchanged."""
    if not isinstance(value, str):
        return value
    return _XML_ILLEGAL_MORE.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))


def safe_append(ws: Worksheet, values: list[Any]) -> None:
    """Append a row; text loses characters XML cannot hold and a leading "=" stays text, never a formula."""
    ws.append([clean_text(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet program read a CSV cell as a formula (OWASP, "CSV Injection")."""


def csv_cell(value: Any) -> str:
    """One CSV cell as text: "" for None, "true"/"false" for booleans, numbers as Python prints them (a Decimal keeps
    its places: "40.00"; dots as decimal separators, no thousands separators), dates and times in ISO 8601, and text
    without the control characters XML cannot hold; text starting with = + - @ tab or carriage return gets a leading
    apostrophe so that a spreadsheet shows it as text and never runs it as a formula. Numbers are never prefixed
    (a negative baseline stays the number -5.00)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = clean_text(str(value))
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file (RFC 4180: comma-separated, double quotes where needed, CRLF line ends) in UTF-8 with a byte-order
    mark, so that Excel reads the Indonesian text correctly; every cell through ``csv_cell`` (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def bounded_rows(ws: Any, *, max_rows: int, max_cols: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, values) for at most ``max_rows`` rows and ``max_cols`` columns of ``ws``, stopping after
    ``MAX_BLANK_RUN`` blank rows in a row. Blank rows are yielded too (callers skip them)."""
    blank_run = 0
    for number, values in enumerate(ws.iter_rows(max_row=max_rows, max_col=max_cols, values_only=True), start=1):
        if any(v is not None and str(v).strip() for v in values):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                return
        yield number, tuple(values)


MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
"""Largest total size of the files inside an uploaded workbook once unzipped (50 MiB, far above any real work plan or
survey file): openpyxl reads a cell or the shared-strings file whole, so a 1 MB upload could otherwise inflate to
gigabytes in memory."""


class WorkbookTooLarge(ValueError):
    """Raised when an upload unzips to more than MAX_UNZIPPED_BYTES."""


def open_workbook(data: bytes) -> Any:
    """Open uploaded .xlsx bytes read-only (values, not formulas) after checking the unzipped size.

    Raises WorkbookTooLarge for a zip that would inflate past MAX_UNZIPPED_BYTES; zipfile.BadZipFile or whatever
    openpyxl raises for a file that is not a workbook (callers turn these into a message for the user).
    """
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNZIPPED_BYTES:
        raise WorkbookTooLarge(f"unzips to {total} bytes")
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file, shared by every importer: spreadsheet ``row`` (header = 1; None for the
    file as a whole), ``column`` key ("" when not tied to one column) and a ``message`` in the active language."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


class CellError(Exception):
    """A cell, or a whole file, that cannot be read; the message is already translated."""


def shown(value: Any) -> str:
    """``value`` as text for a message, cut to 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_upload(file: Any) -> tuple[bytes | None, list[RowError]]:
    """The bytes of an upload (a file object or bytes), reading at most PANTAU_MAX_UPLOAD_BYTES + 1 bytes.

    Returns (data, []) or (None, [the file-level error]) when the file is over the limit.
    """
    from django.conf import settings

    limit = settings.PANTAU_MAX_UPLOAD_BYTES
    if isinstance(file, bytes):
        data = file
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        return None, [RowError(None, "", _("The file is too large: the limit is %(limit)d bytes.") % {"limit": limit})]
    return data, []


# --------------------------------------------------------------------------------------------------------------
# The one reader of imported files: sheet choice, header, cells (every importer uses ``read_table``)


SHEET_STATE_VISIBLE = "visible"
"""openpyxl's ``sheet_state`` of a sheet people can see; "hidden" and "veryHidden" sheets are never read."""

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_TAG, _FORMULA_TAG, _VALUE_TAG = f"{_MAIN_NS}c", f"{_MAIN_NS}f", f"{_MAIN_NS}v"
_ROW_TAG, _MERGE_TAG = f"{_MAIN_NS}row", f"{_MAIN_NS}mergeCell"
_CSV_SUFFIX = ".csv"


@dataclass(frozen=True)
class Column:
    """One column of an imported file: ``key`` (the English machine key, e.g. "budget_planned", used in messages
    and code), ``label`` (the Indonesian header that templates and exports write, e.g. "Anggaran Rencana (Rp)"),
    ``english`` (an English label, also accepted) and whether the column must be ``required`` in the header. A
    header cell names the column when it equals any of the three once case, underscores and spacing are folded
    (``header_key``)."""

    key: str
    label: str
    english: str = ""
    required: bool = False

    def names(self) -> set[str]:
        """The folded header texts that name this column."""
        return {header_key(name) for name in (self.key, self.label, self.english) if name}


def header_key(text: Any) -> str:
    """A header or sheet name folded for comparison: case folded, underscores as spaces, runs of whitespace (also
    no-break spaces) as one space, ends stripped, a trailing "*" (a required-column mark) dropped.
    "Tanggal  Mulai*", "tanggal_mulai" and "TANGGAL MULAI" fold alike."""
    if text is None:
        return ""
    folded = " ".join(str(text).replace("_", " ").split()).casefold()
    return folded.rstrip("*").rstrip()


@dataclass(frozen=True)
class PercentCell:
    """A number that the sheet shows as a percentage (its number format holds "%"): Excel stores 75 % as 0.75.
    Readers take it as 75 (``typed_input.read_percent_cell``); ``str()`` gives what the sheet shows ("75%")."""

    number: int | float | Decimal
    number_format: str

    def __str__(self) -> str:
        scaled = (Decimal(repr(self.number)) if isinstance(self.number, float) else Decimal(self.number)) * 100
        return f"{scaled.normalize():f}%"


@dataclass
class TableRow:
    """One non-blank data row: spreadsheet ``number`` (header = 1), ``cells`` by column key (None for an empty cell),
    and ``bad``: the keys whose cell could not be read (a formula without a computed value, an error value), already
    reported in the table's errors."""

    number: int
    cells: dict[str, Any]
    bad: frozenset[str] = frozenset()


@dataclass
class Table:
    """What ``read_table`` read: the ``sheet`` name ("" for a CSV file), the column ``positions`` (key -> index),
    the non-blank data ``rows`` and every ``error`` found while reading (file, header and unreadable cells). The rows
    are usable only when the importer finds no error of its own either."""

    sheet: str = ""
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[TableRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file could be read without error."""
        return not self.errors

    def describe(self) -> str:
        """Which sheet and rows were read, in the active language, e.g. 'Sheet "Rencana Aksi", rows 2 to 21 (20
        rows).' (without the sheet for a CSV file); "" when nothing was read."""
        if not self.rows:
            return ""
        values = {"first": self.rows[0].number, "last": self.rows[-1].number, "count": len(self.rows),
                  "sheet": self.sheet}
        if self.sheet:
            return ngettext(
                "Sheet “%(sheet)s”, rows %(first)d to %(last)d (%(count)d row read).",
                "Sheet “%(sheet)s”, rows %(first)d to %(last)d (%(count)d rows read).",
                len(self.rows),
            ) % values
        return ngettext(
            "Rows %(first)d to %(last)d (%(count)d row read).",
            "Rows %(first)d to %(last)d (%(count)d rows read).",
            len(self.rows),
        ) % values


def read_table(
    data: bytes,
    *,
    columns: Sequence[Column],
    sheet_names: Sequence[str] = (),
    file_name: str = "",
    allow_csv: bool = False,
    ignored: Iterable[str] = (),
    max_data_rows: int,
    max_cols: int = 60,
) -> Table:
    """Read an uploaded workbook (.xlsx) or, with ``allow_csv``, a CSV file into rows keyed by ``columns``.

    The sheet (workbooks only): the first visible sheet named one of ``sheet_names`` (Indonesian first, then
    English; compared by ``header_key``); a sheet so named that is hidden or very hidden is refused, naming it.
    Without such a sheet, the only visible sheet is read; several visible sheets are refused, naming them. Hidden and
    very hidden sheets are never read.

    The header is row 1, one cell per column: the Indonesian label, the English key or the English label of a
    column, whatever the case and spacing. Refused with the reason: unknown columns (headers in ``ignored``, such as
    an export's read-only columns, are skipped), repeated or missing required columns, merged cells in row 1 and a
    header that continues on row 2 (each with a pointer to the template), and a value in a column without a name.

    Cells: values as the sheet holds them (text, int, float, datetime), a number shown as a percentage as a
    ``PercentCell``, formulas by their computed (cached) value. A formula without a computed value and an error
    value ("#DIV/0!") are refused naming the cell (e.g. D5). Text loses XML-illegal control characters. CSV files
    are UTF-8 (with or without BOM), separated by ";" or "," (whichever the header line holds more of).

    Reads at most ``max_cols`` columns and stops after ``max_data_rows`` + 1 non-blank data rows (reported as too
    many). Never raises for a bad file: every problem is in ``Table.errors`` (row None for the file as a whole).
    """
    table = Table()
    try:
        if not data:
            raise CellError(_("The file is empty."))
        if allow_csv and _is_csv(data, file_name):
            raw_rows, problems, merges = _csv_rows(data, max_data_rows=max_data_rows, max_cols=max_cols), {}, []
            hidden: set[int] = set()
        else:
            table.sheet, raw_rows, problems, merges, hidden = _workbook_rows(
                data, sheet_names=sheet_names, allow_csv=allow_csv, max_data_rows=max_data_rows, max_cols=max_cols,
            )
    except CellError as exc:
        table.errors.append(RowError(None, "", str(exc)))
        return table
    if not raw_rows or raw_rows[0][0] != 1 or not any(_filled(v) for v in raw_rows[0][1]):
        table.errors.append(RowError(1, "", _("The first row must hold the column names; it is empty. Keep the "
                                               "header row of the template in row 1.")))
        return table
    if len(raw_rows) > max_data_rows + 1:
        table.errors.append(RowError(None, "", _("The file has more than %(limit)d rows; import it in parts.")
                                     % {"limit": max_data_rows}))
        return table
    header_merges = [ref for ref in merges if _touches_row_one(ref)]
    if header_merges:
        table.errors.append(RowError(1, "", _(
            "The header row has merged cells (%(cells)s): keep one column name per cell in row 1 only, as in the "
            "template (download it from the import page).") % {"cells": ", ".join(header_merges[:5])}))
        return table
    table.positions = _header(raw_rows[0][1], columns, set(map(header_key, ignored)), table.errors)
    if table.errors:
        second = raw_rows[1] if len(raw_rows) > 1 else None
        if second is not None and second[0] == 2 and _names_columns(second[1], columns):
            table.errors.insert(0, RowError(1, "", _(
                "The header spans more than one row: row 2 also holds column names. Keep one header row (row 1), "
                "one column name per cell, as in the template (download it from the import page).")))
        return table
    unnamed = [index for index, raw in enumerate(raw_rows[0][1]) if not header_key(raw)]
    for number, values in raw_rows[1:]:
        if number in hidden:
            table.errors.append(RowError(number, "", _(
                "Row %(row)d is hidden in the sheet: show it (Unhide) and check it, or delete it. Pantau imports "
                "only what people can see.") % {"row": number}))
        stray = [index for index in unnamed if index < len(values) and _filled(values[index])]
        stray += [index for index in range(len(raw_rows[0][1]), len(values)) if _filled(values[index])]
        if stray:
            table.errors.append(RowError(number, "", _(
                "Cell %(cell)s has a value, but its column has no name in row 1.")
                % {"cell": f"{get_column_letter(stray[0] + 1)}{number}"}))
        cells: dict[str, Any] = {}
        bad: set[str] = set()
        for key, index in table.positions.items():
            value = values[index] if index < len(values) else None
            problem = problems.get((number, index + 1))
            if problem is not None:
                bad.add(key)
                table.errors.append(RowError(number, key, problem))
                value = None
            cells[key] = value
        table.rows.append(TableRow(number, cells, frozenset(bad)))
    return table


def without_repeats(errors: list[RowError]) -> list[RowError]:
    """``errors`` with, for each (row, column) that has an error from ``read_table`` (``first`` ones), the later
    errors of the same cell dropped; order kept. Importers pass the table's errors first, then their own."""
    seen: set[tuple[int | None, str]] = set()
    kept: list[RowError] = []
    for error in errors:
        key = (error.row, error.column)
        if error.row is not None and error.column and key in seen:
            continue
        seen.add(key)
        kept.append(error)
    return kept


def _filled(value: Any) -> bool:
    return value is not None and bool(str(value).strip())


def _touches_row_one(ref: str) -> bool:
    """True when the merged range ``ref`` ("A1:C1", "B1:B2") includes row 1."""
    first = ref.split(":")[0]
    digits = "".join(ch for ch in first if ch.isdigit())
    return digits == "1"


def _names_columns(values: tuple[Any, ...], columns: Sequence[Column]) -> bool:
    """True when at least two cells of a row name columns (the continuation of a multi-row header)."""
    names = set().union(*(column.names() for column in columns))
    return sum(1 for value in values if header_key(value) in names) >= 2


def _header(
    header: tuple[Any, ...], columns: Sequence[Column], ignored: set[str], errors: list[RowError]
) -> dict[str, int]:
    """Column key -> index from row 1; appends one row-1 error per unknown, repeated or missing required column."""
    by_name = {name: column.key for column in columns for name in column.names()}
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = header_key(raw)
        if not name or name in ignored:
            continue
        key = by_name.get(name)
        shown_name = shown(" ".join(str(raw).split()))
        if key is None:
            errors.append(RowError(1, shown_name, _(
                "Unknown column “%(column)s”: use the column names of the template.") % {"column": shown_name}))
        elif key in positions:
            errors.append(RowError(1, key, _("Column %(column)s appears more than once.") % {"column": key}))
        else:
            positions[key] = index
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.key, _("Column “%(label)s” (%(key)s) is missing.")
                                   % {"label": column.label, "key": column.key}))
    return positions


def _is_csv(data: bytes, file_name: str) -> bool:
    """True for a .csv name, or a name without extension whose bytes are not a zip; CellError for other types."""
    name = file_name.lower()
    if name.endswith(_CSV_SUFFIX):
        return True
    if name.endswith(".xlsx") or zipfile.is_zipfile(io.BytesIO(data)):
        return False
    if not name.rpartition(".")[1]:
        return True
    raise CellError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def _csv_rows(data: bytes, *, max_data_rows: int, max_cols: int) -> list[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of row 1 and of every non-blank row of a CSV file; CellError when unreadable."""
    if not data:
        raise CellError(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CellError(_("The CSV file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if number == 1 or any(v.strip() for v in values):
                rows.append((number, tuple(clean_text(v) for v in values[:max_cols])))
                if len(rows) > max_data_rows + 1:
                    break
    except csv.Error:
        raise CellError(_("The CSV file cannot be read (a field is too long or a quote is not closed).")) from None
    return rows


def _workbook_rows(
    data: bytes, *, sheet_names: Sequence[str], allow_csv: bool, max_data_rows: int, max_cols: int
) -> tuple[str, list[tuple[int, tuple[Any, ...]]], dict[tuple[int, int], str], list[str], set[int]]:
    """(sheet name, rows, unreadable cells {(row, column): message}, merged ranges, hidden row numbers) of the sheet
    to read."""
    try:
        wb = open_workbook(data)
    except WorkbookTooLarge:
        raise CellError(_("The Excel file is too large once unpacked; split it into smaller files.")) from None
    except Exception:  # openpyxl raises many types (BadZipFile, KeyError, InvalidFileException...) on non-xlsx
        if allow_csv:
            raise CellError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")) from None
        raise CellError(
            _("The file is not an Excel workbook (.xlsx). Save it as an Excel workbook and upload it again.")
        ) from None
    try:
        ws = _choose_sheet(wb, sheet_names)
        limit = max_data_rows + MAX_BLANK_RUN + 1
        try:
            problems, merges, hidden = _scan_sheet_xml(ws, max_rows=limit, max_cols=max_cols)
            rows: list[tuple[int, tuple[Any, ...]]] = []
            for number, cells in _bounded_cells(ws, max_rows=limit, max_cols=max_cols):
                values = tuple(_cell_value(cell) for cell in cells)
                for column, cell in enumerate(cells, start=1):
                    if getattr(cell, "data_type", None) == "e":
                        problems[(number, column)] = _(
                            "Cell %(cell)s shows the error %(value)s: correct the formula or type the value."
                        ) % {"cell": f"{get_column_letter(column)}{number}", "value": shown(cell.value)}
                if number == 1 or any(_filled(v) for v in values):
                    rows.append((number, values))
                    if len(rows) > max_data_rows + 1:
                        break
        except CellError:
            raise
        except Exception:  # a damaged sheet inside a valid zip
            raise CellError(_("The Excel file is damaged and cannot be read.")) from None
        return ws.title, rows, problems, merges, hidden
    finally:
        wb.close()


def _choose_sheet(wb: Any, sheet_names: Sequence[str]) -> Any:
    """The sheet to read (see ``read_table``); CellError naming the sheets otherwise."""
    wanted = [header_key(name) for name in sheet_names]
    named = [ws for ws in wb.worksheets if header_key(ws.title) in wanted]
    named.sort(key=lambda ws: wanted.index(header_key(ws.title)))
    for ws in named:
        if ws.sheet_state == SHEET_STATE_VISIBLE:
            return ws
    if named:
        raise CellError(_(
            "The sheet “%(sheet)s” is hidden: Pantau never reads hidden sheets. Unhide it in Excel (right-click a "
            "sheet tab, Unhide) and upload the file again.") % {"sheet": named[0].title})
    visible = [ws for ws in wb.worksheets if ws.sheet_state == SHEET_STATE_VISIBLE]
    if len(visible) == 1:
        return visible[0]
    expected = " / ".join(f"“{name}”" for name in sheet_names) or "-"
    if not visible:
        raise CellError(_(
            "The workbook has no visible sheet: Pantau never reads hidden sheets (%(hidden)s). Unhide the sheet "
            "to import and upload the file again.") % {"hidden": ", ".join(f"“{ws.title}”" for ws in wb.worksheets)})
    raise CellError(_(
        "The workbook has no sheet named %(expected)s and several visible sheets (%(sheets)s): rename the sheet to "
        "import to %(expected)s.") % {"expected": expected, "sheets": ", ".join(f"“{ws.title}”" for ws in visible)})


def _bounded_cells(ws: Any, *, max_rows: int, max_cols: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) like ``bounded_rows`` but with openpyxl's read-only cells (value, number format, type)."""
    blank_run = 0
    for number, cells in enumerate(ws.iter_rows(max_row=max_rows, max_col=max_cols), start=1):
        if any(_filled(cell.value) for cell in cells):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                return
        yield number, tuple(cells)


def _cell_value(cell: Any) -> Any:
    """A read-only cell's value for the readers: text cleaned, a number shown as a percentage as a PercentCell."""
    value = cell.value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            return PercentCell(value, number_format)
    return value


def _scan_sheet_xml(
    ws: Any, *, max_rows: int, max_cols: int
) -> tuple[dict[tuple[int, int], str], list[str], set[int]]:
    """Formula cells without a computed value ({(row, column): message}), merged ranges and hidden rows of ``ws``,
    from the sheet's XML (openpyxl's read-only values cannot tell such a formula from an empty cell, nor list merges
    or hidden rows)."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.functions import iterparse

    problems: dict[tuple[int, int], str] = {}
    merges: list[str] = []
    hidden: set[int] = set()
    source = ws._get_source()  # openpyxl's read-only sheet keeps its XML in the archive
    try:
        for _event, element in iterparse(source):
            if element.tag == _CELL_TAG:
                formula = element.find(_FORMULA_TAG)
                if formula is not None:
                    value = element.find(_VALUE_TAG)
                    coordinate = element.get("r")
                    if (value is None or not (value.text or "").strip()) and coordinate:
                        row, column = coordinate_to_tuple(coordinate)
                        if row <= max_rows and column <= max_cols:
                            problems[(row, column)] = _(
                                "Cell %(cell)s holds a formula without a computed value (the file was saved by a "
                                "program that does not compute formulas): open the file in Excel and save it "
                                "again, or type the value.") % {"cell": coordinate}
                element.clear()
            elif element.tag == _ROW_TAG:
                if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
                    number = int(str(element.get("r")))
                    if number <= max_rows:
                        hidden.add(number)
                element.clear()
            elif element.tag == _MERGE_TAG and element.get("ref"):
                merges.append(str(element.get("ref")))
    finally:
        source.close()
    return problems, merges, hidden


# --------------------------------------------------------------------------------------------------------------
# Reading one cell (importers attach the row and column to the CellError)


def _read(reader: Any, value: Any) -> Any:
    try:
        return reader(value)
    except InputError as error:
        raise CellError(error.message) from None


def cell_text(value: Any) -> str:
    """A cell as stripped text: a whole float loses ".0" (a code typed as 1 reads "1"), a date is ISO
    ("2024-08-31"), a percentage cell reads as shown ("75%"), None is ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_money(value: Any, *, max_value: int = MAX_MONEY) -> int:
    """Whole rupiah (IDR) from a number cell or from text in the active notation (``typed_input.read_money``:
    "Rp 450.000" is 450000; in Indonesian "1,500,000" is refused since the comma is the decimal mark). Negative
    amounts and fractions are refused; a percentage cell is not money. Raises CellError."""
    if isinstance(value, PercentCell):
        raise CellError(_("“%(value)s” is a percentage, not an amount of money.") % {"value": value})
    return int(_read(lambda v: typed_input.read_money(v, language=active_notation(), max_value=max_value), value))


def cell_decimal(
    value: Any, *, places: int = 2, min_value: Decimal | int | None = None, max_value: Decimal | int | None = None
) -> Decimal:
    """A Decimal with ``places`` decimals from a number cell, a percentage cell (75 % is 75) or text in the active
    notation ("70,5" is 70.5; ``typed_input.read_decimal``; more decimals than ``places`` refused, not rounded).
    Raises CellError."""
    if isinstance(value, PercentCell):
        number = _read(lambda v: typed_input.read_percent_cell(v.number, v.number_format, places=places,
                                                                language=active_notation()), value)
        value = number
    return Decimal(_read(lambda v: typed_input.read_decimal(
        v, places=places, language=active_notation(), min_value=min_value, max_value=max_value), value))


def cell_percent(value: Any, *, places: int = 2) -> Decimal:
    """A percentage on 0-100 from a percentage cell (0.75 shown as 75 % is 75), a number (75) or text ("75 %",
    "75,5%"); ``typed_input.read_percent_cell``. Raises CellError."""
    if isinstance(value, PercentCell):
        return Decimal(_read(lambda v: typed_input.read_percent_cell(
            v.number, v.number_format, places=places, language=active_notation()), value))
    return Decimal(_read(lambda v: typed_input.read_percent(v, places=places, language=active_notation()), value))


def cell_date(value: Any) -> dt.date:
    """A date from a date cell, an Excel serial number (45535 is 31 August 2024) or text, day first ("31/08/2024",
    "31 Agustus 2024", "2024-08-31"); ``typed_input.read_date``. Raises CellError."""
    if isinstance(value, PercentCell):
        raise CellError(_("“%(value)s” is a percentage, not a date.") % {"value": value})
    return _read(lambda v: typed_input.read_date(v, language=active_notation(), excel_serial=True), value)


def cell_whole_number(value: Any, *, min_value: int, max_value: int) -> int:
    """A whole number within ``min_value``..``max_value`` (e.g. a year) from a number cell or text. Raises
    CellError."""
    if isinstance(value, PercentCell):
        raise CellError(_("“%(value)s” is a percentage, not a whole number.") % {"value": value})
    number = cell_decimal(value, places=0, min_value=min_value, max_value=max_value)
    return int(number)


def cell_region_code(value: Any) -> str:
    """A dotted Kemendagri region code from text or a number that Excel made of it (``read_region_code``: spaces
    removed, "1504" is "15.04"; a float that may have lost a digit refused). Raises CellError."""
    return str(_read(typed_input.read_region_code, value))
