"""Meetings as iCalendar (RFC 5545) with the maintained ``icalendar`` library: one .ics per meeting and each user's
private feed.

Times are written in the meeting's own zone (``DTSTART;TZID=Asia/Makassar:...``) with its VTIMEZONE, so a calendar
shows 09.00 WITA for a meeting at 09.00 in Bali wherever the reader is. A meeting without a published hour is an
all-day event on its date (``DTSTART;VALUE=DATE``).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import icalendar
from django.utils import timezone

from pantau.meetings.models import Meeting

PRODID = "-//Pantau//Meetings//ID"
UID_DOMAIN = "pantau.ombudsman"
"""UIDs are ``meeting-<id>@pantau.ombudsman``: stable, so a calendar updates the event when the meeting moves."""


def meeting_event(meeting: Meeting, *, url: str = "") -> icalendar.Event:
    """The VEVENT of ``meeting``: title, kind, place and online link, times in the meeting's zone (all-day on its
    date without an hour; one hour when only the start is known), the meeting page as URL."""
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", meeting.title)
    if meeting.local_start is not None:
        event.add("dtstart", meeting.local_start)
        end = meeting.local_end or meeting.local_start + dt.timedelta(hours=1)
        event.add("dtend", end)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    location = "; ".join(part for part in (meeting.place, meeting.online_link) if part)
    if location:
        event.add("location", location)
    description = [str(meeting.get_kind_display()), str(meeting.get_mode_display()), str(meeting.agreement)]
    if meeting.online_link:
        description.append(meeting.online_link)
    if url:
        description.append(url)
        event.add("url", url)
    event.add("description", "\n".join(description))
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, url_for: Any = None) -> bytes:
    """An iCalendar document (UTF-8 bytes, CRLF lines) with one event per meeting and the VTIMEZONE of every zone
    used. ``url_for(meeting)`` gives each event's page URL."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url=url_for(meeting) if url_for else ""))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
