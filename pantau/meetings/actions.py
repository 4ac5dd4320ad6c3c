"""The write path of meetings: schedule, attendance, minutes, decisions and calendar feeds: permission, validation
(``Meeting.clean`` and the rules below), transaction, audit.

Who may: holders of MANAGE_MEETINGS (``accounts.models.ROLE_PERMISSIONS``) on one of the parties of the meeting's
agreement: the Ombudsman office's admin and assistants, the government's coordinator. Applying a decision to the
work plan also needs EDIT_ACTIONS on the action's responsible unit (checked by ``workplans.actions``). The public
sign-in (``sign_in``) needs no account: it is open only within the meeting's sign-in window
(``Meeting.sign_in_state``) and is rate-limited by the view. Each function raises PermissionDenied or
ValidationError (messages in the active language, keyed by field) and saves nothing then. ``update_meeting`` takes
``expected_version`` (``core.concurrency``; a stale one is refused with ``StaleVersion``).
"""

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.meetings.models import (
    Attendance,
    AttendanceSource,
    CalendarFeed,
    Decision,
    DecisionKind,
    DecisionStatus,
    Meeting,
    MeetingMode,
    meeting_unit_choices,
)
from pantau.organizations.models import Unit
from pantau.workplans import actions as workplans
from pantau.workplans.models import Action

MEETING_FIELDS = (
    "kind", "title", "date", "place", "mode", "room_capacity", "attendance_in_person", "attendance_online",
    "participants", "minutes", "source_url", "starts_at", "ends_at", "host_unit", "online_link",
)
"""Fields ``create_meeting`` and ``update_meeting`` take."""

MAX_ATTENDANCE = 2000
"""At most this many attendance rows per meeting (a bound against a flood of sign-ins; the largest Ombudsman
coordination meetings gather a few hundred people)."""

FIRST_YEAR, LAST_YEAR = 1990, 2100
"""Meeting dates outside these years are refused as typing errors."""

CHANGE_IGNORED = {"id", "updated_at", "created_at", "province_code", "actual_reported", "actual_verified",
                  "budget_realized", "version"}
"""Action fields left out of a decision's record of what it changed (kept by the system, not decided)."""


def may_manage(actor: Any, agreement: Any) -> bool:
    """True when ``actor`` holds MANAGE_MEETINGS on the Ombudsman party or the government party of ``agreement``."""
    return any(
        has_unit_permission(actor, Permission.MANAGE_MEETINGS, party)
        for party in (agreement.ombudsman_office, agreement.government)
    )


def _require_manage(actor: Any, meeting_or_agreement: Any) -> None:
    agreement = getattr(meeting_or_agreement, "agreement", meeting_or_agreement)
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------------------------------------------------------
# Schedule


def _check(meeting: Meeting, invited: list[Unit] | None) -> None:
    """The mode's place and link (a place for in person and hybrid; no link for in person), the host and invited
    units among the parties' units, the date in range; ``date`` follows the local date of ``starts_at``; then
    ``Meeting.clean`` and the fields' own validation."""
    errors: dict[str, list[str]] = {}
    if meeting.mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and not meeting.place.strip():
        errors.setdefault("place", []).append(_("Give the place of an in-person or hybrid meeting."))
    if meeting.mode == MeetingMode.IN_PERSON and meeting.online_link:
        errors.setdefault("online_link", []).append(_("An in-person meeting has no online link."))
    if meeting.mode == MeetingMode.ONLINE and meeting.room_capacity:
        errors.setdefault("room_capacity", []).append(_("An online meeting has no room."))
    allowed = meeting_unit_choices(meeting)
    if meeting.host_unit_id and not allowed.filter(pk=meeting.host_unit_id).exists():
        errors.setdefault("host_unit", []).append(_("The host must be one of the parties' units."))
    if invited:
        outside = [u.name for u in invited if not allowed.filter(pk=u.pk).exists()]
        if outside:
            errors.setdefault("invited_units", []).append(
                _("Not a unit of the parties: %(units)s") % {"units": ", ".join(outside)})
    if meeting.starts_at:
        meeting.date = meeting.local_start.date()  # type: ignore[union-attr]
    if meeting.date and not FIRST_YEAR <= meeting.date.year <= LAST_YEAR:
        errors.setdefault("date", []).append(
            _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


def _meeting_snapshot(meeting: Meeting) -> dict[str, Any]:
    """The meeting's audit snapshot without the secret sign-in token (the history is shown to every viewer)."""
    data = snapshot(meeting) or {}
    data.pop("sign_in_token", None)
    return data


def _audit_invited(meeting: Meeting) -> dict[str, Any]:
    data = _meeting_snapshot(meeting)
    data["invited_units"] = sorted(meeting.invited_units.values_list("pk", flat=True))
    return data


@transaction.atomic
def create_meeting(
    *, actor: Any, agreement: Any, data: Mapping[str, Any], invited_units: Iterable[Unit] | None = None
) -> Meeting:
    """Create a meeting of ``agreement`` from ``data`` (keys of MEETING_FIELDS), inviting ``invited_units``, and
    return it with a fresh sign-in token. Audited."""
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    meeting = Meeting(agreement=agreement, **{k: v for k, v in data.items() if k in MEETING_FIELDS})
    invited = list(invited_units) if invited_units is not None else []
    _check(meeting, invited)
    meeting.sign_in_token = secrets.token_urlsafe(24)
    meeting.save()
    meeting.invited_units.set(invited)
    record(actor=actor, action=AuditAction.CREATE, obj=meeting, after=_audit_invited(meeting))
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: Any, meeting: Meeting, data: Mapping[str, Any], invited_units: Iterable[Unit] | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """Change the fields of ``meeting`` given in ``data`` (and the invited units when given); requires
    MANAGE_MEETINGS on a party. ``expected_version``: the version the user's form was read at (StaleVersion when
    stale). Audited."""
    if not may_manage(actor, meeting.agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    before = _audit_invited(meeting)
    claim_version(meeting, expected_version)
    for key, value in data.items():
        if key in MEETING_FIELDS:
            setattr(meeting, key, value)
    invited = list(invited_units) if invited_units is not None else None
    _check(meeting, invited)
    if meeting.sign_in_token is None:
        meeting.sign_in_token = secrets.token_urlsafe(24)
    meeting.save()
    if invited is not None:
        meeting.invited_units.set(invited)
    record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=_audit_invited(meeting))
    return meeting


@transaction.atomic
def close_sign_in(*, actor: Any, meeting: Meeting) -> Meeting:
    """Close the public sign-in now (it also closes by itself after the meeting). Audited."""
    _require_manage(actor, meeting)
    before = _meeting_snapshot(meeting)
    meeting.sign_in_closed_at = timezone.now()
    meeting.save(update_fields=["sign_in_closed_at"])
    record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=_meeting_snapshot(meeting),
           note=_("sign-in closed"))
    return meeting


@transaction.atomic
def reopen_sign_in(*, actor: Any, meeting: Meeting) -> Meeting:
    """Undo ``close_sign_in`` (the sign-in window still applies) and, for a meeting that had none, issue the
    sign-in token. Audited."""
    _require_manage(actor, meeting)
    before = _meeting_snapshot(meeting)
    meeting.sign_in_closed_at = None
    if meeting.sign_in_token is None:
        meeting.sign_in_token = secrets.token_urlsafe(24)
    meeting.save(update_fields=["sign_in_closed_at", "sign_in_token"])
    record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=_meeting_snapshot(meeting),
           note=_("sign-in reopened"))
    return meeting


# ---------------------------------------------------------------------------------------------------------------
# Attendance


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def attendance_key(name: str, unit: Unit | None, unit_name: str) -> str:
    """The key that makes one attendance row per person and unit: the folded name and the unit (id, or the folded
    name of the institution as typed)."""
    where = f"u{unit.pk}" if unit is not None else _fold(unit_name)
    return f"{_fold(name)}|{where}"[:340]


def _attendance(
    meeting: Meeting, *, name: str, position: str, unit: Unit | None, unit_name: str, mode: str, source: str,
    entered_by: Any = None, is_sample: bool = False,
) -> Attendance:
    """A validated, unsaved attendance row (ValidationError keyed by field)."""
    errors: dict[str, list[str]] = {}
    name = " ".join(str(name).split())
    position = " ".join(str(position).split())
    unit_name = " ".join(str(unit_name).split())
    if not name:
        errors.setdefault("name", []).append(_("Write your name."))
    if not position:
        errors.setdefault("position", []).append(_("Write your position."))
    if unit is None and not unit_name:
        errors.setdefault("unit", []).append(_("Choose your unit or write your institution."))
    if unit is not None:
        unit_name = ""
        if not meeting_unit_choices(meeting).filter(pk=unit.pk).exists():
            errors.setdefault("unit", []).append(_("Choose a unit of the parties, or write your institution."))
    if mode not in meeting.attendance_modes():
        errors.setdefault("mode", []).append(
            _("This meeting is %(mode)s.") % {"mode": meeting.get_mode_display()})
    if errors:
        raise ValidationError(errors)
    row = Attendance(
        meeting=meeting, name=name, position=position, unit=unit, unit_name=unit_name, mode=mode, source=source,
        key=attendance_key(name, unit, unit_name), entered_by=entered_by, is_sample=is_sample,
    )
    row.full_clean(exclude=["meeting", "unit", "entered_by"])
    return row


def _save_attendance(row: Attendance) -> Attendance:
    """Save a new row; ValidationError when the same person of the same unit is already on the list (also when a
    concurrent request saved it first) or the meeting is full."""
    if Attendance.objects.filter(meeting=row.meeting, key=row.key).exists():
        raise ValidationError({"name": [_("%(name)s is already on the attendance list.") % {"name": row.name}]})
    if Attendance.objects.filter(meeting=row.meeting).count() >= MAX_ATTENDANCE:
        raise ValidationError({"name": [_("The attendance list of this meeting is full.")]})
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("%(name)s is already on the attendance list.") % {"name": row.name}]}) from None
    return row


@transaction.atomic
def sign_in(
    *, meeting: Meeting, name: str, position: str, mode: str, unit: Unit | None = None, unit_name: str = "",
    via: str = AttendanceSource.LINK,
) -> tuple[Attendance, bool]:
    """The public sign-in (no account): register one person while the sign-in is open. Returns (row, created);
    signing in twice (same name and unit) returns the first row and False, so a double tap counts once. Refused
    (ValidationError) when the sign-in is not open, the mode does not fit the meeting, or a field is missing.
    Audited (actor: none)."""
    state = meeting.sign_in_state()
    if state != "open":
        raise ValidationError({"meeting": [
            _("The sign-in for this meeting is not open yet.") if state == "not_yet"
            else _("The sign-in for this meeting is closed.")
        ]})
    source = via if via in (AttendanceSource.QR, AttendanceSource.LINK) else AttendanceSource.LINK
    row = _attendance(meeting, name=name, position=position, unit=unit, unit_name=unit_name, mode=mode,
                      source=source)
    existing = Attendance.objects.filter(meeting=meeting, key=row.key).first()
    if existing is not None:
        return existing, False
    _save_attendance(row)
    record(actor=None, action=AuditAction.CREATE, obj=row, after=snapshot(row), note=_("public sign-in"))
    return row, True


@transaction.atomic
def record_attendance(
    *, actor: Any, meeting: Meeting, name: str, position: str, mode: str, unit: Unit | None = None,
    unit_name: str = "", is_sample: bool = False,
) -> Attendance:
    """Staff entry of one attendee (from a paper list, or for someone without a phone), at any time. Requires
    MANAGE_MEETINGS; refused when the person is already listed. Audited."""
    _require_manage(actor, meeting)
    row = _attendance(meeting, name=name, position=position, unit=unit, unit_name=unit_name, mode=mode,
                      source=AttendanceSource.STAFF, entered_by=_user(actor), is_sample=is_sample)
    _save_attendance(row)
    record(actor=actor, action=AuditAction.CREATE, obj=row, after=snapshot(row))
    return row


@transaction.atomic
def remove_attendance(*, actor: Any, attendance: Attendance) -> None:
    """Remove a row entered by mistake or by someone who did not attend. Requires MANAGE_MEETINGS. Audited."""
    _require_manage(actor, attendance.meeting)
    record(actor=actor, action=AuditAction.DELETE, obj=attendance, before=snapshot(attendance))
    attendance.delete()


# ---------------------------------------------------------------------------------------------------------------
# Minutes and decisions


@transaction.atomic
def record_minutes(*, actor: Any, meeting: Meeting, minutes: str) -> Meeting:
    """Replace the minutes (notulen) text of ``meeting``. Requires MANAGE_MEETINGS. Audited."""
    _require_manage(actor, meeting)
    before = _meeting_snapshot(meeting)
    meeting.minutes = str(minutes).strip()
    meeting.save(update_fields=["minutes"])
    record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=_meeting_snapshot(meeting),
           note=_("minutes"))
    return meeting


def plans_for(meeting: Meeting) -> list[Agreement]:
    """The work plans whose actions a decision of ``meeting`` may create or change: the agreement itself for a
    work plan, its work plan for a PKS, the work plans under it for an MoU."""
    agreement = meeting.agreement
    if agreement.kind == AgreementKind.WORK_PLAN:
        return [agreement]
    if agreement.kind == AgreementKind.COOPERATION:
        return [agreement.parent] if agreement.parent_id else []  # type: ignore[list-item]
    return list(Agreement.objects.filter(parent=agreement, kind=AgreementKind.WORK_PLAN).order_by("-signed_on"))


@transaction.atomic
def record_decision(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    kind: str,
    responsible_unit: Unit | None = None,
    due_date: dt.date | None = None,
    action: Action | None = None,
    is_sample: bool = False,
) -> Decision:
    """Record a decision of ``meeting`` (numbered in order). ``kind`` (``DecisionKind``): "create" (awaits the
    action it creates), "change" (of ``action``, an action of one of ``plans_for(meeting)``) or "note" (no action
    needed). ``responsible_unit`` and ``due_date`` say who and by when. Requires MANAGE_MEETINGS. Audited."""
    _require_manage(actor, meeting)
    errors: dict[str, list[str]] = {}
    text = str(text).strip()
    if not text:
        errors.setdefault("text", []).append(_("Write the decision."))
    if kind not in DecisionKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of decision."))
    plans = plans_for(meeting)
    if kind in (DecisionKind.CREATE_ACTION, DecisionKind.CHANGE_ACTION) and not plans:
        errors.setdefault("kind", []).append(_("This agreement has no work plan to hold actions yet."))
    if kind == DecisionKind.CHANGE_ACTION:
        if action is None:
            errors.setdefault("action", []).append(_("Choose the action the decision changes."))
        elif action.work_plan_id not in {p.pk for p in plans}:
            errors.setdefault("action", []).append(_("The action belongs to another work plan."))
    elif action is not None:
        errors.setdefault("action", []).append(_("Only a decision that changes an action names one."))
    if responsible_unit is not None and not meeting_unit_choices(meeting).filter(pk=responsible_unit.pk).exists():
        errors.setdefault("responsible_unit", []).append(_("Choose a unit of the parties."))
    if due_date is not None and not FIRST_YEAR <= due_date.year <= LAST_YEAR:
        errors.setdefault("due_date", []).append(
            _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    if errors:
        raise ValidationError(errors)
    number = (meeting.decisions.aggregate(top=Max("number"))["top"] or 0) + 1
    decision = Decision(
        meeting=meeting, number=number, text=text, kind=kind,
        status=DecisionStatus.NOTED if kind == DecisionKind.NOTE else DecisionStatus.OPEN,
        responsible_unit=responsible_unit, due_date=due_date, action=action, is_sample=is_sample,
        created_by=_user(actor),
    )
    decision.full_clean(exclude=["meeting", "responsible_unit", "action", "created_by", "applied_by"])
    decision.save()
    record(actor=actor, action=AuditAction.CREATE, obj=decision, after=snapshot(decision),
           note=str(meeting)[:200])
    return decision


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), value] for key, value in after.items()
        if key not in CHANGE_IGNORED and before.get(key) != value
    }


@transaction.atomic
def apply_decision(
    *,
    actor: Any,
    decision: Decision,
    data: Mapping[str, Any],
    supporting_units: Iterable[Unit] | None = None,
    work_plan: Agreement | None = None,
) -> Action:
    """Carry out an open decision in the work plan, in one step: a "create" decision creates an action from
    ``data`` (keys of ``workplans.actions.ACTION_FIELDS``) in ``work_plan`` (default: the only plan of
    ``plans_for``), a "change" decision changes its action with ``data``. The decision then links to the action
    (``action.decisions`` links back), records what changed and is "applied". Requires MANAGE_MEETINGS on the
    meeting and EDIT_ACTIONS on the action's responsible unit (``workplans.actions``). Audited (the action's own
    entry and the decision's)."""
    meeting = decision.meeting
    _require_manage(actor, meeting)
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError({"decision": [_("This decision is not awaiting an action.")]})
    plans = plans_for(meeting)
    before_decision = snapshot(decision)
    if decision.kind == DecisionKind.CREATE_ACTION:
        plan = work_plan or (plans[0] if len(plans) == 1 else None)
        if plan is None or plan.pk not in {p.pk for p in plans}:
            raise ValidationError({"work_plan": [_("Choose the work plan of the new action.")]})
        action = workplans.create_action(
            actor=actor, work_plan=plan, data=data, supporting_units=supporting_units or ())
        decision.changes = {}
    elif decision.kind == DecisionKind.CHANGE_ACTION and decision.action is not None:
        action = Action.objects.select_for_update().get(pk=decision.action.pk)
        before = snapshot(action)
        action = workplans.update_action(actor=actor, action=action, data=data, supporting_units=supporting_units)
        decision.changes = _diff(before, snapshot(action))
    else:
        raise ValidationError({"decision": [_("This decision does not touch the work plan.")]})
    decision.action = action
    decision.status = DecisionStatus.APPLIED
    decision.applied_by = _user(actor)
    decision.applied_at = timezone.now()
    decision.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=decision, before=before_decision, after=snapshot(decision),
           note=_("applied to action %(code)s") % {"code": action.code})
    return action


@transaction.atomic
def decide(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    kind: str,
    action_data: Mapping[str, Any] | None = None,
    supporting_units: Iterable[Unit] | None = None,
    work_plan: Agreement | None = None,
    action: Action | None = None,
    responsible_unit: Unit | None = None,
    due_date: dt.date | None = None,
) -> Decision:
    """Record a decision and, when ``action_data`` is given, apply it at once (``record_decision`` then
    ``apply_decision``, all or nothing)."""
    decision = record_decision(
        actor=actor, meeting=meeting, text=text, kind=kind, action=action,
        responsible_unit=responsible_unit or (action_data or {}).get("responsible_unit"),
        due_date=due_date or (action_data or {}).get("due_date"),
    )
    if action_data is not None:
        apply_decision(actor=actor, decision=decision, data=action_data, supporting_units=supporting_units,
                       work_plan=work_plan)
        decision.refresh_from_db()
    return decision


@transaction.atomic
def drop_decision(*, actor: Any, decision: Decision, reason: str) -> Decision:
    """Drop an open decision that will not be carried out, with a reason. Requires MANAGE_MEETINGS. Audited."""
    _require_manage(actor, decision.meeting)
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError({"decision": [_("This decision is not awaiting an action.")]})
    if not str(reason).strip():
        raise ValidationError({"drop_reason": [_("Give a reason for dropping the decision.")]})
    before = snapshot(decision)
    decision.status = DecisionStatus.DROPPED
    decision.drop_reason = str(reason).strip()
    decision.save(update_fields=["status", "drop_reason"])
    record(actor=actor, action=AuditAction.UPDATE, obj=decision, before=before, after=snapshot(decision))
    return decision


def next_action_code(plan: Agreement) -> str:
    """A free top-level code for a new action of ``plan``: one more than the largest whole-number code."""
    numbers = [int(code) for code in Action.objects.filter(work_plan=plan).values_list("code", flat=True)
               if code.isdigit()]
    return str(max(numbers, default=0) + 1)


def action_initial(decision: Decision, plan: Agreement) -> dict[str, Any]:
    """The values that pre-fill the action form of an open "create" decision: the decision as title and finding,
    who and by when as the meeting said, the meeting's day as start."""
    meeting = decision.meeting
    start = meeting.date
    due = decision.due_date if decision.due_date and decision.due_date >= start else None
    return {
        "code": next_action_code(plan),
        "title": decision.text[:300],
        "finding": _("Decision %(number)d of the meeting \"%(title)s\" on %(date)s") % {
            "number": decision.number, "title": meeting.title, "date": date_format(meeting.date, "j F Y")},
        "responsible_unit": decision.responsible_unit,
        "start_date": start,
        "due_date": due,
        "fiscal_year": start.year,
    }


# ---------------------------------------------------------------------------------------------------------------
# Calendar feed


def token_digest(token: str) -> str:
    """The stored form of a feed token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_calendar_token(*, actor: Any) -> str:
    """Create or replace ``actor``'s private calendar feed and return its secret token (shown once; only its
    digest is stored, so an older feed URL stops working). Audited without the token."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.get_or_create(user=actor, defaults={"token_digest": token_digest(token)})
    if not created:
        feed.token_digest = token_digest(token)
        feed.last_used_at = None
        feed.save(update_fields=["token_digest", "last_used_at"])
    record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=feed,
           note=_("calendar feed link issued"))
    return token


@transaction.atomic
def revoke_calendar_feed(*, actor: Any) -> bool:
    """Delete ``actor``'s calendar feed (its URL stops working); False when there was none. Audited."""
    feed = CalendarFeed.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if feed is None:
        return False
    record(actor=actor, action=AuditAction.DELETE, obj=feed, note=_("calendar feed link revoked"))
    feed.delete()
    return True


def feed_owner(token: str) -> Any:
    """The active user whose feed token is ``token`` (None otherwise); notes the time of use."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_digest=token_digest(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user

