"""Roll-ups in the database (``workplans.aggregates``) give the figures of the Python rules (``summary``,
``progress.rollup``) on a small tree, worked out by hand: equal and own weights, a scoped reader whose top level
differs, half-up rounding at the end (issue 11)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans import aggregates, summary
from pantau.workplans.models import Action
from pantau.workplans.progress import Coverage, Status

UTC = dt.UTC
AT = dt.datetime(2021, 6, 1, 3, tzinfo=UTC)


def _report(world: Any, action: Action, value: str, *, accept: bool = False) -> None:
    report = wp.report_progress(actor=world.superuser, action=action, report_date=dt.date(2021, 6, 1),
                                actual_value=Decimal(value), narrative="progress", now=AT, confirm=True)
    if accept:
        wp.accept_report(actor=world.assistant, report=report)


@pytest.fixture
def tree(world: Any) -> dict[str, Action]:
    """1 (Dukcapil) with 1.1 (UPT Dukcapil, weight 2, 50 % reported) and 1.2 (DPMPTSP, weight 1, 100 % reported and
    accepted); 2 (DPMPTSP), nothing reported. Targets 0 -> 10."""
    make = lambda code, unit, **extra: wp.create_action(  # noqa: E731
        actor=world.superuser, work_plan=world.plan, data=action_data(unit, code=code, **extra))
    one = make("1", world.dukcapil)
    first = make("1.1", world.dukcapil_upt, parent=one, weight=Decimal(2))
    second = make("1.2", world.dpmptsp, parent=one, weight=Decimal(1))
    two = make("2", world.dpmptsp)
    _report(world, first, "5")
    _report(world, second, "10", accept=True)
    return {"1": one, "1.1": first, "1.2": second, "2": two}


def test_a_plan_with_equal_weights_for_someone_who_sees_everything(world, tree):
    # 1: reported (2 * 50 + 1 * 100) / 3 = 66.67, verified (2 * 0 + 1 * 100) / 3 = 33.33; 2: 0 and 0
    # plan: reported (66.67 + 0) / 2 = 33.335 -> 33.34 (half up), verified (33.33 + 0) / 2 = 16.665 -> 16.67
    figures = aggregates.plan_progress(world.superuser, [world.plan.pk])[world.plan.pk]
    assert figures["progress"]["reported"] == Decimal("33.34")
    assert figures["progress"]["verified"] == Decimal("16.67")
    assert figures["progress"]["coverage"] == Coverage(reported=1, total=2)
    assert figures["count"] == 4
    python = summary.overall_progress(summary.load_actions(world.superuser, world.plan))
    assert (python["reported"], python["verified"], python["coverage"]) == (
        Decimal("33.34"), Decimal("16.67"), Coverage(1, 2))


def test_a_scoped_reader_rolls_up_their_own_top_level(world, tree):
    # the Dukcapil officer sees 1 and 1.1 (UPT Dukcapil lies under Dukcapil): the top level is 1 alone, whose
    # progress counts every child, seen or not: 66.67 reported, 33.33 verified; 1 of 1 reported
    figures = aggregates.plan_progress(world.officer, [world.plan.pk])[world.plan.pk]
    assert figures["progress"]["reported"] == Decimal("66.67")
    assert figures["progress"]["verified"] == Decimal("33.33")
    assert figures["progress"]["coverage"] == Coverage(reported=1, total=1)
    assert figures["count"] == 2
    python = summary.overall_progress(summary.load_actions(world.officer, world.plan))
    assert (python["reported"], python["verified"]) == (Decimal("66.67"), Decimal("33.33"))


def test_own_weights_when_every_top_level_action_has_one(world, tree):
    wp.set_weights(actor=world.superuser, work_plan=world.plan, parent=None,
                   weights={tree["1"].pk: Decimal(3), tree["2"].pk: Decimal(1)})
    # reported (3 * 66.67 + 1 * 0) / 4 = 50.0025 -> 50.00; verified 3 * 33.33 / 4 = 24.9975 -> 25.00
    figures = aggregates.plan_progress(world.superuser, [world.plan.pk])[world.plan.pk]
    assert (figures["progress"]["reported"], figures["progress"]["verified"]) == (Decimal("50.00"), Decimal("25.00"))


def test_a_plan_without_visible_actions_shows_zero(world, tree):
    figures = aggregates.plan_progress(world.superuser, [world.other_plan.pk])[world.other_plan.pk]
    assert figures["progress"]["reported"] == Decimal("0.00")
    assert figures["progress"]["coverage"] == Coverage(0, 0)
    assert figures["count"] == 0


def test_status_counts_and_province_rows_in_sql(world, tree):
    # on 1 July 2021 (181 of 364 days = 49.73 % elapsed): 1 at 66.67 % on track; 1.1 at 50 % on track;
    # 1.2 verified; 2 nothing reported, lag 49.73 > 25: at risk
    counts = aggregates.status_counts(Action.objects.filter(work_plan=world.plan), dt.date(2021, 7, 1))
    assert counts == {**dict.fromkeys(Status.ALL, 0), Status.ON_TRACK: 2, Status.VERIFIED: 1, Status.AT_RISK: 1}
    python = {row["code"]: row["count"] for row in summary.status_counts(
        summary.load_actions(world.superuser, world.plan), dt.date(2021, 7, 1))}
    assert python == counts
    # every action lies in Jambi (15); budgets 15,000,000 each planned, 0 realized (money spent: none)
    [row] = aggregates.by_province(world.superuser, dt.datetime(2021, 7, 1, 5, tzinfo=UTC))
    assert row == {"code": "15", "count": 4, "plans": 1, "overdue": 0, "at_risk": 1,
                   "planned": 60_000_000, "realized": 0}
