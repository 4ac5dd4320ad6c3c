"""Building response files for the survey tests."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "skm"
"""Real SKM responses shipped with Pantau (data/skm/README.md)."""

T1_TOTALS = (35, 33, 30, 38, 34, 36, 37, 31, 32)
"""rules.md T1: element totals of 10 respondents."""

HEADER = ["respondent", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]


def t1_rows() -> list[list[object]]:
    """Ten rows whose column totals are T1's: element j has (total_j - 30) answers 4 and the rest 3.

    Hand check: U1 = 5 x 4 + 5 x 3 = 35; U3 = 10 x 3 = 30; U4 = 8 x 4 + 2 x 3 = 38; U8 = 1 x 4 + 9 x 3 = 31.
    """
    return [
        [i + 1, *[4 if i < total - 30 else 3 for total in T1_TOTALS]]
        for i in range(10)
    ]


def csv_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """A CSV file with ``header`` (default: respondent, U1..U9) and ``rows``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER if header is None else header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """An XLSX workbook with ``header`` and ``rows`` on its first sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER if header is None else header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
