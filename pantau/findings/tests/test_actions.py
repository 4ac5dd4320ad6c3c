"""Findings become proposed actions; a later measurement closes them (the shared loop)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pantau.conftest import action_data
from pantau.findings.actions import close_findings, propose_actions, record_finding
from pantau.findings.models import Credit, Finding
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


def finding(world, key="U3", baseline="75.00", target="76.61", unit=None):
    return record_finding(
        actor=world.assistant, source="survey", source_key=f"skm:1:{key}", unit=unit or world.dukcapil,
        title="Waktu penyelesaian graded C", detected_on=dt.date(2021, 6, 1), indicator_name="U3 converted score",
        indicator_unit="points", baseline=Decimal(baseline) if baseline else None,
        target=Decimal(target) if target else None,
    )


def close(world, measurements, on=dt.date(2022, 6, 1)):
    """Close with the plan standing in for a measurement (the mechanism accepts any model instance)."""
    return close_findings(actor=world.assistant, measurements=measurements, on=on, measurement=world.plan,
                          label="SKM 2022 semester 1")


def test_recording_the_same_finding_twice_keeps_one(world):
    first = finding(world)
    again = finding(world, baseline="74.00")
    assert first.pk == again.pk
    assert Finding.objects.get().baseline == Decimal("74.00")


def test_a_finding_becomes_a_prefilled_action(world):
    f = finding(world)
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    assert action.responsible_unit == world.dukcapil
    assert (action.baseline, action.target) == (Decimal("75.00"), Decimal("76.61"))
    assert action.due_date == dt.date(2021, 12, 28)  # 1 July + 180 days
    assert list(action.findings.all()) == [f]
    # proposing again does not duplicate
    assert propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f]) == []


def test_a_finding_without_a_measure_gets_a_yes_no_indicator(world):
    f = finding(world, key="maklumat", baseline=None, target=None)
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    assert (action.baseline, action.target) == (Decimal(0), Decimal(1))


def test_proposing_is_all_or_nothing_and_scoped(world):
    mine, theirs = finding(world, key="a"), finding(world, key="b", unit=world.dpmptsp)
    with pytest.raises(PermissionDenied):
        propose_actions(actor=world.officer, work_plan=world.plan, findings=[mine, theirs])
    assert Action.objects.count() == 0


def test_a_later_measurement_closes_the_finding_when_the_target_is_reached(world):
    f = finding(world)
    assert close(world, {f: Decimal("76.60")}).closed == []
    assert close(world, {f: Decimal("80.00")}).closed == [f]
    f.refresh_from_db()
    assert (f.closed_on, f.closing_value) == (dt.date(2022, 6, 1), Decimal("80.00"))


def test_a_gap_found_again_after_closing_opens_the_finding_again(world):
    f = finding(world)
    close(world, {f: Decimal("80.00")})
    again = record_finding(
        actor=world.assistant, source="survey", source_key="skm:1:U3", unit=world.dukcapil,
        title="Waktu penyelesaian graded C", detected_on=dt.date(2023, 6, 1), baseline=Decimal("70.00"),
        target=Decimal("76.61"),
    )
    assert again.pk == f.pk
    again.refresh_from_db()
    assert (again.closed_on, again.closing_value, again.baseline, again.detected_on) == (
        None, None, Decimal("70.00"), dt.date(2023, 6, 1))


def test_closing_a_finding_credits_the_change_to_each_action_answering_it_except_cancelled_ones(world):
    f = finding(world)  # U3 measured 75.00, closes at 76.61
    first, = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    second = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                              data=action_data(world.dukcapil, code="X1"))
    dropped = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                               data=action_data(world.dukcapil, code="X2"))
    f.actions.add(second, dropped)
    wp.cancel_action(actor=world.coordinator, action=dropped, reason="merged into X1")
    outcome = close(world, {f: Decimal("82.50")})
    assert [(c.action.code, c.value_before, c.value_after, c.change) for c in outcome.credits] == [
        (first.code, Decimal("75.00"), Decimal("82.50"), Decimal("7.50")),
        ("X1", Decimal("75.00"), Decimal("82.50"), Decimal("7.50")),
    ]
    assert {c.measurement for c in Credit.objects.all()} == {world.plan}
    assert Credit.objects.filter(action=dropped).count() == 0


def test_a_finding_that_stays_open_credits_nothing(world):
    f = finding(world)
    propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    assert close(world, {f: Decimal("76.60")}).credits == []
    assert Credit.objects.count() == 0


def test_a_proposed_code_already_taken_in_the_plan_gets_the_next_free_one(world):
    f = finding(world)
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dukcapil, code=f"F{f.pk}"))
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dukcapil, code=f"F{f.pk}-2"))
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    assert action.code == f"F{f.pk}-3"
