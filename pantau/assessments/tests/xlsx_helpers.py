"""Building small score workbooks for the import tests."""

import io

from openpyxl import Workbook

HEADER = ["unit", "dimension", "indicator_code", "indicator_name", "score"]


def workbook(rows, header=HEADER, sheet="Scores"):
    """XLSX bytes with ``header`` in row 1 and ``rows`` below."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if header is not None:
        ws.append(header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def t7_rows(unit="Dukcapil"):
    """domain/rules.md 2.6 / T7: Input 85, Proses 95, Output 80, Pengaduan 70 -> 83.79, B, hijau."""
    return [(unit, "input", None, None, 85), (unit, "proses", None, None, 95), (unit, "output", None, None, 80),
            (unit, "pengaduan", None, None, 70)]
