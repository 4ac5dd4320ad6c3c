"""The write path of meetings: permission, validation (``Meeting.clean``), transaction, audit.

Who may: holders of MANAGE_MEETINGS (``accounts.models.ROLE_PERMISSIONS``) on one of the parties of the meeting's
agreement: the Ombudsman office's admin and assistants, the government's coordinator. Each function raises
PermissionDenied or ValidationError (messages in the active language, keyed by field) and saves nothing then.
``update_meeting`` takes ``expected_version`` (``core.concurrency``; a stale one is refused with ``StaleVersion``).
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.meetings.models import Meeting

MEETING_FIELDS = (
    "kind", "title", "date", "place", "mode", "room_capacity", "attendance_in_person", "attendance_online",
    "participants", "minutes", "source_url",
)
"""Fields ``create_meeting`` and ``update_meeting`` take."""


def may_manage(actor: Any, agreement: Any) -> bool:
    """True when ``actor`` holds MANAGE_MEETINGS on the Ombudsman party or the government party of ``agreement``."""
    return any(
        has_unit_permission(actor, Permission.MANAGE_MEETINGS, party)
        for party in (agreement.ombudsman_office, agreement.government)
    )


@transaction.atomic
def create_meeting(*, actor: Any, agreement: Any, data: Mapping[str, Any]) -> Meeting:
    """Create a meeting of ``agreement`` from ``data`` (keys of MEETING_FIELDS) and return it. Audited."""
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    meeting = Meeting(agreement=agreement, **{k: v for k, v in data.items() if k in MEETING_FIELDS})
    meeting.full_clean()
    meeting.save()
    record(actor=actor, action=AuditAction.CREATE, obj=meeting, after=snapshot(meeting))
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: Any, meeting: Meeting, data: Mapping[str, Any], expected_version: int | None = None
) -> Meeting:
    """Change the fields of ``meeting`` given in ``data``; requires MANAGE_MEETINGS on a party.
    ``expected_version``: the version the user's form was read at (StaleVersion when stale). Audited."""
    if not may_manage(actor, meeting.agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    before = snapshot(meeting)
    claim_version(meeting, expected_version)
    for key, value in data.items():
        if key in MEETING_FIELDS:
            setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=snapshot(meeting))
    return meeting
