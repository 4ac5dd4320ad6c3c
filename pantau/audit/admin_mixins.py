"""ModelAdmin mixins: ``AuditedAdminMixin`` audits every create, update and delete made in the Django admin (inline
rows included); ``WritePathAdminMixin`` makes the admin save through the app's write path instead."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction


class AuditedAdminMixin:
    """Records an audit entry (with before/after snapshots) for each admin save and delete, in one transaction."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save through the admin, recording an audit entry with before and after values."""
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
                   before=before, after=snapshot(obj), note="admin")

    def delete_model(self, request: Any, obj: Any) -> None:
        """Delete through the admin, recording an audit entry with the values before."""
        with transaction.atomic():
            record(actor=request.user, action=AuditAction.DELETE, obj=obj, before=snapshot(obj), note="admin")
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        """Bulk delete through the admin, recording one audit entry per object."""
        with transaction.atomic():
            for obj in queryset:
                record(actor=request.user, action=AuditAction.DELETE, obj=obj, before=snapshot(obj), note="admin")
            super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Save the rows of an inline, recording each created, changed and deleted row with its values before and
        after (a row deleted in an inline is audited like any other deletion)."""
        with transaction.atomic():
            befores = {
                obj.pk: snapshot(type(obj).objects.filter(pk=obj.pk).first())
                for obj in formset.save(commit=False) if obj.pk is not None
            }
            for obj in formset.deleted_objects:
                record(actor=request.user, action=AuditAction.DELETE, obj=obj, before=snapshot(obj),
                       note="admin inline")
                obj.delete()
            for obj in formset.new_objects:
                obj.save()
                record(actor=request.user, action=AuditAction.CREATE, obj=obj, after=snapshot(obj),
                       note="admin inline")
            for obj, _fields in formset.changed_objects:
                obj.save()
                record(actor=request.user, action=AuditAction.UPDATE, obj=obj, before=befores.get(obj.pk),
                       after=snapshot(obj), note="admin inline")
            formset.save_m2m()


class Refused(Exception):
    """Raised out of ``save_model`` (or an inline's ``save_formset``) when the write path refuses: rolls the admin's
    transaction back; ``WritePathAdminMixin.changeform_view`` shows the form again with the reason."""

    def __init__(self, error: ValidationError | PermissionDenied) -> None:
        super().__init__(str(error))
        self.error = error


class WritePathAdminMixin:
    """A ModelAdmin whose saves and deletes go through the app's write path (``<app>/actions.py``: permission,
    validation, version, audit), so the admin is no side door (DESIGN.md: "the Django admin ... saves through the
    same write paths").

    Subclasses implement ``save_through(request, obj, form, change)`` (call the write path with the form's cleaned
    data; ``obj`` already carries the form's values, so read the stored row from the database for "before"), and
    ``delete_through(request, obj)`` when deleting is offered (``allow_delete``). What the write path refuses
    (ValidationError, PermissionDenied, a stale version) is shown on the form, which keeps the user's input; nothing
    is saved. For versioned models the form carries the version it was read at (``expected_version``, hidden).
    """

    allow_delete = False
    """Whether the admin offers deleting (only where a write path deletes and audits)."""

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save ``obj`` through the write path (subclasses)."""
        raise NotImplementedError

    def delete_through(self, request: Any, obj: Any) -> None:
        """Delete ``obj`` through the write path (subclasses that set ``allow_delete``)."""
        raise NotImplementedError

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Deleting only where a write path does it."""
        return self.allow_delete and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """The admin form plus, for versioned models, a hidden ``expected_version``; after a refusal, a form whose
        validation shows the write path's messages (on the field they name when the form has it)."""
        form_class = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        refusal = getattr(request, "_pantau_refusal", None)
        versioned = any(f.name == "version" for f in self.model._meta.concrete_fields)  # type: ignore[attr-defined]

        class WritePathForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if versioned and obj is not None and "expected_version" not in self.fields:
                    self.fields["expected_version"] = forms.IntegerField(
                        widget=forms.HiddenInput, required=False, initial=obj.version)

            def clean(self) -> Any:
                cleaned = super().clean()
                if refusal is not None:
                    messages_by_field = (
                        refusal.message_dict if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict")
                        else {None: [str(m) for m in getattr(refusal, "messages", [str(refusal)])]}
                    )
                    for field, messages_ in messages_by_field.items():
                        for message in messages_:
                            self.add_error(field if field in self.fields else None, message)
                return cleaned

        return WritePathForm

    def changeform_view(
        self, request: Any, object_id: Any = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """Run the admin's form; when the write path refuses the save, show the same form again with the reason."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except Refused as refused:
            request._pantau_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save through ``save_through``; a refusal rolls back and re-shows the form (``changeform_view``)."""
        try:
            self.save_through(request, obj, form, change)
        except (ValidationError, PermissionDenied) as exc:
            raise Refused(exc) from exc

    def delete_model(self, request: Any, obj: Any) -> None:
        """Delete through ``delete_through``; a refusal is shown as a message and nothing is deleted."""
        try:
            with transaction.atomic():
                self.delete_through(request, obj)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)  # type: ignore[attr-defined]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        """Bulk delete: each row through ``delete_through``."""
        for obj in queryset:
            self.delete_model(request, obj)

    @staticmethod
    def expected_version(form: Any) -> int | None:
        """The version the admin form was read at (None when not sent)."""
        return form.cleaned_data.get("expected_version")
