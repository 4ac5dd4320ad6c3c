"""Admin for actions, progress reports and evidence (staff data entry; status stays derived)."""

from typing import Any

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.workplans.actions import refresh_actuals
from pantau.workplans.models import Action, Evidence, ProgressReport


class EvidenceInline(admin.TabularInline):
    """Evidence files of a report."""

    model = Evidence
    extra = 0
    readonly_fields = ("original_name", "size", "uploaded_at")


@admin.register(Action)
class ActionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Actions; actuals and realized budget are read-only (kept from the reports)."""

    list_display = ("code", "title", "work_plan", "responsible_unit", "due_date", "is_sample")
    list_filter = ("work_plan", "budget_source", "is_sample")
    search_fields = ("code", "title", "indicator_name")
    raw_id_fields = ("work_plan", "parent", "responsible_unit")
    filter_horizontal = ("supporting_units",)
    readonly_fields = ("actual_reported", "actual_verified", "budget_realized")


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Progress reports with their review."""

    list_display = ("action", "report_date", "actual_value", "amount_spent", "status")
    list_filter = ("status",)
    raw_id_fields = ("action", "submitted_by")
    readonly_fields = ("status", "reviewed_by", "reviewed_at", "review_reason")  # review only through the pages/API
    inlines = [EvidenceInline]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save (audited), then recompute the action's actuals from its reports."""
        super().save_model(request, obj, form, change)
        refresh_actuals(obj.action)


@admin.register(Evidence)
class EvidenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Evidence files."""

    list_display = ("original_name", "report", "size", "uploaded_at")
    raw_id_fields = ("report",)
