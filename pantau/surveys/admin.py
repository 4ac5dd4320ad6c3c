"""Admin for survey periods (audited edits) and, read-only, their responses and IKM results.

Responses come from the public form or an import and results from ``services.compute_result``; the admin may look
at them but not add, change or delete them (that would bypass the write path and its findings).
"""

from typing import Any

from django.contrib import admin

from pantau.audit.admin_mixins import WritePathAdminMixin
from pantau.surveys import actions as write
from pantau.surveys.models import IkmResult, Response, SurveyPeriod


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: no add, change or delete."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        """Never."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Never."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Never."""
        return False


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Survey periods, saved through ``surveys.actions`` (``create_period`` / ``update_period``: MANAGE_SURVEYS,
    version, audit); the province code is copied from the unit, which never changes."""

    list_display = ("unit", "service_name", "start_date", "end_date", "population", "public_form", "is_sample")
    list_filter = ("public_form", "is_sample", "province_code")
    search_fields = ("unit__name", "service_name")
    raw_id_fields = ("unit",)
    readonly_fields = ("province_code", "created_at")
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """The unit of a stored period is fixed (its responses belong to it)."""
        return (*self.readonly_fields, "unit") if obj is not None else self.readonly_fields

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_period`` or ``update_period`` with the form's values."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.PERIOD_FIELDS}
        if change:
            write.update_period(actor=request.user, period=SurveyPeriod.objects.get(pk=obj.pk), data=data,
                                expected_version=self.expected_version(form))
        else:
            created = write.create_period(actor=request.user, unit=obj.unit, **data)
            obj.pk, obj._state.adding = created.pk, False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    """Survey responses, read-only."""

    list_display = ("period", "respondent_ref", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "source",
                    "submitted_at")
    list_filter = ("source",)
    raw_id_fields = ("period",)
    list_select_related = ("period", "period__unit")
    show_full_result_count = False  # the table is large; skip the second COUNT(*)


@admin.register(IkmResult)
class IkmResultAdmin(ReadOnlyAdmin):
    """Stored IKM results, read-only."""

    list_display = ("period", "ikm", "grade", "weight_variant", "n_responses", "required_sample", "is_adequate",
                    "computed_at")
    list_filter = ("grade", "weight_variant", "is_adequate")
    raw_id_fields = ("period", "computed_by")
    list_select_related = ("period", "period__unit")
