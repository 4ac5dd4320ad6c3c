"""Admin for units, saved through ``organizations.actions`` (MANAGE_UNITS, a move needs rights at both ends and
never goes under the unit's own subtree, the subtree re-pathed in one statement, version, audit). Units are never
deleted here (actions, grants and results point at them)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pantau.audit.admin_mixins import WritePathAdminMixin
from pantau.organizations import actions as write
from pantau.organizations.models import Unit


@admin.register(Unit)
class UnitAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Units of the tree; the path is maintained by the model."""

    list_display = ("name", "kind", "agency_type", "region", "verification")
    list_filter = ("kind", "verification", "province_code")
    search_fields = ("name", "short_name", "region__code")
    raw_id_fields = ("parent", "region")

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_unit``, or ``move_unit`` when the parent changes and then ``update_unit`` for the rest."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.UNIT_FIELDS}
        parent = form.cleaned_data.get("parent")
        if not change:
            created = write.create_unit(actor=request.user, parent=parent, data=data)
            obj.pk, obj._state.adding = created.pk, False
            return
        stored = Unit.objects.get(pk=obj.pk)
        expected = self.expected_version(form)
        if parent is not None and parent.pk != stored.parent_id:
            stored = write.move_unit(actor=request.user, unit=stored, parent=parent, expected_version=expected)
            expected = None
        elif parent is None and stored.parent_id is not None:
            raise ValidationError({"parent": [_("A unit moves under another unit; it cannot leave the tree.")]})
        write.update_unit(actor=request.user, unit=stored, data=data, expected_version=expected)
