"""The demo surveys: illustrative, deterministic, audited, idempotent, and the loop from low elements to actions.

Expected values are hand calculations from the fixed answer counts in ``surveys.demo.DEMO_PERIODS``:
converted score = 25 x (1 c1 + 2 c2 + 3 c3 + 4 c4) / n; IKM = 25 x grand total / (9 n).
"""

from decimal import Decimal

import pytest

from pantau.audit.models import AuditEntry
from pantau.demo import surveys as demo
from pantau.findings.models import Finding
from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.workplans.models import Action


@pytest.fixture
def loaded(world):
    units = {demo.DUKCAPIL: world.dukcapil, demo.DPMPTSP: world.dpmptsp, demo.MERSAM: world.mersam}
    users = {"koordinator": world.coordinator, "petugas.dukcapil": world.officer, "asisten": world.assistant}
    world.units, world.users = units, users
    world.created = demo.load_demo(work_plan=world.plan, units=units, users=users)
    return world


def _result(unit, year, month):
    return IkmResult.objects.get(period__unit=unit, period__start_date__year=year, period__start_date__month=month)


def test_the_demo_creates_four_sample_periods_with_their_responses_and_one_open_questionnaire(loaded):
    # four past periods with answers, plus the current half-year's period with its public form open, no answers
    assert loaded.created == {"periods": 5, "responses": 330 + 340 + 200 + 120, "results": 4, "actions": 9}
    assert SurveyPeriod.objects.filter(is_sample=True).count() == 5
    open_now = [p for p in SurveyPeriod.objects.filter(public_form=True) if p.accepts_public_answers()]
    assert len(open_now) == 1 and not open_now[0].responses.exists()
    assert not SurveyPeriod.objects.filter(is_sample=False).exists()
    assert all("ilustratif" in p.note for p in SurveyPeriod.objects.all())
    assert Response.objects.count() == 990


def test_dukcapil_second_semester_2025_matches_the_hand_calculation(loaded):
    result = _result(loaded.dukcapil, 2025, 7)
    # grand total 9610 of 330 responses: 25 x 9610 / 2970 = 80.892 -> 80.89 (B)
    assert (result.ikm, result.grade, result.weight_variant) == (Decimal("80.89"), "B", "exact")
    # U3: 10 x 1 + 110 x 2 + 170 x 3 + 40 x 4 = 900 -> 25 x 900 / 330 = 68.18 (C); U9: 915 -> 69.32 (C)
    assert (result.converted_u3, result.converted_u9) == (Decimal("68.18"), Decimal("69.32"))
    # U4: 60 x 3 + 270 x 4 = 1260 -> 95.45 (A); NRR U4 = 1260 / 330 = 3.8182
    assert (result.converted_u4, result.nrr_u4) == (Decimal("95.45"), Decimal("3.8182"))
    # population 2000 -> 322 in the Krejcie & Morgan table (rules.md section 3)
    assert (result.n_responses, result.required_sample, result.is_adequate) == (330, 322, True)


def test_dukcapil_first_semester_2026_improves_and_closes_the_earlier_findings(loaded):
    result = _result(loaded.dukcapil, 2026, 1)
    # grand total 10105 of 340: 25 x 10105 / 3060 = 82.557 -> 82.56 (B)
    assert (result.ikm, result.grade) == (Decimal("82.56"), "B")
    # U3: 55 x 2 + 200 x 3 + 85 x 4 = 1050 -> 77.21 (B); U9 the same; U8: 10 + 200 + 540 + 200 = 950 -> 69.85 (C)
    assert (result.converted_u3, result.converted_u9, result.converted_u8) == (
        Decimal("77.21"), Decimal("77.21"), Decimal("69.85"))
    assert (result.required_sample, result.is_adequate) == (327, True)  # N = 2200 -> 327 (table)
    earlier = _result(loaded.dukcapil, 2025, 7).period
    closed = Finding.objects.filter(source_key__startswith=f"skm:{earlier.pk}:").order_by("source_key")
    assert [(f.source_key.rsplit(":", 1)[1], str(f.closing_value)) for f in closed] == [
        ("U3", "77.21"), ("U9", "77.21")]
    assert {str(f.closed_on) for f in closed} == {"2026-07-14"}


def test_dpmptsp_has_two_low_elements_one_just_under_the_b_bound(loaded):
    result = _result(loaded.dpmptsp, 2026, 1)
    # 5795 / 200 responses: 25 x 5795 / 1800 = 80.486 -> 80.49 (B); U2 540 -> 67.50 (C); U3 610 -> 76.25 (C < 76.61)
    assert (result.ikm, result.grade, result.converted_u2, result.converted_u3) == (
        Decimal("80.49"), "B", Decimal("67.50"), Decimal("76.25"))
    assert (result.required_sample, result.is_adequate) == (196, True)  # N = 400: 384.1 / 1.95775 = 196.19


def test_the_district_office_period_is_below_the_minimum_sample(loaded):
    result = _result(loaded.mersam, 2026, 1)
    # 3190 / 120: 25 x 3190 / 1080 = 73.84 (C); U3 295 -> 61.46 (D); U9 260 -> 54.17 (D)
    assert (result.ikm, result.grade, result.converted_u3, result.converted_u9) == (
        Decimal("73.84"), "C", Decimal("61.46"), Decimal("54.17"))
    assert (result.n_responses, result.required_sample, result.is_adequate) == (120, 169, False)  # N = 300 -> 169


def test_low_elements_become_sample_actions_of_the_work_plan(loaded):
    actions = Action.objects.filter(work_plan=loaded.plan)
    assert actions.count() == 9
    assert all(a.is_sample for a in actions)
    by_unit = {}
    for action in actions:
        finding = action.findings.get()
        by_unit.setdefault(action.responsible_unit.name, []).append(finding.source_key.rsplit(":", 1)[1])
    assert {k: sorted(v) for k, v in by_unit.items()} == {
        "Dinas Kependudukan dan Pencatatan Sipil": ["U3", "U8", "U9"],
        "Dinas Penanaman Modal dan PTSP": ["U2", "U3"],
        "Kecamatan Mersam": ["U3", "U5", "U8", "U9"],
    }
    u8 = actions.get(findings__source_key__endswith=":U8", responsible_unit=loaded.dukcapil)
    assert (u8.baseline, u8.target, str(u8.start_date)) == (Decimal("69.85"), Decimal("76.61"), "2026-07-14")


def test_the_demo_is_written_through_the_audited_services(loaded):
    imports = AuditEntry.objects.filter(action="import")
    assert imports.count() == 4
    # each of the 4 results: computed, then published by the Ombudsman assistant
    assert AuditEntry.objects.filter(content_type__model="ikmresult", action="create").count() == 4
    assert AuditEntry.objects.filter(content_type__model="ikmresult", action="publish").count() == 4
    assert AuditEntry.objects.filter(content_type__model="action").count() == 9


def test_loading_the_demo_twice_changes_nothing(loaded):
    counts = (SurveyPeriod.objects.count(), Response.objects.count(), IkmResult.objects.count(),
              Finding.objects.count(), Action.objects.count(), AuditEntry.objects.count())
    again = demo.load_demo(work_plan=loaded.plan, units=loaded.units, users=loaded.users)
    assert again == {"periods": 0, "responses": 0, "results": 0, "actions": 0}
    assert (SurveyPeriod.objects.count(), Response.objects.count(), IkmResult.objects.count(),
            Finding.objects.count(), Action.objects.count(), AuditEntry.objects.count()) == counts


def test_the_generated_answers_are_the_same_on_every_call():
    spec = demo.DEMO_PERIODS[0]
    first, second = demo.sample_rows(spec), demo.sample_rows(spec)
    assert first == second
    assert sum(row["U3"] for row in first) == 900
    assert len({row["respondent"] for row in first}) == 330
