"""Admin for users and role grants; grants made here are audited like those made in the UI."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pantau.accounts.models import RoleGrant, User
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction


class RoleGrantInline(admin.TabularInline):
    """Grants of one user."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("unit",)
    readonly_fields = ("granted_at", "granted_by")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with their position and role grants."""

    fieldsets = (*BaseUserAdmin.fieldsets, ("Pantau", {"fields": ("position",)}))  # type: ignore[misc]
    inlines = [RoleGrantInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: Any) -> None:
        """Save role grants, auditing each grant and revocation."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record(actor=request.user, action=AuditAction.REVOKE_ROLE, obj=obj, before=snapshot(obj))
            obj.delete()
        for obj in instances:
            if isinstance(obj, RoleGrant) and obj.pk is None:
                obj.granted_by = request.user
                obj.save()
                record(actor=request.user, action=AuditAction.GRANT_ROLE, obj=obj, after=snapshot(obj))
            else:
                obj.save()
        formset.save_m2m()


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """All role grants."""

    list_display = ("user", "role", "unit", "granted_at", "granted_by")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")
    readonly_fields = ("granted_at", "granted_by")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Save through the admin, recording an audit entry with before and after values."""
        before = snapshot(RoleGrant.objects.get(pk=obj.pk)) if change else None
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        record(actor=request.user, action=AuditAction.GRANT_ROLE, obj=obj, before=before, after=snapshot(obj))

    def delete_model(self, request: Any, obj: Any) -> None:
        """Delete through the admin, recording an audit entry with the values before."""
        record(actor=request.user, action=AuditAction.REVOKE_ROLE, obj=obj, before=snapshot(obj))
        super().delete_model(request, obj)
