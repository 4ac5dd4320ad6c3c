"""The one write path for actions and progress reports: permission check, validation, save in a transaction, audit.

HTML views, API viewsets, the Excel importer, the Django admin and management commands all call these functions.
Each raises ``django.core.exceptions.PermissionDenied`` when the actor lacks the permission on the action's
responsible unit and ``django.core.exceptions.ValidationError`` (messages in the active language, keyed by field) on
bad input; in both cases nothing is saved.

Rules kept here (issue 10):

- Versions: ``update_action``, ``cancel_action`` and ``set_weights`` take ``expected_version`` (the version the
  user's form or ``If-Match`` was read at) and refuse a stale one with ``core.concurrency.StaleVersion``.
- Moves need rights at both ends: a parent changes only with EDIT_ACTIONS on the action, on the parent it leaves
  and on the parent it joins (a new action: on its parent too).
- Sibling weights are set on all siblings or on none (docs/status.md); a mix is refused naming the action without
  a weight. ``set_weights`` sets a group's weights together.
- Dates use the responsible unit's own local date (WIB, WITA, WIT; ``Action.local_today``); ``now`` is injectable.
- Two saves racing on the same row end in one outcome: reviews lock the action and the report
  (``select_for_update``); a duplicate code lost to a concurrent insert is a ValidationError naming the code, never
  a database error.
- Evidence files are written to storage only when the transaction commits (``transaction.on_commit``), so a
  rolled-back or killed request leaves no file behind (``pantau sweep_orphan_files`` removes older leftovers).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
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


def _require_parent_rights(actor: Any, old: Action | None, new: Action | None) -> None:
    """EDIT_ACTIONS on the responsible unit of the parent an action leaves and of the one it joins (a move changes
    both parents' progress; rights at both ends). Raises PermissionDenied naming neither parent."""
    for parent in (old, new):
        if parent is not None and not has_unit_permission(actor, Permission.EDIT_ACTIONS, parent.responsible_unit):
            raise PermissionDenied(_("You may not move an action under or away from an action you may not edit."))


def _group(work_plan_id: int, parent_id: int | None) -> list[Action]:
    """The non-cancelled actions of one sibling group (same plan, same parent; the top of the plan for None)."""
    return list(
        Action.objects.filter(work_plan_id=work_plan_id, parent_id=parent_id, cancelled_on__isnull=True)
        .order_by("code")
    )


def _codes(actions: Iterable[Action]) -> str:
    return ", ".join(a.code for a in actions)


def weight_mix_message(group: list[Action], saved: Action | None = None) -> str | None:
    """The message refusing a sibling group whose weights are mixed (some set, some not), naming the actions
    without a weight; None when the group is consistent (all set or none; docs/status.md)."""
    unset = [a for a in group if a.weight is None]
    weighted = [a for a in group if a.weight is not None]
    if not unset or not weighted:
        return None
    if saved is not None and saved.weight is None:
        return _(
            "Give action %(code)s a weight: its sibling actions %(others)s have weights, and sibling weights are "
            "set on all siblings or on none."
        ) % {"code": saved.code, "others": _codes(weighted)}
    return _(
        "Sibling actions %(codes)s have no weight while %(others)s have one: set the weights of all sibling "
        "actions together (the Weights page), or on none of them."
    ) % {"codes": _codes(unset), "others": _codes(weighted)}


def _check_sibling_weights(action: Action) -> None:
    """Refuse (ValidationError on ``weight``) a save that leaves the action's sibling group with mixed weights."""
    message = weight_mix_message(_group(action.work_plan_id, action.parent_id), saved=action)
    if message:
        raise ValidationError({"weight": [message]})


def sibling_weight_errors(work_plan: Agreement) -> list[tuple[Action, str]]:
    """Every action of ``work_plan`` without a weight in a sibling group whose other members have one, with the
    message naming it (used after a batch such as the Excel import, which checks the groups once at the end)."""
    groups: dict[int | None, list[Action]] = {}
    for action in Action.objects.filter(work_plan=work_plan, cancelled_on__isnull=True).order_by("code"):
        groups.setdefault(action.parent_id, []).append(action)
    errors = []
    for group in groups.values():
        for action in group:
            message = weight_mix_message(group, saved=action) if action.weight is None else None
            if message:
                errors.append((action, message))
    return errors


def _supporting(action: Action, units: Iterable[Unit]) -> list[Unit]:
    """The supporting units, all inside the plan's government; raises ValidationError otherwise."""
    chosen = list(units)
    outside = [u for u in chosen if not u.is_within(action.work_plan.government)]
    if outside:
        raise ValidationError({"supporting_units": [
            _("Supporting units must belong to %(government)s.") % {"government": action.work_plan.government}
        ]})
    return chosen


def _duplicate_code(action: Action) -> ValidationError:
    return ValidationError({"code": [
        _("Another action of this work plan already has the code %(code)s.") % {"code": action.code}
    ]})


ROLLUP_FIELDS = ("progress_reported", "progress_verified", "reported_any")


def refresh_rollups(work_plan_id: int, *, instances: Iterable[Action] = ()) -> int:
    """Store the rolled-up progress of every action of a work plan (``Action.progress_reported``,
    ``progress_verified``, ``reported_any``; ``progress.tree_rollups``, the rule of ``Action.progress``), so that
    statuses and dashboards are computed in SQL (``workplans.statuses``). Called by every write that changes a
    plan's actions or actuals; ``instances`` (in memory) get the new figures too. Two queries at most (one read,
    one update of the rows that changed). Returns how many rows changed."""
    rows = list(Action.objects.filter(work_plan_id=work_plan_id).values_list(
        "pk", "parent_id", "cancelled_on", "weight", "baseline", "target", "actual_reported", "actual_verified",
        *ROLLUP_FIELDS,
    ))
    rolled = rules.tree_rollups([
        rules.TreeNode(pk, parent, cancelled is not None, weight, baseline, target, reported, verified)
        for pk, parent, cancelled, weight, baseline, target, reported, verified, *_old in rows
    ])
    changed = []
    for pk, *_fields, old_reported, old_verified, old_any in rows:
        new = rolled[pk]
        if (old_reported, old_verified, old_any) != (new.reported, new.verified, new.has_reported):
            changed.append(Action(pk=pk, progress_reported=new.reported, progress_verified=new.verified,
                                  reported_any=new.has_reported))
    if changed:
        Action.objects.bulk_update(changed, ROLLUP_FIELDS, batch_size=500)
    for instance in instances:
        if instance.pk in rolled:
            new = rolled[instance.pk]
            instance.progress_reported, instance.progress_verified = new.reported, new.verified
            instance.reported_any = new.has_reported
    return len(changed)


def _save_action(action: Action, *, check_weights: bool = True) -> None:
    _check_action_shape(action)
    action.province_code = action.responsible_unit.province_code
    if Action.objects.filter(work_plan_id=action.work_plan_id, code=action.code).exclude(pk=action.pk).exists():
        raise _duplicate_code(action)
    action.full_clean()  # all fields, so the (work_plan, code) uniqueness is checked too
    try:
        with transaction.atomic():  # a savepoint: a code taken by a concurrent save is a 400, not a broken transaction
            action.save()
    except IntegrityError:
        if Action.objects.filter(work_plan_id=action.work_plan_id, code=action.code).exclude(pk=action.pk).exists():
            raise _duplicate_code(action) from None
        raise
    if check_weights:
        _check_sibling_weights(action)


@transaction.atomic
def create_action(
    *, actor: Any, work_plan: Agreement, data: Mapping[str, Any], supporting_units: Iterable[Unit] = (),
    check_weights: bool = True, refresh: bool = True,
) -> Action:
    """Create an action in ``work_plan`` from ``data`` (keys from ACTION_FIELDS) and return it.

    Requires EDIT_ACTIONS on the responsible unit and, for a sub-action, on the parent's responsible unit. Refused
    (ValidationError) when the code is taken (also by a concurrent save) or when it would mix set and unset weights
    among its siblings; ``check_weights=False`` leaves that check to a batch caller (``sibling_weight_errors``),
    ``refresh=False`` the stored roll-ups (``refresh_rollups``, once after the batch).
    Raises PermissionDenied or ValidationError.
    """
    action = Action(work_plan=work_plan, **{k: v for k, v in data.items() if k in ACTION_FIELDS})
    if action.responsible_unit_id is None:
        raise ValidationError({"responsible_unit": [_("This field is required.")]})
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    _require_parent_rights(actor, None, action.parent)
    _save_action(action, check_weights=check_weights)
    if refresh:
        refresh_rollups(action.work_plan_id, instances=[action])
    action.supporting_units.set(_supporting(action, supporting_units))
    record(actor=actor, action=AuditAction.CREATE, obj=action, after=snapshot(action, many_to_many=True))
    return action


@transaction.atomic
def update_action(
    *, actor: Any, action: Action, data: Mapping[str, Any], supporting_units: Iterable[Unit] | None = None,
    expected_version: int | None = None, check_weights: bool = True, refresh: bool = True,
) -> Action:
    """Change fields of ``action`` from ``data``.

    Requires EDIT_ACTIONS on the old and the new responsible unit and, when the parent changes, on the parent it
    leaves and the one it joins. ``expected_version``: the version the user's form or ``If-Match`` was read at;
    a stale one raises ``StaleVersion`` (None: not checked; the version still goes up by one). Audited with the
    values before and after, supporting units included.
    """
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    if "parent" in data and getattr(data["parent"], "pk", None) != action.parent_id:
        _require_parent_rights(actor, action.parent, data["parent"])
    before = snapshot(action, many_to_many=True)
    claim_version(action, expected_version)
    for key, value in data.items():
        if key in ACTION_FIELDS:
            setattr(action, key, value)
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    after = snapshot(action) or {}
    regrouped = (before or {}).get("weight") != after["weight"] or (before or {}).get("parent_id") != action.parent_id
    _save_action(action, check_weights=check_weights and regrouped)
    if refresh:
        refresh_rollups(action.work_plan_id, instances=[action])
    if supporting_units is not None:
        action.supporting_units.set(_supporting(action, supporting_units))
    record(actor=actor, action=AuditAction.UPDATE, obj=action, before=before,
           after=snapshot(action, many_to_many=True))
    return action


@transaction.atomic
def set_weights(
    *, actor: Any, work_plan: Agreement, parent: Action | None, weights: Mapping[int, Decimal | None],
    expected_versions: Mapping[int, int] | None = None,
) -> list[Action]:
    """Set the weights of a sibling group together: the non-cancelled sub-actions of ``parent`` (None: the
    top-level actions of ``work_plan``). ``weights`` maps action ids of the group to a weight (> 0) or None.

    Requires EDIT_ACTIONS on the parent's responsible unit (for the top level: on the plan's government, whose
    overall progress changes) and on every action whose weight changes. After the change the group must be
    consistent: all weights set or none (else ValidationError naming the actions without weight).
    ``expected_versions``: action id -> version read by the form (StaleVersion when one moved on). Returns the
    changed actions. Audited per action.
    """
    _require(actor, Permission.EDIT_ACTIONS, parent.responsible_unit if parent else work_plan.government)
    group = {a.pk: a for a in Action.objects.filter(
        work_plan=work_plan, parent=parent, cancelled_on__isnull=True).select_related("responsible_unit")}
    unknown = set(weights) - set(group)
    if unknown:
        raise ValidationError({"weight": [_("These actions are not sub-actions of this group: %(ids)s")
                                          % {"ids": ", ".join(str(i) for i in sorted(unknown))}]})
    changed = []
    errors: dict[str, list[str]] = {}
    for pk, weight in weights.items():
        action = group[pk]
        if action.weight == weight:
            continue
        _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
        before = snapshot(action)
        claim_version(action, (expected_versions or {}).get(pk))
        action.weight = weight
        try:
            action.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.setdefault(f"weight_{pk}", []).extend(exc.message_dict.get("weight", exc.messages))
            continue
        action.save(update_fields=["weight", "version", "updated_at"])
        record(actor=actor, action=AuditAction.UPDATE, obj=action, before=before, after=snapshot(action),
               note=_("weights of the sibling actions set together"))
        changed.append(action)
    if errors:
        raise ValidationError(errors)
    message = weight_mix_message(list(group.values()))
    if message:
        raise ValidationError({"weight": [message]})
    if changed:
        refresh_rollups(work_plan.pk, instances=changed)
    return changed


@transaction.atomic
def cancel_action(
    *, actor: Any, action: Action, reason: str, on: dt.date | None = None, expected_version: int | None = None,
) -> Action:
    """Cancel ``action`` with a reason (required); it leaves roll-ups. ``on`` defaults to today in the
    responsible unit's own time zone. Requires EDIT_ACTIONS; ``expected_version`` as in ``update_action``."""
    _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
    if not reason.strip():
        raise ValidationError({"cancel_reason": [_("Give a reason for cancelling.")]})
    if action.cancelled_on is not None:
        raise ValidationError({"cancelled_on": [_("This action is already cancelled.")]})
    before = snapshot(action)
    claim_version(action, expected_version)
    action.cancelled_on = on or action.local_today()
    action.cancel_reason = reason.strip()
    action.save(update_fields=["cancelled_on", "cancel_reason", "version", "updated_at"])
    refresh_rollups(action.work_plan_id, instances=[action])
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
    refresh_rollups(action.work_plan_id, instances=[action])


def _lock_action(action: Action) -> None:
    """Lock the action's row until the transaction ends (progress writes on one action queue up)."""
    list(Action.objects.select_for_update().filter(pk=action.pk).values_list("pk", flat=True))


def _store_evidence_file(evidence_id: int, name: str, upload: UploadedFile) -> None:
    """After the commit: write the uploaded bytes under the name the row already holds (a random name, so it is
    free; if storage still picks another, the row follows it)."""
    stored = Evidence._meta.get_field("file").storage.save(name, upload)
    if stored != name:
        Evidence.objects.filter(pk=evidence_id).update(file=stored)


def report_blocker(action: Action) -> str | None:
    """Why progress cannot be reported on ``action`` (cancelled, verified, or a parent of sub-actions), or None.
    Pages and the API hide the report form and button when this is not None."""
    if action.cancelled_on is not None:
        return _("This action is cancelled.")
    if action.children.exists():
        return _("This action has sub-actions; report progress on them.")
    if action.is_verified:
        return _("This action is verified: its target was reached and accepted, so no more progress is reported.")
    return None


DUPLICATE_WINDOW = dt.timedelta(minutes=10)
"""A report identical to one the same person submitted on the same action this recently is refused as sent twice
(Pantau's choice: long enough for a double click, a re-post or a client's retry; short enough not to stop a real
second report of the same figures later)."""


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
    now: dt.datetime | None = None,
    confirm: bool = False,
) -> ProgressReport:
    """Submit a progress report with evidence files; returns it (status: awaiting verification).

    Requires REPORT_PROGRESS on the responsible unit. Refused (ValidationError) on a cancelled or verified action, on
    an action with sub-actions (its progress comes from them), for a date after today in the responsible unit's own
    time zone at ``now`` (default: the current instant; an officer in Papua reporting at 00:30 WIT on 17 August may
    date the report 17 August), before the plan existed, or with a negative amount. Each file is checked by
    ``core.uploads.validate_document``; files are written to storage when the transaction commits.

    Unusual values (``progress.plausibility_warnings``: an actual value far outside the indicator's range or
    outside 0-100 for a percent unit, money spent on an action without budget, a report dated before the action
    starts) are refused with the reason, keyed by their field and with code "unconfirmed", plus a message under
    ``confirm``, unless ``confirm`` is True; the audit entry then records what was confirmed. Forms (a checkbox),
    the API (``"confirm": true``) and any importer go through here, so they agree.
    """
    _require(actor, Permission.REPORT_PROGRESS, action.responsible_unit)
    _lock_action(action)
    action.refresh_from_db(fields=["cancelled_on", "actual_verified", "actual_reported", "budget_realized"])
    errors: dict[str, list[str]] = {}
    blocker = report_blocker(action)
    if blocker:
        errors.setdefault("action", []).append(blocker)
    if report_date > action.local_today(now):
        errors.setdefault("report_date", []).append(_("The report date cannot be in the future."))
    earliest = action.work_plan.signed_on or dt.date(FIRST_YEAR, 1, 1)
    if report_date < earliest:
        errors.setdefault("report_date", []).append(
            _("The report date cannot be before %(date)s, when the work plan was signed.")
            % {"date": format_date(earliest, active_notation())}
        )
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    if ProgressReport.objects.filter(
        action=action, submitted_by=submitter, report_date=report_date, actual_value=actual_value,
        narrative=narrative, amount_spent=amount_spent, status=ReportStatus.SUBMITTED,
        submitted_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).exists():
        # a double click, a re-post or a retry: the action row is locked above, so parallel posts see each other
        errors.setdefault("action", []).append(
            _("You sent this same report a moment ago; it is already waiting for verification."))
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
    field = Evidence._meta.get_field("file")
    for upload in file_list:
        evidence = Evidence(report=report, original_name=shorten_name(str(upload.name)), size=upload.size or 0)
        evidence.file.name = field.generate_filename(evidence, str(upload.name))  # type: ignore[attr-defined]
        evidence.save()
        transaction.on_commit(partial(_store_evidence_file, evidence.pk, evidence.file.name, upload))
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
    """Accept or return ``report``: lock its action and the report row, then decide on the stored state, so of
    two reviews at the same moment exactly one applies and the other is refused as already reviewed."""
    _require(actor, Permission.VERIFY_PROGRESS, report.action.responsible_unit)
    _lock_action(report.action)
    list(ProgressReport.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))
    report.refresh_from_db(fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    report.action.refresh_from_db(fields=["cancelled_on"])
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
