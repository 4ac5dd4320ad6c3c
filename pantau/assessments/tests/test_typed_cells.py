"""Assessment scores and compliance results are read by the one file reader with Indonesian conventions: scores
"85,5" or a cell formatted as a percentage, Indonesian headers, hidden sheets never read; region codes normalised and
checked against the region's name (a code whose region has another name is refused naming both); the round form
reads "85,5" and "15 Mei 2023"."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from pantau.assessments.actions import import_results, import_scores
from pantau.assessments.models import AssessmentRound, ComplianceResult, DimensionScore, MethodEdition, RoundKind
from pantau.conftest import make_region
from pantau.regions.models import Region

ON = dt.date(2023, 5, 15)


def edition():
    return MethodEdition.objects.get(code="ombudsman-2022")


def scores_workbook(rows, *, header=("Unit", "Dimensi", "Kode Indikator", "Nama Indikator", "Nilai"), title="Nilai",
                    state="visible", formats=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for coordinate, number_format in (formats or {}).items():
        ws[coordinate].number_format = number_format
    if state != "visible":
        wb.create_sheet("Petunjuk")
        ws.sheet_state = state
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_scores_with_a_decimal_comma_and_percentage_cells_are_read_as_meant(world):
    # T7 (rules.md 2.6) with Proses typed "95,0" and Output a cell 0.8 shown as 80 %: 83.79, B, hijau
    rows = [("Dukcapil", "input", None, None, 85), ("Dukcapil", "proses", None, None, "95,0"),
            ("Dukcapil", "output", None, None, 0.8), ("Dukcapil", "pengaduan", None, None, "70")]
    data = scores_workbook(rows, formats={"E4": "0%"})

    with translation.override("id"):
        result = import_scores(actor=world.coordinator, edition=edition(), kind=RoundKind.SELF_ASSESSMENT,
                               assessed_on=ON, file=data, file_name="nilai.xlsx")

    assert result.errors == []
    assert result.source == "Lembar “Nilai”, baris 2 sampai 5 (4 baris dibaca)."
    [stored] = AssessmentRound.objects.all()
    assert dict(DimensionScore.objects.values_list("dimension__code", "score")) == {
        "input": D("85.00"), "proses": D("95.00"), "output": D("80.00"), "pengaduan": D("70.00")}
    assert (stored.total, stored.computed_band, stored.computed_zone) == (D("83.79"), "B", "hijau")


def test_a_hidden_scores_sheet_is_refused(world):
    data = scores_workbook([("Dukcapil", "input", None, None, 85)], state="veryHidden")

    with translation.override("en"):
        result = import_scores(actor=world.coordinator, edition=edition(), kind=RoundKind.SELF_ASSESSMENT,
                               assessed_on=ON, file=data, file_name="nilai.xlsx")

    assert [e.message for e in result.errors] == [
        "The sheet “Nilai” is hidden: Pantau never reads hidden sheets. Unhide it in Excel (right-click a sheet tab, "
        "Unhide) and upload the file again."]
    assert AssessmentRound.objects.count() == 0


def test_the_round_form_reads_a_decimal_comma_and_a_date_with_the_month_name(world):
    client = Client()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "id"
    data = {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "15 Mei 2023",
            "score_input": "85", "score_proses": "95,0", "score_output": "80", "score_pengaduan": "70",
            "pass_mark": "77,5"}

    response = client.post(f"/units/{world.dukcapil.pk}/assessment-rounds/new/", data)

    assert response.status_code == 302
    stored = AssessmentRound.objects.get()
    assert (stored.assessed_on, stored.total, stored.pass_mark) == (ON, D("83.79"), D("77.50"))


def test_the_round_form_refuses_a_score_with_three_decimals(world):
    client = Client()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "id"
    data = {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "15/05/2023",
            "score_input": "85,125", "score_proses": "95", "score_output": "80", "score_pengaduan": "70"}

    response = client.post(f"/units/{world.dukcapil.pk}/assessment-rounds/new/", data)

    assert response.context["form"].errors["score_input"] == ["“85,125” memiliki lebih dari 2 angka desimal."]
    assert AssessmentRound.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# Compliance results: region codes normalised and checked against names

HEADER = "year,entity,entity_code,score,zone,category,opinion,assessment,source_url,note\n"


@pytest.fixture
def jambi(world):
    for code, name in [("15.71", "Kota Jambi")]:
        make_region(code, name)
    assert Region.objects.filter(code__in=["15", "15.04", "15.05", "15.71"]).count() == 4


def run(text):
    with translation.override("en"):
        return import_results(actor=None, text=text, file_name="hasil.csv")


@pytest.mark.parametrize(("entity", "code"), [
    ("Kabupaten Batanghari", "15.04"), ("Kab. Batang Hari", " 15.04 "), ("Pemkab Batanghari", "1504"),
    ("Batanghari", "15.04"), ("Provinsi Jambi", "15"), ("Kota Jambi", "15.71"),
])
def test_codes_are_normalised_and_names_matched_with_variants_folded(jambi, entity, code):
    report = run(HEADER + f'2022,{entity},"{code}",92.03,hijau,A,,x,,\n')

    assert report.errors == []
    assert [row.entity_code for row in report.rows] == [code.strip().replace("1504", "15.04")]


def test_a_code_whose_region_has_another_name_is_refused_naming_both(jambi):
    # a row for a re-coded region after a split: Muaro Jambi published under Batanghari's code
    report = run(HEADER + "2022,Kabupaten Muaro Jambi,15.04,73.88,kuning,C,,x,,\n"
                          "2022,Kota Jambi,15,70,kuning,,,x,,\n")

    assert [str(e) for e in report.errors] == [
        "Row 2, column entity_code: the code 15.04 is Kabupaten Batanghari, not “Kabupaten Muaro Jambi”: check the "
        "code and the name (after a split, pemekaran, a region may have a new code)",
        "Row 3, column entity_code: the code 15 is Jambi, not “Kota Jambi”: check the code and the name (after a "
        "split, pemekaran, a region may have a new code)",
    ]
    assert ComplianceResult.objects.count() == 0


def test_a_code_excel_turned_into_a_number_that_may_have_lost_a_digit_is_refused(jambi):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hasil Kepatuhan"
    ws.append(HEADER.strip().split(","))
    ws.append([2022, "Kabupaten Batanghari", 15.04, 92.03, "hijau", "A", None, "x", None, None])
    ws.append([2022, "Kota Jambi", 15.7, 80, "kuning", None, None, "x", None, None])  # 15.70 lost its zero
    buffer = io.BytesIO()
    wb.save(buffer)

    with translation.override("en"):
        report = import_results(actor=None, data=buffer.getvalue(), file_name="hasil.xlsx")

    assert [str(e) for e in report.errors] == [
        "Row 3, column entity_code: “15.7” was stored as a number and may have lost a digit (15.1 could be 15.10): "
        "store region codes as text."]


def test_a_score_with_a_decimal_comma_is_read_in_an_indonesian_file(jambi):
    with translation.override("id"):
        report = import_results(actor=None, data=(
            b"Tahun;Entitas;Kode Wilayah;Nilai;Zona;Kategori;Opini;Penilaian;Sumber;Catatan\n"
            b"2022;Kabupaten Batanghari;15.04;92,03;hijau;A;;x;;\n"), file_name="hasil.csv")

    assert report.errors == []
    assert ComplianceResult.objects.get().score == D("92.03")
