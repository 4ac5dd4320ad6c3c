"""Readable history: audit entries turned into lines people can read, in the active language."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from pantau.audit.models import AuditAction, AuditEntry

HIDDEN_FIELDS = {"id", "path", "updated_at", "created_at", "password", "province_code"}


@dataclass(frozen=True)
class HistoryLine:
    """One readable line: when, who, what (translated label), and the changed fields as (label, before, after)."""

    at: Any
    actor: str
    label: str
    note: str
    changes: list[tuple[str, Any, Any]]


def _field_label(model: type[models.Model] | None, attname: str) -> str:
    if model is not None:
        for field in model._meta.concrete_fields:
            if field.attname == attname:
                return str(field.verbose_name)
    return attname


def history(obj: models.Model, limit: int = 200) -> list[HistoryLine]:
    """The newest ``limit`` audit entries about ``obj`` as HistoryLine items (field names as translated labels)."""
    model = type(obj)
    lines = []
    for entry in AuditEntry.objects.for_object(obj).select_related("actor")[:limit]:
        changes = [
            (_field_label(model, name), before, after)
            for name, before, after in entry.changes()
            if name not in HIDDEN_FIELDS
        ]
        lines.append(
            HistoryLine(
                at=entry.at,
                actor=entry.actor_label,
                label=str(AuditAction(entry.action).label) if entry.action in AuditAction.values else entry.action,
                note=entry.note,
                changes=changes,
            )
        )
    return lines


def last_change(obj: models.Model) -> AuditEntry | None:
    """The newest audit entry about ``obj`` (who saved it last, and when), or None."""
    return AuditEntry.objects.for_object(obj).first()
