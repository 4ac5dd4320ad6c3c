"""Assessment rounds: totals and bands per edition, findings below the pass mark, findings that become actions,
and a later round that closes a finding and credits the action answering it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pantau.assessments import scoring
from pantau.assessments.actions import link_results, record_round
from pantau.assessments.models import AssessmentRound, ComplianceResult, MethodEdition, RoundKind
from pantau.audit.models import AuditEntry
from pantau.findings.actions import propose_actions
from pantau.findings.models import Credit, Finding

ON = dt.date(2023, 5, 15)
LATER = dt.date(2024, 8, 20)


def edition():
    return MethodEdition.objects.get(code="ombudsman-2022")


def self_assessment(world, scores, unit=None, actor=None, indicators=None, on=ON):
    return record_round(
        actor=actor or world.coordinator, edition=edition(), year=on.year, kind=RoundKind.SELF_ASSESSMENT,
        assessed_on=on, unit=unit or world.dukcapil, dimension_scores=scores, indicator_scores=indicators,
    )


def test_the_default_pass_mark_is_the_lowest_green_bound():
    bands = [scoring.BandRule("A", "", "hijau", D("88.00")), scoring.BandRule("B", "", "hijau", D("78.00")),
             scoring.BandRule("C", "", "kuning", D("54.00"))]
    assert scoring.default_pass_mark(bands) == D("78.00")
    assert scoring.below_pass_mark({"a": "77.99", "b": "78", "c": "78.004", "d": "77.995"}, "78.00") == ["a"]
    with pytest.raises(scoring.ScoringError):
        scoring.default_pass_mark(bands[2:])


def test_a_round_stores_the_weighted_total_its_band_and_the_bounds_used(world):
    # rules.md 2.6 / T7: 85/95/80/70 -> 83.79 -> B, hijau
    outcome = self_assessment(world, {"input": "85", "proses": "95", "output": "80", "pengaduan": "70"})
    r = outcome.round
    assert (r.total, r.computed_band, r.computed_zone, r.computed_provisional) == (D("83.79"), "B", "hijau", True)
    assert r.pass_mark == D("78.00")
    assert [b["lower_bound"] for b in r.bands_used] == ["88.00", "78.00", "54.00", "32.00", "0.00"]
    assert r.province_code == "15"
    assert sorted((s.dimension.code, s.score) for s in r.dimension_scores.all()) == [
        ("input", D("85.00")), ("output", D("80.00")), ("pengaduan", D("70.00")), ("proses", D("95.00"))
    ]


def test_a_dimension_below_the_pass_mark_becomes_a_finding_with_baseline_and_target(world):
    outcome = self_assessment(world, {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"})
    # hand calculation: (21.85*82 + 32.37*90 + 24.24*85 + 21.54*70) / 100 = 82.732 -> 82.73
    assert outcome.round.total == D("82.73")
    [finding] = outcome.open_findings
    assert (finding.source, finding.source_key, finding.unit) == (
        "assessment", "assessment:self:ombudsman-2022:pengaduan", world.dukcapil
    )
    assert (finding.baseline, finding.target) == (D("70.00"), D("78.00"))


def test_indicators_replace_their_dimension_when_findings_are_drawn(world):
    outcome = self_assessment(
        world, {"input": "75", "proses": "88", "output": "80", "pengaduan": "78"}, unit=world.dpmptsp,
        indicators={"input": {"kompetensi": ("Kompetensi pelaksana", "70"), "sarana": ("Sarana prasarana", "80")}},
    )
    assert [f.source_key for f in outcome.open_findings] == ["assessment:self:ombudsman-2022:input:kompetensi"]
    assert outcome.round.indicator_scores.count() == 2


def test_recording_the_same_round_again_changes_nothing(world):
    scores = {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"}
    first = self_assessment(world, scores)
    entries = AuditEntry.objects.count()
    again = self_assessment(world, scores)
    assert (again.created, again.round.pk) == (False, first.round.pk)
    assert (AssessmentRound.objects.count(), Finding.objects.count(), AuditEntry.objects.count()) == (1, 1, entries)


def test_a_denied_write_changes_nothing(world):
    entries = AuditEntry.objects.count()
    scores = {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"}
    with pytest.raises(PermissionDenied):  # a unit officer does not plan: no self-assessment
        self_assessment(world, scores, actor=world.officer)
    with pytest.raises(PermissionDenied):  # the coordinator of Batanghari, not of DPMPTSP's peers elsewhere
        self_assessment(world, scores, actor=world.outsider)
    with pytest.raises(PermissionDenied):  # only the Ombudsman pre-evaluates
        record_round(actor=world.coordinator, edition=edition(), year=2024, kind=RoundKind.PRE_EVALUATION,
                     assessed_on=LATER, unit=world.dukcapil, dimension_scores=scores)
    with pytest.raises(PermissionDenied):
        link_results(actor=world.coordinator, unit=world.regency)
    assert (AssessmentRound.objects.count(), Finding.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == entries


def test_invalid_scores_write_nothing(world):
    with pytest.raises(ValidationError):
        self_assessment(world, {"input": "82", "proses": "90", "output": "85"})
    with pytest.raises(ValidationError):
        self_assessment(world, {"input": "82", "proses": "90", "output": "85", "pengaduan": "101"})
    with pytest.raises(ValidationError):  # 2019 is not an assessment year of the 2022-2024 edition
        self_assessment(world, {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"},
                        on=dt.date(2019, 5, 1))
    assert AssessmentRound.objects.count() == 0


def test_findings_become_actions_and_a_later_self_assessment_closes_one_and_credits_its_action(world):
    first = self_assessment(
        world, {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"},
    )
    [finding] = first.open_findings
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[finding],
                               today=dt.date(2023, 6, 5))
    assert (action.baseline, action.target, action.responsible_unit) == (D("70.00"), D("78.00"), world.dukcapil)
    later = self_assessment(world, {"input": "84", "proses": "92", "output": "86", "pengaduan": "84"}, on=LATER)
    assert later.closed_findings == [finding]
    finding.refresh_from_db()
    assert (finding.closed_on, finding.closing_value) == (LATER, D("84.00"))
    [credit] = Credit.objects.all()
    assert (credit.action, credit.finding, credit.measurement) == (action, finding, later.round)
    assert (credit.value_before, credit.value_after, credit.change) == (D("70.00"), D("84.00"), D("14.00"))


def test_a_later_round_still_below_the_mark_keeps_the_finding_open_with_the_new_value(world):
    self_assessment(world, {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"})
    later = self_assessment(world, {"input": "84", "proses": "92", "output": "86", "pengaduan": "76"}, on=LATER)
    assert later.closed_findings == []
    finding = Finding.objects.get()
    assert (finding.closed_on, finding.baseline) == (None, D("76.00"))
    assert Credit.objects.count() == 0


def test_published_results_are_linked_to_the_government_once(world):
    e = MethodEdition.objects.get(code="ombudsman-2022")
    ComplianceResult.objects.create(region_id="15.04", province_code="15", year=2022, edition=e, score=D("92.03"))
    assert link_results(actor=world.ombudsman_admin, unit=world.regency) == 1
    assert link_results(actor=world.ombudsman_admin, unit=world.regency) == 0
    assert ComplianceResult.objects.get().unit == world.regency
    with pytest.raises(ValidationError):
        link_results(actor=world.ombudsman_admin, unit=world.dukcapil)


def test_scores_keep_their_rounds_province_for_distribution(world):
    """docs/scale.md: dimension and indicator scores carry the province of their round (Batanghari: Jambi, 15); the
    migration fills them for rounds recorded before."""
    import importlib

    from django.apps import apps

    from pantau.assessments.models import DimensionScore, IndicatorScore

    r = self_assessment(world, {"input": "85", "proses": "95", "output": "80", "pengaduan": "70"},
                        indicators={"input": {"kompetensi": ("Kompetensi pelaksana", "70")}}).round
    assert set(DimensionScore.objects.filter(round=r).values_list("province_code", flat=True)) == {"15"}
    assert list(IndicatorScore.objects.filter(round=r).values_list("province_code", flat=True)) == ["15"]
    DimensionScore.objects.update(province_code="")
    IndicatorScore.objects.update(province_code="")
    importlib.import_module("pantau.assessments.migrations.0007_scores_province_code").fill_province_codes(apps, None)
    assert set(DimensionScore.objects.values_list("province_code", flat=True)) == {"15"}
    assert set(IndicatorScore.objects.values_list("province_code", flat=True)) == {"15"}
