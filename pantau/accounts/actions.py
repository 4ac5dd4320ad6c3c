"""Granting and revoking roles: permission check, validation, save in a transaction, audit (the one write path)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import GRANTABLE_ROLES, Role, RoleGrant, User
from pantau.accounts.scoping import forget_grants, grants, reaches
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction

OMBUDSMAN_ROLES = frozenset({Role.OMBUDSMAN_ADMIN, Role.OMBUDSMAN_ASSISTANT})
GOVERNMENT_ROLES = frozenset({Role.COORDINATOR, Role.UNIT_OFFICER})
"""A user holds Ombudsman roles or government roles that write, never both (separation of duties: the Ombudsman
verifies what the government reports, domain/rules.md section 7). The viewer role goes with either."""


def can_grant(actor: Any, unit: Any, role: str) -> bool:
    """True when ``actor`` may grant ``role`` on ``unit``: a superuser, or a holder of a role in GRANTABLE_ROLES
    whose grant reaches ``unit`` (``scoping.reaches``) and whose grantable set holds ``role``."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return any(
        role in GRANTABLE_ROLES.get(grant.role, frozenset()) and reaches(grant.reach, unit)
        for grant in grants(actor)
    )


@transaction.atomic
def grant_role(*, actor: Any, user: User, unit: Any, role: str) -> RoleGrant:
    """Grant ``role`` to ``user`` on ``unit`` and return the grant.

    Raises PermissionDenied when ``actor`` may not grant that role there, ValidationError for an unknown role, a
    grant that already exists, or a grant that would mix Ombudsman and government roles (GOVERNMENT_ROLES).
    """
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    if not can_grant(actor, unit, role):
        raise PermissionDenied(_("You may not grant this role on this unit."))
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if role in OMBUDSMAN_ROLES and held & GOVERNMENT_ROLES or role in GOVERNMENT_ROLES and held & OMBUDSMAN_ROLES:
        raise ValidationError({"role": [
            _("This user holds Ombudsman roles and cannot also hold government roles, or the other way round: "
              "the Ombudsman verifies what the government reports.")
        ]})
    if RoleGrant.objects.filter(user=user, unit=unit, role=role).exists():
        raise ValidationError({"role": [_("This user already holds this role on this unit.")]})
    grant = RoleGrant.objects.create(user=user, unit=unit, role=role, granted_by=actor)
    forget_grants(user)
    record(actor=actor, action=AuditAction.GRANT_ROLE, obj=grant, after=snapshot(grant))
    record(actor=actor, action=AuditAction.GRANT_ROLE, obj=unit, after=snapshot(grant),
           note=f"{user.get_username()}: {grant.get_role_display()}")
    return grant


@transaction.atomic
def revoke_role(*, actor: Any, grant: RoleGrant) -> None:
    """Revoke ``grant``. Raises PermissionDenied when ``actor`` may not grant that role on that unit."""
    if not can_grant(actor, grant.unit, grant.role):
        raise PermissionDenied(_("You may not revoke this role on this unit."))
    before = snapshot(grant)
    record(actor=actor, action=AuditAction.REVOKE_ROLE, obj=grant, before=before)
    record(actor=actor, action=AuditAction.REVOKE_ROLE, obj=grant.unit, before=before,
           note=f"{grant.user.get_username()}: {grant.get_role_display()}")
    grant.delete()
    forget_grants(grant.user)
