"""The write path of the unit tree: create, edit and move units (permission, validation, transaction, audit).

Who may: holders of MANAGE_UNITS (the government's coordinator within its government, the Ombudsman admin within its
province; ``accounts.models.ROLE_PERMISSIONS``) on the unit and, for a new unit or a move, on the parent it goes
under; a move also needs the right on the parent it leaves (rights at both ends). A unit never goes under itself or
one of its sub-units; the subtree's paths follow a move in one statement (``Unit.save``). Each function raises
PermissionDenied or ValidationError (messages in the active language, keyed by field) and saves nothing then.
``update_unit`` and ``move_unit`` take ``expected_version`` (``core.concurrency``: a stale one is refused with
``StaleVersion``); a name taken under the same parent, also by a concurrent save, is a ValidationError on ``name``.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.organizations.models import Unit, UnitKind

UNIT_FIELDS = (
    "name", "short_name", "kind", "agency_type", "region", "verification", "source_url", "note", "time_zone",
)
"""Fields ``create_unit`` and ``update_unit`` take; the parent changes only through ``move_unit``."""

TOP_LEVEL_KINDS = frozenset({UnitKind.OMBUDSMAN_OFFICE, UnitKind.REGIONAL_GOVERNMENT})
"""Kinds that stand at the top of the tree (no parent): Ombudsman offices and regional governments."""


def _require(actor: Any, unit: Unit | None) -> None:
    if not has_unit_permission(actor, Permission.MANAGE_UNITS, unit):
        raise PermissionDenied(_("You may not manage this unit."))


def _check(unit: Unit) -> None:
    """Domain checks: top-level kinds have no parent, others have one; then the model's own validation."""
    if unit.kind in TOP_LEVEL_KINDS and unit.parent_id is not None:
        raise ValidationError({"parent": [_("An Ombudsman office or a regional government has no parent unit.")]})
    if unit.kind not in TOP_LEVEL_KINDS and unit.parent_id is None:
        raise ValidationError({"parent": [_("This kind of unit belongs under a parent unit.")]})
    unit.full_clean(exclude=["path", "province_code"])


def _save(unit: Unit) -> None:
    """Save in a savepoint; a name taken under the same parent by a concurrent save is a ValidationError."""
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        if Unit.objects.filter(parent_id=unit.parent_id, name=unit.name).exclude(pk=unit.pk).exists():
            raise ValidationError({"name": [
                _("The parent unit already has a unit named %(name)s.") % {"name": unit.name}
            ]}) from None
        raise


@transaction.atomic
def create_unit(*, actor: Any, parent: Unit | None, data: Mapping[str, Any]) -> Unit:
    """Create a unit under ``parent`` (None: a top-level unit, superusers only) from ``data`` (keys of
    UNIT_FIELDS) and return it. Requires MANAGE_UNITS on ``parent``. Audited."""
    _require(actor, parent)
    unit = Unit(parent=parent, **{k: v for k, v in data.items() if k in UNIT_FIELDS})
    _check(unit)
    _save(unit)
    record(actor=actor, action=AuditAction.CREATE, obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def update_unit(
    *, actor: Any, unit: Unit, data: Mapping[str, Any], expected_version: int | None = None
) -> Unit:
    """Change the fields of ``unit`` given in ``data`` (keys of UNIT_FIELDS); requires MANAGE_UNITS on it.
    ``expected_version``: the version the user's form was read at (StaleVersion when stale). Audited with the
    values before and after."""
    _require(actor, unit)
    before = snapshot(unit)
    claim_version(unit, expected_version)
    for key, value in data.items():
        if key in UNIT_FIELDS:
            setattr(unit, key, value)
    _check(unit)
    _save(unit)
    record(actor=actor, action=AuditAction.UPDATE, obj=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def move_unit(*, actor: Any, unit: Unit, parent: Unit, expected_version: int | None = None) -> Unit:
    """Move ``unit`` (with its subtree) under ``parent``. Requires MANAGE_UNITS on the unit, on the parent it
    leaves and on the new one; refused (ValidationError) under itself or one of its sub-units. The subtree's paths
    are rewritten in one statement. ``expected_version`` as in ``update_unit``. Audited."""
    _require(actor, unit)
    _require(actor, unit.parent)
    _require(actor, parent)
    current = Unit.objects.select_for_update().get(pk=unit.pk)
    parent.refresh_from_db(fields=["path"])
    if parent.path.startswith(current.path):
        raise ValidationError({"parent": [_("A unit cannot be placed under itself or one of its sub-units.")]})
    before = snapshot(current)
    claim_version(current, expected_version)
    current.parent = parent
    _check(current)
    _save(current)
    unit.parent, unit.path, unit.version = current.parent, current.path, current.version
    record(actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=snapshot(current),
           note=_("moved under %(parent)s") % {"parent": parent})
    return current
