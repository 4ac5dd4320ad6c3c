"""The page for recording one assessment round about a unit: exact stored values, who may record which kind, and
nothing changes on refusal or bad input."""

from decimal import Decimal as D

import pytest
from django.test import Client

from pantau.assessments.models import AssessmentRound, DimensionScore, IndicatorScore
from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.findings.models import Finding

T7 = {"score_input": "85", "score_proses": "95", "score_output": "80", "score_pengaduan": "70"}


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(world, user, unit=None, **extra):
    data = {"edition": "ombudsman-2022", "kind": "self_assessment", "assessed_on": "2023-05-15", **T7, **extra}
    return client_for(user).post(f"/units/{(unit or world.dukcapil).pk}/assessment-rounds/new/", data)


def counts():
    return (AssessmentRound.objects.count(), DimensionScore.objects.count(), Finding.objects.count(),
            AuditEntry.objects.exclude(action=AuditAction.LOGIN).count())


def test_the_coordinator_records_a_self_assessment_with_the_t7_total(world):
    response = post(world, world.coordinator, indicators="input; kompetensi; Kompetensi pelaksana; 70\n")
    assert response.status_code == 302 and response["Location"] == f"/units/{world.dukcapil.pk}/report-card/"
    r = AssessmentRound.objects.get()
    # rules.md 2.6 / T7: 85/95/80/70 -> 83.79 -> B, hijau
    assert (r.kind, r.year, str(r.assessed_on), r.total, r.computed_band, r.computed_zone, r.pass_mark) == (
        "self_assessment", 2023, "2023-05-15", D("83.79"), "B", "hijau", D("78.00"))
    assert sorted((s.dimension.code, s.score) for s in r.dimension_scores.all()) == [
        ("input", D("85.00")), ("output", D("80.00")), ("pengaduan", D("70.00")), ("proses", D("95.00"))]
    assert [(i.code, i.name, i.score) for i in IndicatorScore.objects.all()] == [
        ("kompetensi", "Kompetensi pelaksana", D("70.00"))]
    assert sorted(f.source_key for f in Finding.objects.all()) == [
        "assessment:self:ombudsman-2022:input:kompetensi", "assessment:self:ombudsman-2022:pengaduan"]


def test_the_form_offers_each_user_only_the_kinds_they_may_record(world):
    html = client_for(world.coordinator).get(f"/units/{world.dukcapil.pk}/assessment-rounds/new/").content.decode()
    assert 'value="self_assessment"' in html and 'value="official"' not in html
    assert 'style="' not in html and not INLINE_SCRIPT.search(html)
    html = client_for(world.assistant).get(f"/units/{world.dukcapil.pk}/assessment-rounds/new/").content.decode()
    assert 'value="official"' in html and 'value="pre_evaluation"' in html and 'value="self_assessment"' not in html


def test_the_assistant_records_an_official_round_but_not_a_self_assessment(world):
    before = counts()
    response = post(world, world.assistant)  # self_assessment is not offered to the Ombudsman
    assert response.status_code == 200 and counts() == before
    assert post(world, world.assistant, kind="official").status_code == 302
    assert AssessmentRound.objects.get().kind == "official"


def test_refusals_change_nothing(world):
    before = counts()
    assert post(world, world.officer).status_code == 403  # a unit officer holds neither permission
    assert post(world, world.viewer).status_code == 403
    assert post(world, world.outsider).status_code == 404  # not in scope at all
    assert client_for(world.outsider).get(f"/units/{world.dukcapil.pk}/assessment-rounds/new/").status_code == 404
    assert counts() == before


@pytest.mark.parametrize("extra", [
    {"score_pengaduan": "101"}, {"score_pengaduan": "abc"}, {"score_pengaduan": ""}, {"score_input": "70.125"},
    {"indicators": "input; a; A; 120"}, {"indicators": "lainnya; a; A; 50"}, {"indicators": "input a 50"},
    {"year": "2019"},  # outside the 2022-2024 edition
])
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(world, extra):
    before = counts()
    response = post(world, world.coordinator, **extra)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert counts() == before


def test_the_report_card_links_to_the_form_only_for_users_who_may_record(world):
    html = client_for(world.coordinator).get(f"/units/{world.dukcapil.pk}/report-card/").content.decode()
    assert 'id="record-round"' in html
    html = client_for(world.officer).get(f"/units/{world.dukcapil.pk}/report-card/").content.decode()
    assert 'id="record-round"' not in html
