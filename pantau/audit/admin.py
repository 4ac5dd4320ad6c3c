"""Read-only admin for the audit trail: no one can add, change or delete entries."""

from typing import Any

from django.contrib import admin

from pantau.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Lists audit entries; every write permission is refused."""

    list_display = ("at", "actor_label", "action", "object_repr", "request_id")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label", "request_id")

    def has_add_permission(self, request: Any) -> bool:
        """Refused: audit entries are written by Pantau only."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Refused: audit entries cannot be changed."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Refused: audit entries cannot be deleted."""
        return False
