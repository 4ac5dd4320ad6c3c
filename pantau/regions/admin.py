"""Admin for regions (searchable by code and name)."""

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.regions.models import Region


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Regions are reference data loaded by import_regions; the admin lists and searches them."""

    list_display = ("code", "name", "kind", "level")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
