"""Safe reading and writing of spreadsheets (openpyxl) shared by every import and export.

Writing: text never becomes a formula (CSV/formula injection) and loses the control characters XML cannot hold.
Reading: a sheet can declare a million rows and 16,384 columns in a few kilobytes, so readers take at most
``max_cols`` columns and stop after ``max_rows`` rows or ``MAX_BLANK_RUN`` blank rows in a row.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

MAX_BLANK_RUN = 1000
"""Consecutive blank rows after which a reader assumes the data has ended."""


def clean_text(value: Any) -> Any:
    """``value`` with XML-illegal control characters removed when it is text; other values unchanged."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def safe_append(ws: Worksheet, values: list[Any]) -> None:
    """Append a row; text loses characters XML cannot hold and a leading "=" stays text, never a formula."""
    ws.append([clean_text(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


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
    import io
    import zipfile

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


def read_sheet_rows(
    data: bytes, *, sheet: str, max_data_rows: int, max_cols: int
) -> list[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of row 1 and of every non-blank row of ``sheet`` (else the first sheet), values cleaned
    of XML-illegal characters, stopping after one row more than ``max_data_rows`` (the caller reports "too many").

    Raises CellError (translated) when the file is not a workbook, inflates past MAX_UNZIPPED_BYTES, or is damaged.
    """
    try:
        wb = open_workbook(data)
    except WorkbookTooLarge:
        raise CellError(_("The Excel file is too large once unpacked; split it into smaller files.")) from None
    except Exception:  # openpyxl raises many types (BadZipFile, KeyError, InvalidFileException...) on non-xlsx
        raise CellError(
            _("The file is not an Excel workbook (.xlsx). Save it as an Excel workbook and upload it again.")
        ) from None
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in bounded_rows(ws, max_rows=max_data_rows + MAX_BLANK_RUN + 1, max_cols=max_cols):
            if number == 1 or any(v is not None and str(v).strip() for v in values):
                rows.append((number, tuple(clean_text(v) for v in values)))
                if len(rows) > max_data_rows + 1:
                    break
        return rows
    except Exception:  # a damaged sheet inside a valid zip
        raise CellError(_("The Excel file is damaged and cannot be read.")) from None
    finally:
        wb.close()


def read_header(
    header: tuple[Any, ...], *, allowed: Iterable[str], required: Iterable[str], errors: list[RowError]
) -> dict[str, int]:
    """Map column key -> index from row 1 (keys compared case-insensitively, blank headers ignored); appends to
    ``errors`` one row-1 error per unknown, repeated or missing (``required``) column."""
    allowed = set(allowed)
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = " ".join(str(raw).split()).casefold() if raw is not None else ""
        if not key:
            continue
        if key not in allowed:
            errors.append(RowError(1, key[:40], _("Unknown column %(column)s.") % {"column": shown(key)}))
        elif key in positions:
            errors.append(RowError(1, key, _("Column %(column)s appears more than once.") % {"column": key}))
        else:
            positions[key] = index
    for key in required:
        if key not in positions:
            errors.append(RowError(1, key, _("Column %(column)s is missing.") % {"column": key}))
    return positions
