"""Writing audit entries. Every action function in Pantau calls ``record`` inside its transaction."""

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from pantau.audit.middleware import current_request_id
from pantau.audit.models import AuditAction, AuditEntry


def _plain(value: Any) -> Any:
    """Turn a field value into JSON-safe plain data (Decimal and dates as strings, files as names)."""
    if isinstance(value, decimal.Decimal | dt.date | dt.datetime):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


SECRET_FIELDS = frozenset({"password"})
"""Fields whose value never goes into the audit trail; a change shows as ``"(changed)"`` instead."""


def snapshot(
    obj: models.Model | None, *, many_to_many: bool = False, known: Mapping[str, Iterable[Any]] | None = None,
) -> dict[str, Any] | None:
    """Concrete field values of ``obj`` (foreign keys as ids) as a JSON-safe dict; None for None.

    With ``many_to_many``, also each many-to-many field of a saved ``obj`` as the sorted list of related ids (one
    query per field), so that a change of, say, an action's supporting units has a before and an after; ``known``
    gives the related ids of a field the caller has just written (field name -> ids), saving that query. Secret
    fields (``SECRET_FIELDS``: the password hash) are recorded as a fingerprint-free marker, never their value.
    """
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.attname in SECRET_FIELDS:
            data[field.attname] = "(set)" if getattr(obj, field.attname) else ""
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    if many_to_many and obj.pk is not None:
        for field in obj._meta.many_to_many:
            if known is not None and field.name in known:
                data[field.name] = sorted(set(known[field.name]))
            else:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record(
    *,
    actor: Any,
    action: AuditAction,
    obj: models.Model | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one audit entry and return it.

    ``actor`` is a user or None (system); ``before``/``after`` are snapshots (see ``snapshot``).
    """
    entry = unsaved_entry(actor=actor, action=action, obj=obj, before=before, after=after, note=note)
    entry.save()
    return entry


def record_many(entries: list[AuditEntry], *, batch_size: int = 1000) -> None:
    """Append many audit entries built by ``unsaved_entry`` in batched inserts (a bulk import: one insert per
    ``batch_size`` entries instead of one per entry). Entries stay append-only: only new rows are inserted."""
    if any(entry.pk is not None for entry in entries):
        raise PermissionError("audit entries cannot be changed")
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


def unsaved_entry(
    *,
    actor: Any,
    action: AuditAction,
    obj: models.Model | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """The audit entry ``record`` would write, not yet saved (for ``record_many``)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_label=(user.get_username() if user else "system")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        request_id=current_request_id(),
        note=note[:500],
    )
