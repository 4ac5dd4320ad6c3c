"""Each office on its own clock (issue 10; Keppres 41/1987, domain/rules.md section 10): an action's "today" is its
responsible unit's local date, so status, report-date checks and defaults turn at local midnight in WIB, WITA and
WIT. Every instant here is a fixed aware datetime passed in as ``now``; nothing reads the wall clock.

Offsets: WIB = UTC+7 (Asia/Jakarta), WITA = UTC+8 (Asia/Makassar), WIT = UTC+9 (Asia/Jayapura); Indonesia keeps no
daylight saving time, so local midnight of 17 August 2024 is 16 Aug 17:00 UTC (WIB), 16:00 UTC (WITA), 15:00 UTC
(WIT).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pantau.agreements.models import Agreement, AgreementKind
from pantau.conftest import action_data
from pantau.organizations.models import Unit, UnitKind
from pantau.workplans import actions as wp
from pantau.workplans import summary
from pantau.workplans.models import Action
from pantau.workplans.progress import Status

UTC = dt.UTC
DUE = dt.date(2024, 8, 16)

# province code, zone short name, the UTC instant of local midnight starting 17 August 2024
ZONES = {
    "WIB": ("15", dt.datetime(2024, 8, 16, 17, 0, tzinfo=UTC)),   # Jambi
    "WITA": ("51", dt.datetime(2024, 8, 16, 16, 0, tzinfo=UTC)),  # Bali
    "WIT": ("94", dt.datetime(2024, 8, 16, 15, 0, tzinfo=UTC)),   # Papua
}


def _plan_in(world: Any, province: str, name: str) -> tuple[Agreement, Unit]:
    government = Unit.objects.create(name=f"Pemerintah {name}", kind=UnitKind.REGIONAL_GOVERNMENT,
                                     province_code=province)
    agency = Unit.objects.create(name=f"Dukcapil {name}", kind=UnitKind.AGENCY, parent=government)
    plan = Agreement.objects.create(kind=AgreementKind.WORK_PLAN, title=f"Rencana Kerja {name}",
                                    ombudsman_office=world.office, government=government, is_signed=True,
                                    signed_on=dt.date(2024, 1, 2))
    return plan, agency


@pytest.fixture
def due_today(world: Any) -> dict[str, Action]:
    """One action per zone, 1 January - 16 August 2024, half reported (50 %)."""
    actions = {}
    for short, (province, _midnight) in ZONES.items():
        if province == "15":
            plan, unit = world.plan, world.dukcapil
        else:
            plan, unit = _plan_in(world, province, short)
        action = wp.create_action(actor=world.superuser, work_plan=plan, data=action_data(
            unit, code=short, start_date=dt.date(2024, 1, 1), due_date=DUE, fiscal_year=2024))
        wp.report_progress(actor=world.superuser, action=action, report_date=dt.date(2024, 6, 1),
                           actual_value=Decimal("5"), narrative="half", now=dt.datetime(2024, 6, 1, 3, tzinfo=UTC))
        actions[short] = Action.objects.select_related("responsible_unit").get(pk=action.pk)
    return actions


@pytest.mark.parametrize("short", ZONES)
def test_an_action_due_today_turns_overdue_at_its_own_local_midnight(due_today, short):
    action = due_today[short]
    midnight = ZONES[short][1]
    assert action.responsible_unit.zone_abbreviation == short
    before = midnight - dt.timedelta(minutes=1)  # 23:59 on 16 August, local time
    after = midnight + dt.timedelta(minutes=1)   # 00:01 on 17 August, local time
    assert action.local_today(before) == DUE
    assert action.local_today(after) == DUE + dt.timedelta(days=1)
    assert action.status_at(before) != Status.OVERDUE
    assert action.status_at(after) == Status.OVERDUE


def test_at_one_instant_papua_is_already_late_while_jambi_is_not(due_today):
    # 15:30 UTC on 16 August = 00:30 WIT on the 17th, 23:30 WITA and 22:30 WIB on the 16th
    now = dt.datetime(2024, 8, 16, 15, 30, tzinfo=UTC)
    statuses = {short: action.status_at(now) for short, action in due_today.items()}
    assert statuses["WIT"] == Status.OVERDUE
    assert statuses["WITA"] != Status.OVERDUE and statuses["WIB"] != Status.OVERDUE
    # the dashboard's counts and its overdue list use the same rule
    actions = list(due_today.values())
    summary.with_trees(actions)
    assert [a.code for a in summary.overdue(actions, now)] == ["WIT"]
    counts = {row["code"]: row["count"] for row in summary.status_counts(actions, now)}
    assert counts[Status.OVERDUE] == 1


def test_an_officer_in_papua_may_date_a_report_17_august_at_0030_wit(due_today, world):
    now = dt.datetime(2024, 8, 16, 15, 30, tzinfo=UTC)  # 00:30 WIT on 17 August
    report = wp.report_progress(actor=world.superuser, action=due_today["WIT"], report_date=dt.date(2024, 8, 17),
                                actual_value=Decimal("6"), narrative="Reported just after midnight", now=now)
    assert report.report_date == dt.date(2024, 8, 17)
    # the same instant is still 16 August in Jambi (22:30 WIB): 17 August is in the future there
    with pytest.raises(ValidationError) as refused:
        wp.report_progress(actor=world.superuser, action=due_today["WIB"], report_date=dt.date(2024, 8, 17),
                           actual_value=Decimal("6"), narrative="Too early", now=now)
    assert refused.value.message_dict == {"report_date": ["The report date cannot be in the future."]}


def test_cancelling_dates_the_cancellation_on_the_units_local_day(due_today, world, monkeypatch):
    from django.utils import timezone

    now = dt.datetime(2024, 8, 16, 15, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    wp.cancel_action(actor=world.superuser, action=due_today["WIT"], reason="Replaced")
    wp.cancel_action(actor=world.superuser, action=due_today["WIB"], reason="Replaced")
    assert Action.objects.get(pk=due_today["WIT"].pk).cancelled_on == dt.date(2024, 8, 17)
    assert Action.objects.get(pk=due_today["WIB"].pk).cancelled_on == dt.date(2024, 8, 16)


def test_a_unit_set_to_another_zone_moves_its_actions_midnight(due_today, world):
    # Jambi's Dukcapil set to WIT (the zone can be changed, Unit.time_zone): its action follows WIT's midnight
    Unit.objects.filter(pk=world.dukcapil.pk).update(time_zone="Asia/Jayapura")
    action = Action.objects.select_related("responsible_unit").get(pk=due_today["WIB"].pk)
    assert action.status_at(dt.datetime(2024, 8, 16, 15, 1, tzinfo=UTC)) == Status.OVERDUE


def test_the_timeline_shows_times_in_the_units_zone(due_today, world, client):
    client.force_login(world.superuser)
    html = client.get(reverse("workplans:action_detail", args=[due_today["WIT"].pk])).content.decode()
    # the report of the fixture was submitted "now" (wall clock: its time is not asserted), shown in WIT
    assert " WIT</time>" in html
    assert "dates in WIT, the responsible unit's time" in html
    html = client.get(reverse("workplans:action_detail", args=[due_today["WITA"].pk])).content.decode()
    assert " WITA</time>" in html


def test_the_report_form_starts_on_the_units_local_day(due_today, world, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2024, 8, 16, 15, 30, tzinfo=UTC))
    Action.objects.filter(pk=due_today["WIT"].pk).update(due_date=dt.date(2024, 12, 31))
    client.force_login(world.superuser)
    response = client.get(reverse("workplans:action_report", args=[due_today["WIT"].pk]))
    assert response.context["form"].initial["report_date"] == dt.date(2024, 8, 17)
    assert "(WIT)" in response.content.decode()
