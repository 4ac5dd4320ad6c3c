"""Admin for actions, progress reports and evidence (staff data entry; status stays derived).

Actions save through ``workplans.actions`` (``create_action`` / ``update_action``: the permission on the responsible
unit and on both parents of a move, validation, version, audit); cancelling is done on the action's page
(``cancel_action``) and actions are never deleted here.
"""

from typing import Any

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin, WritePathAdminMixin
from pantau.workplans import actions as write
from pantau.workplans.actions import refresh_actuals
from pantau.workplans.models import Action, Evidence, ProgressReport


class EvidenceInline(admin.TabularInline):
    """Evidence files of a report."""

    model = Evidence
    extra = 0
    readonly_fields = ("original_name", "size", "uploaded_at")


@admin.register(Action)
class ActionAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Actions, saved through the write path; actuals, realized budget and cancellation are read-only (kept from the
    reports; cancel on the action's page)."""

    list_display = ("code", "title", "work_plan", "responsible_unit", "due_date", "is_sample")
    list_filter = ("work_plan", "budget_source", "is_sample")
    search_fields = ("code", "title", "indicator_name")
    raw_id_fields = ("work_plan", "parent", "responsible_unit")
    filter_horizontal = ("supporting_units",)
    readonly_fields = ("actual_reported", "actual_verified", "budget_realized", "cancelled_on", "cancel_reason")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """An action stays in the work plan it was created in."""
        return (*self.readonly_fields, "work_plan") if obj is not None else self.readonly_fields

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_action`` or ``update_action`` with the form's values and supporting units."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.ACTION_FIELDS}
        supporting = form.cleaned_data.get("supporting_units", [])
        if change:
            stored = Action.objects.get(pk=obj.pk)
            write.update_action(actor=request.user, action=stored, data=data, supporting_units=supporting,
                                expected_version=self.expected_version(form))
        else:
            created = write.create_action(actor=request.user, work_plan=obj.work_plan, data=data,
                                          supporting_units=supporting)
            obj.pk, obj._state.adding = created.pk, False

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """Supporting units were set (and audited) by the write path; nothing more to save."""


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
