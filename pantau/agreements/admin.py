"""Admin for agreements and their signatories."""

from django.contrib import admin

from pantau.agreements.models import Agreement, Signatory
from pantau.audit.admin_mixins import AuditedAdminMixin


class SignatoryInline(admin.TabularInline):
    """Signatories by position."""

    model = Signatory
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Agreement)
class AgreementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """MoUs and work plans."""

    list_display = ("title", "kind", "government", "signed_on", "is_signed")
    list_filter = ("kind", "is_signed")
    search_fields = ("title", "number")
    raw_id_fields = ("parent", "ombudsman_office", "government")
    inlines = [SignatoryInline]
