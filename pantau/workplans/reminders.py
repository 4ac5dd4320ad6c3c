"""Reminder rules of work plans: actions due soon, overdue and escalated; progress reports returned or waiting for
verification. Registered with ``pantau.notifications.registry`` in ``WorkplansConfig.ready()``; the notifications
app runs them (``pantau send_reminders``) and never imports this module (it sits below workplans).

Every date is the responsible unit's own local date (``action_today``; rules.md section 10: a deadline "by
16 August" ends at midnight local time). No regulation sets when to remind; the days are Pantau's choices, set per
installation in the environment (pantau/settings.py, .env.example):

====================  ==============================================================  ==========================
kind                  when (local date of the responsible unit)                        to
====================  ==============================================================  ==========================
action_due            due in at most 14, 7 and 1 days (PANTAU_REMINDER_DUE_DAYS): one  unit officers over the
                      reminder per threshold, the first run inside its window (a       responsible unit (the
                      missed day is caught up; "due today" falls in the last window)  coordinators when none)
action_overdue        the first day past due, then every 7 days while overdue          same
                      (PANTAU_REMINDER_OVERDUE_REPEAT_DAYS)
action_escalated      once, from 14 days overdue (PANTAU_REMINDER_ESCALATION_DAYS)     coordinators and Ombudsman
                                                                                       assistants over the unit
report_returned       once, the first run after an assistant returned a report         who submitted it (else the
                      (within 7 days; not when a newer report was already sent)        unit officers)
report_waiting        from 7 days after submission, then every 7 days while it waits   Ombudsman assistants over
                      (PANTAU_REMINDER_VERIFICATION_DAYS)                               the unit
====================  ==============================================================  ==========================

Only actions whose status on the local date needs work count (not done, verified or cancelled; status from
``Action.status_on``, docs/status.md), in work plans that are signed and not terminated. Keys name the period
(``action:12:due:7``, ``action:12:overdue:0``, ``report:5:waiting:1``), so each reminder goes out once
(``registry.Draft.once``). Queries per run: the candidate plans, their action trees (``summary.load_trees``), the
returned and the waiting reports, and the role grants once per rule (``RoleIndex``): seven, whatever the number of
actions and reports.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pantau.accounts.models import Role
from pantau.agreements.models import AgreementStatus
from pantau.core.workdays import local_date
from pantau.notifications import registry
from pantau.notifications.recipients import RoleIndex
from pantau.workplans import summary
from pantau.workplans.models import Action, ProgressReport, ReportStatus
from pantau.workplans.progress import Status

DUE, OVERDUE, ESCALATED, RETURNED, WAITING = (
    "action_due", "action_overdue", "action_escalated", "report_returned", "report_waiting",
)
KINDS = [
    registry.Kind(DUE, gettext_lazy("actions due soon"),
                  gettext_lazy("An action of your unit is due in 14, 7 or 1 days.")),
    registry.Kind(OVERDUE, gettext_lazy("overdue actions"),
                  gettext_lazy("An action of your unit is past its due date (repeated weekly).")),
    registry.Kind(ESCALATED, gettext_lazy("escalated overdue actions"),
                  gettext_lazy("For coordinators and Ombudsman assistants: an action has been overdue for two weeks.")),
    registry.Kind(RETURNED, gettext_lazy("returned progress reports"),
                  gettext_lazy("An Ombudsman assistant returned a progress report, with the reason.")),
    registry.Kind(WAITING, gettext_lazy("reports waiting for verification"),
                  gettext_lazy("For Ombudsman assistants: a progress report has waited a week or more.")),
]
RETURNED_LOOKBACK_DAYS = 7
"""A returned report is announced only within this many days of its return (so a first run on old data does not
announce years of returns)."""
NO_WORK_LEFT = {Status.DONE, Status.VERIFIED, Status.CANCELLED}


def register() -> None:
    """Register the kinds and rules above (called by ``WorkplansConfig.ready``)."""
    for kind in KINDS:
        registry.register_kind(kind)
    registry.register_rule("workplans.actions", action_reminders)
    registry.register_rule("workplans.returned_reports", returned_reports)
    registry.register_rule("workplans.waiting_reports", waiting_reports)


# Pure rules (days in, decision out) --------------------------------------------------------------------------------


def action_today(action: Action, now: dt.datetime) -> dt.date:
    """Today for ``action``: the date of ``now`` in its responsible unit's time zone."""
    return action.responsible_unit.local_today(now)


def due_threshold(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The reminder threshold whose window holds ``days_left``: thresholds (14, 7, 1) give the windows 8-14 -> 14,
    2-7 -> 7 and 0-1 -> 1 (due today counts as the last window); None outside (already past due, or further away
    than the largest threshold)."""
    ordered = sorted(set(thresholds))
    if not ordered or days_left < 0 or days_left > ordered[-1]:
        return None
    return next(t for t in ordered if days_left <= t)


def repeat_period(days: int, first: int, every: int) -> int | None:
    """Which period a count of days falls in for a reminder due from day ``first`` and repeated every ``every``
    days: None before ``first``, then 0, 1, 2 ... (day ``first`` + ``every`` starts period 1)."""
    if days < first:
        return None
    return (days - first) // every


# Recipients and texts ----------------------------------------------------------------------------------------------


def _officers(index: RoleIndex, unit: Any) -> set[int]:
    """Unit officers over ``unit``; the coordinators over it when it has none (someone must hear of it)."""
    return index.holders(unit, Role.UNIT_OFFICER) or index.holders(unit, Role.COORDINATOR)


def _when(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _action_body(action: Action, today: dt.date) -> str:
    unit = action.responsible_unit
    return _(
        "%(title)s\nWork plan: %(plan)s\nResponsible unit: %(unit)s (%(pic)s)\nDue: %(due)s (%(zone)s)\n"
        "Reported progress: %(reported)s %%, verified: %(verified)s %%"
    ) % {"title": action.title, "plan": action.work_plan.title, "unit": unit.name, "pic": action.pic_position,
         "due": _when(action.due_date), "zone": unit.zone_abbreviation,
         "reported": number_format(action.reported_progress, 2), "verified": number_format(action.verified_progress, 2)}


def _drafts(recipients: Iterable[int], **fields: Any) -> list[registry.Draft]:
    return [registry.Draft(recipient_id=r, **fields) for r in sorted(recipients)]


# The rules ---------------------------------------------------------------------------------------------------------


def action_reminders(now: dt.datetime) -> list[registry.Draft]:
    """Due-soon, overdue and escalation reminders for every open action (table in the module docstring)."""
    thresholds = settings.PANTAU_REMINDER_DUE_DAYS
    repeat = settings.PANTAU_REMINDER_OVERDUE_REPEAT_DAYS
    escalation = settings.PANTAU_REMINDER_ESCALATION_DAYS
    # a day beyond the window in UTC covers every Indonesian zone (UTC+7 to UTC+9)
    horizon = now.astimezone(dt.UTC).date() + dt.timedelta(days=max(thresholds) + 2)
    plan_ids = set(
        Action.objects.filter(cancelled_on__isnull=True, due_date__lte=horizon, work_plan__is_signed=True)
        .values_list("work_plan_id", flat=True).distinct()
    )
    if not plan_ids:
        return []
    index = RoleIndex([Role.UNIT_OFFICER, Role.COORDINATOR, Role.OMBUDSMAN_ASSISTANT])
    drafts: list[registry.Draft] = []
    for action in summary.load_trees(plan_ids):
        if action.cancelled_on is not None or action.due_date > horizon:
            continue
        today = action_today(action, now)
        if action.work_plan.status_on(today) in (AgreementStatus.DRAFT, AgreementStatus.TERMINATED):
            continue
        status = action.status_on(today)
        if status in NO_WORK_LEFT:
            continue
        unit = action.responsible_unit
        url = reverse("workplans:action_detail", args=[action.pk])
        days_left = (action.due_date - today).days
        threshold = due_threshold(days_left, thresholds)
        if threshold is not None:
            if days_left == 0:
                subject = _("Action %(code)s is due today (%(due)s)") % {"code": action.code,
                                                                          "due": _when(action.due_date)}
            else:
                subject = ngettext("Action %(code)s is due in %(days)d day (%(due)s)",
                                   "Action %(code)s is due in %(days)d days (%(due)s)", days_left) % {
                    "code": action.code, "days": days_left, "due": _when(action.due_date)}
            drafts += _drafts(_officers(index, unit), kind=DUE, key=f"action:{action.pk}:due:{threshold}",
                              day=today, subject=subject, body=_action_body(action, today), url=url)
            continue
        if status != Status.OVERDUE:
            continue
        late = -days_left
        period = repeat_period(late, 1, repeat)
        if period is not None:
            subject = ngettext("Action %(code)s is %(days)d day overdue", "Action %(code)s is %(days)d days overdue",
                               late) % {"code": action.code, "days": late}
            drafts += _drafts(_officers(index, unit), kind=OVERDUE, key=f"action:{action.pk}:overdue:{period}",
                              day=today, subject=subject, body=_action_body(action, today), url=url)
        if late >= escalation:
            subject = ngettext("Escalation: action %(code)s of %(unit)s is %(days)d day overdue",
                               "Escalation: action %(code)s of %(unit)s is %(days)d days overdue", late) % {
                "code": action.code, "unit": unit.short_name or unit.name, "days": late}
            body = _action_body(action, today) + "\n" + _(
                "The unit's officers have been reminded since the due date. Please follow up with the unit.")
            supervisors = index.holders(unit, Role.COORDINATOR) | index.holders(unit, Role.OMBUDSMAN_ASSISTANT)
            drafts += _drafts(supervisors, kind=ESCALATED, key=f"action:{action.pk}:escalated", day=today,
                              subject=subject, body=body, url=url)
    return drafts


def returned_reports(now: dt.datetime) -> list[registry.Draft]:
    """One reminder per progress report returned in the last RETURNED_LOOKBACK_DAYS days and not yet followed by a
    newer report on its action, to whoever submitted it (else the unit officers)."""
    later = ProgressReport.objects.filter(action=OuterRef("action"), pk__gt=OuterRef("pk"))
    reports = (
        ProgressReport.objects.filter(
            status=ReportStatus.RETURNED, reviewed_at__gte=now - dt.timedelta(days=RETURNED_LOOKBACK_DAYS),
            reviewed_at__lte=now, action__cancelled_on__isnull=True,
        )
        .exclude(Exists(later))
        .select_related("action", "action__responsible_unit", "action__work_plan")
        .order_by("id")
    )
    index = RoleIndex([Role.UNIT_OFFICER, Role.COORDINATOR])
    drafts: list[registry.Draft] = []
    for report in reports:
        action, unit = report.action, report.action.responsible_unit
        reporters = index.holders(unit, Role.UNIT_OFFICER) | index.holders(unit, Role.COORDINATOR)
        recipients = {report.submitted_by_id} if report.submitted_by_id in reporters else _officers(index, unit)
        subject = _("Progress report on %(code)s was returned") % {"code": action.code}
        body = _("%(title)s\nReport of %(date)s, returned by the Ombudsman assistant with this reason:\n%(reason)s\n"
                 "Correct it and report again.") % {"title": action.title, "date": _when(report.report_date),
                                                   "reason": report.review_reason}
        drafts += _drafts(recipients, kind=RETURNED, key=f"report:{report.pk}:returned", day=unit.local_today(now),
                          subject=subject, body=body, url=reverse("workplans:action_detail", args=[action.pk]))
    return drafts


def waiting_reports(now: dt.datetime) -> list[registry.Draft]:
    """Reminders to the Ombudsman assistants over the unit for progress reports awaiting verification for
    PANTAU_REMINDER_VERIFICATION_DAYS days or more (local dates of the unit), repeated every as many days."""
    wait = settings.PANTAU_REMINDER_VERIFICATION_DAYS
    reports = (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, submitted_at__lte=now - dt.timedelta(days=wait - 1),
            action__cancelled_on__isnull=True,
        )
        .select_related("action", "action__responsible_unit", "action__work_plan")
        .order_by("id")
    )
    index = RoleIndex([Role.OMBUDSMAN_ASSISTANT])
    drafts: list[registry.Draft] = []
    for report in reports:
        action, unit = report.action, report.action.responsible_unit
        today = unit.local_today(now)
        waited = (today - local_date(report.submitted_at, unit.zone)).days
        period = repeat_period(waited, wait, wait)
        if period is None:
            continue
        subject = ngettext("Progress report on %(code)s has waited %(days)d day for verification",
                           "Progress report on %(code)s has waited %(days)d days for verification", waited) % {
            "code": action.code, "days": waited}
        body = _("%(title)s\nResponsible unit: %(unit)s\nReport of %(date)s, new actual value %(value)s %(unit_of)s.")
        body %= {"title": action.title, "unit": unit.name, "date": _when(report.report_date),
                 "value": number_format(report.actual_value), "unit_of": action.indicator_unit}
        drafts += _drafts(index.holders(unit, Role.OMBUDSMAN_ASSISTANT), kind=WAITING,
                          key=f"report:{report.pk}:waiting:{period}", day=today, subject=subject, body=body,
                          url=reverse("workplans:action_detail", args=[action.pk]))
    return drafts
