"""The SKM result as an Excel workbook in the layout units publish ("pengolahan data SKM").

Sheet 1 (the IKM): the period's facts, then the element table with one column per element U1..U9 and one row each
for the total score (sum of the answers), NRR (total / n), the weight, the weighted NRR (NRR x weight), the
converted score (NRR x 25) and its grade; the last column holds the sum of the totals and of the weighted NRRs.
Below: the IKM (sum of the weighted NRRs x 25), its grade and performance, the weight variant and the rounding rule
(rules.md section 3). Sheet 2 (responses): one row per respondent with U1..U9 and a totals row.

Values are numbers, not formulas, computed exactly from integer totals and rounded once: NRR, weights and weighted
NRR to 4 decimals, converted scores and the IKM to 2 (ikm.ROUNDING_RULE). With the exact weight 1/9 the weight cell
shows 0.1111 while the weighted NRRs use 1/9 itself; the sheet says so. The cell positions are constants below.
"""

import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pantau.core.spreadsheets import clean_text, safe_append
from pantau.surveys import ikm

SHEET_IKM = "IKM"
SHEET_RESPONSES = "Responden"
TABLE_HEADER_ROW = 11
"""Row of the element codes (U1 in column B ... U9 in column J, the sum in column K)."""
ROW_TERM, ROW_TOTAL, ROW_NRR, ROW_WEIGHT, ROW_WEIGHTED, ROW_CONVERTED, ROW_GRADE = range(12, 19)
SUM_COLUMN = 2 + len(ikm.ELEMENT_CODES)
ROW_IKM, ROW_IKM_GRADE, ROW_VARIANT, ROW_ROUNDING, ROW_STORED = range(20, 25)
"""Value in column B."""

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDE7EE")


def weight_value(weight: ikm.Weight) -> tuple[int, int]:
    """The element weight as a ratio (numerator, denominator): 1/9 or 11/100."""
    return (1, len(ikm.ELEMENT_CODES)) if weight is ikm.Weight.EXACT else (11, 100)


def element_table(totals: Mapping[str, int], n: int, weight: ikm.Weight) -> dict[str, Any]:
    """The numbers of the element table: per element total, NRR, weight, weighted NRR, converted score, grade; and
    the sums, the IKM and its grade. Exact ratios rounded once (4 decimals for NRR and weights, 2 for scores)."""
    num, den = weight_value(weight)
    computation = ikm.compute_from_totals(dict(totals), n, weight)
    grand = sum(totals.values())
    return {
        "elements": [
            {"code": e.code, "total": e.total, "nrr": e.nrr, "weighted": ikm._round_ratio(num * e.total, den * n, 4),
             "converted": e.converted, "grade": e.grade.letter}
            for e in computation.elements
        ],
        "weight": ikm._round_ratio(num, den, 4),
        "grand_total": grand,
        "weighted_sum": ikm._round_ratio(num * grand, den * n, 4),
        "ikm": computation.ikm,
        "grade": computation.grade,
    }


def _label(ws: Any, row: int, text: str) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = _BOLD


def build_workbook(
    *, period: Any, totals: Mapping[str, int], n: int, weight: ikm.Weight, result: Any = None,
    responses: Iterable[tuple[str, Mapping[str, int]]] = (),
) -> bytes:
    """The workbook as XLSX bytes. ``result`` is the stored IkmResult the numbers reproduce (None: not stored yet);
    ``responses`` yields (questionnaire number, scores) for the second sheet."""
    table = element_table(totals, n, weight)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_IKM
    ws.cell(row=1, column=1, value=_("Community satisfaction index (IKM), PermenPANRB 14/2017")).font = Font(
        bold=True, size=13)
    facts = [
        (_("Unit"), period.unit.name),
        (_("Service"), period.service_name or "-"),
        (_("Period"), f"{date_format(period.start_date, 'SHORT_DATE_FORMAT')} – "
                      f"{date_format(period.end_date, 'SHORT_DATE_FORMAT')}"),
        (_("Responses"), n),
        (_("Service users (population)"), period.population if period.population else "-"),
        (_("Required sample (Krejcie & Morgan)"),
         ikm.required_sample(period.population) if period.population else "-"),
        (_("Sample adequate"), "-" if not period.population else (
            _("yes") if n >= ikm.required_sample(period.population) else _("no, too few responses"))),
        (_("Sample data"), _("yes: illustrative answers, not a real survey") if period.is_sample else _("no")),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        _label(ws, row, label)
        cell = ws.cell(row=row, column=2, value=clean_text(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # names typed by users never become formulas

    header = ws.cell(row=TABLE_HEADER_ROW, column=1, value=_("Element"))
    header.font, header.fill = _BOLD, _HEAD
    for offset, element in enumerate(table["elements"]):
        column = 2 + offset
        code_cell = ws.cell(row=TABLE_HEADER_ROW, column=column, value=element["code"])
        code_cell.font, code_cell.fill = _BOLD, _HEAD
        ws.cell(row=ROW_TERM, column=column, value=ikm.ELEMENT_TERMS[element["code"]]).alignment = Alignment(
            wrap_text=True, vertical="top")
        ws.cell(row=ROW_TOTAL, column=column, value=element["total"])
        ws.cell(row=ROW_NRR, column=column, value=element["nrr"]).number_format = "0.0000"
        ws.cell(row=ROW_WEIGHT, column=column, value=table["weight"]).number_format = "0.0000"
        ws.cell(row=ROW_WEIGHTED, column=column, value=element["weighted"]).number_format = "0.0000"
        ws.cell(row=ROW_CONVERTED, column=column, value=element["converted"]).number_format = "0.00"
        ws.cell(row=ROW_GRADE, column=column, value=element["grade"])
        ws.column_dimensions[get_column_letter(column)].width = 13
    total_head = ws.cell(row=TABLE_HEADER_ROW, column=SUM_COLUMN, value=_("Sum"))
    total_head.font, total_head.fill = _BOLD, _HEAD
    ws.cell(row=ROW_TOTAL, column=SUM_COLUMN, value=table["grand_total"]).font = _BOLD
    weighted_sum = ws.cell(row=ROW_WEIGHTED, column=SUM_COLUMN, value=table["weighted_sum"])
    weighted_sum.font, weighted_sum.number_format = _BOLD, "0.0000"
    for row, label in (
        (ROW_TERM, _("Element (regulation's term)")), (ROW_TOTAL, _("Total score")),
        (ROW_NRR, _("NRR (total / responses)")), (ROW_WEIGHT, _("Weight")),
        (ROW_WEIGHTED, _("Weighted NRR (NRR x weight)")), (ROW_CONVERTED, _("Converted score (NRR x 25)")),
        (ROW_GRADE, _("Grade")),
    ):
        _label(ws, row, label)
    ws.row_dimensions[ROW_TERM].height = 45

    grade: ikm.Grade = table["grade"]
    variant = (_("exact 1/9 (the weight cells show 0.1111; the weighted NRR uses 1/9 itself)")
               if weight is ikm.Weight.EXACT else _("printed 0.11 (the IKM is 0.99 times the exact one)"))
    if result is None:
        stored = _("not stored: computed from the responses when the file was made")
    elif result.n_responses != n:
        stored = _("WARNING: the stored result counted %(stored)d responses, the period now has %(now)d; compute "
                   "again") % {"stored": result.n_responses, "now": n}
    else:
        at = timezone.localtime(result.computed_at).strftime("%Y-%m-%d %H:%M")
        stored = _("stored result of %(at)s") % {"at": at}
    for row, label, value in (
        (ROW_IKM, _("IKM (sum of weighted NRR x 25)"), table["ikm"]),
        (ROW_IKM_GRADE, _("Grade"), f"{grade.letter} ({grade.performance})"),
        (ROW_VARIANT, _("Element weight"), variant),
        (ROW_ROUNDING, _("Rounding"), ikm.ROUNDING_RULE),
        (ROW_STORED, _("Result"), stored),
    ):
        _label(ws, row, label)
        cell = ws.cell(row=row, column=2, value=clean_text(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # names typed by users never become formulas
    ws.cell(row=ROW_IKM, column=2).number_format = "0.00"
    ws.cell(row=ROW_IKM, column=2).font = _BOLD
    ws.column_dimensions["A"].width = 34

    sheet = wb.create_sheet(SHEET_RESPONSES)
    safe_append(sheet, [_("No."), _("Questionnaire number"), *ikm.ELEMENT_CODES])
    for cell in sheet[1]:
        cell.font, cell.fill = _BOLD, _HEAD
    count = 0
    for count, (ref, scores) in enumerate(responses, start=1):
        safe_append(sheet, [count, ref, *[scores[code] for code in ikm.ELEMENT_CODES]])
    safe_append(sheet, [_("Total"), count, *[totals[code] for code in ikm.ELEMENT_CODES]])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    sheet.freeze_panes = "C2"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

