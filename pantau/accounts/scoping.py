"""What a user may see or do, and where: the one scoping rule of Pantau.

A role granted on a unit reaches the unit and its whole subtree (STYLE.md habit 4; DESIGN.md, accounts). A grant on
an Ombudsman office also reaches every unit of the office's province: a Perwakilan supervises the governments of
its province (UU 37/2008 art. 5 and 43) rather than owning them. ``Reach`` and ``reaches`` are that rule, written
once; everything else here is built on them:

- ``scope(user, permission)``: a ``Scope`` (everything, nothing, or a set of reaches) for one permission;
- ``Scope.q(prefix)``: the same scope as a ``Q`` over any model's path to its deciding unit
  (``"responsible_unit__"``, ``"period__unit__"``...);
- ``ScopedQuerySet.for_user(user, permission)``: every scoped model's queryset, configured by ``scope_unit``;
- ``has_unit_permission(user, permission, unit)``: decided in Python from the grants, no query;
- ``provinces_with(user, permission)``: the provinces where the user acts for an Ombudsman office.

Grants are read once per request (``grant_cache``, installed by ``GrantCacheMiddleware``) and once per call outside
requests. This module knows units only through their fields (``path``, ``province_code``, ``kind``, ``region_id``)
and the ``RoleGrant.unit`` relation, so ``accounts`` sits below ``organizations`` (DESIGN.md import order).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from pantau.accounts.models import ROLE_PERMISSIONS, RoleGrant

OMBUDSMAN_OFFICE = "ombudsman_office"
"""The unit kind whose grants reach their whole province (``organizations.UnitKind.OMBUDSMAN_OFFICE``)."""


@dataclass(frozen=True)
class Reach:
    """Where one grant reaches: the subtree under ``path`` (``/1/5/``) and, for a grant on an Ombudsman office,
    every unit whose ``province_code`` is ``province`` (two digits)."""

    path: str
    province: str | None = None

    @classmethod
    def of(cls, unit: Any) -> Reach:
        """The reach of a grant on ``unit`` (any object with ``path``, ``kind`` and ``region_id``)."""
        province = str(unit.region_id)[:2] if unit.kind == OMBUDSMAN_OFFICE and unit.region_id else None
        return cls(path=unit.path, province=province)

    def q(self, prefix: str = "") -> Q:
        """The units this reach covers, as a ``Q`` on ``<prefix>path`` and ``<prefix>province_code``."""
        q = Q(**{f"{prefix}path__startswith": self.path})
        if self.province:
            q |= Q(**{f"{prefix}province_code": self.province})
        return q


def reaches(reach: Reach, unit: Any) -> bool:
    """True when a grant with ``reach`` covers ``unit`` (an object with ``path`` and ``province_code``): the one
    predicate of the scoping rule (module docstring)."""
    if unit.path.startswith(reach.path):
        return True
    return reach.province is not None and unit.province_code == reach.province


@dataclass(frozen=True)
class Grant:
    """A role a user holds and where it reaches (read from ``RoleGrant``)."""

    role: str
    reach: Reach
    unit_id: int
    national: bool = False
    """True for a grant on the national Ombudsman office (an Ombudsman office without a region)."""


_cache: contextvars.ContextVar[dict[int, tuple[Grant, ...]] | None] = contextvars.ContextVar(
    "pantau_grant_cache", default=None
)


@contextlib.contextmanager
def grant_cache() -> Iterator[None]:
    """Within this block each user's grants are read from the database once (a request; a long command)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


@contextlib.contextmanager
def shared_grant_cache() -> Iterator[None]:
    """Within this block each user's grants are read at most once: the request's cache when one is active (a write
    path called from a view), else a cache for the block (a write path called from a command or a test), so that
    several permission checks of one write cost one query."""
    if _cache.get() is not None:
        yield
        return
    with grant_cache():
        yield


def forget_grants(user: Any) -> None:
    """Drop ``user``'s cached grants (called by the write paths that grant or revoke roles)."""
    cache = _cache.get()
    if cache is not None:
        cache.pop(getattr(user, "pk", None), None)  # type: ignore[arg-type]


def grants(user: Any) -> tuple[Grant, ...]:
    """The grants of an active, authenticated user (empty otherwise); one query, cached per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cache = _cache.get()
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    rows = RoleGrant.objects.filter(user_id=user.pk).values_list(
        "role", "unit_id", "unit__path", "unit__kind", "unit__region_id"
    )
    found = tuple(
        Grant(role=role, unit_id=unit_id, reach=Reach.of(_UnitFields(path, kind, region_id)),
              national=kind == OMBUDSMAN_OFFICE and not region_id)
        for role, unit_id, path, kind, region_id in rows
    )
    if cache is not None:
        cache[user.pk] = found
    return found


@dataclass(frozen=True)
class _UnitFields:
    path: str
    kind: str
    region_id: str | None


@dataclass(frozen=True)
class Scope:
    """Where a user may act with one permission: ``everything`` (a superuser), or the union of ``reaches`` (none:
    nowhere)."""

    everything: bool
    reaches: tuple[Reach, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the user may act nowhere."""
        return not self.everything and not self.reaches

    def q(self, prefix: str = "") -> Q | None:
        """The scope as a ``Q`` over ``<prefix>path``/``<prefix>province_code``; None for everything,
        ``Q(pk__in=[])`` for nowhere."""
        if self.everything:
            return None
        q = Q(pk__in=[])
        for reach in self.reaches:
            q |= reach.q(prefix)
        return q

    def contains(self, unit: Any) -> bool:
        """True when ``unit`` (with ``path`` and ``province_code``) lies in the scope; no query."""
        if self.everything:
            return True
        return unit is not None and any(reaches(reach, unit) for reach in self.reaches)

    def filter(self, queryset: Any, unit_lookup: str) -> Any:
        """``queryset`` restricted to rows whose unit (reached by ``unit_lookup``, e.g. ``"responsible_unit"``;
        ``""`` for units themselves) lies in the scope."""
        q = self.q(f"{unit_lookup}__" if unit_lookup else "")
        return queryset if q is None else queryset.filter(q)


def scope(user: Any, permission: str) -> Scope:
    """Where ``user`` may act with ``permission``: a superuser everywhere, an anonymous or inactive user nowhere,
    others where their grants of a role holding ``permission`` reach (``accounts.models.ROLE_PERMISSIONS``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(everything=False)
    if user.is_superuser:
        return Scope(everything=True)
    found = tuple(
        g.reach for g in grants(user) if permission in ROLE_PERMISSIONS.get(g.role, frozenset())
    )
    return Scope(everything=False, reaches=tuple(dict.fromkeys(found)))


def unit_scope_q(user: Any, permission: str, prefix: str = "") -> Q | None:
    """``scope(user, permission).q(prefix)``: None for a superuser, ``Q(pk__in=[])`` for nowhere."""
    return scope(user, permission).q(prefix)


def unit_model() -> Any:
    """The unit model (``organizations.Unit``), reached through ``RoleGrant.unit`` so that accounts needs no
    import from the app above it."""
    return RoleGrant._meta.get_field("unit").related_model


def units_for(user: Any, permission: str) -> Any:
    """The units ``user`` may act on with ``permission`` (a Unit queryset)."""
    return scope(user, permission).filter(unit_model().objects.all(), "")


def has_unit_permission(user: Any, permission: str, unit: Any) -> bool:
    """True when ``user`` holds ``permission`` on ``unit`` (inside the reach of one of its grants); for no unit,
    only a superuser. No query beyond the (cached) grants."""
    if unit is None:
        return bool(getattr(user, "is_superuser", False)) and bool(getattr(user, "is_active", False))
    return scope(user, permission).contains(unit)


def provinces_with(user: Any, permission: str) -> set[str] | None:
    """The province codes where ``user`` holds ``permission`` through a grant on an Ombudsman office (the
    Perwakilan of that province); None for a superuser (every province)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    return {
        g.reach.province for g in grants(user)
        if g.reach.province and permission in ROLE_PERMISSIONS.get(g.role, frozenset())
    }


def acts_nationally(user: Any, permission: str) -> bool:
    """True when ``user`` holds ``permission`` for all of Indonesia: an active superuser, or a grant on the national
    Ombudsman office (Ombudsman RI, an office without a region). A Perwakilan's grant never does."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return any(g.national and permission in ROLE_PERMISSIONS.get(g.role, frozenset()) for g in grants(user))


def acts_for_provinces(user: Any, permission: str, province_codes: Any) -> bool:
    """True when ``user`` holds ``permission`` through the Ombudsman office of every province in
    ``province_codes`` (a superuser always does)."""
    allowed = provinces_with(user, permission)
    return allowed is None or all(code in allowed for code in province_codes)


class ScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """A queryset scoped per user: ``for_user(user, permission)`` keeps the rows whose unit (``scope_unit``, a
    lookup such as ``"responsible_unit"`` or ``"period__unit"``) lies in the user's scope. Subclasses set
    ``scope_unit``; ``anonymous_sees_nothing`` is the default."""

    scope_unit = "unit"

    def for_user(self, user: Any, permission: str) -> Any:
        """Rows in ``user``'s scope for ``permission`` (none for anonymous users)."""
        return scope(user, permission).filter(self, self.scope_unit)


class GrantCacheMiddleware:
    """Reads each user's grants once per request (``grant_cache``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request inside a fresh grant cache."""
        with grant_cache():
            return self.get_response(request)
