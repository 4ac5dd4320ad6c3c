"""A ModelAdmin mixin that audits every create, update and delete made in the Django admin."""

from typing import Any

from django.db import transaction

from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction


class AuditedAdminMixin:
    """Records an audit entry (with before/after snapshots) for each admin save and delete, in one transaction."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save through the admin, recording an audit entry with before and after values."""
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
                   before=before, after=snapshot(obj), note="admin")

    def delete_model(self, request: Any, obj: Any) -> None:
        """Delete through the admin, recording an audit entry with the values before."""
        with transaction.atomic():
            record(actor=request.user, action=AuditAction.DELETE, obj=obj, before=snapshot(obj), note="admin")
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        """Bulk delete through the admin, recording one audit entry per object."""
        with transaction.atomic():
            for obj in queryset:
                record(actor=request.user, action=AuditAction.DELETE, obj=obj, before=snapshot(obj), note="admin")
            super().delete_queryset(request, queryset)  # type: ignore[misc]
