"""Admin for units."""

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.organizations.models import Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Units of the tree; the path is maintained by the model."""

    list_display = ("name", "kind", "agency_type", "region", "verification")
    list_filter = ("kind", "verification", "province_code")
    search_fields = ("name", "short_name", "region__code")
    raw_id_fields = ("parent", "region")
