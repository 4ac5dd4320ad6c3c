"""Admin for agreements and their signatories."""

from typing import Any

from django.contrib import admin

from pantau.agreements.models import Agreement, AgreementDocument, AgreementVersion, Signatory
from pantau.audit.admin_mixins import AuditedAdminMixin


class SignatoryInline(admin.TabularInline):
    """Signatories by position."""

    model = Signatory
    extra = 0
    raw_id_fields = ("unit",)


class VersionInline(admin.TabularInline):
    """Addenda, read-only here: they are recorded through ``agreements.actions.add_addendum``."""

    model = AgreementVersion
    extra = 0
    can_delete = False
    fields = ("number", "title", "document_number", "signed_on", "summary", "is_extension")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        """No adding here."""
        return False


class DocumentInline(admin.TabularInline):
    """Documents, read-only here: they are uploaded (and checked) through ``agreements.actions``."""

    model = AgreementDocument
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "size", "version", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        """No adding here."""
        return False


@admin.register(Agreement)
class AgreementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """MoUs, work plans and PKS."""

    list_display = ("title", "kind", "government", "signed_on", "is_signed")
    list_filter = ("kind", "is_signed")
    search_fields = ("title", "number")
    raw_id_fields = ("parent", "ombudsman_office", "government")
    inlines = [SignatoryInline, VersionInline, DocumentInline]
