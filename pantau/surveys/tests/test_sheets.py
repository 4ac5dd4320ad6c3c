"""Survey response files are read by the one file reader (core.spreadsheets): a hidden sheet is never read (the
issue's file computed IKM 100 A from a very hidden sheet of perfect answers), the result names the sheet and the rows
read, headers may be Indonesian, and a formula without a computed value is refused naming the cell."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from pantau.surveys import actions as services
from pantau.surveys.files import read_responses
from pantau.surveys.models import Response
from pantau.surveys.tests.helpers import HEADER, t1_rows

PERFECT = [[100 + i, *[4] * 9] for i in range(10)]
"""Ten respondents answering 4 everywhere: IKM 100, grade A, were they read."""


def workbook(*sheets):
    """(title, header, rows, state) per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, header, rows, state in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_very_hidden_sheet_of_perfect_answers_is_never_read(world):
    period = services.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2023, 1, 1),
                                    end_date=dt.date(2023, 6, 30))
    data = workbook(("Sheet1", HEADER, PERFECT, "veryHidden"), ("Sheet2", HEADER, t1_rows(), "visible"))

    with translation.override("en"):
        result = services.import_responses(actor=world.coordinator, period=period, data=data, file_name="skm.xlsx")

    assert result.errors == []
    assert result.read == "Sheet “Sheet2”, rows 2 to 11 (10 rows read)."
    # the ten T1 rows were imported (respondents 1..10), not the hidden perfect ones (100..109)
    assert sorted(int(r) for r in Response.objects.values_list("respondent_ref", flat=True)) == list(range(1, 11))


def test_a_hidden_sheet_named_for_the_responses_is_refused_naming_it():
    data = workbook(("Jawaban", HEADER, PERFECT, "hidden"), ("Catatan", ["x"], [], "visible"))

    with translation.override("en"):
        result = read_responses(data, "skm.xlsx")

    assert [str(e) for e in result.errors] == [
        "The sheet “Jawaban” is hidden: Pantau never reads hidden sheets. Unhide it in Excel (right-click a sheet "
        "tab, Unhide) and upload the file again."]


def test_indonesian_headers_are_read():
    header = ["Responden", *[f"u{i}" for i in range(1, 10)], "Umur", "Jenis Kelamin"]
    data = workbook(("Jawaban", header, [[1, *[3] * 9, "35", "P"]], "visible"))

    result = read_responses(data, "skm.xlsx")

    assert result.errors == []
    [response] = result.responses
    assert response.scores == {f"U{i}": 3 for i in range(1, 10)}
    assert (response.profile["respondent_ref"], response.profile["age"], response.profile["sex"]) == ("1", 35, "P")


def test_a_formula_without_a_computed_value_is_refused_naming_the_cell():
    data = workbook(("Jawaban", HEADER, [[1, 3, 3, "=1+2", 3, 3, 3, 3, 3, 3]], "visible"))

    with translation.override("en"):
        result = read_responses(data, "skm.xlsx")

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "U3", "Cell D2 holds a formula without a computed value (the file was saved by a program that does not "
                  "compute formulas): open the file in Excel and save it again, or type the value.")]


@pytest.mark.parametrize("name", ["skm.csv", "skm"])
def test_a_csv_export_with_semicolons_is_read(name):
    data = ("respondent;" + ";".join(f"U{i}" for i in range(1, 10)) + "\n1;" + ";".join(["4"] * 9) + "\n").encode()

    result = read_responses(data, name)

    assert result.errors == [] and result.responses[0].scores["U9"] == 4
