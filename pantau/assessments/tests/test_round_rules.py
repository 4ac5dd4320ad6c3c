"""Rules a round must keep whatever the entry path (record_round, the form, the API, the Excel import): findings
close only by a round of the same group (self-assessment vs the Ombudsman's rounds), the assessment date lies in
2000-01-01 .. today and in the assessment year, an Ombudsman office is not assessed, indicator lines are checked
and capped, free text is capped, and scoring errors reach users translated."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from pantau.assessments import rules as rounds
from pantau.assessments import scoring
from pantau.assessments.actions import import_scores, record_round
from pantau.assessments.models import AssessmentRound, IndicatorScore, MethodEdition, RoundKind
from pantau.assessments.tests.xlsx_helpers import workbook
from pantau.assessments.xlsx import build_template
from pantau.audit.models import AuditAction, AuditEntry
from pantau.findings.actions import propose_actions
from pantau.findings.models import Credit, Finding
from pantau.workplans.models import Action

ON = dt.date(2023, 5, 15)
LATER = dt.date(2024, 8, 20)
LATEST = dt.date(2024, 9, 2)
FAILING = {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"}  # pengaduan 70 < pass mark 78
PASSING = {"input": "84", "proses": "92", "output": "86", "pengaduan": "84"}  # every dimension >= 78
T7 = {"score_input": "85", "score_proses": "95", "score_output": "80", "score_pengaduan": "70"}


def edition():
    return MethodEdition.objects.get(code="ombudsman-2022")


def assess(actor, kind, on, scores, unit, **extra):
    return record_round(actor=actor, edition=edition(), year=extra.pop("year", on.year), kind=kind, assessed_on=on,
                        unit=unit, dimension_scores=scores, **extra)


def counts():
    return (AssessmentRound.objects.count(), IndicatorScore.objects.count(), Finding.objects.count(),
            Credit.objects.count(), AuditEntry.objects.exclude(action=AuditAction.LOGIN).count())


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# 1. who may close whose findings


def test_a_self_assessment_does_not_close_the_ombudsman_s_finding_but_a_later_official_round_does(world):
    first = assess(world.assistant, RoundKind.PRE_EVALUATION, ON, FAILING, world.dukcapil)
    [finding] = first.open_findings
    assert finding.source_key == "assessment:ombudsman:ombudsman-2022:pengaduan"
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[finding],
                               today=dt.date(2023, 6, 5))
    own = assess(world.coordinator, RoundKind.SELF_ASSESSMENT, LATER, PASSING, world.dukcapil)
    assert (own.open_findings, own.closed_findings, own.credits) == ([], [], [])
    finding.refresh_from_db()
    assert (finding.closed_on, finding.closing_value, finding.baseline) == (None, None, D("70.00"))
    assert Credit.objects.count() == 0
    official = assess(world.assistant, RoundKind.OFFICIAL, LATEST, PASSING, world.dukcapil)
    assert official.closed_findings == [finding]
    finding.refresh_from_db()
    assert (finding.closed_on, finding.closing_value) == (LATEST, D("84.00"))
    [credit] = Credit.objects.all()
    assert (credit.action, credit.measurement, credit.value_before, credit.value_after) == (
        action, official.round, D("70.00"), D("84.00"))


def test_an_ombudsman_round_does_not_close_a_self_assessment_finding(world):
    first = assess(world.coordinator, RoundKind.SELF_ASSESSMENT, ON, FAILING, world.dukcapil)
    [finding] = first.open_findings
    assert finding.source_key == "assessment:self:ombudsman-2022:pengaduan"
    pre = assess(world.assistant, RoundKind.PRE_EVALUATION, LATER, PASSING, world.dukcapil)
    assert pre.closed_findings == []
    finding.refresh_from_db()
    assert finding.closed_on is None
    later = assess(world.coordinator, RoundKind.SELF_ASSESSMENT, LATEST, PASSING, world.dukcapil)
    assert later.closed_findings == [finding]


def test_each_group_keeps_its_own_finding_for_the_same_item(world):
    assess(world.coordinator, RoundKind.SELF_ASSESSMENT, ON, FAILING, world.dukcapil)
    assess(world.assistant, RoundKind.PRE_EVALUATION, LATER, FAILING, world.dukcapil)
    assert sorted(Finding.objects.values_list("source_key", flat=True)) == [
        "assessment:ombudsman:ombudsman-2022:pengaduan", "assessment:self:ombudsman-2022:pengaduan"]


# 3. the assessment date


@pytest.mark.parametrize("on, year", [
    (dt.date(1999, 12, 31), 2022),  # before 2000-01-01 (and the year is one the edition covers)
    (dt.date.today() + dt.timedelta(days=1), None),  # in the future
    (dt.date(2023, 5, 15), 2024),  # not in the assessment year
])
def test_a_bad_assessment_date_is_refused_and_nothing_changes(world, on, year):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record_round(actor=world.coordinator, edition=edition(), year=year or on.year,
                     kind=RoundKind.SELF_ASSESSMENT, assessed_on=on, unit=world.dukcapil, dimension_scores=FAILING)
    assert list(caught.value.message_dict) == ["assessed_on"]
    assert counts() == before


def test_the_first_day_of_2000_and_today_are_accepted_dates():
    rounds.check_date(dt.date(2000, 1, 1), 2000)
    rounds.check_date(dt.date(2024, 8, 20), 2024, today=dt.date(2024, 8, 20))
    with pytest.raises(ValidationError):
        rounds.check_date(dt.date(2024, 8, 21), 2024, today=dt.date(2024, 8, 20))


def test_the_form_the_api_and_the_import_refuse_a_bad_date(world):
    before = counts()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    url = f"/units/{world.dukcapil.pk}/assessment-rounds/new/"
    data = {"edition": "ombudsman-2022", "kind": "self_assessment", **T7}
    response = client_for(world.coordinator).post(url, {**data, "assessed_on": tomorrow})
    assert response.status_code == 200 and "assessed_on" in response.context["form"].errors
    response = client_for(world.coordinator).post(url, {**data, "assessed_on": "2023-05-15", "year": "2024"})
    assert response.status_code == 200 and "assessed_on" in response.context["form"].errors
    body = {"edition": "ombudsman-2022", "kind": "self_assessment", "unit": world.dukcapil.pk,
            "assessed_on": "2023-05-15", "year": 2024, "dimension_scores": FAILING}
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", body, format="json")
    assert bad.status_code == 400 and "assessed_on" in bad.data
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", {**body, "assessed_on": "1999-12-31",
                                                                     "year": 2022}, format="json")
    assert bad.status_code == 400 and "assessed_on" in bad.data
    rows = [("Dukcapil", code, None, None, score) for code, score in FAILING.items()]
    with pytest.raises(ValidationError) as caught:
        import_scores(actor=world.coordinator, edition=edition(), kind=RoundKind.SELF_ASSESSMENT,
                      assessed_on=dt.date(2023, 5, 15), year=2024, file=workbook(rows))
    assert list(caught.value.message_dict) == ["assessed_on"]
    assert counts() == before


# 5. an Ombudsman office is not assessed


def test_no_round_is_recorded_about_an_ombudsman_office(world):
    before = counts()
    for actor, kind in ((world.superuser, RoundKind.OFFICIAL), (world.ombudsman_admin, RoundKind.PRE_EVALUATION),
                        (world.superuser, RoundKind.SELF_ASSESSMENT)):
        with pytest.raises(ValidationError) as caught:
            assess(actor, kind, ON, FAILING, world.office)
        assert list(caught.value.message_dict) == ["unit"]
    body = {"edition": "ombudsman-2022", "kind": "official", "unit": world.office.pk, "assessed_on": "2023-05-15",
            "dimension_scores": FAILING}
    bad = api(world.superuser).post("/api/v1/assessment-rounds/", body, format="json")
    assert bad.status_code == 400 and "unit" in bad.data
    url = f"/units/{world.office.pk}/assessment-rounds/new/"
    assert client_for(world.superuser).get(url).status_code == 403
    posted = client_for(world.superuser).post(url, {"edition": "ombudsman-2022", "kind": "official",
                                                    "assessed_on": "2023-05-15", **T7})
    assert posted.status_code == 403
    rows = [(str(world.office.pk), code, None, None, score) for code, score in FAILING.items()]
    result = import_scores(actor=world.superuser, edition=edition(), kind=RoundKind.OFFICIAL, assessed_on=ON,
                           file=workbook(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "unit"), (3, "unit"), (4, "unit"), (5, "unit")]
    assert counts() == before


def test_the_import_template_does_not_list_the_ombudsman_office(world):
    from io import BytesIO

    from openpyxl import load_workbook

    data = build_template(actor=world.superuser, edition=edition(), kind=RoundKind.OFFICIAL)
    readme = load_workbook(BytesIO(data))["Petunjuk"]
    names = {row[1] for row in readme.iter_rows(values_only=True)}
    assert "Ombudsman RI Perwakilan Jambi" not in names and "Dinas Kependudukan dan Pencatatan Sipil" in names


# 4. indicator lines and free text


@pytest.mark.parametrize("indicators", [
    "input; kompetensi pelaksana; Kompetensi; 70",  # a space is not allowed in a code
    "input; " + "k" * 61 + "; Kompetensi; 70",  # 61 characters
    "input; kompetensi; " + "N" * 301 + "; 70",  # a name of 301 characters
    "input; kompetensi; Kompetensi; 70\ninput; Kompetensi; Kompetensi lagi; 80",  # the same code twice
    "\n".join(f"input; k{n}; K {n}; 80" for n in range(201)),  # 201 lines
])
def test_the_form_refuses_bad_indicator_lines_and_nothing_changes(world, indicators):
    before = counts()
    response = client_for(world.coordinator).post(
        f"/units/{world.dukcapil.pk}/assessment-rounds/new/",
        {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "2023-05-15", **T7,
         "indicators": indicators})
    assert response.status_code == 200 and "indicators" in response.context["form"].errors
    assert counts() == before


def test_the_form_accepts_200_indicator_lines(world):
    lines = "\n".join(f"input; k{n}; K {n}; 80" for n in range(200))
    response = client_for(world.coordinator).post(
        f"/units/{world.dukcapil.pk}/assessment-rounds/new/",
        {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "2023-05-15", **T7,
         "indicators": lines})
    assert response.status_code == 302
    assert IndicatorScore.objects.count() == 200


def test_the_form_refuses_a_note_longer_than_10000_characters(world):
    before = counts()
    response = client_for(world.coordinator).post(
        f"/units/{world.dukcapil.pk}/assessment-rounds/new/",
        {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "2023-05-15", **T7,
         "note": "x" * 10_001})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert counts() == before


def test_the_api_refuses_duplicate_indicators_too_many_indicators_and_a_long_note(world):
    before = counts()
    body = {"edition": "ombudsman-2022", "kind": "self_assessment", "unit": world.dukcapil.pk,
            "assessed_on": "2023-05-15", "dimension_scores": FAILING}
    twice = [{"dimension": "input", "code": "kompetensi", "score": "70"},
             {"dimension": "input", "code": "kompetensi", "score": "90"}]
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", {**body, "indicator_scores": twice},
                                      format="json")
    assert bad.status_code == 400 and "indicator_scores" in bad.data
    many = [{"dimension": "input", "code": f"k{n}", "score": "80"} for n in range(201)]
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", {**body, "indicator_scores": many},
                                      format="json")
    assert bad.status_code == 400 and "indicator_scores" in bad.data
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", {**body, "note": "x" * 10_001}, format="json")
    assert bad.status_code == 400 and "note" in bad.data
    assert counts() == before


def test_record_round_checks_indicators_and_the_note_itself(world):
    before = counts()
    for extra in (
        {"indicator_scores": {"input": {f"k{n}": (f"K {n}", "80") for n in range(201)}}},
        {"indicator_scores": {"input": {"bad code": ("Bad", "80")}}},
        {"indicator_scores": {"input": {"a": ("A", "80"), "A": ("A again", "80")}}},
        {"note": "x" * 10_001},
    ):
        with pytest.raises(ValidationError):
            assess(world.coordinator, RoundKind.SELF_ASSESSMENT, ON, FAILING, world.dukcapil, **extra)
    assert counts() == before


# 6. scoring errors reach users translated


def test_scoring_errors_go_through_gettext_with_placeholders(monkeypatch):
    monkeypatch.setattr(scoring, "_", lambda text: f"<{text}>")
    with pytest.raises(scoring.ScoringError) as caught:
        scoring.check_score("-1.00")
    assert str(caught.value) == "<score -1.00 is outside 0-100>"
    with pytest.raises(scoring.ScoringError) as caught:
        scoring.weighted_total({"a": "50", "b": "50"}, {"a": "50", "b": "40"})
    assert str(caught.value) == "<weights sum to 90, not 100>"
    with pytest.raises(scoring.ScoringError) as caught:
        scoring.weighted_total({"a": "50"}, {"a": "50", "b": "50"})
    assert str(caught.value) == "<dimension scores do not match the weights (missing: b; unknown: -)>"


def test_a_score_outside_0_100_is_reported_on_its_dimension_in_english(world):
    with pytest.raises(ValidationError) as caught:
        assess(world.coordinator, RoundKind.SELF_ASSESSMENT, ON, {**FAILING, "pengaduan": "-1.00"}, world.dukcapil)
    assert caught.value.message_dict == {"pengaduan": ["score -1.00 is outside 0-100"]}
    assert Action.objects.count() == 0 and AssessmentRound.objects.count() == 0


def test_the_migration_moves_old_finding_keys_into_the_group_of_the_round_that_raised_them(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pantau.assessments.migrations.0004_finding_keys_by_kind_group")
    own = assess(world.coordinator, RoundKind.SELF_ASSESSMENT, ON, FAILING, world.dukcapil).open_findings[0]
    theirs = assess(world.assistant, RoundKind.PRE_EVALUATION, LATER, FAILING, world.dpmptsp).open_findings[0]
    Finding.objects.filter(pk=own.pk).update(source_key="assessment:ombudsman-2022:pengaduan")
    Finding.objects.filter(pk=theirs.pk).update(source_key="assessment:ombudsman-2022:pengaduan")
    class Moved:
        """The live registry, with ``workplans.Finding`` where findings lived when the migration was written."""

        @staticmethod
        def get_model(app_label, name):
            return Finding if (app_label, name) == ("workplans", "Finding") else apps.get_model(app_label, name)

    migration.forwards(Moved, None)
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert (own.source_key, theirs.source_key) == (
        "assessment:self:ombudsman-2022:pengaduan", "assessment:ombudsman:ombudsman-2022:pengaduan")
