"""Reminder rules of work plans, in each unit's own time zone (rules.md section 10): due in 14, 7 and 1 days,
overdue (weekly), escalation after 14 days overdue, returned reports and reports waiting for verification.

The clock is injected (``send_reminders(now=...)``); expected days are counted by hand in the comments."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from pantau.accounts.models import Role
from pantau.agreements.models import Agreement, AgreementKind
from pantau.conftest import action_data, make_region, make_user
from pantau.notifications.jobs import send_reminders
from pantau.notifications.models import Notification
from pantau.organizations.models import Unit, UnitKind
from pantau.workplans import actions as wp
from pantau.workplans import reminders
from pantau.workplans.models import ProgressReport

UTC = dt.UTC
DUE = dt.date(2024, 8, 16)


def regency(code_province, province, code, name):
    """A regency in its own province with an Ombudsman office, agency, officer, coordinator, assistant and a signed
    plan holding one action due on 16 August 2024."""
    make_region(code_province, province)
    make_region(code, name)
    office = Unit.objects.create(name=f"Ombudsman RI Perwakilan {province}", kind=UnitKind.OMBUDSMAN_OFFICE,
                                 region_id=code_province)
    government = Unit.objects.create(name=f"Pemerintah {name}", kind=UnitKind.REGIONAL_GOVERNMENT, region_id=code)
    agency = Unit.objects.create(name=f"Dinas Dukcapil {name}", short_name="Dukcapil", kind=UnitKind.AGENCY,
                                 parent=government)
    plan = Agreement.objects.create(kind=AgreementKind.WORK_PLAN, title=f"Rencana Kerja {name}",
                                    ombudsman_office=office, government=government, is_signed=True,
                                    signed_on=dt.date(2024, 1, 10))
    slug = code.replace(".", "_")
    z = SimpleNamespace(office=office, government=government, agency=agency, plan=plan)
    z.officer = make_user(f"officer_{slug}", Role.UNIT_OFFICER, agency, email=f"officer_{slug}@example.id")
    z.coordinator = make_user(f"coord_{slug}", Role.COORDINATOR, government, email=f"coord_{slug}@example.id")
    z.assistant = make_user(f"assistant_{slug}", Role.OMBUDSMAN_ASSISTANT, office, email=f"asst_{slug}@example.id")
    z.action = wp.create_action(actor=z.coordinator, work_plan=plan, data=action_data(
        agency, code="1", start_date=dt.date(2024, 2, 1), due_date=DUE))
    return z


@pytest.fixture
def zones(db):
    """Three regencies, one per zone: WIB (Kabupaten Batanghari, Jambi 15), WITA (Kota Makassar, Sulawesi Selatan
    73), WIT (Kota Jayapura, Papua 91)."""
    return SimpleNamespace(
        wib=regency("15", "Jambi", "15.04", "Kabupaten Batanghari"),
        wita=regency("73", "Sulawesi Selatan", "73.71", "Kota Makassar"),
        wit=regency("91", "Papua", "91.71", "Kota Jayapura"),
    )


def sent(user, kind=None):
    """(local day, key) of the notifications ``user`` received, oldest first."""
    found = Notification.objects.filter(recipient=user)
    if kind:
        found = found.filter(kind=kind)
    return [(n.day, n.key) for n in found.order_by("day", "id")]


def at(text):
    return dt.datetime.fromisoformat(text)


# pure rules


@pytest.mark.parametrize(("days_left", "threshold"), [
    (15, None), (14, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None),
])
def test_the_due_windows_of_14_7_and_1_days(days_left, threshold):
    assert reminders.due_threshold(days_left, [14, 7, 1]) == threshold


@pytest.mark.parametrize(("days", "period"), [(0, None), (1, 0), (7, 0), (8, 1), (14, 1), (15, 2)])
def test_overdue_reminders_repeat_every_7_days_from_the_first_day_past_due(days, period):
    assert reminders.repeat_period(days, 1, 7) == period


# the time zones


def test_in_papua_an_action_due_on_16_august_is_due_in_one_day_from_15_august_00_00_wit(zones):
    send_reminders(now=at("2024-08-14T14:59:00+00:00"))  # 23:59 WIT on 14 August: 2 days left, the 7-day window
    assert sent(zones.wit.officer) == [(dt.date(2024, 8, 14), f"action:{zones.wit.action.pk}:due:7")]
    send_reminders(now=at("2024-08-14T15:00:00+00:00"))  # 00:00 WIT on 15 August: 1 day left
    assert sent(zones.wit.officer)[-1] == (dt.date(2024, 8, 15), f"action:{zones.wit.action.pk}:due:1")
    note = Notification.objects.get(recipient=zones.wit.officer, key__endswith=":due:1")
    assert note.subject == "Action 1 is due in 1 day (16 August 2024)"
    assert "Due: 16 August 2024 (WIT)" in note.body
    # the same instant is 22:00 WIB on 14 August in Jambi: 2 days left there, no 1-day reminder yet
    assert [key for _day, key in sent(zones.wib.officer)] == [f"action:{zones.wib.action.pk}:due:7"]


def test_in_papua_the_action_is_overdue_from_17_august_00_00_wit_while_still_due_today_in_jambi(zones):
    send_reminders(now=at("2024-08-16T14:59:00+00:00"))  # 23:59 WIT on 16 August
    assert sent(zones.wit.officer, reminders.OVERDUE) == []
    send_reminders(now=at("2024-08-16T15:00:00+00:00"))  # 00:00 WIT on 17 August = 23:00 WITA, 22:00 WIB on the 16th
    assert sent(zones.wit.officer, reminders.OVERDUE) == [
        (dt.date(2024, 8, 17), f"action:{zones.wit.action.pk}:overdue:0")]
    assert sent(zones.wita.officer, reminders.OVERDUE) == []
    assert sent(zones.wib.officer, reminders.OVERDUE) == []
    send_reminders(now=at("2024-08-16T16:00:00+00:00"))  # 00:00 WITA on the 17th
    assert sent(zones.wita.officer, reminders.OVERDUE) == [
        (dt.date(2024, 8, 17), f"action:{zones.wita.action.pk}:overdue:0")]
    assert sent(zones.wib.officer, reminders.OVERDUE) == []
    send_reminders(now=at("2024-08-16T17:00:00+00:00"))  # 00:00 WIB on the 17th
    assert sent(zones.wib.officer, reminders.OVERDUE) == [
        (dt.date(2024, 8, 17), f"action:{zones.wib.action.pk}:overdue:0")]


@pytest.mark.parametrize("zone", ["wib", "wita", "wit"])
@pytest.mark.parametrize("hour_utc", [0, 16, 23])  # 07/08/09 h, 23/00/01 h, 06/07/08 h local (WIB/WITA/WIT)
def test_run_hourly_or_daily_each_reminder_goes_out_once_on_its_local_day(zones, zone, hour_utc):
    z = getattr(zones, zone)
    start = dt.datetime(2024, 7, 30, hour_utc, tzinfo=UTC)
    for day in range(40):  # 30 July .. 7 September, twice a day (the same hour and 30 minutes later)
        send_reminders(now=start + dt.timedelta(days=day))
        send_reminders(now=start + dt.timedelta(days=day, minutes=30))
    pk = z.action.pk
    keys = [key for _day, key in sent(z.officer)]
    # due 16 August: 14 days left on 2 August, 7 on 9 August, 1 on 15 August; overdue on 17, 24, 31 August and
    # 7 September (days 1, 8, 15 and 22 past due)
    assert keys == [f"action:{pk}:due:14", f"action:{pk}:due:7", f"action:{pk}:due:1", f"action:{pk}:overdue:0",
                    f"action:{pk}:overdue:1", f"action:{pk}:overdue:2", f"action:{pk}:overdue:3"]
    days = [day for day, _key in sent(z.officer)]
    assert days == [dt.date(2024, 8, 2), dt.date(2024, 8, 9), dt.date(2024, 8, 15), dt.date(2024, 8, 17),
                    dt.date(2024, 8, 24), dt.date(2024, 8, 31), dt.date(2024, 9, 7)]


# escalation


def test_after_14_days_overdue_the_coordinator_and_the_ombudsman_assistant_are_told_once(zones):
    z = zones.wit
    send_reminders(now=at("2024-08-29T01:00:00+00:00"))  # 29 August 10:00 WIT: 13 days overdue
    assert sent(z.coordinator, reminders.ESCALATED) == []
    assert sent(z.assistant, reminders.ESCALATED) == []
    for day in (30, 31):  # 14 and 15 days overdue
        send_reminders(now=dt.datetime(2024, 8, day, 1, tzinfo=UTC))
    expected = [(dt.date(2024, 8, 30), f"action:{z.action.pk}:escalated")]
    assert sent(z.coordinator, reminders.ESCALATED) == expected
    assert sent(z.assistant, reminders.ESCALATED) == expected
    assert sent(z.officer, reminders.ESCALATED) == []
    note = Notification.objects.get(recipient=z.assistant, kind=reminders.ESCALATED)
    assert note.subject == "Escalation: action 1 of Dukcapil is 14 days overdue"
    # nobody of the other regencies hears of it
    assert not Notification.objects.filter(kind=reminders.ESCALATED, key=f"action:{z.action.pk}:escalated",
                                           recipient__in=[zones.wib.coordinator, zones.wib.assistant]).exists()


def test_the_escalation_delay_is_a_setting(zones, settings):
    settings.PANTAU_REMINDER_ESCALATION_DAYS = 3
    send_reminders(now=at("2024-08-19T01:00:00+00:00"))  # 19 August 10:00 WIT: 3 days overdue
    assert sent(zones.wit.coordinator, reminders.ESCALATED) == [
        (dt.date(2024, 8, 19), f"action:{zones.wit.action.pk}:escalated")]


def test_a_unit_without_an_officer_has_its_reminders_go_to_the_coordinator(zones):
    zones.wit.officer.role_grants.all().delete()
    send_reminders(now=at("2024-08-15T01:00:00+00:00"))
    assert [k for _d, k in sent(zones.wit.coordinator)] == [f"action:{zones.wit.action.pk}:due:1"]


# what is not reminded


def test_done_verified_and_cancelled_actions_and_unsigned_or_terminated_plans_get_no_reminder(zones):
    wib, wita, wit = zones.wib, zones.wita, zones.wit
    report = wp.report_progress(actor=wib.officer, action=wib.action, report_date=dt.date(2024, 8, 1),
                                actual_value=Decimal(10), narrative="all services published")  # 100 %: done
    assert report.pk
    wp.cancel_action(actor=wita.coordinator, action=wita.action, reason="merged", on=dt.date(2024, 8, 1))
    Agreement.objects.filter(pk=wit.plan.pk).update(terminated_on=dt.date(2024, 8, 1))
    send_reminders(now=at("2024-08-15T01:00:00+00:00"))
    assert Notification.objects.filter(kind__startswith="action_").count() == 0


def test_an_action_due_beyond_14_days_is_not_reminded_yet(zones):
    send_reminders(now=at("2024-08-01T01:00:00+00:00"))  # 15 days left everywhere
    assert Notification.objects.count() == 0


# progress reports


def test_a_returned_report_reminds_its_reporter_once(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                actual_value=Decimal(4), narrative="four services")
    wp.return_report(actor=world.assistant, report=report, reason="The SK is not attached.")
    report.refresh_from_db()
    send_reminders(now=report.reviewed_at + dt.timedelta(hours=1))
    send_reminders(now=report.reviewed_at + dt.timedelta(days=1))
    notes = Notification.objects.filter(kind=reminders.RETURNED)
    assert [(n.recipient, n.key) for n in notes] == [(world.officer, f"report:{report.pk}:returned")]
    assert "The SK is not attached." in notes[0].body


def test_a_returned_report_already_followed_by_a_new_one_is_not_announced(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                actual_value=Decimal(4), narrative="four services")
    wp.return_report(actor=world.assistant, report=report, reason="The SK is not attached.")
    wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 2),
                       actual_value=Decimal(4), narrative="four services, SK attached")
    report.refresh_from_db()
    send_reminders(now=report.reviewed_at + dt.timedelta(hours=1))
    assert not Notification.objects.filter(kind=reminders.RETURNED).exists()


def test_a_report_waiting_7_days_reminds_the_assistants_over_the_unit_then_weekly(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                actual_value=Decimal(4), narrative="four services")
    submitted = dt.datetime(2024, 8, 1, 3, tzinfo=UTC)  # 1 August 10:00 WIB
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
    send_reminders(now=dt.datetime(2024, 8, 7, 16, 59, tzinfo=UTC))  # 7 August 23:59 WIB: 6 days
    assert not Notification.objects.filter(kind=reminders.WAITING).exists()
    for day in range(8, 23):  # 8 .. 22 August, 10:00 WIB: 7 .. 21 days
        send_reminders(now=dt.datetime(2024, 8, day, 3, tzinfo=UTC))
    got = list(Notification.objects.filter(kind=reminders.WAITING).order_by("day", "recipient_id")
               .values_list("recipient__username", "day"))
    # the assistant on the regency and the Ombudsman admin's office are both over Dukcapil, but only the role
    # "Ombudsman assistant" verifies: days 7, 14 and 21 = 8, 15 and 22 August
    assert got == [("assistant", dt.date(2024, 8, 8)), ("assistant", dt.date(2024, 8, 15)),
                   ("assistant", dt.date(2024, 8, 22))]
    assert Notification.objects.filter(kind=reminders.WAITING).first().subject == (
        "Progress report on 1 has waited 21 days for verification")


def test_the_rules_cost_seven_queries_whatever_the_number_of_actions_and_reports(world, django_assert_num_queries):
    from django.utils import timezone

    def grow(prefix, n):
        for i in range(n):
            action = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                                      data=action_data(world.dukcapil if i % 2 else world.dpmptsp, code=f"{prefix}{i}"))
            report = wp.report_progress(actor=world.officer if i % 2 else world.other_officer, action=action,
                                        report_date=dt.date(2021, 3, 1), actual_value=Decimal(1), narrative="n")
            if i % 3 == 0:
                wp.return_report(actor=world.assistant, report=report, reason="r")

    now = timezone.now() + dt.timedelta(days=8)  # the reports have waited 8 days; the actions are long overdue
    counts = []
    for prefix, n in (("A", 3), ("B", 30)):
        grow(prefix, n)
        with django_assert_num_queries(7) as captured:  # plans, trees, grants; reports, grants; reports, grants
            drafts = [*reminders.action_reminders(now), *reminders.returned_reports(now),
                      *reminders.waiting_reports(now)]
        counts.append((len(captured.captured_queries), len(drafts)))
    assert counts[0][0] == counts[1][0] == 7
    assert counts[1][1] > counts[0][1]
