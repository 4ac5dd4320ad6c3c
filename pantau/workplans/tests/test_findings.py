"""Findings become proposed actions; a later measurement closes them (the shared loop)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pantau.workplans.findings import close_findings, propose_actions, record_finding
from pantau.workplans.models import Action, Finding


def finding(world, key="U3", baseline="75.00", target="76.61", unit=None):
    return record_finding(
        actor=world.assistant, source="survey", source_key=f"skm:1:{key}", unit=unit or world.dukcapil,
        title="Waktu penyelesaian graded C", detected_on=dt.date(2021, 6, 1), indicator_name="U3 converted score",
        indicator_unit="points", baseline=Decimal(baseline) if baseline else None,
        target=Decimal(target) if target else None,
    )


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
    assert close_findings(actor=world.assistant, measurements={f: Decimal("76.60")}, on=dt.date(2022, 6, 1)) == []
    assert close_findings(actor=world.assistant, measurements={f: Decimal("80.00")}, on=dt.date(2022, 6, 1)) == [f]
    f.refresh_from_db()
    assert (f.closed_on, f.closing_value) == (dt.date(2022, 6, 1), Decimal("80.00"))


def test_a_gap_found_again_after_closing_opens_the_finding_again(world):
    f = finding(world)
    close_findings(actor=world.assistant, measurements={f: Decimal("80.00")}, on=dt.date(2022, 6, 1))
    again = record_finding(
        actor=world.assistant, source="survey", source_key="skm:1:U3", unit=world.dukcapil,
        title="Waktu penyelesaian graded C", detected_on=dt.date(2023, 6, 1), baseline=Decimal("70.00"),
        target=Decimal("76.61"),
    )
    assert again.pk == f.pk
    again.refresh_from_db()
    assert (again.closed_on, again.closing_value, again.baseline, again.detected_on) == (
        None, None, Decimal("70.00"), dt.date(2023, 6, 1))
