"""Admin for services, their standards and the 14 components (staff data entry, audited)."""

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.standards.models import Service, ServiceStandard, StandardComponent


@admin.register(Service)
class ServiceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Services per unit."""

    list_display = ("name", "unit")
    search_fields = ("name", "unit__name")
    raw_id_fields = ("unit",)


@admin.register(ServiceStandard)
class ServiceStandardAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Standards with decree, publication and maklumat."""

    list_display = ("__str__", "service", "decree_number", "adopted_on", "maklumat_adopted")
    raw_id_fields = ("service",)


@admin.register(StandardComponent)
class StandardComponentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """One component of a standard (content as JSON: text, list or object; empty = not available)."""

    list_display = ("standard", "code", "is_published")
    list_filter = ("code", "is_published")
    raw_id_fields = ("standard",)
