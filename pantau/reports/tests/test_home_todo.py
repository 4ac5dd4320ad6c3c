"""The home page as a to-do list: my actions due soon or overdue (in the unit's own time zone), escalated actions
for the Ombudsman assistant, reports waiting for verification with their waiting days, my returned reports, my
meetings in the coming 30 days."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from pantau.conftest import action_data
from pantau.meetings.models import Meeting, MeetingKind, MeetingMode
from pantau.workplans import actions as wp
from pantau.workplans.models import ProgressReport


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def make(world, code, unit, due_in, start_ago=60):
    today = world.regency.local_today()
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
        unit, code=code, title=f"Action {code}", start_date=today - dt.timedelta(days=start_ago),
        due_date=today + dt.timedelta(days=due_in)))


@pytest.fixture
def todo(world):
    """Dukcapil: 1 due in 3 days, 2 overdue by 5 days, 3 due in 20 days, 4 due in 2 days but done; DPMPTSP: 5 due
    in 2 days, 6 overdue by 20 days. Meetings of the plan in 10 and 40 days and yesterday; of the other regency's
    plan in 5 days."""
    today = world.regency.local_today()
    w = world
    w.a1 = make(w, "1", w.dukcapil, 3)
    w.a2 = make(w, "2", w.dukcapil, -5)
    w.a3 = make(w, "3", w.dukcapil, 20)
    w.a4 = make(w, "4", w.dukcapil, 2)
    wp.report_progress(actor=w.officer, action=w.a4, report_date=today, actual_value=Decimal(10), narrative="done")
    w.a5 = make(w, "5", w.dpmptsp, 2)
    w.a6 = make(w, "6", w.dpmptsp, -20, start_ago=90)
    for days, title in [(10, "Evaluation in 10 days"), (40, "Evaluation in 40 days"), (-1, "Yesterday's meeting")]:
        Meeting.objects.create(agreement=w.plan, kind=MeetingKind.EVALUATION, title=title, mode=MeetingMode.HYBRID,
                               date=today + dt.timedelta(days=days))
    Meeting.objects.create(agreement=w.other_plan, kind=MeetingKind.MENTORING, title="Muaro Jambi mentoring",
                           mode=MeetingMode.ONLINE, date=today + dt.timedelta(days=5))
    return w


def section(page, marker):
    start = page.index(marker)
    return page[start:page.index("</section>", start)]


def test_the_officer_sees_the_overdue_action_first_then_those_due_within_14_days(todo):
    page = client_for(todo.officer).get("/").content.decode()
    mine = section(page, 'id="h-my-actions"')
    assert "Action 2" in mine and "5 days overdue" in mine
    assert "Action 1" in mine and "due in 3 days" in mine
    assert mine.index("Action 2") < mine.index("Action 1")
    assert "Action 3" not in mine  # due in 20 days
    assert "Action 4" not in mine  # reported done
    assert "Action 5" not in mine and "Action 6" not in mine  # another agency's


def test_the_other_agencys_officer_sees_only_their_own(todo):
    mine = section(client_for(todo.other_officer).get("/").content.decode(), 'id="h-my-actions"')
    assert "Action 6" in mine and "Action 5" in mine and "due in 2 days" in mine
    assert "Action 1" not in mine


def test_the_assistant_sees_actions_overdue_for_14_days_or_more_and_no_my_actions(todo):
    page = client_for(todo.assistant).get("/").content.decode()
    assert 'id="h-my-actions"' not in page
    escalated = section(page, 'id="h-escalated"')
    assert "Action 6" in escalated and "20 days overdue" in escalated
    assert "Action 2" not in escalated  # 5 days overdue


def test_reports_waiting_for_the_assistant_show_how_long_they_waited(todo):
    today = todo.regency.local_today()
    report = wp.report_progress(actor=todo.officer, action=todo.a1, report_date=today, actual_value=Decimal(4),
                                narrative="four")
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - dt.timedelta(days=9))
    pending = section(client_for(todo.assistant).get("/").content.decode(), 'id="h-pending"')
    assert "Action 1" in pending and "9 days" in pending


def test_my_returned_report_is_on_my_list(todo):
    today = todo.regency.local_today()
    report = wp.report_progress(actor=todo.officer, action=todo.a1, report_date=today, actual_value=Decimal(4),
                                narrative="four")
    wp.return_report(actor=todo.assistant, report=report, reason="Attach the SK")
    returned = section(client_for(todo.officer).get("/").content.decode(), 'id="h-returned"')
    assert "Attach the SK" in returned


def test_my_meetings_are_those_of_my_plans_in_the_coming_30_days(todo):
    meetings = section(client_for(todo.officer).get("/").content.decode(), 'id="h-meetings"')
    assert "Evaluation in 10 days" in meetings
    assert "Evaluation in 40 days" not in meetings
    assert "Yesterday" not in meetings
    assert "Muaro Jambi mentoring" not in meetings  # another regency's plan
    outsider = section(client_for(todo.outsider).get("/").content.decode(), 'id="h-meetings"')
    assert "Muaro Jambi mentoring" in outsider and "Evaluation in 10 days" not in outsider


def test_a_viewer_has_no_to_do_list(todo):
    page = client_for(todo.viewer).get("/").content.decode()
    for marker in ('id="h-my-actions"', 'id="h-escalated"', 'id="h-pending"', 'id="h-returned"'):
        assert marker not in page
    assert 'id="h-meetings"' in page  # a viewer of the regency may still attend its meetings


def test_the_due_date_is_counted_in_the_units_own_time_zone(world, monkeypatch):
    from pantau.reports import todo as todo_module

    action = make(world, "9", world.dukcapil, 1)
    # 23:30 WIB on the day before the due date is 01:30 WIT on the due date: from Papua it would be due today
    now = dt.datetime.combine(action.due_date - dt.timedelta(days=1), dt.time(23, 30),
                              tzinfo=dt.timezone(dt.timedelta(hours=7)))
    [row] = todo_module.my_actions(world.officer, now)
    assert (row.today, row.days_left) == (action.due_date - dt.timedelta(days=1), 1)
    type(world.dukcapil).objects.filter(pk=world.dukcapil.pk).update(time_zone="Asia/Jayapura")
    [row] = todo_module.my_actions(world.officer, now)
    assert (row.today, row.days_left) == (action.due_date, 0)
