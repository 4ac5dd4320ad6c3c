"""Admin for meetings, and read-only views of their attendance, decisions and calendar feeds (those are written by
``meetings.actions`` from the meeting pages, the public sign-in and the API)."""

from typing import Any

from django.contrib import admin
from django.db import models

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.meetings.models import Attendance, CalendarFeed, Decision, Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Meetings with mode and published attendance."""

    list_display = ("date", "title", "kind", "mode", "room_capacity", "attendance_in_person", "attendance_online")
    list_filter = ("kind", "mode")
    raw_id_fields = ("agreement", "host_unit", "invited_units")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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
