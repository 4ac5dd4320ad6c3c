"""The home page as a to-do list: my actions due soon or overdue, escalated actions, reports waiting for me, my
returned reports, my meetings. Each list is one query in SQL (statuses by ``workplans.statuses``), bounded, so the
page costs the same number of queries and about the same time whatever the size of the plans.

Dates are each responsible unit's (or, for meetings, the agreement's government's) own local date (rules.md
section 10), the same clock the reminders use (``workplans.reminders``).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from pantau.accounts.models import Permission
from pantau.accounts.scoping import scope
from pantau.core.workdays import local_date
from pantau.meetings.models import Meeting
from pantau.workplans.aggregates import open_actions
from pantau.workplans.models import Action
from pantau.workplans.reminders import action_today

MEETING_DAYS = 30
"""Meetings in the coming 30 days (today included) are listed."""
MAX_ROWS = 100


@dataclass(frozen=True)
class ActionRow:
    """An action to do: ``days_left`` (negative: days overdue) counted on ``today``, the unit's local date."""

    action: Action
    today: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        """True when the due date has passed."""
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        """Days past the due date (0 when not overdue)."""
        return max(0, -self.days_left)


def _rows(queryset: Any, now: dt.datetime, limit: int) -> list[ActionRow]:
    """The first ``limit`` actions of ``queryset`` (``aggregates.open_actions``) as rows, units and plans joined."""
    rows = []
    for action in queryset.select_related("responsible_unit", "work_plan")[:limit]:
        today = action_today(action, now)
        rows.append(ActionRow(action, today, (action.due_date - today).days))
    return rows


def my_actions(user: Any, now: dt.datetime, limit: int = MAX_ROWS) -> list[ActionRow]:
    """The actions ``user`` reports on (REPORT_PROGRESS on the responsible unit) with work left that are overdue or
    due within the largest reminder window (14 days by default), overdue first, then by due date; at most
    ``limit``. One query, in SQL whatever the number of actions (``workplans.aggregates.open_actions``)."""
    horizon = max(settings.PANTAU_REMINDER_DUE_DAYS)
    found = open_actions(user, Permission.REPORT_PROGRESS, now).filter(days_left__lte=horizon).annotate(
        late=Case(When(days_left__lt=0, then=Value(0)), default=Value(1), output_field=IntegerField()))
    return _rows(found.order_by("late", "due_date", "sort_key", "pk"), now, limit)


def escalated_actions(user: Any, now: dt.datetime, limit: int = MAX_ROWS) -> list[ActionRow]:
    """For those who verify (Ombudsman assistants): actions in their VERIFY_PROGRESS scope with work left, overdue
    for at least the escalation delay (14 days by default), the longest overdue first; at most ``limit``. One
    query (none when the user verifies nothing)."""
    if scope(user, Permission.VERIFY_PROGRESS).is_empty:
        return []
    delay = settings.PANTAU_REMINDER_ESCALATION_DAYS
    found = open_actions(user, Permission.VERIFY_PROGRESS, now).filter(days_left__lte=-delay)
    return _rows(found.order_by("due_date", "sort_key", "pk"), now, limit)


def upcoming_meetings(user: Any, now: dt.datetime, days: int = MEETING_DAYS) -> list[Meeting]:
    """Meetings of the agreements ``user`` may VIEW from today to ``days`` - 1 days ahead, each counted on the
    local date of its agreement's government; by date. One query."""
    utc_today = now.astimezone(dt.UTC).date()
    candidates = (
        Meeting.objects.for_user(user, Permission.VIEW)
        .filter(date__gte=utc_today - dt.timedelta(days=1), date__lte=utc_today + dt.timedelta(days=days + 1))
        .select_related("agreement", "agreement__government").order_by("date", "pk")
    )
    found = []
    for meeting in candidates:
        today = meeting.agreement.government.local_today(now)
        if 0 <= (meeting.date - today).days < days:
            found.append(meeting)
    return found[:MAX_ROWS]


def waiting_days(report: Any, now: dt.datetime) -> int:
    """Whole days a progress report has waited since it was submitted, in its responsible unit's local dates."""
    unit = report.action.responsible_unit
    return (unit.local_today(now) - local_date(report.submitted_at, unit.zone)).days
