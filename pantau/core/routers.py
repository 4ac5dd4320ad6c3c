"""Read replica for dashboards and reports (docs/scale.md, "Past one machine").

When ``DATABASE_REPLICA_URL`` is set (``settings.READ_REPLICA`` True), the GET and HEAD requests of the read-heavy
pages named in ``settings.REPLICA_VIEWS`` (home, work-plan dashboard, roll-ups, report cards, public pages) read the
domain tables from the database alias ``replica``; every write, every other page and every read of accounts,
sessions and the framework's own tables stay on ``default`` (a login, a grant or a session just written must be
seen at once, whatever the replica's lag). Without a replica everything is ``default``, as before.

- ``ReplicaRouter`` (``DATABASE_ROUTERS``): ``db_for_read`` answers ``replica`` inside ``reading_replica()`` for a
  domain model, else ``default``; ``db_for_write`` is always ``default``; migrations run on ``default`` only (the
  replica is a copy made by PostgreSQL's streaming replication).
- ``reading_replica()``: the context in which reads may go to the replica (a management command can use it too).
- ``ReplicaReadsMiddleware``: enters that context for the views named in ``REPLICA_VIEWS`` (by URL name).
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
"""The database alias of the read replica."""

PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "sessions", "contenttypes", "admin", "axes", "audit", "django_cache"}
)
"""Apps always read from ``default``: who is logged in, their grants and sessions, the audit log, and the shared
database cache (rate limits and one-time form tokens must see what was just written)."""

_reading = contextvars.ContextVar("pantau_reading_replica", default=False)


@contextlib.contextmanager
def reading_replica() -> Iterator[None]:
    """Within this block, reads of domain models go to the replica (when one is configured)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_enabled() -> bool:
    """True when a replica is configured (``settings.READ_REPLICA`` and an alias named ``replica``)."""
    return bool(getattr(settings, "READ_REPLICA", False)) and REPLICA in settings.DATABASES


class ReplicaRouter:
    """Dashboard and report reads to ``replica``, everything else to ``default`` (module docstring)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        """``replica`` for a domain model inside ``reading_replica()`` when a replica is configured."""
        if _reading.get() and replica_enabled() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        """Always ``default``: the replica is read-only."""
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Rows read from either alias are the same database's rows."""
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        """Migrations run on ``default`` only; the replica follows by replication."""
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Reads of the views named in ``settings.REPLICA_VIEWS`` (``namespace:name``) go to the replica, for GET and
    HEAD requests only (a POST to the same URL reads what it writes from ``default``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve the request; the replica context is left when the response is made."""
        token = None
        if request.method in ("GET", "HEAD") and replica_enabled():
            match = getattr(request, "resolver_match", None)
            if match is None:
                from django.urls import Resolver404, resolve

                try:
                    match = resolve(request.path_info)
                except Resolver404:
                    match = None
            if match is not None and match.view_name in getattr(settings, "REPLICA_VIEWS", ()):
                token = _reading.set(True)
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                _reading.reset(token)
