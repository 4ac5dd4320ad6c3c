"""Admin for findings and credits: read-only (they are written by the measuring apps through ``findings.actions``)."""

from typing import Any

from django.contrib import admin

from pantau.findings.models import Credit, Finding


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: findings and credits come from measurements, never from the admin."""

    def has_add_permission(self, request: Any) -> bool:
        """No adding here."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """No changing here."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """No deleting here."""
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    """Findings with their source, unit and state."""

    list_display = ("title", "source", "unit", "detected_on", "closed_on", "is_sample")
    list_filter = ("source", "is_sample")
    search_fields = ("title", "source_key")
    raw_id_fields = ("unit", "actions")


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    """Measured changes credited to actions."""

    list_display = ("action", "finding", "measurement_label", "measured_on", "value_before", "value_after")
    raw_id_fields = ("finding", "action")
