"""Admin for survey periods (audited edits) and, read-only, their responses and IKM results.

Responses come from the public form or an import and results from ``services.compute_result``; the admin may look
at them but not add, change or delete them (that would bypass the write path and its findings).
"""

from typing import Any

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
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
class SurveyPeriodAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Survey periods; the province code is copied from the unit."""

    list_display = ("unit", "service_name", "start_date", "end_date", "population", "public_form", "is_sample")
    list_filter = ("public_form", "is_sample", "province_code")
    search_fields = ("unit__name", "service_name")
    raw_id_fields = ("unit",)
    readonly_fields = ("province_code", "created_at")
    date_hierarchy = "start_date"


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
