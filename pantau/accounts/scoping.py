"""Which units a user may act on for a permission: the one place scoping is computed.

Every list, detail, form, API endpoint, export, import and dashboard starts from ``units_for(user, perm)`` (through
the models' ``for_user`` querysets).
"""

from typing import Any

from django.db.models import Q

from pantau.accounts.models import ROLE_PERMISSIONS, RoleGrant
from pantau.organizations.models import Unit, UnitKind


def unit_scope_q(user: Any, permission: str) -> Q | None:
    """A Q over ``Unit`` selecting the units ``user`` may act on with ``permission``.

    Returns None when the user may act on every unit (superuser) and ``Q(pk__in=[])`` when on none
    (anonymous users, users without a fitting grant).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    q = Q(pk__in=[])
    grants = RoleGrant.objects.filter(user=user).select_related("unit", "unit__region")
    for grant in grants:
        if permission not in ROLE_PERMISSIONS.get(grant.role, frozenset()):
            continue
        q |= Q(path__startswith=grant.unit.path)
        if grant.unit.kind == UnitKind.OMBUDSMAN_OFFICE and grant.unit.region_id:
            # Ombudsman offices are per province (UU 37/2008 Perwakilan): reach the units of that province.
            q |= Q(province_code=str(grant.unit.region_id)[:2])
    return q


def units_for(user: Any, permission: str) -> Any:
    """Units ``user`` may act on with ``permission`` (a Unit queryset)."""
    q = unit_scope_q(user, permission)
    return Unit.objects.all() if q is None else Unit.objects.filter(q)


def has_unit_permission(user: Any, permission: str, unit: Unit | None) -> bool:
    """True when ``user`` holds ``permission`` on ``unit`` (a unit inside one of its grants)."""
    if unit is None:
        return bool(getattr(user, "is_superuser", False))
    return units_for(user, permission).filter(pk=unit.pk).exists()
