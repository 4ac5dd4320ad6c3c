"""Admin for users and role grants, saved through ``accounts.actions`` (the one write path): a grant made, changed
or removed here (also in the user's inline) goes through ``grant_role`` / ``revoke_role`` with their permission
checks and separation of duties; a user's flags (active, staff, superuser) through ``save_user``, audited with the
values before and after."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts import actions as write
from pantau.accounts.models import RoleGrant, User
from pantau.audit.admin_mixins import Refused, WritePathAdminMixin


class RoleGrantInline(admin.TabularInline):
    """Grants of one user."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("unit",)
    readonly_fields = ("granted_at", "granted_by")


def _change_grant(actor: Any, stored: RoleGrant, unit: Any, role: str) -> RoleGrant:
    """A grant edited in the admin: the old one revoked and the new one granted, in one transaction."""
    with transaction.atomic():
        write.revoke_role(actor=actor, grant=stored)
        return write.grant_role(actor=actor, user=stored.user, unit=unit, role=role)


@admin.register(User)
class UserAdmin(WritePathAdminMixin, BaseUserAdmin):
    """Users with their position and role grants."""

    fieldsets = (*BaseUserAdmin.fieldsets, ("Pantau", {"fields": ("position",)}))  # type: ignore[misc]
    inlines = [RoleGrantInline]
    allow_delete = True

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``save_user``: flags and fields, audited."""
        write.save_user(actor=request.user, user=obj)

    def delete_through(self, request: Any, obj: Any) -> None:
        """``delete_user``."""
        write.delete_user(actor=request.user, user=obj)

    def save_formset(self, request: Any, form: Any, formset: Any, change: Any) -> None:
        """Role grants of the inline through ``grant_role`` / ``revoke_role``; a refusal rolls the whole save back
        and shows its reason."""
        formset.save(commit=False)
        try:
            for obj in formset.deleted_objects:
                write.revoke_role(actor=request.user, grant=obj)
            for obj, _fields in formset.changed_objects:
                _change_grant(request.user, RoleGrant.objects.select_related("user", "unit").get(pk=obj.pk),
                              obj.unit, obj.role)
            for obj in formset.new_objects:
                write.grant_role(actor=request.user, user=form.instance, unit=obj.unit, role=obj.role)
        except (ValidationError, PermissionDenied) as exc:
            raise Refused(exc) from exc


@admin.register(RoleGrant)
class RoleGrantAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """All role grants, made and revoked through the write path."""

    list_display = ("user", "role", "unit", "granted_at", "granted_by")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")
    readonly_fields = ("granted_at", "granted_by")
    allow_delete = True

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``grant_role``; an edited grant is revoked and granted again (one transaction)."""
        data = form.cleaned_data
        if change:
            stored = RoleGrant.objects.select_related("user", "unit").get(pk=obj.pk)
            if data["user"].pk != stored.user_id:
                raise ValidationError({"user": [_("A grant stays with its user: revoke it and grant a new one.")]})
            grant = _change_grant(request.user, stored, data["unit"], data["role"])
        else:
            grant = write.grant_role(actor=request.user, user=data["user"], unit=data["unit"], role=data["role"])
        obj.pk, obj._state.adding = grant.pk, False

    def delete_through(self, request: Any, obj: Any) -> None:
        """``revoke_role``."""
        write.revoke_role(actor=request.user, grant=obj)
