"""Admin for meetings, saved through ``meetings.actions`` (MANAGE_MEETINGS on a party, validation, version, audit).
Meetings are not deleted here."""

from typing import Any

from django.contrib import admin

from pantau.audit.admin_mixins import WritePathAdminMixin
from pantau.meetings import actions as write
from pantau.meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Meetings with mode and attendance."""

    list_display = ("date", "title", "kind", "mode", "room_capacity", "attendance_in_person", "attendance_online")
    list_filter = ("kind", "mode")
    raw_id_fields = ("agreement",)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """A meeting stays with the agreement it was created for."""
        return ("agreement",) if obj is not None else ()

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``create_meeting`` or ``update_meeting`` with the form's values."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.MEETING_FIELDS}
        if change:
            stored = Meeting.objects.get(pk=obj.pk)
            write.update_meeting(actor=request.user, meeting=stored, data=data,
                                 expected_version=self.expected_version(form))
        else:
            created = write.create_meeting(actor=request.user, agreement=obj.agreement, data=data)
            obj.pk, obj._state.adding = created.pk, False
