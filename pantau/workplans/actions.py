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
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, shared_grant_cache
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.actions import record, record_many, snapshot, unsaved_entry
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.core.fields import active_notation
from pantau.core.natural import sort_key
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


def _check_action_shape(action: Action, *, parent_has_reports: bool | None = None) -> None:
    """Domain checks beyond the model's fields: plan kind, responsible unit inside the government, parent.
    ``parent_has_reports``: whether the parent has reports that were not returned, when the caller read it (None:
    read here)."""
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
    if parent_has_reports is None and action.parent is not None:
        parent_has_reports = action.parent.reports.exclude(status=ReportStatus.RETURNED).exists()
    if parent_has_reports:
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
        .order_by("sort_key", "code")
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
    for action in Action.objects.filter(work_plan=work_plan, cancelled_on__isnull=True).order_by("sort_key", "code"):
        groups.setdefault(action.parent_id, []).append(action)
    errors = []
    for group in groups.values():
        if all(a.weight is None for a in group) or all(a.weight is not None for a in group):
            continue  # consistent: checked once per group, not once per action (a plan's top level may hold 2,000)
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
    moved_province = action.pk is not None and action.province_code != action.responsible_unit.province_code
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
    if moved_province:  # reports keep their action's province (docs/scale.md); no query when it did not change
        ProgressReport.objects.filter(action=action).update(province_code=action.province_code)
    if check_weights:
        _check_sibling_weights(action)


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

    At most 8 queries (issue 11; ``tests/test_write_budgets.py``): the grants read once, then one read of the
    parent (with its responsible unit and whether it has reports), the siblings and any action holding the code,
    the insert, the supporting units in one insert, one audit insert.
    """
    try:
        return _create_action(actor=actor, work_plan=work_plan, data=data, supporting_units=supporting_units,
                              check_weights=check_weights, refresh=refresh)
    except IntegrityError as exc:  # the transaction rolled back to its savepoint: the connection is usable
        code = data.get("code")
        if _is_code_clash(exc) or Action.objects.filter(work_plan_id=work_plan.pk, code=code).exists():
            raise _duplicate_code(Action(code=code)) from None
        raise


CODE_CONSTRAINT = "action_unique_code_in_plan"


def _is_code_clash(exc: IntegrityError) -> bool:
    """True when ``exc`` is the unique (work plan, code) constraint refusing an insert: a code taken by a
    concurrent save between the check and the insert (PostgreSQL names the constraint, SQLite the columns)."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None) == CODE_CONSTRAINT:
        return True
    return "workplans_action.work_plan_id, workplans_action.code" in str(exc)


def _neighbours(
    work_plan: Agreement, parent: Action | None, code: str,
) -> tuple[Action | None, bool, list[Action], bool]:
    """One query for what creating an action with ``code`` under ``parent`` must know: the parent as stored now
    (with its responsible unit; None when gone), whether it has reports that were not returned, the non-cancelled
    sibling group (ordered by code) and whether the code is taken in the plan."""
    parent_id = parent.pk if parent is not None else None
    wanted = Q(work_plan_id=work_plan.pk, parent_id=parent_id, cancelled_on__isnull=True) | Q(
        work_plan_id=work_plan.pk, code=code)
    if parent_id is not None:
        wanted |= Q(pk=parent_id)
    alive_reports = ProgressReport.objects.filter(action=OuterRef("pk")).exclude(status=ReportStatus.RETURNED)
    rows = list(
        Action.objects.filter(wanted).select_related("responsible_unit").order_by("sort_key", "code", "pk")
        .annotate(has_reports=Case(When(pk=parent_id, then=Exists(alive_reports)), default=Value(False)))
    )
    stored_parent = next((a for a in rows if parent_id is not None and a.pk == parent_id), None)
    group = [a for a in rows if a.work_plan_id == work_plan.pk and a.parent_id == parent_id and a.cancelled_on is None]
    taken = any(a.work_plan_id == work_plan.pk and a.code == code for a in rows)
    return stored_parent, bool(stored_parent and stored_parent.has_reports), group, taken  # type: ignore[attr-defined]


@transaction.atomic
def _create_action(
    *, actor: Any, work_plan: Agreement, data: Mapping[str, Any], supporting_units: Iterable[Unit],
    check_weights: bool, refresh: bool = True,
) -> Action:
    action = Action(work_plan=work_plan, **{k: v for k, v in data.items() if k in ACTION_FIELDS})
    if action.responsible_unit_id is None:
        raise ValidationError({"responsible_unit": [_("This field is required.")]})
    with shared_grant_cache():
        _require(actor, Permission.EDIT_ACTIONS, action.responsible_unit)
        stored_parent, parent_has_reports, group, taken = _neighbours(work_plan, action.parent, action.code)
        if action.parent is not None:
            if stored_parent is None:
                raise ValidationError({"parent": [_("The parent action no longer exists.")]})
            _require_parent_rights(actor, None, stored_parent)
    _check_action_shape(action, parent_has_reports=parent_has_reports)
    action.province_code = action.responsible_unit.province_code
    if taken:
        raise _duplicate_code(action)
    # Field checks without queries: the related rows were loaded by the caller (the parent just above), the code
    # was checked above and is the database's constraint too (a concurrent save: IntegrityError, named by
    # ``create_action``), and the check constraints are the shape checks above with their own messages.
    action.full_clean(exclude=["work_plan", "parent", "responsible_unit"], validate_unique=False,
                      validate_constraints=False)
    chosen = list({u.pk: u for u in _supporting(action, supporting_units)}.values())
    if check_weights:
        message = weight_mix_message(sorted([*group, action], key=lambda a: (sort_key(a.code), a.code)),
                                     saved=action)
        if message:
            raise ValidationError({"weight": [message]})
    action.save(force_insert=True)
    if refresh and action.parent_id is not None:  # a new sub-action (0 %, not reported) changes its parents' roll-ups
        refresh_rollups(action.work_plan_id, instances=[action])
    if chosen:
        through = Action.supporting_units.through
        through.objects.bulk_create([through(action_id=action.pk, unit_id=u.pk) for u in chosen])
    record(actor=actor, action=AuditAction.CREATE, obj=action,
           after=snapshot(action, many_to_many=True, known={"supporting_units": [u.pk for u in chosen]}))
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
    """Lock the action's row until the transaction ends (progress writes on one action queue up). No statement on
    a database without row locks (SQLite locks the whole database for the write transaction instead)."""
    if not connection.features.has_select_for_update:
        return
    list(Action.objects.select_for_update().filter(pk=action.pk).order_by().values_list("pk", flat=True))


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


def _blocker(action: Action, *, has_children: bool) -> str | None:
    """``report_blocker`` with the children already known (no query): an action without children is verified
    when its own verified progress reached 100 %."""
    if action.cancelled_on is not None:
        return _("This action is cancelled.")
    if has_children:
        return _("This action has sub-actions; report progress on them.")
    if action.own_progress(verified=True) >= rules.HUNDRED:
        return _("This action is verified: its target was reached and accepted, so no more progress is reported.")
    return None


def _report_state(
    action: Action, *, submitter: Any, report_date: dt.date, actual_value: Decimal, narrative: str,
    amount_spent: int,
) -> Action:
    """One query, after the action's row is locked: the action as stored (its plan and responsible unit), whether
    it has children, whether the same report was sent a moment ago (``sent_twice``), and what ``refresh_actuals``
    reads (the latest report that was not returned, the latest accepted one, the money spent in accepted ones).
    Copies the stored actuals and cancellation onto ``action`` and fills its plan and unit when not loaded."""
    reports = ProgressReport.objects.filter(action=OuterRef("pk")).order_by("-report_date", "-id")
    alive = reports.exclude(status=ReportStatus.RETURNED)
    accepted = reports.filter(status=ReportStatus.ACCEPTED)
    state = (
        Action.objects.filter(pk=action.pk).order_by().select_related("work_plan", "responsible_unit")
        .annotate(
            has_children=Exists(Action.objects.filter(parent=OuterRef("pk"))),
            sent_twice=Exists(ProgressReport.objects.filter(
                action=OuterRef("pk"), submitted_by=submitter, report_date=report_date, actual_value=actual_value,
                narrative=narrative, amount_spent=amount_spent, status=ReportStatus.SUBMITTED,
                submitted_at__gte=timezone.now() - DUPLICATE_WINDOW)),
            latest_date=Subquery(alive.values("report_date")[:1]),
            latest_value=Subquery(alive.values("actual_value")[:1]),
            accepted_value=Subquery(accepted.values("actual_value")[:1]),
            accepted_spent=Subquery(
                ProgressReport.objects.filter(action=OuterRef("pk"), status=ReportStatus.ACCEPTED)
                .order_by().values("action").annotate(total=Sum("amount_spent")).values("total")[:1]),
        )
        .get()
    )
    for name in ("cancelled_on", "actual_verified", "actual_reported", "budget_realized"):
        setattr(action, name, getattr(state, name))
    for relation in ("work_plan", "responsible_unit"):
        if not Action._meta.get_field(relation).is_cached(action):  # type: ignore[union-attr]
            setattr(action, relation, getattr(state, relation))
    return state


def _apply_new_report(action: Action, state: Any, report: ProgressReport) -> None:
    """``refresh_actuals`` after a new (submitted) ``report``, from what ``_report_state`` read: the new report is
    the latest that was not returned unless one is dated later (same date: the new one, entered last); the verified
    actual and the realized budget come from accepted reports, which a new report does not change. One UPDATE."""
    latest = state.latest_date
    action.actual_reported = (
        report.actual_value if latest is None or report.report_date >= latest else state.latest_value
    )
    action.actual_verified = state.accepted_value
    action.budget_realized = state.accepted_spent or 0
    action.save(update_fields=["actual_reported", "actual_verified", "budget_realized", "updated_at"])
    refresh_rollups(action.work_plan_id, instances=[action])  # the stored roll-ups up the tree


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
    with shared_grant_cache():
        _require(actor, Permission.REPORT_PROGRESS, action.responsible_unit)
    _lock_action(action)
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    state = _report_state(action, submitter=submitter, report_date=report_date, actual_value=actual_value,
                          narrative=narrative, amount_spent=amount_spent)
    errors: dict[str, list[str]] = {}
    blocker = _blocker(action, has_children=state.has_children)  # type: ignore[attr-defined]
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
    if state.sent_twice:  # type: ignore[attr-defined]
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
        province_code=action.province_code,
    )
    try:
        # the check constraint (money not negative) is the field's own validator: no query
        report.full_clean(exclude=["action", "submitted_by"], validate_constraints=False)
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
            _("These values look unusual: check them, then confirm them to send the report anyway."),
            code="unconfirmed")]
    if refusal:
        raise ValidationError(refusal)
    report.save()
    field = Evidence._meta.get_field("file")
    evidence_rows = []
    for upload in file_list:
        evidence = Evidence(report=report, original_name=shorten_name(str(upload.name)), size=upload.size or 0)
        evidence.file.name = field.generate_filename(evidence, str(upload.name))  # type: ignore[attr-defined]
        evidence_rows.append(evidence)
    if evidence_rows:
        Evidence.objects.bulk_create(evidence_rows)  # one insert; the rows get their ids (PostgreSQL, SQLite 3.35+)
    for evidence, upload in zip(evidence_rows, file_list, strict=True):
        transaction.on_commit(partial(_store_evidence_file, evidence.pk, evidence.file.name, upload))
    _apply_new_report(action, state, report)
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


# --------------------------------------------------------------------------------------------------------------
# Bulk creation (large imports, issue 11 item 4)


class NewActionRow(Protocol):
    """One action to create in bulk (``workplans.xlsx.ParsedRow`` has this shape): spreadsheet ``row`` number,
    ``code``, ``parent_code`` (a code in the same batch or already in the plan; None for a main action), ``data``
    (ACTION_FIELDS without ``parent``) and its ``supporting_units``."""

    row: int
    code: str
    parent_code: str | None
    data: dict[str, Any]
    supporting_units: list[Unit]


BULK_BATCH = 1000
"""Rows per INSERT statement of the bulk path (well under SQLite's 32,766 bound parameters at 25 columns)."""


def bulk_refusals(
    *, actor: Any, work_plan: Agreement, rows: Sequence[NewActionRow], existing: Mapping[str, Action],
) -> list[tuple[int, str, str]]:
    """What ``create_action`` would refuse in ``rows`` before anything is written, as (row, column, message):
    EDIT_ACTIONS on each responsible unit and on each parent's responsible unit (checked once per distinct unit,
    from the grants read once), the years of the dates (FIRST_YEAR-LAST_YEAR), supporting and responsible units
    inside the plan's government, a parent already in the plan that has reports. One query (parents with reports)."""
    refusals: list[tuple[int, str, str]] = []
    government = work_plan.government
    by_code = {row.code: row for row in rows}
    allowed: dict[int, bool] = {}

    def may_edit(unit: Unit) -> bool:
        if unit.pk not in allowed:
            allowed[unit.pk] = has_unit_permission(actor, Permission.EDIT_ACTIONS, unit)
        return allowed[unit.pk]

    parent_ids = {existing[r.parent_code].pk for r in rows if r.parent_code in existing and r.parent_code}
    with_reports = set(
        ProgressReport.objects.filter(action_id__in=parent_ids).exclude(status=ReportStatus.RETURNED)
        .values_list("action_id", flat=True).distinct()
    ) if parent_ids else set()
    denied = _("You may not create or edit actions of this unit.")
    with shared_grant_cache():
        for row in rows:
            unit = row.data["responsible_unit"]
            parent_unit = None
            if row.parent_code in by_code:
                parent_unit = by_code[row.parent_code].data["responsible_unit"]
            elif row.parent_code in existing:
                parent_unit = existing[row.parent_code].responsible_unit
            if not may_edit(unit) or (parent_unit is not None and not may_edit(parent_unit)):
                refusals.append((row.row, "responsible_unit", denied))
            if not unit.is_within(government):
                refusals.append((row.row, "responsible_unit", _("The responsible unit must belong to "
                                                                "%(government)s.") % {"government": government}))
            if any(not u.is_within(government) for u in row.supporting_units):
                refusals.append((row.row, "supporting_units", _("Supporting units must belong to "
                                                                "%(government)s.") % {"government": government}))
            for name in ("start_date", "due_date"):
                value = row.data.get(name)
                if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                    refusals.append((row.row, name, _("The year must be between %(first)d and %(last)d.")
                                     % {"first": FIRST_YEAR, "last": LAST_YEAR}))
            if row.parent_code in existing and existing[row.parent_code].pk in with_reports:
                refusals.append((row.row, "parent_code", _(
                    "The parent action already has progress reports; its progress cannot come from sub-actions.")))
    return refusals


def create_actions_bulk(
    *, actor: Any, work_plan: Agreement, rows: Sequence[NewActionRow], existing: Mapping[str, Action],
    progress: Callable[[int, int], None] | None = None, total: int | None = None, done: int = 0,
) -> dict[str, Action]:
    """Create the actions of ``rows`` (checked by ``bulk_refusals`` and the caller's row checks, which must be empty)
    in batched inserts, parents first: the actions, their supporting units and one CREATE audit entry each, with
    the values ``create_action`` records. ``existing``: the plan's actions by code (parents outside ``rows``).
    Must run inside the caller's transaction (all or nothing). ``progress(done, total)`` after each batch. Returns
    the created actions by code. A code taken meanwhile raises ValidationError naming it (the unique constraint)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("create_actions_bulk must run inside a transaction")
    total = len(rows) if total is None else total
    parent_of: dict[str, str | None] = {
        code: (a.parent.code if a.parent_id and a.parent else None) for code, a in existing.items()}
    parent_of.update({row.code: row.parent_code for row in rows})
    levels = {row.code: _depth(row.code, parent_of) for row in rows}
    ordered = sorted(rows, key=lambda r: (levels[r.code], r.row))
    created: dict[str, Action] = {}
    through = Action.supporting_units.through
    for start in range(0, len(ordered), BULK_BATCH):
        batch = ordered[start:start + BULK_BATCH]
        # a parent in the same batch is inserted first: split the batch by depth
        for level in sorted({levels[r.code] for r in batch}):
            part = [r for r in batch if levels[r.code] == level]
            actions = []
            for row in part:
                parent = created.get(row.parent_code) if row.parent_code else None
                if row.parent_code and parent is None:
                    parent = existing[row.parent_code]
                action = Action(work_plan=work_plan, parent=parent, **{
                    k: v for k, v in row.data.items() if k in ACTION_FIELDS and k != "parent"})
                action.province_code = action.responsible_unit.province_code
                action.sort_key = sort_key(action.code)  # bulk_create skips ``Action.save``, which sets it
                actions.append(action)
            try:
                with transaction.atomic():
                    Action.objects.bulk_create(actions)
            except IntegrityError as exc:
                taken = set(Action.objects.filter(work_plan=work_plan, code__in=[a.code for a in actions])
                            .values_list("code", flat=True))
                if taken or _is_code_clash(exc):
                    raise ValidationError({"code": [_duplicate_code(Action(code=c)).messages[0]
                                                    for c in sorted(taken)] or [str(exc)]}) from None
                raise
            links = []
            entries = []
            for row, action in zip(part, actions, strict=True):
                created[row.code] = action
                chosen = list({u.pk: u for u in row.supporting_units}.values())
                links += [through(action_id=action.pk, unit_id=u.pk) for u in chosen]
                entries.append(unsaved_entry(
                    actor=actor, action=AuditAction.CREATE, obj=action,
                    after=snapshot(action, many_to_many=True, known={"supporting_units": [u.pk for u in chosen]})))
            through.objects.bulk_create(links, batch_size=BULK_BATCH)
            record_many(entries, batch_size=BULK_BATCH)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    refresh_rollups(work_plan.pk)  # new sub-actions change their parents' stored roll-ups
    return created


def _depth(code: str, parent_of: Mapping[str, str | None]) -> int:
    """1 + the number of ancestors of ``code`` (in the batch or the plan): the order in which the row-by-row
    importer writes (parents first, ``xlsx._check_parents``), so that both paths give the same ids."""
    seen = [code]
    parent = parent_of.get(code)
    while parent is not None and parent in parent_of and parent not in seen:
        seen.append(parent)
        parent = parent_of[parent]
    return len(seen)
