"""The one write path for actions and progress reports: permission check, validation, save in a transaction, audit.

HTML views, API viewsets, the Excel importer and management commands all call these functions. Each raises
``django.core.exceptions.PermissionDenied`` when the actor lacks the permission on the action's responsible unit and
``django.core.exceptions.ValidationError`` (messages in the active language, keyed by field) on bad input; in both
cases nothing is saved.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.fields import active_notation
from pantau.core.typed_input import format_date, format_decimal, format_money
from pantau.core.uploads import shorten_name, validate_document
from pantau.organizations.models import Unit
from pantau.workplans import progress as rules
from pantau.workplans.models import Action, Evidence, ProgressReport, ReportStatus

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""Dates of actions and reports must fall in these years (Pantau's plausibility bound, as in the Excel template)."""

ACTION_FIELDS = (
    "parent", "code", "title", "description", "finding", "start_date", "due_date", "responsible_unit",
    "pic_position", "budget_planned", "budget_source", "fiscal_year", "indicator_name", "indicator_unit",
    "baseline", "target", "weight", "is_sample",
)


def _require(actor: Any, permission: str, unit: Unit | None) -> None:
    if not has_unit_permission(actor, permission, unit):
        raise PermissionDenied(_("You do not have permission for this unit."))


def _check_action_shape(action: Action) -> None:
    """Domain checks beyond the model's fields: plan kind, responsible unit inside the government, parent."""
    errors: dict[str, list[str]] = {}
    plan = action.work_plan
    if plan.kind != AgreementKind.WORK_PLAN:
        errors.setdefault("work_plan", []).append(_("Actions belong to a work plan, not to an MoU."))
    unit = action.responsible_unit
    if unit is not None and not unit.is_within(plan.government):
        errors.setdefault("responsible_unit", []).append(
            _("The responsible unit must belong to %(government)s.") % {"government": plan.government}
        )
    if action.parent is not None:
        if action.parent.work_plan_id != plan.pk:
            errors.setdefault("parent", []).append(_("The parent action belongs to another work plan."))
        if action.pk is not None and action.parent.pk == action.pk:
            errors.setdefault("parent", []).append(_("An action cannot be its own parent."))
        elif action.pk is not None and _is_below(action.parent, action.pk):
            errors.setdefault("parent", []).append(_("An action cannot be placed under one of its sub-actions."))
    if action.target is not None and action.baseline is not None and action.target == action.baseline:
        errors.setdefault("target", []).append(_("The target must differ from the baseline."))
    if action.start_date and action.due_date and action.due_date < action.start_date:
        errors.setdefault("due_date", []).append(_("The due date cannot be before the start date."))
    for name in ("start_date", "due_date"):
        value = getattr(action, name)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors.setdefault(name, []).append(
                _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
    if action.parent is not None and action.parent.reports.exclude(status=ReportStatus.RETURNED).exists():
        errors.setdefault("parent", []).append(
            _("The parent action already has progress reports; its progress cannot come from sub-actions.")
        )
    if errors:
        raise ValidationError(errors)


def _is_below(candidate: Action, action_id: int) -> bool:
    """True when ``candidate`` lies below the action ``action_id`` (walks up the parents; stops on a cycle)."""
    seen: set[int] = set()
    parent_id = candidate.parent_id
    while parent_id is not None and parent_id not in seen:
        if parent_id == action_id:
            return True
        seen.add(parent_id)
        parent_id = Action.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return False


def _supporting(action: Action, units: Iterable[Unit]) -> list[Unit]:
    """The supporting units, all inside the plan's government; raises ValidationError otherwise."""
    chosen = list(units)
    outside = [u for u in chosen if not u.is_within(action.work_plan.government)]
    if outside:
        raise ValidationError({"supporting_units": [
            _("Supporting units must belong to %(government)s.") % {"government": action.work_plan.government}
        ]})
    return chosen


def _save_action(action: Action) -> None:
    _check_action_shape(action)
    action.province_code = action.responsible_unit.province_code
    action.full_clean()  # all fields, so the (work_plan, code) uniqueness is checked too
    action.save()


@transaction.atomic
def create_action(
    *, actor: Any, work_plan: Agreement, data: Mapping[str, Any], supporting_units: Iterable[Unit] = ()
) -> Action:
    """Create an action in ``work_plan`` from ``data`` (keys from ACTION_FIELDS) and return it.

    Requires EDIT_ACTIONS on the responsible unit. Raises PermissionDenied or ValidationError.
    """
    action = Action(work_plan=work_plan, **{k: v for k, v in data.items() if k in ACTION_FIELDS})
    if action.responsible_unit_id is None:
        raise ValidationError({"responsible_unit": [_("This field is required.")]})
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    _save_action(action)
    action.supporting_units.set(_supporting(action, supporting_units))
    record(actor=actor, action=AuditAction.CREATE, obj=action, after=snapshot(action))
    return action


@transaction.atomic
def update_action(
    *, actor: Any, action: Action, data: Mapping[str, Any], supporting_units: Iterable[Unit] | None = None
) -> Action:
    """Change fields of ``action`` from ``data``; requires EDIT_ACTIONS on the old and the new responsible unit."""
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    before = snapshot(action)
    for key, value in data.items():
        if key in ACTION_FIELDS:
            setattr(action, key, value)
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    _save_action(action)
    if supporting_units is not None:
        action.supporting_units.set(_supporting(action, supporting_units))
    record(actor=actor, action=AuditAction.UPDATE, obj=action, before=before, after=snapshot(action))
    return action


@transaction.atomic
def cancel_action(*, actor: Any, action: Action, reason: str, on: dt.date | None = None) -> Action:
    """Cancel ``action`` with a reason (required); it leaves roll-ups. Requires EDIT_ACTIONS."""
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    if not reason.strip():
        raise ValidationError({"cancel_reason": [_("Give a reason for cancelling.")]})
    if action.cancelled_on is not None:
        raise ValidationError({"cancelled_on": [_("This action is already cancelled.")]})
    before = snapshot(action)
    action.cancelled_on = on or timezone.localdate()
    action.cancel_reason = reason.strip()
    action.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    record(actor=actor, action=AuditAction.CANCEL, obj=action, before=before, after=snapshot(action))
    return action


def refresh_actuals(action: Action) -> None:
    """Recompute the stored actuals and realized budget of ``action`` from its reports.

    Reported actual: the latest report (by date, then entry order) that was not returned. Verified actual: the
    latest accepted report. Realized budget: the sum of money spent in accepted reports (IDR).
    """
    reports = action.reports.order_by("-report_date", "-id")
    latest = reports.exclude(status=ReportStatus.RETURNED).first()
    accepted = reports.filter(status=ReportStatus.ACCEPTED)
    latest_accepted = accepted.first()
    action.actual_reported = latest.actual_value if latest else None
    action.actual_verified = latest_accepted.actual_value if latest_accepted else None
    action.budget_realized = accepted.aggregate(total=Sum("amount_spent"))["total"] or 0
    action.save(update_fields=["actual_reported", "actual_verified", "budget_realized", "updated_at"])


@transaction.atomic
def report_progress(
    *,
    actor: Any,
    action: Action,
    report_date: dt.date,
    actual_value: Decimal,
    narrative: str,
    amount_spent: int = 0,
    files: Iterable[UploadedFile] = (),
    confirm: bool = False,
) -> ProgressReport:
    """Submit a progress report with evidence files; returns it (status: awaiting verification).

    Requires REPORT_PROGRESS on the responsible unit. Refused (ValidationError) on a cancelled action, on an action
    with sub-actions (its progress comes from them), for a date in the future or before the plan existed, or with
    a negative amount. Each file is checked by ``core.uploads.validate_document``.

    Unusual values (``progress.plausibility_warnings``: an actual value far outside the indicator's range or
    outside 0-100 for a percent unit, money spent on an action without budget, a report dated before the action
    starts) are refused with the reason, keyed by their field and with code "unconfirmed", plus a message under
    ``confirm``, unless ``confirm`` is True; the audit entry then records what was confirmed. Forms (a checkbox),
    the API (``"confirm": true``) and any importer go through here, so they agree.
    """
    _require(actor, Permission.REPORT_PROGRESS, action.responsible_unit)
    errors: dict[str, list[str]] = {}
    if action.cancelled_on is not None:
        errors.setdefault("action", []).append(_("This action is cancelled."))
    if action.children.exists():
        errors.setdefault("action", []).append(
            _("This action has sub-actions; report progress on them.")
        )
    if report_date > timezone.localdate():
        errors.setdefault("report_date", []).append(_("The report date cannot be in the future."))
    earliest = action.work_plan.signed_on or dt.date(FIRST_YEAR, 1, 1)
    if report_date < earliest:
        errors.setdefault("report_date", []).append(
            _("The report date cannot be before %(date)s, when the work plan was signed.") % {"date": earliest}
        )
    report = ProgressReport(
        action=action,
        report_date=report_date,
        actual_value=actual_value,
        narrative=narrative,
        amount_spent=amount_spent,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        report.full_clean(exclude=["action", "submitted_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    file_list = list(files)
    for upload in file_list:
        try:
            validate_document(upload)
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(exc.messages)
    unusual = _unusual_values(action, report_date, actual_value, amount_spent)
    refusal: dict[str, list[ValidationError]] = {
        field_name: [ValidationError(message) for message in messages] for field_name, messages in errors.items()
    }
    if unusual and not confirm:
        for field_name, message in unusual:
            refusal.setdefault(field_name, []).append(ValidationError(message, code="unconfirmed"))
        refusal["confirm"] = [ValidationError(
            _("These values look unusual: check them, then confirm them to send the report anyway (tick the "
              "confirmation, or send \"confirm\": true through the API)."), code="unconfirmed")]
    if refusal:
        raise ValidationError(refusal)
    report.save()
    for upload in file_list:
        Evidence.objects.create(
            report=report, file=upload, original_name=shorten_name(str(upload.name)), size=upload.size or 0
        )
    refresh_actuals(action)
    note = _("%(count)d evidence file(s)") % {"count": len(file_list)}
    if unusual:
        note += " · " + _("confirmed unusual values: %(reasons)s") % {
            "reasons": " ".join(message for _field, message in unusual)}
    record(actor=actor, action=AuditAction.REPORT_PROGRESS, obj=report, after=snapshot(report), note=note[:2000])
    return report


def _unusual_values(
    action: Action, report_date: dt.date, actual_value: Decimal, amount_spent: int
) -> list[tuple[str, str]]:
    """(field, translated reason) of each unusual value of a report (``progress.plausibility_warnings``)."""
    language = active_notation()
    shown = {
        "value": format_decimal(actual_value, 2, language),
        "baseline": format_decimal(action.baseline, 2, language),
        "target": format_decimal(action.target, 2, language),
        "unit": action.indicator_unit,
        "amount": format_money(amount_spent, language),
        "date": format_date(report_date, language),
        "start": format_date(action.start_date, language),
    }
    messages = {
        "far_from_range": _("The new actual value %(value)s is far outside the indicator's range (baseline "
                            "%(baseline)s, target %(target)s): beyond it by more than the whole distance from "
                            "baseline to target. Check the decimal mark: 70,5 is seventy and a half."),
        "percent_range": _("The new actual value %(value)s is outside 0-100, but the indicator is measured in "
                           "%(unit)s."),
        "spent_without_budget": _("%(amount)s spent on an action without a planned budget."),
        "before_start": _("The report is dated %(date)s, before the action starts (%(start)s)."),
    }
    found = rules.plausibility_warnings(
        baseline=action.baseline, target=action.target, unit=action.indicator_unit,
        budget_planned=int(action.budget_planned), start=action.start_date, report_date=report_date,
        actual_value=Decimal(actual_value), amount_spent=int(amount_spent or 0),
    )
    return [(warning.field, messages[warning.code] % shown) for warning in found]


def _review(actor: Any, report: ProgressReport, status: str, reason: str) -> ProgressReport:
    _require(actor, Permission.VERIFY_PROGRESS, report.action.responsible_unit)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": [_("This report has already been reviewed.")]})
    if report.action.cancelled_on is not None:
        raise ValidationError({"status": [_("This action is cancelled.")]})
    if report.submitted_by_id is not None and report.submitted_by_id == getattr(actor, "pk", None):
        raise ValidationError({"status": [_("You cannot verify your own report.")]})
    before = snapshot(report)
    report.status = status
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_reason = reason.strip()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    refresh_actuals(report.action)
    code = AuditAction.ACCEPT_PROGRESS if status == ReportStatus.ACCEPTED else AuditAction.RETURN_PROGRESS
    record(actor=actor, action=code, obj=report, before=before, after=snapshot(report), note=reason[:500])
    return report


@transaction.atomic
def accept_report(*, actor: Any, report: ProgressReport, note: str = "") -> ProgressReport:
    """Accept a report (Ombudsman assistant): its actual becomes the verified actual. Requires VERIFY_PROGRESS."""
    return _review(actor, report, ReportStatus.ACCEPTED, note)


@transaction.atomic
def return_report(*, actor: Any, report: ProgressReport, reason: str) -> ProgressReport:
    """Return a report with a reason (required); it stops counting as reported progress. Requires VERIFY_PROGRESS."""
    if not reason.strip():
        raise ValidationError({"review_reason": [_("Give a reason for returning the report.")]})
    return _review(actor, report, ReportStatus.RETURNED, reason)
