"""Admin for actions, progress reports and evidence (staff data entry; status stays derived)."""

from django.contrib import admin

from pantau.workplans.models import Action, Evidence, ProgressReport


class EvidenceInline(admin.TabularInline):
    """Evidence files of a report."""

    model = Evidence
    extra = 0
    readonly_fields = ("original_name", "size", "uploaded_at")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Actions; actuals and realized budget are read-only (kept from the reports)."""

    list_display = ("code", "title", "work_plan", "responsible_unit", "due_date", "is_sample")
    list_filter = ("work_plan", "budget_source", "is_sample")
    search_fields = ("code", "title", "indicator_name")
    raw_id_fields = ("work_plan", "parent", "responsible_unit")
    filter_horizontal = ("supporting_units",)
    readonly_fields = ("actual_reported", "actual_verified", "budget_realized")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Progress reports with their review."""

    list_display = ("action", "report_date", "actual_value", "amount_spent", "status")
    list_filter = ("status",)
    raw_id_fields = ("action", "submitted_by", "reviewed_by")
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence files."""

    list_display = ("original_name", "report", "size", "uploaded_at")
    raw_id_fields = ("report",)
