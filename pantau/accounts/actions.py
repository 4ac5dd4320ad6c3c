"""Granting and revoking roles, and saving users from the admin: permission check, validation, save in a
transaction, audit (the one write path; the Django admin calls these too)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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
    held_already = ValidationError({"role": [_("This user already holds this role on this unit.")]})
    if RoleGrant.objects.filter(user=user, unit=unit, role=role).exists():
        raise held_already
    try:
        with transaction.atomic():  # a savepoint: the same grant made at the same moment by someone else
            grant = RoleGrant.objects.create(user=user, unit=unit, role=role, granted_by=actor)
    except IntegrityError:
        raise held_already from None
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


USER_FLAGS = ("is_active", "is_staff", "is_superuser")
"""The flags of a user account; staff and superuser flags are changed by superusers only."""


def _may_manage_users(actor: Any) -> bool:
    return bool(getattr(actor, "is_active", False)) and (
        bool(getattr(actor, "is_superuser", False)) or actor.has_perm("accounts.change_user")
    )


@transaction.atomic
def save_user(*, actor: Any, user: User) -> User:
    """Save ``user`` (new, or with changed fields: name, position, flags) as edited in the admin, and record the
    values before and after (the password never: only whether it is set, ``audit.actions.SECRET_FIELDS``).

    Requires a superuser, or a staff user with Django's ``accounts.change_user`` permission; only a superuser may
    set or clear ``is_staff`` and ``is_superuser`` (no one lifts their own rights). Raises PermissionDenied."""
    if not _may_manage_users(actor):
        raise PermissionDenied(_("You may not manage user accounts."))
    stored = User.objects.filter(pk=user.pk).first() if user.pk is not None else None
    before = snapshot(stored)
    escalated = [
        flag for flag in ("is_staff", "is_superuser")
        if getattr(user, flag) != (getattr(stored, flag) if stored is not None else False)
    ]
    if escalated and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a superuser may change who is staff or superuser."))
    user.save()
    forget_grants(user)
    record(actor=actor, action=AuditAction.UPDATE if stored is not None else AuditAction.CREATE, obj=user,
           before=before, after=snapshot(user), note="admin")
    return user


@transaction.atomic
def delete_user(*, actor: Any, user: User) -> None:
    """Delete a user account, recording its values before (its grants go with it, each recorded as revoked).
    Requires a superuser; no one deletes their own account. Raises PermissionDenied."""
    if not getattr(actor, "is_superuser", False) or not actor.is_active:
        raise PermissionDenied(_("Only a superuser may delete user accounts."))
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot delete your own account."))
    for grant in RoleGrant.objects.filter(user=user).select_related("unit"):
        record(actor=actor, action=AuditAction.REVOKE_ROLE, obj=grant, before=snapshot(grant),
               note=_("account deleted"))
    record(actor=actor, action=AuditAction.DELETE, obj=user, before=snapshot(user), note="admin")
    user.delete()


@transaction.atomic
def set_password(*, actor: Any, user: User, password: str, by_email: bool = False) -> User:
    """Set ``user``'s password (already validated by Django's password validators in the form) and record it (the
    audit keeps only that it changed, never the hash, ``audit.actions.SECRET_FIELDS``).

    Either the user changes their own password (``actor`` is ``user``, who gave the old one), or ``by_email`` is
    true: a reset through the one-time e-mail link (``actor`` None, the link's token proved the mailbox). Anyone
    else raises PermissionDenied (the admin sets passwords through its own form and ``save_user``)."""
    own = getattr(actor, "pk", None) is not None and actor.pk == user.pk and actor.is_active
    if not (own or (by_email and actor is None)):
        raise PermissionDenied(_("You may change only your own password."))
    stored = User.objects.select_for_update().get(pk=user.pk)  # the model itself (request.user is a lazy proxy)
    before = snapshot(stored)
    stored.set_password(password)
    stored.save(update_fields=["password"])
    user.password = stored.password  # the caller's object too (the session hash is computed from it)
    record(actor=actor, action=AuditAction.UPDATE, obj=stored, before=before, after=snapshot(stored),
           note=_("password reset by e-mail") if by_email else _("password changed"))
    return stored
