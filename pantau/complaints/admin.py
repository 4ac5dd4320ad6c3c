"""Admin for complaints: read-only. Complaints, rules, the calendar and reports change only through
``complaints.actions`` (their pages: /complaints/, /complaints/rules/, /complaints/calendar/), so that every change
is checked, audited and recomputes what depends on it. The complainant's identity is not in the admin at all."""

from typing import Any

from django.contrib import admin

from pantau.complaints.models import (
    CalendarDay,
    Complaint,
    ComplaintEvent,
    ComplaintWindow,
    DeadlineRule,
    OmbudsmanReport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: the write path lives in ``complaints.actions``."""

    def has_add_permission(self, request: Any) -> bool:
        """No adding here."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """No changing here."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """No deleting here."""
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Complaints without the identity and without the tracking code's hash."""

    list_display = ("reference", "received_on", "unit", "stage", "channel", "is_sample")
    list_filter = ("stage", "channel", "is_sample")
    exclude = ("tracking_hash",)
    raw_id_fields = ("government", "unit", "service", "picked_up_by", "created_by")


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    """Timeline lines."""

    list_display = ("complaint", "kind", "at", "is_public")
    list_filter = ("kind",)
    raw_id_fields = ("complaint", "actor")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ReadOnlyAdmin):
    """Deadline rules (edited on /complaints/rules/)."""

    list_display = ("code", "unit", "length", "day_kind", "provisional")
    list_filter = ("code", "provisional")
    raw_id_fields = ("unit",)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """Calendar corrections (edited on /complaints/calendar/)."""

    list_display = ("date", "kind", "unit", "description")
    raw_id_fields = ("unit",)


@admin.register(OmbudsmanReport)
class OmbudsmanReportAdmin(ReadOnlyAdmin):
    """Reports to the Ombudsman."""

    list_display = ("complaint", "stage", "outcome", "forwarded_on")
    raw_id_fields = ("complaint", "office")


@admin.register(ComplaintWindow)
class ComplaintWindowAdmin(ReadOnlyAdmin):
    """Complaint counts that open and close findings."""

    list_display = ("label", "unit", "start", "end", "count")
    raw_id_fields = ("unit",)
