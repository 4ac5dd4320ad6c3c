"""Admin for meetings."""

from django.contrib import admin

from pantau.audit.admin_mixins import AuditedAdminMixin
from pantau.meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Meetings with mode and attendance."""

    list_display = ("date", "title", "kind", "mode", "room_capacity", "attendance_in_person", "attendance_online")
    list_filter = ("kind", "mode")
    raw_id_fields = ("agreement",)
