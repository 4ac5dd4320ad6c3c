"""Admin for agreements and their signatories. Agreements save through ``agreements.actions`` (MANAGE_AGREEMENTS on
a party, validation, version, audit); signatory rows are audited one by one (``AuditedAdminMixin.save_formset``,
deletions included). Agreements are not deleted here."""

from typing import Any

from django.contrib import admin

from pantau.agreements import actions as write
from pantau.agreements.models import Agreement, AgreementDocument, AgreementVersion, Signatory
from pantau.audit.actions import record, snapshot
from pantau.audit.admin_mixins import AuditedAdminMixin, WritePathAdminMixin
from pantau.audit.models import AuditAction


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
class AgreementAdmin(WritePathAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """MoUs, work plans and PKS."""

    list_display = ("title", "kind", "government", "signed_on", "is_signed")
    list_filter = ("kind", "is_signed")
    search_fields = ("title", "number")
    raw_id_fields = ("parent", "ombudsman_office", "government")
    inlines = [SignatoryInline, VersionInline, DocumentInline]

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_agreement`` or ``update_agreement`` with the form's values; a new or cleared document file is
        then stored on the saved agreement and audited."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.AGREEMENT_FIELDS}
        if change:
            stored = write.update_agreement(actor=request.user, agreement=Agreement.objects.get(pk=obj.pk),
                                            data=data, expected_version=self.expected_version(form))
        else:
            stored = write.create_agreement(actor=request.user, data=data)
            obj.pk, obj._state.adding = stored.pk, False
        if "document" in form.changed_data:
            before = snapshot(stored)
            stored.document = obj.document
            stored.save(update_fields=["document"])
            record(actor=request.user, action=AuditAction.UPDATE, obj=stored, before=before, after=snapshot(stored),
                   note="admin: document")
