"""Admin for meetings (saved through ``meetings.actions``: permission, validation, version, audit; not deleted
here), and read-only views of their attendance, decisions and calendar feeds (those are written by
``meetings.actions`` from the meeting pages, the public sign-in and the API)."""

from typing import Any

from django.contrib import admin
from django.db import models

from pantau.audit.admin_mixins import WritePathAdminMixin
from pantau.meetings import actions as write
from pantau.meetings.models import Attendance, CalendarFeed, Decision, Meeting


@admin.register(Meeting)
class MeetingAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Meetings with mode and published attendance, saved through ``meetings.actions`` (MANAGE_MEETINGS on a party,
    validation, version, audit); not deleted here."""

    list_display = ("date", "title", "kind", "mode", "room_capacity", "attendance_in_person", "attendance_online")
    list_filter = ("kind", "mode")
    raw_id_fields = ("agreement", "host_unit", "invited_units")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """A meeting stays with the agreement it was created for."""
        return ("agreement",) if obj is not None else ()

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_meeting`` or ``update_meeting`` with the form's values and invited units."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.MEETING_FIELDS}
        invited = form.cleaned_data.get("invited_units")
        if change:
            stored = Meeting.objects.get(pk=obj.pk)
            write.update_meeting(actor=request.user, meeting=stored, data=data, invited_units=invited,
                                 expected_version=self.expected_version(form))
        else:
            created = write.create_meeting(actor=request.user, agreement=obj.agreement, data=data,
                                           invited_units=invited or ())
            obj.pk, obj._state.adding = created.pk, False

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The invited units were set (and audited) by the write path."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: these rows are written through ``meetings.actions``."""

    def has_add_permission(self, request: Any) -> bool:
        """No adding here."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """No changing here."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """No deleting here."""
        return False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    """Registered attendance by mode."""

    list_display = ("meeting", "name", "position", "unit", "unit_name", "mode", "source", "is_sample")
    list_filter = ("mode", "source", "is_sample")
    raw_id_fields = ("meeting", "unit", "entered_by")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Meeting decisions and the actions they created or changed."""

    list_display = ("meeting", "number", "kind", "status", "action", "is_sample")
    list_filter = ("kind", "status", "is_sample")
    raw_id_fields = ("meeting", "responsible_unit", "action", "created_by", "applied_by")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Who has a private calendar feed (the token itself is never stored)."""

    list_display = ("user", "created_at", "last_used_at")
    exclude = ("token_digest",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """An administrator may revoke a feed."""
        return bool(request.user.is_superuser)

