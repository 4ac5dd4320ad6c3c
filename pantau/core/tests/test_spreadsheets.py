"""The one reader of imported files (core.spreadsheets.read_table) and its cell readers: the sheet is found by name
and a hidden sheet is never read, headers may be Indonesian labels or English keys, merged and multi-row headers are
refused with the reason, formulas are read by their cached value (and refused without one, naming the cell),
percentage cells are percentages, and cells are read with Indonesian conventions. Expected values are written by
hand from the cells built here."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from pantau.core.spreadsheets import (
    CellError,
    Column,
    PercentCell,
    RowError,
    cell_date,
    cell_decimal,
    cell_money,
    cell_percent,
    cell_region_code,
    cell_whole_number,
    header_key,
    read_table,
    without_repeats,
)

COLUMNS = (
    Column("code", "Kode", "Code", required=True),
    Column("budget_planned", "Rencana Anggaran (Rp)", "Planned budget (IDR)", required=True),
    Column("start_date", "Tanggal Mulai", "Start date"),
)
SHEETS = ("Rencana Aksi", "Actions")


def xlsx(*sheets, merges=(), formats=None):
    """XLSX bytes: each sheet is (title, rows, state); ``merges`` are merged ranges of the first sheet; ``formats``
    maps a coordinate of the first sheet to a number format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        ws.sheet_state = state
    first = wb.worksheets[0]
    for cells in merges:
        first.merge_cells(cells)
    for coordinate, number_format in (formats or {}).items():
        first[coordinate].number_format = number_format
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rewritten(data, name, edit):
    """``data`` with the zip member ``name`` (XML text) replaced by ``edit(text)``."""
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = old.read(item.filename)
            new.writestr(item, edit(content.decode()).encode() if item.filename == name else content)
    return target.getvalue()


def with_cached_value(data, coordinate, value, sheet=1):
    """``data`` with the formula of ``coordinate`` given a cached (computed) value, as Excel saves it."""
    def edit(text):
        text, count = re.subn(rf'(<c r="{coordinate}"[^>]*>)(<f>[^<]*</f>)<v ?/>', rf"\g<1>\g<2><v>{value}</v>", text)
        assert count == 1
        return text
    return rewritten(data, f"xl/worksheets/sheet{sheet}.xml", edit)


def read(data, **options):
    return read_table(data, columns=COLUMNS, sheet_names=SHEETS, max_data_rows=100, **options)


def messages(table):
    return [(e.row, e.column, e.message) for e in table.errors]


HEADER_ID = ["Kode", "Rencana Anggaran (Rp)", "Tanggal Mulai"]


# ---------------------------------------------------------------------------------------------------------------
# Choosing the sheet


def test_the_sheet_is_found_by_its_indonesian_name_and_the_result_names_it():
    data = xlsx(("Petunjuk", [["read me"]], "visible"),
                ("Rencana Aksi", [HEADER_ID, ["1", 450000, None], ["2", 0, None]], "visible"))

    table = read(data)

    assert table.errors == []
    assert table.sheet == "Rencana Aksi"
    assert [(row.number, row.cells["code"], row.cells["budget_planned"]) for row in table.rows] == [
        (2, "1", 450000), (3, "2", 0)]
    with translation.override("en"):
        assert table.describe() == "Sheet “Rencana Aksi”, rows 2 to 3 (2 rows read)."
    with translation.override("id"):
        assert table.describe() == "Lembar “Rencana Aksi”, baris 2 sampai 3 (2 baris dibaca)."


def test_the_english_name_and_any_case_or_spacing_find_the_sheet():
    assert read(xlsx(("Notes", [["x"]], "visible"), ("Actions", [HEADER_ID, ["1", 1, None]], "visible"))).sheet \
        == "Actions"
    assert read(xlsx(("Notes", [["x"]], "visible"), ("rencana  AKSI", [HEADER_ID, ["1", 1, None]], "visible"))).sheet \
        == "rencana  AKSI"


def test_a_hidden_sheet_with_the_expected_name_is_refused_naming_it():
    data = xlsx(("Petunjuk", [["read me"]], "visible"),
                ("Rencana Aksi", [HEADER_ID, ["1", 450000, None]], "hidden"))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(None, "", "The sheet “Rencana Aksi” is hidden: Pantau never reads hidden sheets. "
                                          "Unhide it in Excel (right-click a sheet tab, Unhide) and upload the file "
                                          "again.")]
    assert table.rows == []


def test_a_very_hidden_sheet_is_never_read_even_when_it_is_the_first_sheet():
    # the survey file of the issue: a very hidden first sheet of perfect answers, the real answers visible after it
    data = xlsx(("Sheet1", [HEADER_ID, ["fake", 1, None]], "veryHidden"),
                ("Sheet2", [HEADER_ID, ["real", 2, None]], "visible"))

    table = read(data)

    assert table.errors == [] and table.sheet == "Sheet2"
    assert [row.cells["code"] for row in table.rows] == ["real"]


def test_a_workbook_whose_only_sheets_are_hidden_is_refused_naming_them():
    data = xlsx(("Sheet1", [HEADER_ID, ["fake", 1, None]], "veryHidden"), ("Sheet2", [["x"]], "visible"))
    # openpyxl (like Excel) refuses to save a workbook without a visible sheet: the file is edited by hand
    data = rewritten(data, "xl/workbook.xml", lambda text: text.replace('state="visible"', 'state="hidden"'))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(None, "", "The workbook has no visible sheet: Pantau never reads hidden sheets "
                                          "(“Sheet1”, “Sheet2”). Unhide the sheet to import and upload the file "
                                          "again.")]


def test_several_visible_sheets_none_with_the_expected_name_are_refused_naming_them():
    data = xlsx(("Data", [HEADER_ID], "visible"), ("More", [HEADER_ID], "visible"))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(None, "", "The workbook has no sheet named “Rencana Aksi” / “Actions” and several "
                                          "visible sheets (“Data”, “More”): rename the sheet to import to "
                                          "“Rencana Aksi” / “Actions”.")]


# ---------------------------------------------------------------------------------------------------------------
# The header


@pytest.mark.parametrize("header", [
    HEADER_ID,
    ["code", "budget_planned", "start_date"],
    ["CODE", "Budget_Planned", " start  date "],
    ["kode", "rencana  anggaran (rp)", "TANGGAL_MULAI*"],
    ["Code", "Planned budget (IDR)", "Start date"],
])
def test_headers_may_be_indonesian_labels_or_english_keys_in_any_case_and_spacing(header):
    table = read(xlsx(("Rencana Aksi", [header, ["1", 2, None]], "visible")))

    assert table.errors == []
    assert table.positions == {"code": 0, "budget_planned": 1, "start_date": 2}


def test_header_key_folds_case_underscores_spacing_and_the_required_mark():
    assert header_key("Tanggal\u00a0 Mulai*") == header_key("tanggal_mulai") == "tanggal mulai"


def test_a_merged_header_is_refused_with_the_reason_and_a_pointer_to_the_template():
    rows = [["Kode", "Anggaran", None], ["", "Rencana Anggaran (Rp)", "Tanggal Mulai"], ["1", 5, None]]
    data = xlsx(("Rencana Aksi", rows, "visible"), merges=["B1:C1"])

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(1, "", "The header row has merged cells (B1:C1): keep one column name per cell in row "
                                       "1 only, as in the template (download it from the import page).")]


def test_a_two_row_header_is_refused_with_that_reason_first():
    rows = [["Rencana Aksi 2024", None, None], ["Kode", "Rencana Anggaran (Rp)", "Tanggal Mulai"], ["1", 5, None]]

    with translation.override("en"):
        table = read(xlsx(("Rencana Aksi", rows, "visible")))

    assert table.errors[0] == RowError(1, "", "The header spans more than one row: row 2 also holds column names. "
                                              "Keep one header row (row 1), one column name per cell, as in the "
                                              "template (download it from the import page).")
    assert [e.column for e in table.errors[1:]] == ["Rencana Aksi 2024", "code", "budget_planned"]


def test_unknown_and_missing_columns_are_named_and_ignored_columns_skipped():
    data = xlsx(("Rencana Aksi", [["Kode", "Anggaran", "Status"], ["1", 5, "x"]], "visible"))

    with translation.override("en"):
        table = read(data, ignored=["status"])

    assert messages(table) == [
        (1, "Anggaran", "Unknown column “Anggaran”: use the column names of the template."),
        (1, "budget_planned", "Column “Rencana Anggaran (Rp)” (budget_planned) is missing."),
    ]


def test_a_value_under_a_column_without_a_name_is_refused_naming_the_cell():
    data = xlsx(("Rencana Aksi", [["Kode", "Rencana Anggaran (Rp)", None], ["1", 5, "stray"]], "visible"))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(2, "", "Cell C2 has a value, but its column has no name in row 1.")]


# ---------------------------------------------------------------------------------------------------------------
# Cells: formulas, errors, percentages


def test_a_formula_is_read_by_its_cached_value():
    data = xlsx(("Rencana Aksi", [HEADER_ID, ["1", "=300000+150000", None]], "visible"))

    table = read(with_cached_value(data, "B2", 450000))

    assert table.errors == []
    assert table.rows[0].cells["budget_planned"] == 450000


def test_a_formula_without_a_cached_value_is_refused_naming_the_cell_not_read_as_zero():
    data = xlsx(("Rencana Aksi", [HEADER_ID, ["1", "=300000+150000", None], ["2", 7, None]], "visible"))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(2, "budget_planned", "Cell B2 holds a formula without a computed value (the file was "
                                                     "saved by a program that does not compute formulas): open the "
                                                     "file in Excel and save it again, or type the value.")]
    assert table.rows[0].bad == {"budget_planned"} and table.rows[0].cells["budget_planned"] is None


def test_an_error_value_is_refused_naming_the_cell():
    data = xlsx(("Rencana Aksi", [HEADER_ID, ["1", "#DIV/0!", None]], "visible"))

    with translation.override("en"):
        table = read(data)

    assert messages(table) == [(2, "budget_planned", "Cell B2 shows the error #DIV/0!: correct the formula or type "
                                                     "the value.")]


def test_a_cell_formatted_as_a_percentage_is_kept_as_a_percentage():
    data = xlsx(("Rencana Aksi", [HEADER_ID, ["1", 0.755, None]], "visible"), formats={"B2": "0.0%"})

    [row] = read(data).rows

    assert row.cells["budget_planned"] == PercentCell(0.755, "0.0%")
    assert str(row.cells["budget_planned"]) == "75.5%"
    assert cell_percent(row.cells["budget_planned"]) == Decimal("75.50")
    assert cell_decimal(row.cells["budget_planned"]) == Decimal("75.50")  # 75.5 %, not 0.755


def test_an_excel_date_cell_and_a_serial_number_are_dates():
    data = xlsx(("Rencana Aksi", [HEADER_ID, ["1", 1, dt.date(2024, 8, 31)], ["2", 1, 45535]], "visible"))

    dates = [cell_date(row.cells["start_date"]) for row in read(data).rows]

    assert dates == [dt.date(2024, 8, 31), dt.date(2024, 8, 31)]  # serial 45535 = 31 August 2024


# ---------------------------------------------------------------------------------------------------------------
# CSV


def test_a_csv_file_with_semicolons_is_read_when_allowed():
    data = b"Kode;Rencana Anggaran (Rp);Tanggal Mulai\n1;Rp 450.000;31 Agustus 2024\n"

    table = read(data, allow_csv=True, file_name="rencana.csv")

    assert table.errors == [] and table.sheet == ""
    with translation.override("id"):
        assert cell_money(table.rows[0].cells["budget_planned"]) == 450000
        assert cell_date(table.rows[0].cells["start_date"]) == dt.date(2024, 8, 31)
        assert table.describe() == "Baris 2 sampai 2 (1 baris dibaca)."


def test_a_file_of_another_type_is_refused():
    with translation.override("en"):
        table = read(b"%PDF-1.4", allow_csv=True, file_name="scan.pdf")
    assert messages(table) == [(None, "", "Upload an Excel workbook (.xlsx) or a CSV file (.csv).")]


# ---------------------------------------------------------------------------------------------------------------
# Cell readers in Indonesian notation (the default language)


@pytest.mark.parametrize(("cell", "amount"), [
    ("Rp 450.000", 450_000), ("450.000", 450_000), ("Rp. 1.500.000,-", 1_500_000), ("1.500.000,00", 1_500_000),
    ("1 500 000", 1_500_000), (450000, 450_000), (450000.0, 450_000), ("  Rp450.000 ", 450_000),
])
def test_money_cells_in_indonesian(cell, amount):
    with translation.override("id"):
        assert cell_money(cell) == amount


@pytest.mark.parametrize(("cell", "message"), [
    ("1,500,000", "“1,500,000” tidak ditulis dengan cara Indonesia, yang memakai koma sebagai tanda desimal dan "
                  "titik sebagai pemisah ribuan: maksud Anda 1.500.000?"),
    ("450.000,50", "“450.000,50” bukan jumlah rupiah yang bulat: jumlah uang ditulis dalam rupiah utuh, tanpa sen."),
    (1500.5, "“1500.5” bukan jumlah rupiah yang bulat: jumlah uang ditulis dalam rupiah utuh, tanpa sen."),
    (PercentCell(0.5, "0%"), "“50%” adalah persentase, bukan jumlah uang."),
])
def test_money_cells_refused_in_indonesian(cell, message):
    with translation.override("id"), pytest.raises(CellError) as caught:
        cell_money(cell)
    assert str(caught.value) == message


@pytest.mark.parametrize(("cell", "number"), [
    ("70,5", Decimal("70.50")), ("70.5", Decimal("70.50")), ("1.234,5", Decimal("1234.50")), (70.5, Decimal("70.50")),
    (PercentCell(0.75, "0%"), Decimal("75.00")),
])
def test_decimal_cells_in_indonesian(cell, number):
    with translation.override("id"):
        assert cell_decimal(cell) == number


@pytest.mark.parametrize(("cell", "date"), [
    ("31 Agustus 2024", dt.date(2024, 8, 31)), ("31/08/2024", dt.date(2024, 8, 31)),
    ("31-08-2024", dt.date(2024, 8, 31)), ("31 Agt 2024", dt.date(2024, 8, 31)), ("2024-08-31", dt.date(2024, 8, 31)),
    (45535, dt.date(2024, 8, 31)), (dt.datetime(2024, 8, 31, 0, 0), dt.date(2024, 8, 31)),
])
def test_date_cells(cell, date):
    with translation.override("id"):
        assert cell_date(cell) == date


def test_a_month_first_date_cell_is_refused_with_a_suggestion():
    with translation.override("id"), pytest.raises(CellError) as caught:
        cell_date("08/31/2024")
    assert str(caught.value) == ("“08/31/2024” bukan tanggal: tanggal ditulis dengan hari lebih dahulu (DD/MM/YYYY); "
                                 "maksud Anda 31 Agustus 2024?")


@pytest.mark.parametrize(("cell", "code"), [
    (" 15.04 ", "15.04"), ("1504", "15.04"), (1504, "15.04"), (15.04, "15.04"), ("15 . 04", "15.04"),
])
def test_region_code_cells_are_normalised(cell, code):
    assert cell_region_code(cell) == code


def test_a_whole_number_cell_is_bounded():
    assert cell_whole_number("2021", min_value=2000, max_value=2100) == 2021
    with pytest.raises(CellError):
        cell_whole_number(1999, min_value=2000, max_value=2100)


def test_later_errors_of_a_cell_already_refused_by_the_reader_are_dropped():
    errors = [RowError(2, "budget", "formula"), RowError(2, "budget", "required"), RowError(2, "code", "x"),
              RowError(None, "", "file"), RowError(None, "", "file")]
    assert without_repeats(errors) == [RowError(2, "budget", "formula"), RowError(2, "code", "x"),
                                       RowError(None, "", "file"), RowError(None, "", "file")]


def test_a_hidden_row_with_data_is_refused_naming_the_row():
    """Found by the adversarial trial: a row hidden in Excel was imported without a word (hidden sheets were
    already refused)."""
    import io

    from openpyxl import Workbook

    from pantau.core.spreadsheets import Column, read_table

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["kode", "nama"])
    ws.append(["A1", "tampak"])
    ws.append(["HIDROW", "tersembunyi"])
    ws.row_dimensions[3].hidden = True
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), columns=[Column("kode", "Kode", required=True), Column("nama", "Nama")],
                       max_data_rows=10)
    assert [(e.row, e.column) for e in table.errors] == [(3, "")]
    assert "Row 3 is hidden" in table.errors[0].message
