"""Safe reading and writing of spreadsheets (openpyxl) shared by every import and export.

Writing: text never becomes a formula (CSV/formula injection) and loses the control characters XML cannot hold.
Reading: a sheet can declare a million rows and 16,384 columns in a few kilobytes, so readers take at most
``max_cols`` columns and stop after ``max_rows`` rows or ``MAX_BLANK_RUN`` blank rows in a row.
"""

from collections.abc import Iterator
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
