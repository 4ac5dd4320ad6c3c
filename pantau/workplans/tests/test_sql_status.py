"""The derived status in SQL (``workplans.statuses``) and the stored roll-ups (``actions.refresh_rollups``) agree with
the Python rule (``progress.derive_status``, ``Action.progress``) for every status, at the 25-point boundary, for
parents, and across the three time zones (issue 11). Expected values are worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans import summary
from pantau.workplans.filters import ActionFilterSet
from pantau.workplans.models import Action
from pantau.workplans.progress import Status
from pantau.workplans.statuses import with_status
from pantau.workplans.tests.test_time_zones import ZONES, due_today  # noqa: F401  (fixture)

UTC = dt.UTC
TODAY = dt.date(2024, 7, 1)
AT = dt.datetime(2024, 6, 1, 3, tzinfo=UTC)


def _make(world: Any, code: str, start: dt.date, due: dt.date, **extra: Any) -> Action:
    return wp.create_action(actor=world.superuser, work_plan=world.plan, data=action_data(
        world.dukcapil, code=code, start_date=start, due_date=due, fiscal_year=2024, **extra))


def _report(world: Any, action: Action, value: str, *, accept: bool = False) -> None:
    report = wp.report_progress(actor=world.superuser, action=action, report_date=dt.date(2024, 6, 1),
                                actual_value=Decimal(value), narrative="progress", now=AT, confirm=True)
    if accept:
        wp.accept_report(actor=world.assistant, report=report)


@pytest.fixture
def every_status(world: Any) -> dict[str, str]:
    """Actions of 0 -> 10 (target 10), one per status on 1 July 2024, with the status worked out by hand."""
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))  # 365 days; on 1 July 182 elapsed = 49.86 %
    expected = {}
    cancelled = _make(world, "A", *year)
    wp.cancel_action(actor=world.superuser, action=cancelled, reason="Replaced", on=dt.date(2024, 6, 2))
    expected["A"] = Status.CANCELLED
    verified = _make(world, "B", *year)
    _report(world, verified, "10", accept=True)  # accepted 100 %
    expected["B"] = Status.VERIFIED
    done = _make(world, "C", *year)
    _report(world, done, "10")  # reported 100 %, not accepted
    expected["C"] = Status.DONE
    late = _make(world, "D", dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    _report(world, late, "5")  # due 30 June, 50 %
    expected["D"] = Status.OVERDUE
    _make(world, "E", dt.date(2024, 8, 1), dt.date(2024, 12, 31))  # starts after today
    expected["E"] = Status.NOT_STARTED
    _make(world, "F", dt.date(2024, 6, 1), dt.date(2024, 12, 31))  # 30 / 213 days = 14.08 %, no report: lag <= 25
    expected["F"] = Status.NOT_STARTED
    behind = _make(world, "G", *year)
    _report(world, behind, "2")  # 49.86 - 20 = 29.86 > 25
    expected["G"] = Status.AT_RISK
    fine = _make(world, "H", *year)
    _report(world, fine, "3")  # 49.86 - 30 = 19.86
    expected["H"] = Status.ON_TRACK
    edge = _make(world, "I", dt.date(2024, 6, 29), dt.date(2024, 7, 3))
    _report(world, edge, "2.5")  # 2 of 4 days = 50 %, reported 25 %: lag exactly 25, not more
    expected["I"] = Status.ON_TRACK
    over_edge = _make(world, "J", dt.date(2024, 6, 29), dt.date(2024, 7, 3))
    _report(world, over_edge, "2.49")  # 50 - 24.9 = 25.1 > 25
    expected["J"] = Status.AT_RISK
    due_today_all_elapsed = _make(world, "K", dt.date(2024, 6, 1), TODAY)
    _report(world, due_today_all_elapsed, "7.5")  # due today: elapsed 100 %, 100 - 75 = 25, not more
    expected["K"] = Status.ON_TRACK
    # a parent: children weight 1 (100 % reported) and 3 (nothing): (1 * 100 + 3 * 0) / 4 = 25.00 %
    parent = _make(world, "P", *year)
    first = _make(world, "P.1", *year, parent=parent, weight=Decimal(1))
    _make(world, "P.2", *year, parent=parent, weight=Decimal(3))
    _report(world, first, "10")
    expected["P"] = Status.ON_TRACK  # 49.86 - 25 = 24.86, reported (one child did)
    expected["P.1"] = Status.DONE
    expected["P.2"] = Status.AT_RISK  # 49.86 - 0 > 25
    return expected


def test_the_stored_rollup_of_a_parent_is_the_weighted_mean_of_its_children(world, every_status):
    parent = Action.objects.get(work_plan=world.plan, code="P")
    assert parent.progress_reported == Decimal("25.00")
    assert parent.progress_verified == Decimal("0.00")
    assert parent.reported_any is True
    child = Action.objects.get(work_plan=world.plan, code="P.2")
    assert (child.progress_reported, child.reported_any) == (Decimal("0.00"), False)


def test_every_status_in_sql_matches_the_hand_worked_status_and_the_python_rule(world, every_status):
    in_sql = dict(with_status(Action.objects.filter(work_plan=world.plan), TODAY).values_list("code", "sql_status"))
    assert in_sql == every_status
    in_python = {a.code: a.status_on(TODAY) for a in summary.load_trees([world.plan.pk])}
    assert in_python == every_status
    assert set(every_status.values()) == set(Status.ALL)


def test_the_status_filter_runs_in_sql(world, every_status, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2024, 7, 1, 5, tzinfo=UTC))  # 12:00 WIB, 1 July
    for status in Status.ALL:
        found = ActionFilterSet({"status": status}, queryset=Action.objects.all()).qs
        assert sorted(found.values_list("code", flat=True)) == sorted(c for c, s in every_status.items() if s == status)


def test_a_cancelled_child_leaves_the_stored_rollup(world, every_status):
    # cancelling P.2 (weight 3, 0 %) leaves P.1 alone: the parent is at 100 % reported, done
    wp.cancel_action(actor=world.superuser, action=Action.objects.get(work_plan=world.plan, code="P.2"),
                     reason="Not needed")
    parent = Action.objects.get(work_plan=world.plan, code="P")
    assert parent.progress_reported == Decimal("100.00")
    assert with_status(Action.objects.filter(pk=parent.pk), TODAY).get().sql_status == Status.DONE


def test_at_one_instant_papua_is_overdue_in_sql_while_jambi_and_bali_are_not(due_today):  # noqa: F811
    # 15:30 UTC on 16 August = 00:30 WIT on the 17th (due yesterday), 23:30 WITA and 22:30 WIB on the 16th (due today)
    now = dt.datetime(2024, 8, 16, 15, 30, tzinfo=UTC)
    ids = [a.pk for a in due_today.values()]
    in_sql = dict(with_status(Action.objects.filter(pk__in=ids), now).values_list("code", "sql_status"))
    # due today in WIB/WITA: elapsed 100 %, reported 50 %: lag 50 > 25, at risk
    assert in_sql == {"WIT": Status.OVERDUE, "WITA": Status.AT_RISK, "WIB": Status.AT_RISK}
    assert in_sql == {code: a.status_at(now) for code, a in due_today.items()}
    assert set(ZONES) == set(in_sql)


def test_a_units_own_zone_wins_over_its_province_in_sql(due_today, world):  # noqa: F811
    from pantau.organizations.models import Unit

    Unit.objects.filter(pk=world.dukcapil.pk).update(time_zone="Asia/Jayapura")
    now = dt.datetime(2024, 8, 16, 15, 1, tzinfo=UTC)  # 00:01 WIT on 17 August
    assert with_status(Action.objects.filter(pk=due_today["WIB"].pk), now).get().sql_status == Status.OVERDUE


def test_the_command_repairs_roll_ups_written_outside_the_write_path(world, every_status):
    from django.core.management import call_command

    Action.objects.filter(work_plan=world.plan, code="P").update(progress_reported=Decimal("99.00"))
    call_command("refresh_rollups", stdout=__import__("io").StringIO())
    assert Action.objects.get(work_plan=world.plan, code="P").progress_reported == Decimal("25.00")  # hand: above
