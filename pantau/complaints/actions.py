"""The write path of complaints: intake, routing, stages, deadlines, the calendar and rules, reports to the
Ombudsman, and complaint patterns as findings.

Every function is keyword-only, checks who may act (``complaints.access``; the complainant acts through the tracking
code, the system through scheduled commands with ``actor=None``), validates, saves inside ``transaction.atomic`` and
records an audit entry (``audit.actions.record``) with snapshots in which the identity is only a fingerprint and the
tracking code's hash is left out (``complaint_snapshot``, ``identity_snapshot``). Each raises PermissionDenied or
ValidationError (messages in the active language, keyed by field) and saves nothing then.

Stages (issue 13; domain/rules.md section 5)::

    received --check_file(complete)--> in_progress --answer--> answered --record_outcome--> resolved | not_resolved
        |  \\--check_file(incomplete)--> incomplete --(complainant adds)--> check_file again       |
        |                                     \\--completion window passed--> withdrawn               v
        \\-- any open stage --withdraw--> withdrawn                          closed (with the complainant's feedback)

Deadlines (``complaints.calendars.due_dates``): pick-up from routing (else escalation to the coordinator), first
answer from receipt, file completion from the request, resolution from the day the file is complete. Each deadline
is recomputed when the calendar or a rule changes, and each change is written on the complaint's timeline.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission, Role, RoleGrant
from pantau.accounts.scoping import acts_nationally, has_unit_permission
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.complaints.access import can_handle, can_see_identity, can_supervise
from pantau.complaints.calendars import DUE_FIELDS, CalendarBook, RuleBook, due_dates, path_ids, spec_of
from pantau.complaints.deadlines import MAX_RULE_LENGTH, RuleSpec, days_between, is_shorter
from pantau.complaints.identity import (
    check_email,
    check_nik,
    check_phone,
    fingerprint,
    new_tracking_code,
    normalise_tracking_code,
    tracking_hash,
)
from pantau.complaints.models import (
    CLOCK_STAGES,
    OPEN_STAGES,
    STAFF_CHANNELS,
    CalendarDay,
    CalendarDayKind,
    Channel,
    ComplainantIdentity,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintWindow,
    DayKind,
    DeadlineRule,
    EventKind,
    OmbudsmanReport,
    Outcome,
    ReportOutcome,
    ReportStage,
    RuleCode,
    Stage,
    WithdrawalReason,
)
from pantau.complaints.patterns import THRESHOLD, WINDOW_DAYS, window_ending
from pantau.core.typed_input import InputError, check_text
from pantau.core.uploads import shorten_name, validate_document
from pantau.core.workdays import local_date
from pantau.findings.actions import Closing, close_findings, record_finding
from pantau.findings.models import Finding, FindingSource
from pantau.organizations.models import TimeZone, Unit, UnitKind
from pantau.standards.components import ComponentCode
from pantau.standards.models import Service

HANDLE = Permission.HANDLE_COMPLAINTS
SUPERVISE = Permission.SUPERVISE_COMPLAINTS
RULES = Permission.MANAGE_DEADLINE_RULES
CALENDAR = Permission.MANAGE_WORK_CALENDAR

MAX_TEXT = 10_000
"""At most this many characters in a description, a message, an answer or a note."""

MAX_FILES = 5
"""At most this many files with one submission or message."""

EARLIEST = dt.date(2000, 1, 1)
"""No complaint is received before this day (older dates are typing errors)."""


@dataclass(frozen=True)
class Submitted:
    """A complaint just taken in and its tracking code, shown once to the complainant (only its hash is kept)."""

    complaint: Complaint
    tracking_code: str


# ------------------------------------------------------------------------------------------------------------------
# Snapshots without the identity


def complaint_snapshot(complaint: Complaint) -> dict[str, Any]:
    """``audit.snapshot`` of the complaint without the tracking code's hash (the identity lives apart)."""
    data = snapshot(complaint) or {}
    data.pop("tracking_hash", None)
    return data


def identity_snapshot(identity: ComplainantIdentity) -> dict[str, Any]:
    """The identity as the audit trail keeps it: each value a keyed fingerprint, never the value."""
    return {
        "complaint_id": identity.complaint_id,
        "name": fingerprint(identity.name),
        "nik": fingerprint(identity.nik),
        "phone": fingerprint(identity.phone),
        "email": fingerprint(identity.email),
    }


# ------------------------------------------------------------------------------------------------------------------
# Small checks


def _text(value: Any, name: str, *, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: [_("This field is required.")]})
    if len(text) > limit:
        raise ValidationError({name: [_("At most %(limit)d characters (this has %(length)d).")
                                      % {"limit": limit, "length": len(text)}]})
    try:
        check_text(text)
    except InputError as error:
        raise ValidationError({name: [error.message]}) from None
    return text


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _today(complaint: Complaint, now: dt.datetime | None = None) -> dt.date:
    """Today in the complaint's zone (rules.md section 10)."""
    return local_date(_now(now), complaint.zone)


def _check_version(obj: Any, version: int | None) -> None:
    if version is not None and int(version) != obj.version:
        raise ValidationError({"version": [
            _("Someone changed this record after you opened the page. Reload the page and try again.")
        ]})


def _require(actor: Any, permission: str, unit: Unit, message: str) -> None:
    if not has_unit_permission(actor, permission, unit):
        raise PermissionDenied(message)


def government_of(unit: Unit) -> Unit:
    """The regional government at the top of ``unit``'s tree; ValidationError when the unit is not in a
    government's tree (an Ombudsman office takes reports, not complaints)."""
    ids = path_ids(unit)
    if not ids:
        top = None
    elif ids[0] == unit.pk:
        top = unit
    else:
        top = Unit.objects.filter(pk=ids[0]).first()
    if top is None or top.kind != UnitKind.REGIONAL_GOVERNMENT:
        raise ValidationError({"unit": [_("Complaints are filed with a regional government or one of its units.")]})
    return top


def _check_identity(name: Any, nik: Any, phone: Any, email: Any) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {"name": "", "nik": "", "phone": "", "email": ""}
    checks = (
        ("name", name, lambda v: _text(v, "name", limit=200)),
        ("nik", nik, check_nik),
        ("phone", phone, check_phone),
        ("email", email, check_email),
    )
    for key, raw, check in checks:
        text = str(raw or "").strip()
        if not text and key != "name":
            continue
        try:
            values[key] = check(text)
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return values


def _check_files(files: Sequence[Any]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"attachments": [_("At most %(count)d files at once.") % {"count": MAX_FILES}]})
    problems = []
    for upload in files:
        try:
            validate_document(upload)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError({"attachments": problems})


def _store_files(complaint: Complaint, files: Sequence[Any], *, event: ComplaintEvent | None,
                 from_complainant: bool) -> list[ComplaintAttachment]:
    stored = []
    for upload in files:
        upload.seek(0)
        attachment = ComplaintAttachment(
            complaint=complaint, event=event, original_name=shorten_name(str(upload.name)),
            size=int(getattr(upload, "size", 0) or 0), from_complainant=from_complainant,
        )
        attachment.file.save(str(upload.name), upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _event(complaint: Complaint, kind: str, *, actor: Any = None, text: str = "", data: Mapping[str, Any] | None = None,
           is_public: bool = True, by_complainant: bool = False) -> ComplaintEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, actor=user, text=text, data=dict(data or {}), is_public=is_public,
        by_complainant=by_complainant,
    )


def _save(complaint: Complaint, *, actor: Any, before: dict[str, Any], note: str = "",
          action: AuditAction = AuditAction.UPDATE) -> None:
    complaint.version += 1
    complaint.save()
    record(actor=actor, action=action, obj=complaint, before=before, after=complaint_snapshot(complaint), note=note)


def _set_deadlines(complaint: Complaint, rules: RuleBook | None = None,
                   calendars: CalendarBook | None = None) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Recompute the complaint's due dates (in memory); returns the changed ones as field -> (before, after)."""
    found = due_dates(complaint, rules or RuleBook(), calendars or CalendarBook())
    changed = {}
    for name in DUE_FIELDS:
        old, new = getattr(complaint, name), found[name]
        if old != new:
            changed[name] = (old, new)
            setattr(complaint, name, new)
    return changed


def _locked(complaint: Complaint) -> Complaint:
    """The complaint re-read under a row lock (PostgreSQL; SQLite serialises writes anyway)."""
    return Complaint.objects.select_for_update().select_related("unit", "government").get(pk=complaint.pk)


# ------------------------------------------------------------------------------------------------------------------
# Intake


def _route(government: Unit, unit: Unit | None, service: Service | None) -> Unit:
    """The responsible unit: the service's unit when a service is named, else the unit named, else the government
    itself, whose coordinator routes it on (issue 13: "routing to the responsible unit by service or unit")."""
    target = service.unit if service is not None else unit or government
    if not target.path.startswith(government.path):
        raise ValidationError({"unit": [_("Choose a unit of %(government)s.") % {"government": government.name}]})
    return target


def _intake(
    *, actor: Any, government: Unit, unit: Unit | None, service: Service | None, component: str, subject: Any,
    description: Any, name: Any, nik: Any, phone: Any, email: Any, confidential: bool, channel: str,
    external_ticket: Any, received_at: dt.datetime, received_on: dt.date | None, files: Sequence[Any],
    is_sample: bool, tracking_code: str | None,
) -> Submitted:
    target = _route(government, unit, service)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key, raw, limit in (("subject", subject, 200), ("description", description, MAX_TEXT)):
        try:
            values[key] = _text(raw, key, limit=limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if component and component not in ComponentCode.values:
        errors["component"] = [_("Unknown service-standard component.")]
    ticket = str(external_ticket or "").strip()
    if len(ticket) > 60:
        errors["external_ticket"] = [_("At most %(limit)d characters (this has %(length)d).")
                                     % {"limit": 60, "length": len(ticket)}]
    if channel == Channel.SP4N_LAPOR and not ticket:
        errors["external_ticket"] = [_("A complaint from SP4N-LAPOR! keeps its ticket number.")]
    try:
        identity = _check_identity(name, nik, phone, email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        identity = {}
    zone = target.zone
    today = local_date(received_at, zone)
    day = received_on or today
    if not EARLIEST <= day <= today:
        errors["received_on"] = [_("The date of receipt must lie between %(first)s and today (%(today)s).")
                                 % {"first": date_format(EARLIEST, "j F Y"), "today": date_format(today, "j F Y")}]
    try:
        _check_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    code = new_tracking_code()
    if tracking_code is not None:
        raw = normalise_tracking_code(tracking_code)
        if raw is None:
            errors["tracking_code"] = [_("Not a tracking code.")]
        else:
            code = tracking_code
    if errors:
        raise ValidationError(errors)
    digest = tracking_hash(code) or ""
    if Complaint.objects.filter(tracking_hash=digest).exists():  # 59 random bits: only a chosen code can collide
        raise ValidationError({"tracking_code": [_("This tracking code is already used.")]})
    complaint = Complaint(
        tracking_hash=digest, channel=channel, external_ticket=ticket, government=government, unit=target,
        province_code=target.province_code, zone=zone, service=service, component=component or "",
        subject=values["subject"], description=values["description"], confidential=bool(confidential),
        received_at=received_at, received_on=day, routed_on=today, is_sample=is_sample,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _set_deadlines(complaint)
    complaint.save()
    person = ComplainantIdentity.objects.create(complaint=complaint, **identity)
    event = _event(complaint, EventKind.RECEIVED, actor=actor, by_complainant=channel == Channel.WEB,
                   data={"channel": channel, "unit": target.pk})
    _store_files(complaint, files, event=event, from_complainant=True)
    record(actor=actor, action=AuditAction.CREATE, obj=complaint, after=complaint_snapshot(complaint),
           note=_("received through %(channel)s") % {"channel": Channel(channel).label})
    record(actor=actor, action=AuditAction.CREATE, obj=person, after=identity_snapshot(person))
    return Submitted(complaint=complaint, tracking_code=code)


@transaction.atomic
def submit_complaint(
    *, government: Unit, unit: Unit | None = None, service: Service | None = None, component: str = "",
    subject: Any, description: Any, name: Any, nik: Any = "", phone: Any = "", email: Any = "",
    confidential: bool = False, files: Sequence[Any] = (), now: dt.datetime | None = None,
    tracking_code: str | None = None,
) -> Submitted:
    """Take in a complaint from the public form (no account): routed by service or unit (``_route``), received now
    in the unit's zone. ``tracking_code`` lets tests choose the code; people always get a random one. Raises
    ValidationError (keyed by field) for a missing subject, description or name, an invalid NIK, phone or e-mail, a
    unit outside ``government``, or a refused file. Audited with the system as actor."""
    if government.kind != UnitKind.REGIONAL_GOVERNMENT:
        raise ValidationError({"unit": [_("Complaints are filed with a regional government or one of its units.")]})
    if unit is not None and service is None and not unit.path.startswith(government.path):
        raise ValidationError({"unit": [_("Choose a unit of %(government)s.") % {"government": government.name}]})
    return _intake(
        actor=None, government=government, unit=unit, service=service, component=component, subject=subject,
        description=description, name=name, nik=nik, phone=phone, email=email, confidential=confidential,
        channel=Channel.WEB, external_ticket="", received_at=_now(now), received_on=None, files=files,
        is_sample=False, tracking_code=tracking_code,
    )


@transaction.atomic
def enter_complaint(
    *, actor: Any, channel: str, unit: Unit | None = None, service: Service | None = None, component: str = "",
    subject: Any, description: Any, name: Any, nik: Any = "", phone: Any = "", email: Any = "",
    confidential: bool = False, external_ticket: Any = "", received_on: dt.date | None = None,
    files: Sequence[Any] = (), now: dt.datetime | None = None, is_sample: bool = False,
    tracking_code: str | None = None,
) -> Submitted:
    """A handler enters a complaint received in person, by phone, letter, e-mail, social media, SP4N-LAPOR! (its
    ticket number kept in ``external_ticket``, required) or another channel; ``received_on`` is the local date it
    was received (default today). Requires HANDLE_COMPLAINTS on the routed unit. Raises as ``submit_complaint``
    and ValidationError for a web channel or a date of receipt in the future."""
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": [_("Choose the channel the complaint came through.")]})
    target = service.unit if service is not None else unit
    if target is None:
        raise ValidationError({"unit": [_("Choose the unit or the service the complaint is about.")]})
    government = government_of(target)
    _require(actor, HANDLE, target, _("You may not enter complaints for this unit."))
    return _intake(
        actor=actor, government=government, unit=unit, service=service, component=component, subject=subject,
        description=description, name=name, nik=nik, phone=phone, email=email, confidential=confidential,
        channel=channel, external_ticket=external_ticket, received_at=_now(now), received_on=received_on,
        files=files, is_sample=is_sample, tracking_code=tracking_code,
    )


def find_by_code(code: str) -> Complaint | None:
    """The complaint of a tracking code (None for an unknown or malformed code); read-only."""
    digest = tracking_hash(code)
    if digest is None:
        return None
    return Complaint.objects.select_related("unit", "service", "government").filter(tracking_hash=digest).first()


# ------------------------------------------------------------------------------------------------------------------
# Handling


def _handler(actor: Any, complaint: Complaint) -> None:
    if not can_handle(actor, complaint):
        raise PermissionDenied(_("You do not handle complaints of this unit."))


def _stage_in(complaint: Complaint, stages: Iterable[str], message: str) -> None:
    if complaint.stage not in set(stages):
        raise ValidationError({"stage": [message]})


def _mark_picked_up(complaint: Complaint, actor: Any, now: dt.datetime | None) -> bool:
    if complaint.picked_up_at is not None:
        return False
    complaint.picked_up_at = _now(now)
    complaint.picked_up_by = actor if getattr(actor, "is_authenticated", False) else None
    complaint.pickup_due = None
    return True


@transaction.atomic
def pick_up(*, actor: Any, complaint: Complaint, version: int | None = None,
            now: dt.datetime | None = None) -> Complaint:
    """A handler takes the complaint up (stops the pick-up clock, so no escalation). HANDLE_COMPLAINTS required;
    ValidationError when already picked up or no longer open."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, OPEN_STAGES, _("The complaint is no longer open."))
    before = complaint_snapshot(complaint)
    if not _mark_picked_up(complaint, actor, now):
        raise ValidationError({"stage": [_("The complaint was already picked up.")]})
    _event(complaint, EventKind.PICKED_UP, actor=actor)
    _save(complaint, actor=actor, before=before)
    return complaint


@transaction.atomic
def check_file(*, actor: Any, complaint: Complaint, complete: bool, question: str = "",
               version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """The completeness check (UU 25/2009, provisional: the first answer says whether the file is complete).

    Complete: the complaint goes in progress and the resolution clock starts (Perpres 76/2013: 60 days after the
    file is complete). Incomplete: ``question`` (required) tells the complainant what is missing and the completion
    window starts from the first request. Either is the first answer when none was given. From received or
    incomplete; HANDLE_COMPLAINTS required."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, (Stage.RECEIVED, Stage.INCOMPLETE), _("The file was already found complete."))
    before = complaint_snapshot(complaint)
    today = _today(complaint, now)
    _mark_picked_up(complaint, actor, now)
    if complaint.first_response_on is None:
        complaint.first_response_on = today
        complaint.first_response_days = days_between(complaint.received_on, today)
    if complete:
        complaint.stage = Stage.IN_PROGRESS
        complaint.file_completed_on = today
        text = _text(question, "question", limit=MAX_TEXT, required=False)
        _set_deadlines(complaint)
        _event(complaint, EventKind.FILE_COMPLETE, actor=actor, text=text,
               data={"resolution_due": str(complaint.resolution_due)})
    else:
        text = _text(question, "question", limit=MAX_TEXT)
        complaint.stage = Stage.INCOMPLETE
        if complaint.file_requested_on is None:
            complaint.file_requested_on = today
        _set_deadlines(complaint)
        _event(complaint, EventKind.FILE_REQUESTED, actor=actor, text=text,
               data={"completion_due": str(complaint.completion_due)})
    _save(complaint, actor=actor, before=before)
    return complaint


@transaction.atomic
def ask(*, actor: Any, complaint: Complaint, question: str, version: int | None = None) -> ComplaintEvent:
    """A question to the complainant, shown on the tracking page (the stage does not change). HANDLE_COMPLAINTS;
    the complaint must be open."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, OPEN_STAGES, _("The complaint is no longer open."))
    text = _text(question, "question", limit=MAX_TEXT)
    event = _event(complaint, EventKind.QUESTION, actor=actor, text=text)
    before = complaint_snapshot(complaint)
    _save(complaint, actor=actor, before=before, note=_("question to the complainant"))
    return event


@transaction.atomic
def add_note(*, actor: Any, complaint: Complaint, text: str) -> ComplaintEvent:
    """An internal note on the timeline (never shown to the complainant). HANDLE or SUPERVISE_COMPLAINTS."""
    if not can_see_identity(actor, complaint):
        raise PermissionDenied(_("You do not handle complaints of this unit."))
    event = _event(complaint, EventKind.NOTE, actor=actor, text=_text(text, "text", limit=MAX_TEXT), is_public=False)
    record(actor=actor, action=AuditAction.CREATE, obj=event, after=snapshot(event))
    return event


@transaction.atomic
def answer(*, actor: Any, complaint: Complaint, text: str, files: Sequence[Any] = (), version: int | None = None,
           now: dt.datetime | None = None) -> Complaint:
    """The unit's answer: the resolution the resolution deadline measures (Perpres 76/2013). From in progress;
    HANDLE_COMPLAINTS; the answer text is required and files are checked."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, (Stage.IN_PROGRESS,), _("Only a complaint in progress can be answered."))
    body = _text(text, "answer", limit=MAX_TEXT)
    _check_files(files)
    before = complaint_snapshot(complaint)
    today = _today(complaint, now)
    complaint.stage = Stage.ANSWERED
    complaint.answer = body
    complaint.answered_on = today
    complaint.resolution_days = days_between(complaint.received_on, today)
    event = _event(complaint, EventKind.ANSWERED, actor=actor, text=body)
    _store_files(complaint, files, event=event, from_complainant=False)
    _save(complaint, actor=actor, before=before)
    return complaint


@transaction.atomic
def record_outcome(*, actor: Any, complaint: Complaint, resolved: bool, note: str = "",
                   version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """The unit concludes whether the matter was resolved (resolved or not resolved). From answered;
    HANDLE_COMPLAINTS."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, (Stage.ANSWERED,), _("Record the outcome after the answer."))
    text = _text(note, "note", limit=MAX_TEXT, required=False)
    before = complaint_snapshot(complaint)
    complaint.outcome = Outcome.RESOLVED if resolved else Outcome.NOT_RESOLVED
    complaint.stage = Stage.RESOLVED if resolved else Stage.NOT_RESOLVED
    complaint.concluded_on = _today(complaint, now)
    _event(complaint, EventKind.OUTCOME, actor=actor, text=text, data={"outcome": complaint.outcome})
    _save(complaint, actor=actor, before=before)
    return complaint


def _close(complaint: Complaint, *, actor: Any, satisfied: bool | None, comment: str, by_complainant: bool,
           now: dt.datetime | None) -> Complaint:
    _stage_in(complaint, (Stage.ANSWERED, Stage.RESOLVED, Stage.NOT_RESOLVED),
              _("A complaint is closed after the unit's answer."))
    text = _text(comment, "comment", limit=MAX_TEXT, required=False)
    before = complaint_snapshot(complaint)
    today = _today(complaint, now)
    if complaint.stage == Stage.ANSWERED:  # the complainant's word settles the outcome
        complaint.outcome = Outcome.RESOLVED if satisfied else Outcome.NOT_RESOLVED
        complaint.concluded_on = today
    complaint.stage = Stage.CLOSED
    complaint.closed_on = today
    complaint.feedback_satisfied = satisfied
    complaint.feedback_comment = text
    _event(complaint, EventKind.CLOSED, actor=actor, text=text, by_complainant=by_complainant,
           data={"satisfied": satisfied})
    _save(complaint, actor=actor, before=before)
    return complaint


@transaction.atomic
def close(*, actor: Any, complaint: Complaint, satisfied: bool | None, comment: str = "",
          version: int | None = None, now: dt.datetime | None = None) -> Complaint:
    """A handler closes the complaint with the complainant's feedback as relayed (``satisfied`` None: none given).
    From answered, resolved or not resolved; HANDLE_COMPLAINTS."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    return _close(complaint, actor=actor, satisfied=satisfied, comment=comment, by_complainant=False, now=now)


def _withdraw(complaint: Complaint, *, actor: Any, reason: str, text: str, by_complainant: bool,
              now: dt.datetime | None) -> Complaint:
    _stage_in(complaint, (Stage.RECEIVED, Stage.INCOMPLETE, Stage.IN_PROGRESS, Stage.ANSWERED),
              _("Only an open complaint without an outcome can be withdrawn."))
    before = complaint_snapshot(complaint)
    complaint.stage = Stage.WITHDRAWN
    complaint.withdrawn_on = _today(complaint, now)
    complaint.withdrawal_reason = reason
    _event(complaint, EventKind.WITHDRAWN, actor=actor, text=text, by_complainant=by_complainant,
           data={"reason": reason})
    _save(complaint, actor=actor, before=before)
    return complaint


@transaction.atomic
def withdraw(*, actor: Any, complaint: Complaint, reason: str = "", version: int | None = None,
             now: dt.datetime | None = None) -> Complaint:
    """A handler records that the complainant withdrew the complaint. HANDLE_COMPLAINTS."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    text = _text(reason, "reason", limit=MAX_TEXT, required=False)
    return _withdraw(complaint, actor=actor, reason=WithdrawalReason.BY_COMPLAINANT, text=text,
                     by_complainant=False, now=now)


@transaction.atomic
def reassign(*, actor: Any, complaint: Complaint, unit: Unit, reason: str, version: int | None = None,
             now: dt.datetime | None = None) -> Complaint:
    """Route the complaint to another unit of the same government, with a reason (shown on the timeline). The new
    unit must pick it up again (a new pick-up clock from today); the first-answer and resolution deadlines keep
    counting from receipt and are recomputed with the new unit's rules and calendar. HANDLE_COMPLAINTS on the
    current unit; ValidationError for the same unit, a unit outside the government, a missing reason or a complaint
    no longer open."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    _check_version(complaint, version)
    _stage_in(complaint, (Stage.RECEIVED, Stage.INCOMPLETE, Stage.IN_PROGRESS),
              _("Only a complaint not yet answered can be reassigned."))
    text = _text(reason, "reason", limit=MAX_TEXT)
    if unit.pk == complaint.unit_id:
        raise ValidationError({"unit": [_("The complaint is already with this unit.")]})
    if not unit.path.startswith(complaint.government.path):
        raise ValidationError({"unit": [_("Choose a unit of %(government)s.")
                                        % {"government": complaint.government.name}]})
    before = complaint_snapshot(complaint)
    old = complaint.unit
    complaint.unit = unit
    complaint.province_code = unit.province_code
    complaint.zone = unit.zone
    complaint.routed_on = local_date(_now(now), unit.zone)
    complaint.picked_up_at = None
    complaint.picked_up_by = None
    complaint.escalated_on = None
    changed = _set_deadlines(complaint)
    _event(complaint, EventKind.REASSIGNED, actor=actor, text=text,
           data={"from": old.pk, "to": unit.pk, "from_name": old.name, "to_name": unit.name,
                 "due": {k: [str(a), str(b)] for k, (a, b) in changed.items()}})
    _save(complaint, actor=actor, before=before, note=text)
    return complaint


@transaction.atomic
def renew_tracking_code(*, actor: Any, complaint: Complaint) -> str:
    """A new tracking code for a complainant who lost theirs (the old one stops working); returned once.
    HANDLE_COMPLAINTS."""
    complaint = _locked(complaint)
    _handler(actor, complaint)
    code = new_tracking_code()
    digest = tracking_hash(code)
    if digest is None:  # pragma: no cover - new_tracking_code always returns a valid code
        raise ValueError("invalid tracking code generated")
    complaint.tracking_hash = digest
    before = complaint_snapshot(complaint)
    _event(complaint, EventKind.CODE_RENEWED, actor=actor, is_public=False)
    _save(complaint, actor=actor, before=before, note=_("new tracking code issued"))
    return code


def reveal_identity(*, actor: Any, complaint: Complaint) -> ComplainantIdentity | None:
    """The complainant's identity for a handler of the complaint or the Ombudsman (PermissionDenied for anyone
    else). A confidential identity is revealed only here and each reveal is audited (who, when, which complaint;
    the values are not written to the trail)."""
    if not can_see_identity(actor, complaint):
        raise PermissionDenied(_("You may not see the identity of this complainant."))
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    if complaint.confidential and identity is not None:
        record(actor=actor, action=AuditAction.VIEW_IDENTITY, obj=complaint,
               note=_("confidential identity viewed"))
    return identity


def open_attachment(*, actor: Any, complaint: Complaint, attachment: ComplaintAttachment) -> ComplaintAttachment:
    """A file of the complaint for a handler or the Ombudsman (PermissionDenied for anyone else: a file may show
    the complainant's KTP or letter). Opening a file of a confidential complaint is audited like a view of the
    identity."""
    if not can_see_identity(actor, complaint):
        raise PermissionDenied(_("Only the handlers of the complaint and the Ombudsman open its files."))
    if attachment.complaint_id != complaint.pk:
        raise PermissionDenied(_("Only the handlers of the complaint and the Ombudsman open its files."))
    if complaint.confidential:
        record(actor=actor, action=AuditAction.VIEW_IDENTITY, obj=complaint,
               note=_("file of a confidential complaint opened: %(name)s") % {"name": attachment.original_name})
    return attachment


# ------------------------------------------------------------------------------------------------------------------
# The complainant, through the tracking code


@transaction.atomic
def complainant_message(*, complaint: Complaint, text: str, files: Sequence[Any] = ()) -> ComplaintEvent:
    """The complainant answers a question or adds to the file (tracking page). Allowed while the complaint is open;
    a message on an incomplete file does not by itself complete it (the handler checks it again)."""
    complaint = _locked(complaint)
    _stage_in(complaint, OPEN_STAGES, _("The complaint is no longer open."))
    body = _text(text, "text", limit=MAX_TEXT)
    _check_files(files)
    event = _event(complaint, EventKind.COMPLAINANT_MESSAGE, text=body, by_complainant=True)
    _store_files(complaint, files, event=event, from_complainant=True)
    before = complaint_snapshot(complaint)
    _save(complaint, actor=None, before=before, note=_("message from the complainant"))
    return event


@transaction.atomic
def complainant_feedback(*, complaint: Complaint, satisfied: bool, comment: str = "",
                         now: dt.datetime | None = None) -> Complaint:
    """The complainant's feedback after the answer closes the complaint (tracking page)."""
    complaint = _locked(complaint)
    return _close(complaint, actor=None, satisfied=satisfied, comment=comment, by_complainant=True, now=now)


@transaction.atomic
def complainant_withdraw(*, complaint: Complaint, reason: str = "", now: dt.datetime | None = None) -> Complaint:
    """The complainant withdraws the complaint (tracking page)."""
    complaint = _locked(complaint)
    text = _text(reason, "reason", limit=MAX_TEXT, required=False)
    return _withdraw(complaint, actor=None, reason=WithdrawalReason.BY_COMPLAINANT, text=text,
                     by_complainant=True, now=now)


# ------------------------------------------------------------------------------------------------------------------
# Reports to the Ombudsman


def may_forward(complaint: Complaint, today: dt.date) -> bool:
    """True when the complaint may go to the Ombudsman (UU 37/2008 art. 24: the complainant already complained to
    the provider without a proper resolution): the unit concluded it not resolved, the complainant closed it
    dissatisfied, or the unit missed its first-answer or resolution deadline; and no report exists yet."""
    if hasattr(complaint, "ombudsman_report"):
        return False
    if complaint.stage == Stage.NOT_RESOLVED:
        return True
    if complaint.stage == Stage.CLOSED:
        return complaint.outcome == Outcome.NOT_RESOLVED or complaint.feedback_satisfied is False
    return complaint.is_overdue(today)


def _forward(complaint: Complaint, *, actor: Any, note: str, by_complainant: bool,
             now: dt.datetime | None) -> OmbudsmanReport:
    today = _today(complaint, now)
    if not may_forward(complaint, today):
        raise ValidationError({"stage": [_(
            "A complaint goes to the Ombudsman when the unit did not resolve it or missed its deadline."
        )]})
    text = _text(note, "note", limit=MAX_TEXT, required=False)
    office = Unit.objects.filter(kind=UnitKind.OMBUDSMAN_OFFICE, province_code=complaint.province_code).first()
    report = OmbudsmanReport.objects.create(complaint=complaint, office=office, forwarded_on=today,
                                            by_complainant=by_complainant)
    _event(complaint, EventKind.FORWARDED, actor=actor, text=text, by_complainant=by_complainant,
           data={"office": office.pk if office else None})
    record(actor=actor, action=AuditAction.CREATE, obj=report, after=snapshot(report), note=text)
    return report


@transaction.atomic
def forward_to_ombudsman(*, actor: Any, complaint: Complaint, note: str = "",
                         now: dt.datetime | None = None) -> OmbudsmanReport:
    """A handler or the Ombudsman forwards the complaint as a report (``may_forward``); HANDLE or
    SUPERVISE_COMPLAINTS on the complaint's unit."""
    complaint = _locked(complaint)
    if not can_see_identity(actor, complaint):
        raise PermissionDenied(_("You do not handle complaints of this unit."))
    return _forward(complaint, actor=actor, note=note, by_complainant=False, now=now)


@transaction.atomic
def complainant_forward(*, complaint: Complaint, note: str = "", now: dt.datetime | None = None) -> OmbudsmanReport:
    """The complainant forwards the complaint to the Ombudsman (tracking page; ``may_forward``)."""
    complaint = _locked(complaint)
    return _forward(complaint, actor=None, note=note, by_complainant=True, now=now)


REPORT_ORDER = [ReportStage.RECEIVED, ReportStage.VERIFICATION, ReportStage.EXAMINATION, ReportStage.CLOSED]


@transaction.atomic
def advance_report(*, actor: Any, report: OmbudsmanReport, stage: str, outcome: str = "", note: str = "",
                   register_number: str = "", version: int | None = None,
                   now: dt.datetime | None = None) -> OmbudsmanReport:
    """Move a report to a later stage (received -> verification -> examination -> closed; stages may be skipped,
    never undone); closing needs an ``outcome`` (``ReportOutcome``). SUPERVISE_COMPLAINTS on the complaint's unit
    (the Ombudsman's staff). Written on the complaint's timeline."""
    report = OmbudsmanReport.objects.select_for_update().select_related("complaint__unit").get(pk=report.pk)
    complaint = report.complaint
    if not can_supervise(actor, complaint):
        raise PermissionDenied(_("Only the Ombudsman handles its reports."))
    _check_version(report, version)
    if stage not in ReportStage.values or REPORT_ORDER.index(ReportStage(stage)) <= REPORT_ORDER.index(
            ReportStage(report.stage)):
        raise ValidationError({"stage": [_("Choose a later stage.")]})
    if stage == ReportStage.CLOSED and outcome not in ReportOutcome.values:
        raise ValidationError({"outcome": [_("Choose how the report was closed.")]})
    if stage != ReportStage.CLOSED and outcome:
        raise ValidationError({"outcome": [_("An outcome is recorded when the report is closed.")]})
    text = _text(note, "note", limit=MAX_TEXT, required=False)
    number = _text(register_number, "register_number", limit=60, required=False)
    before = snapshot(report)
    report.stage = stage
    report.outcome = outcome
    if number:
        report.register_number = number
    if stage == ReportStage.CLOSED:
        report.closed_on = _today(complaint, now)
    report.version += 1
    report.save()
    _event(complaint, EventKind.REPORT_STAGE, actor=actor, text=text, data={"stage": stage, "outcome": outcome})
    record(actor=actor, action=AuditAction.UPDATE, obj=report, before=before, after=snapshot(report), note=text)
    return report


# ------------------------------------------------------------------------------------------------------------------
# Scheduled work (the system acts: actor None)


def coordinators_of(unit: Unit) -> QuerySet[Any]:
    """The users holding the coordinator role on ``unit`` or a unit above it."""
    user_model = RoleGrant._meta.get_field("user").related_model
    return user_model.objects.filter(  # type: ignore[union-attr]
        role_grants__role=Role.COORDINATOR, role_grants__unit_id__in=path_ids(unit), is_active=True
    ).distinct()


def zone_todays(now: dt.datetime) -> dict[str, dt.date]:
    """Each Indonesian zone's date at ``now`` (rules.md section 10), for ``ComplaintQuerySet.overdue``."""
    return {zone: local_date(now, zone) for zone in TimeZone.values}


@transaction.atomic
def escalate_unpicked(*, now: dt.datetime | None = None) -> list[Complaint]:
    """Escalate every received complaint nobody picked up by its pick-up due date to the regional coordinator:
    a timeline line, an audit entry and a mail to each coordinator with an address (no personal data in it).
    Each complaint is escalated once per routing. Returns the complaints escalated now."""
    moment = _now(now)
    todays = zone_todays(moment)
    candidates = Complaint.objects.filter(
        stage__in=(Stage.RECEIVED, Stage.INCOMPLETE, Stage.IN_PROGRESS), picked_up_at__isnull=True,
        escalated_on__isnull=True, pickup_due__isnull=False,
    ).select_related("unit", "government")
    escalated = []
    for complaint in candidates:
        today = todays.get(complaint.zone) or local_date(moment, complaint.zone)
        if complaint.pickup_due is None or today <= complaint.pickup_due:
            continue
        before = complaint_snapshot(complaint)
        complaint.escalated_on = today
        _event(complaint, EventKind.ESCALATED, is_public=False,
               data={"pickup_due": str(complaint.pickup_due)})
        _save(complaint, actor=None, before=before, note=_("not picked up in time"))
        addresses = [u.email for u in coordinators_of(complaint.unit) if u.email]
        if addresses:
            send_mail(
                _("Complaint %(reference)s not picked up") % {"reference": complaint.reference},
                _("Complaint %(reference)s for %(unit)s was not picked up by %(due)s. Open it in Pantau to route "
                  "or handle it.") % {"reference": complaint.reference, "unit": complaint.unit.name,
                                      "due": date_format(complaint.pickup_due, "j F Y")},
                settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True,
            )
        escalated.append(complaint)
    return escalated


@transaction.atomic
def lapse_incomplete(*, now: dt.datetime | None = None) -> list[Complaint]:
    """Withdraw every complaint whose file the complainant did not complete by its completion due date
    (UU 25/2009, provisional per rules.md section 5: "otherwise the complaint is treated as withdrawn").
    Returns the complaints withdrawn now."""
    moment = _now(now)
    todays = zone_todays(moment)
    lapsed = []
    for complaint in Complaint.objects.filter(stage=Stage.INCOMPLETE, completion_due__isnull=False):
        today = todays.get(complaint.zone) or local_date(moment, complaint.zone)
        if complaint.completion_due is not None and today > complaint.completion_due:
            _withdraw(complaint, actor=None, reason=WithdrawalReason.FILE_NOT_COMPLETED,
                      text=str(WithdrawalReason.FILE_NOT_COMPLETED.label), by_complainant=False, now=moment)
            lapsed.append(complaint)
    return lapsed


# ------------------------------------------------------------------------------------------------------------------
# Deadline rules and the calendar (data, audited; each change recomputes open complaints)


def recompute_deadlines(*, complaints: QuerySet[Complaint], actor: Any, reason: str) -> int:
    """Recompute the due dates of the open ``complaints`` still on a clock; each complaint whose dates change gets a
    timeline line (before and after, ``reason``) and an audit entry. Returns how many changed. Call inside the
    write path's transaction."""
    rules, calendars = RuleBook(), CalendarBook()
    changed_count = 0
    for complaint in complaints.filter(stage__in=CLOCK_STAGES).select_related("unit").order_by("id"):
        before = complaint_snapshot(complaint)
        changed = _set_deadlines(complaint, rules, calendars)
        if not changed:
            continue
        _event(complaint, EventKind.DEADLINES_CHANGED, actor=actor, text=reason,
               data={name: [str(old) if old else None, str(new) if new else None]
                     for name, (old, new) in changed.items()})
        _save(complaint, actor=actor, before=before, note=reason)
        changed_count += 1
    return changed_count


def _may_edit_national(actor: Any, permission: str) -> bool:
    """National rules and calendar entries: a superuser, or a holder of ``permission`` through the national
    Ombudsman office (``accounts.scoping.acts_nationally``); a Perwakilan's admin sets rules for its own units only."""
    return acts_nationally(actor, permission)


def _affected(unit: Unit | None) -> QuerySet[Complaint]:
    qs = Complaint.objects.all()
    return qs if unit is None else qs.filter(unit__path__startswith=unit.path)


@dataclass
class RuleChange:
    """What ``save_deadline_rule`` did: the rule and how many open complaints got new due dates."""

    rule: DeadlineRule
    recomputed: int


@transaction.atomic
def save_deadline_rule(
    *, actor: Any, code: str, length: int, day_kind: str, source: str, provisional: bool, note: str = "",
    unit: Unit | None = None, rule: DeadlineRule | None = None, version: int | None = None,
) -> RuleChange:
    """Create or change a deadline rule (``rule`` given: change it; its code and unit stay). National rules need
    MANAGE_DEADLINE_RULES through an Ombudsman office; a unit's rule needs it on the unit and must be shorter than
    the national one (its own standard's deadline; where that depends on the date, ``deadlines.effective_due`` caps
    it). Refuses a length outside 1..365, an unknown step or kind of day and an empty source. Recomputes the
    deadlines of the open complaints it touches. Audited."""
    if rule is not None:
        rule = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
        code, unit = rule.code, rule.unit
        _check_version(rule, version)
    if unit is None:
        if not _may_edit_national(actor, RULES):
            raise PermissionDenied(_("Only the Ombudsman admin edits the national deadline rules."))
    else:
        _require(actor, RULES, unit, _("You may not set deadline rules for this unit."))
    errors: dict[str, list[str]] = {}
    if code not in RuleCode.values:
        errors["code"] = [_("Unknown deadline.")]
    if day_kind not in DayKind.values:
        errors["day_kind"] = [_("Choose working days or calendar days.")]
    try:
        length = int(length)
    except (TypeError, ValueError):
        length = 0
    if not 1 <= length <= MAX_RULE_LENGTH:
        errors["length"] = [_("Between 1 and %(limit)d days.") % {"limit": MAX_RULE_LENGTH}]
    try:
        source = _text(source, "source", limit=MAX_TEXT)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if unit is not None:
        national = DeadlineRule.objects.filter(code=code, unit__isnull=True).first()
        if national is not None:
            shorter = is_shorter(RuleSpec(code, length, day_kind), spec_of(national))
            if shorter is False:
                raise ValidationError({"length": [
                    _("A unit's own rule must be shorter than the national rule (%(rule)s).") % {"rule": national}
                ]})
        elif rule is None:
            raise ValidationError({"code": [_("Set the national rule first.")]})
        if rule is None and DeadlineRule.objects.filter(code=code, unit=unit).exists():
            raise ValidationError({"code": [_("This unit already has a rule for this deadline; change that one.")]})
    elif rule is None and DeadlineRule.objects.filter(code=code, unit__isnull=True).exists():
        raise ValidationError({"code": [_("The national rule exists; change it.")]})
    text = _text(note, "note", limit=MAX_TEXT, required=False)
    before = snapshot(rule) if rule is not None else None
    if rule is None:
        rule = DeadlineRule(code=code, unit=unit)
    else:
        rule.version += 1
    rule.length, rule.day_kind, rule.source, rule.provisional, rule.note = length, day_kind, source, bool(
        provisional), text
    rule.save()
    record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=rule, before=before,
           after=snapshot(rule))
    count = recompute_deadlines(complaints=_affected(unit), actor=actor,
                                reason=_("Deadline rule changed: %(rule)s") % {"rule": rule})
    return RuleChange(rule=rule, recomputed=count)


@transaction.atomic
def delete_deadline_rule(*, actor: Any, rule: DeadlineRule) -> int:
    """Remove a unit's own rule (the national rule applies again); national rules are never removed. Returns how
    many open complaints got new due dates. MANAGE_DEADLINE_RULES on the unit. Audited."""
    if rule.unit is None:
        raise ValidationError({"unit": [_("A national rule can be changed, not removed.")]})
    _require(actor, RULES, rule.unit, _("You may not set deadline rules for this unit."))
    unit = rule.unit
    record(actor=actor, action=AuditAction.DELETE, obj=rule, before=snapshot(rule))
    label = str(rule)
    rule.delete()
    return recompute_deadlines(complaints=_affected(unit), actor=actor,
                               reason=_("Unit deadline rule removed: %(rule)s") % {"rule": label})


@dataclass
class CalendarChange:
    """What a calendar edit did: the entry and how many open complaints got new due dates."""

    day: CalendarDay | None
    recomputed: int


def _calendar_permission(actor: Any, unit: Unit | None) -> None:
    if unit is None:
        if not _may_edit_national(actor, RULES):
            raise PermissionDenied(_("Only the Ombudsman admin edits the national calendar."))
    else:
        _require(actor, CALENDAR, unit, _("You may not edit the calendar of this unit."))


@transaction.atomic
def add_calendar_day(*, actor: Any, date: dt.date, kind: str, description: str, source: str = "",
                     unit: Unit | None = None) -> CalendarChange:
    """Add a correction to the calendar (a day off, or a day off withdrawn), nationally (MANAGE_DEADLINE_RULES
    through an Ombudsman office) or for a unit and the units below it (MANAGE_WORK_CALENDAR on it), then recompute
    the deadlines of the open complaints it touches, each change written on the complaint's timeline. Refuses a
    withdrawn day off on a Saturday or Sunday (never working days, rules.md section 11), a year outside 2000-2100
    and a date already corrected at that level. Audited."""
    _calendar_permission(actor, unit)
    errors: dict[str, list[str]] = {}
    if kind not in CalendarDayKind.values:
        errors["kind"] = [_("Choose a day off or a working day.")]
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime) or not 2000 <= date.year <= 2100:
        errors["date"] = [_("The year must be between %(first)d and %(last)d.") % {"first": 2000, "last": 2100}]
    elif kind == CalendarDayKind.WORKING_DAY and date.weekday() >= 5:
        errors["date"] = [_("Saturdays and Sundays are never working days.")]
    elif CalendarDay.objects.filter(date=date, unit=unit).exists():
        errors["date"] = [_("This date is already corrected here; remove that entry first.")]
    try:
        text = _text(description, "description", limit=200)
        src = _text(source, "source", limit=MAX_TEXT, required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    day = CalendarDay.objects.create(date=date, kind=kind, unit=unit, description=text, source=src)
    record(actor=actor, action=AuditAction.CREATE, obj=day, after=snapshot(day))
    count = recompute_deadlines(complaints=_affected(unit), actor=actor,
                                reason=_("Calendar revised: %(day)s %(description)s")
                                % {"day": day, "description": text})
    return CalendarChange(day=day, recomputed=count)


@transaction.atomic
def remove_calendar_day(*, actor: Any, day: CalendarDay) -> CalendarChange:
    """Remove a calendar correction (the library's day applies again), then recompute as ``add_calendar_day``.
    Same permissions. Audited."""
    _calendar_permission(actor, day.unit)
    unit = day.unit
    record(actor=actor, action=AuditAction.DELETE, obj=day, before=snapshot(day))
    label = f"{day} {day.description}"
    day.delete()
    count = recompute_deadlines(complaints=_affected(unit), actor=actor,
                                reason=_("Calendar revised: removed %(day)s") % {"day": label})
    return CalendarChange(day=None, recomputed=count)


# ------------------------------------------------------------------------------------------------------------------
# From complaints to improvement


@dataclass
class PatternReview:
    """What ``review_patterns`` did: the window reviewed, the findings recorded (new or still open) and what
    ``findings.actions.close_findings`` closed and credited."""

    start: dt.date
    end: dt.date
    recorded: list[Finding] = field(default_factory=list)
    closing: Closing = field(default_factory=Closing)


def _subjects(government: Unit, start: dt.date, end: dt.date) -> dict[tuple[int, str], tuple[str, int, bool]]:
    """(unit id, key) -> (label, count, all sample) of complaints received from ``start`` to ``end`` about each
    service (of the service's unit) and each standard component (of the complaint's unit)."""
    base = Complaint.objects.filter(government=government, received_on__gte=start, received_on__lte=end)
    found: dict[tuple[int, str], tuple[str, int, bool]] = {}
    for row in (base.filter(service__isnull=False).values("service_id", "service__unit_id", "service__name")
                .annotate(n=Count("id"), real=Count("id", filter=~_sample_q()))):
        found[(row["service__unit_id"], f"complaint:service-{row['service_id']}")] = (
            _("Complaints about the service %(service)s") % {"service": row["service__name"]}, row["n"],
            row["real"] == 0)
    labels = dict(ComponentCode.choices)
    for row in (base.exclude(component="").values("unit_id", "component")
                .annotate(n=Count("id"), real=Count("id", filter=~_sample_q()))):
        found[(row["unit_id"], f"complaint:component-{row['component']}")] = (
            _("Complaints about the standard component %(component)s")
            % {"component": labels.get(row["component"], row["component"])}, row["n"], row["real"] == 0)
    return found


def _sample_q() -> Q:
    return Q(is_sample=True)


def _window(actor: Any, unit_id: int, key: str, label: str, start: dt.date, end: dt.date,
            count: int) -> ComplaintWindow:
    """The window's count stored (created, or updated when complaints came in since), audited when it changed."""
    window, created = ComplaintWindow.objects.get_or_create(
        unit_id=unit_id, key=key, start=start, end=end, defaults={"label": label[:300], "count": count}
    )
    if created:
        record(actor=actor, action=AuditAction.CREATE, obj=window, after=snapshot(window))
    elif window.count != count:
        before = snapshot(window)
        window.count = count
        window.save(update_fields=["count"])
        record(actor=actor, action=AuditAction.UPDATE, obj=window, before=before, after=snapshot(window))
    return window


@transaction.atomic
def review_patterns(*, actor: Any, government: Unit, on: dt.date) -> PatternReview:
    """Turn repeated complaints into findings and close the findings whose complaints fell (issue 13, "from
    complaints to improvement"; DESIGN.md, the loop).

    Window: the ``WINDOW_DAYS`` (90) days ending ``on``; threshold: ``THRESHOLD`` (3) complaints about one service
    or one standard component of a unit (Pantau's choice, ``complaints.patterns``). At or above it, the count is a
    ``ComplaintWindow`` and a finding (``findings.actions.record_finding(source="complaint")``: baseline the count,
    target THRESHOLD - 1, so it closes at or below that). An open complaint finding of the government is measured
    again in a window that starts after the finding was detected: below the threshold it closes and credits the
    actions that answered it (``findings.actions.close_findings`` with the window as the measurement). HANDLE or
    SUPERVISE_COMPLAINTS on the government."""
    if not (has_unit_permission(actor, HANDLE, government) or has_unit_permission(actor, SUPERVISE, government)):
        raise PermissionDenied(_("You may not review the complaints of this government."))
    start, end = window_ending(on)
    review = PatternReview(start=start, end=end)
    subjects = _subjects(government, start, end)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={unit_id for unit_id, _key in subjects})}
    for (unit_id, key), (label, count, sample) in sorted(subjects.items()):
        if count < THRESHOLD:
            continue
        _window(actor, unit_id, key, label, start, end, count)
        finding = record_finding(
            actor=actor, source=FindingSource.COMPLAINT, source_key=key, unit=units[unit_id],
            title=label, detail=_("%(count)d complaints from %(start)s to %(end)s (threshold %(threshold)d in "
                                  "%(days)d days).") % {"count": count, "start": date_format(start, "j F Y"),
                                                         "end": date_format(end, "j F Y"), "threshold": THRESHOLD,
                                                         "days": WINDOW_DAYS},
            detected_on=end, indicator_name=_("Complaints in %(days)d days") % {"days": WINDOW_DAYS},
            indicator_unit=_("complaints"), baseline=Decimal(count), target=Decimal(THRESHOLD - 1),
            is_sample=sample,
        )
        review.recorded.append(finding)
    open_findings = Finding.objects.filter(
        source=FindingSource.COMPLAINT, closed_on__isnull=True, unit__path__startswith=government.path,
        detected_on__lt=start,
    ).select_related("unit")
    for finding in open_findings:
        label, count, _sample = subjects.get((finding.unit_id, finding.source_key), (finding.title, 0, False))
        if count >= THRESHOLD:
            continue
        window = _window(actor, finding.unit_id, finding.source_key, label, start, end, count)
        closing = close_findings(
            actor=actor, measurements={finding: Decimal(count)}, on=end, measurement=window,
            label=_("Complaints %(start)s to %(end)s: %(count)d") % {"start": date_format(start, "j F Y"),
                                                                    "end": date_format(end, "j F Y"), "count": count},
        )
        review.closing.closed.extend(closing.closed)
        review.closing.credits.extend(closing.credits)
    return review
