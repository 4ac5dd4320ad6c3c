"""The Excel import of assessment scores: one round per unit, all or nothing, every bad row reported with its row
number, column and reason; the template; the upload page; the management command."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from pantau.assessments.actions import import_scores
from pantau.assessments.models import AssessmentRound, IndicatorScore, MethodEdition, RoundKind
from pantau.assessments.tests.xlsx_helpers import HEADER, t7_rows, workbook
from pantau.assessments.xlsx import TEMPLATE_COLUMNS
from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.findings.models import Finding

ON = dt.date(2023, 5, 15)


def edition():
    return MethodEdition.objects.get(code="ombudsman-2022")


def run(world, data, actor=None, kind=RoundKind.SELF_ASSESSMENT):
    return import_scores(actor=actor or world.coordinator, edition=edition(), kind=kind, assessed_on=ON, file=data,
                         file_name="scores.xlsx")


def counts():
    return AssessmentRound.objects.count(), IndicatorScore.objects.count(), Finding.objects.count(), \
        AuditEntry.objects.count()


def test_a_valid_file_records_one_round_per_unit_with_the_exact_totals(world):
    rows = t7_rows("Dukcapil") + [
        # rules.md 2.6: 90 / 92 / 88 / 85 -> 89.09 -> A
        ("Dinas Penanaman Modal dan PTSP", "input", None, None, 90),
        (str(world.dpmptsp.pk), "PROSES", None, None, "92"),
        ("dpmptsp", "output", None, None, "88,00"),
        ("DPMPTSP", "pengaduan", None, None, 85),
        ("DPMPTSP", "pengaduan", "kanal", "Kanal pengaduan", 80.5),
    ]
    result = run(world, workbook(rows))
    assert result.ok, result.errors
    by_unit = {r.unit: r for r in AssessmentRound.objects.all()}
    assert (by_unit[world.dukcapil].total, by_unit[world.dukcapil].computed_band,
            by_unit[world.dukcapil].computed_zone) == (D("83.79"), "B", "hijau")
    assert (by_unit[world.dpmptsp].total, by_unit[world.dpmptsp].computed_band,
            by_unit[world.dpmptsp].computed_zone) == (D("89.09"), "A", "hijau")
    assert {r.kind for r in by_unit.values()} == {"self_assessment"}
    assert [(s.code, s.name, s.score) for s in IndicatorScore.objects.all()] == [("kanal", "Kanal pengaduan",
                                                                                D("80.50"))]
    # Dukcapil's Pengaduan 70 < 78 is the only finding (DPMPTSP's pengaduan has an indicator at 80.50, passing)
    assert [(f.unit, f.source_key, f.baseline) for f in Finding.objects.all()] == [
        (world.dukcapil, "assessment:self:ombudsman-2022:pengaduan", D("70.00"))
    ]
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert result.summary() == "2 rounds recorded, 1 findings open"


BAD_FILES = [
    ("score above 100", t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, 101)], [(5, "score")]),
    ("negative score", t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, -1)], [(5, "score")]),
    ("text score", t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, "tujuh puluh")], [(5, "score")]),
    ("three decimals", t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, "70.125")], [(5, "score")]),
    ("empty score", t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, None)], [(5, "score")]),
    ("unknown unit", t7_rows() + t7_rows("Dinas Pariwisata"), [(r, "unit") for r in (6, 7, 8, 9)]),
    ("unit of another regency", t7_rows("Pemerintah Kabupaten Muaro Jambi"), [(r, "unit") for r in (2, 3, 4, 5)]),
    ("unknown dimension", t7_rows() + [("Dukcapil", "kepercayaan", None, None, 80)], [(6, "dimension")]),
    ("duplicate row", t7_rows() + [("Dukcapil", "input", None, None, 85)], [(6, "dimension")]),
    ("duplicate indicator", t7_rows() + [("Dukcapil", "input", "a", "A", 85), ("Dukcapil", "input", "a", "A", 80)],
     [(7, "indicator_code")]),
    ("missing dimension", t7_rows()[:3], [(2, "dimension")]),
    ("bad indicator code", t7_rows() + [("Dukcapil", "input", "a b", "A", 85)], [(6, "indicator_code")]),
]


@pytest.mark.parametrize("name,rows,expected", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_row_rejects_the_whole_file_and_names_row_and_column(world, name, rows, expected):
    before = counts()
    result = run(world, workbook(t7_rows("DPMPTSP") + rows))  # rows 2-5 are a valid unit, the case starts at 6
    shifted = [(row + 4, column) for row, column in expected]
    assert [(e.row, e.column) for e in result.errors] == shifted
    assert all(e.message for e in result.errors)
    assert counts() == before


def test_the_reasons_are_readable(world):
    result = run(world, workbook([("Dukcapil", "input", None, None, 101), ("Dukcapil", "proses", None, None, "x"),
                                  ("Nowhere", "proses", None, None, 1), ("Dukcapil", "lainnya", None, None, 1)]))
    assert [str(e) for e in result.errors] == [
        "Row 2, column score: “101” is above the maximum, 100.00.",
        "Row 3, column score: “x” is not a number: write for example 70.5.",
        "Row 4, column unit: Unknown unit Nowhere, or a unit you may not assess: use a number or name listed in the "
        "read-me sheet (Petunjuk).",
        "Row 5, column dimension: Unknown dimension lainnya: use one of input, proses, output, pengaduan.",
    ]


@pytest.mark.parametrize("data,expected", [
    (b"this is not a spreadsheet", [(None, "")]),
    (workbook([], header=None), [(1, "")]),
    (workbook([]), [(None, "")]),
    (workbook([("Dukcapil", "input", 85)], header=["unit", "dimension", "skor"]), [(1, "skor"), (1, "score")]),
    (workbook([("Dukcapil", "input", 85, 1)], header=["unit", "dimension", "score", "score"]), [(1, "score")]),
], ids=["not xlsx", "empty sheet", "header only", "wrong columns", "repeated column"])
def test_bad_files_are_rejected_with_nothing_saved(world, data, expected):
    before = counts()
    result = run(world, data)
    assert [(e.row, e.column) for e in result.errors] == expected
    assert counts() == before


def test_a_round_already_recorded_on_that_date_is_an_error_not_a_silent_skip(world):
    assert run(world, workbook(t7_rows())).ok
    before = counts()
    result = run(world, workbook(t7_rows()))
    assert [(e.row, e.column) for e in result.errors] == [(2, "unit")]
    assert counts() == before


def test_a_user_who_may_not_record_the_kind_anywhere_is_refused_and_nothing_changes(world):
    before = counts()
    for user, kind in ((world.officer, RoundKind.SELF_ASSESSMENT), (world.viewer, RoundKind.OFFICIAL),
                       (world.coordinator, RoundKind.OFFICIAL)):
        with pytest.raises(PermissionDenied):
            run(world, workbook(t7_rows()), actor=user, kind=kind)
    assert counts() == before


def test_the_ombudsman_assistant_imports_an_official_round(world):
    result = run(world, workbook(t7_rows()), actor=world.assistant, kind=RoundKind.OFFICIAL)
    assert result.ok
    assert AssessmentRound.objects.get().kind == "official"


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_template_has_the_columns_and_lists_the_units_and_dimensions(world):
    response = client_for(world.coordinator).get(
        "/assessment-rounds/template.xlsx?edition=ombudsman-2022&kind=self_assessment")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    # Indonesian headers in the template; the English keys (HEADER) of earlier files are still read
    assert [c.value for c in wb["Nilai"][1]] == ["Unit", "Dimensi", "Kode Indikator", "Nama Indikator", "Nilai"]
    assert list(TEMPLATE_COLUMNS) == HEADER
    readme = [row[0] for row in wb["Petunjuk"].iter_rows(values_only=True)]
    assert "pengaduan" in readme and world.dukcapil.pk in readme and world.other_regency.pk not in readme
    assert client_for(world.officer).get(
        "/assessment-rounds/template.xlsx?edition=ombudsman-2022&kind=self_assessment").status_code == 403


def test_the_upload_page_imports_or_lists_every_error(world):
    client = client_for(world.coordinator)
    assert client.get("/assessment-rounds/import/").status_code == 200
    form = {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "2023-05-15"}
    bad = io.BytesIO(workbook(t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, 101)]))
    bad.name = "bad.xlsx"
    html = client.post("/assessment-rounds/import/", {**form, "file": bad}).content.decode()
    assert 'id="import-errors"' in html and "“101” is above the maximum, 100.00." in html
    assert AssessmentRound.objects.count() == 0
    good = io.BytesIO(workbook(t7_rows()))
    good.name = "good.xlsx"
    html = client.post("/assessment-rounds/import/", {**form, "file": good}).content.decode()
    assert 'id="import-result"' in html and "83.79" in html
    assert AssessmentRound.objects.get().total == D("83.79")
    assert client_for(world.officer).get("/assessment-rounds/import/").status_code == 403
    assert 'style="' not in html and not INLINE_SCRIPT.search(html)


def test_the_command_imports_all_or_nothing(world, tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(workbook(t7_rows()[:3] + [("Dukcapil", "pengaduan", None, None, "abc")]))
    args = [str(path), "--edition", "ombudsman-2022", "--kind", "self_assessment", "--date", "2023-05-15",
            "--user", "coordinator"]
    with pytest.raises(CommandError):
        call_command("import_assessment_scores", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert AssessmentRound.objects.count() == 0
    path.write_bytes(workbook(t7_rows()))
    out = io.StringIO()
    call_command("import_assessment_scores", *args, stdout=out, stderr=io.StringIO())
    assert "83.79 B hijau" in out.getvalue()
    assert AssessmentRound.objects.get().year == 2023
