"""Meeting attendance must agree with the mode and the room."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pantau.meetings.models import Meeting, MeetingKind, MeetingMode


def meeting(world, **kw):
    return Meeting(agreement=world.plan, kind=MeetingKind.SIGNING, title="Signing", date=dt.date(2020, 11, 18), **kw)


def test_hybrid_attendance_is_counted_by_mode(world):
    m = meeting(world, mode=MeetingMode.HYBRID, room_capacity=30, attendance_in_person=20, attendance_online=45)
    m.full_clean()
    assert m.attendance_total == 65


def test_unknown_attendance_stays_unknown(world):
    assert meeting(world, mode=MeetingMode.HYBRID).attendance_total is None


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"mode": MeetingMode.IN_PERSON, "attendance_online": 3}, "attendance_online"),
        ({"mode": MeetingMode.ONLINE, "attendance_in_person": 3}, "attendance_in_person"),
        ({"mode": MeetingMode.HYBRID, "room_capacity": 10, "attendance_in_person": 11}, "attendance_in_person"),
    ],
)
def test_contradictions_are_refused(world, kw, field):
    with pytest.raises(ValidationError) as exc:
        meeting(world, **kw).full_clean()
    assert field in exc.value.message_dict
