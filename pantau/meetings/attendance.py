"""Reading a meeting's attendance: counts by mode and by unit, the room-capacity warning, and names masked for who
need not see them. Pure reads; writes are in ``meetings.actions``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from pantau.meetings.models import Attendance, AttendanceMode, Meeting


@dataclass(frozen=True)
class UnitCount:
    """Registered attendees of one unit (or institution as typed): in person, online, total."""

    label: str
    unit_id: int | None
    in_person: int
    online: int

    @property
    def total(self) -> int:
        """In person plus online."""
        return self.in_person + self.online


@dataclass(frozen=True)
class Counts:
    """Registered attendance of a meeting: ``in_person``, ``online``, ``total``, ``by_unit`` (largest first, then
    by name), and ``over_capacity`` (in-person registrations above the room capacity, 0 when within or unknown)."""

    in_person: int
    online: int
    room_capacity: int | None
    by_unit: list[UnitCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Everyone registered."""
        return self.in_person + self.online

    @property
    def over_capacity(self) -> int:
        """How many in-person registrations exceed the room capacity (0 when within it or unknown)."""
        if self.room_capacity is None:
            return 0
        return max(0, self.in_person - self.room_capacity)


def counts(meeting: Meeting) -> Counts:
    """Counts of ``meeting``'s attendance rows by mode and by unit, in one query."""
    rows = (
        Attendance.objects.filter(meeting=meeting)
        .values("unit_id", "unit__name", "unit_name", "mode")
        .annotate(n=Count("id"))
    )
    per: dict[tuple[int | None, str], dict[str, int]] = {}
    totals = {AttendanceMode.IN_PERSON: 0, AttendanceMode.ONLINE: 0}
    for row in rows:
        label = row["unit__name"] or row["unit_name"]
        key = (row["unit_id"], label if row["unit_id"] is None else "")
        bucket = per.setdefault(key, {"label": label, AttendanceMode.IN_PERSON: 0, AttendanceMode.ONLINE: 0})
        bucket[row["mode"]] += row["n"]
        totals[row["mode"]] += row["n"]
    by_unit = sorted(
        (UnitCount(label=str(b["label"]), unit_id=key[0], in_person=b[AttendanceMode.IN_PERSON],
                   online=b[AttendanceMode.ONLINE]) for key, b in per.items()),
        key=lambda c: (-c.total, c.label.casefold()),
    )
    return Counts(in_person=totals[AttendanceMode.IN_PERSON], online=totals[AttendanceMode.ONLINE],
                  room_capacity=meeting.room_capacity, by_unit=by_unit)


def mask_name(name: str) -> str:
    """A name shown to users who may see the meeting but not manage it: initials only ("Siti Rahma" -> "S. R.");
    personal data masked for who need not see it (BRIEF, security)."""
    parts = [p for p in str(name).split() if p]
    return " ".join(f"{p[0].upper()}." for p in parts) or "-"


def rows_for(meeting: Meeting, *, show_names: bool) -> list[dict[str, Any]]:
    """The attendance list in signing order: ``{number, row, name (masked unless show_names), position, unit,
    mode_label, source_label}`` per row."""
    result = []
    for number, row in enumerate(
        Attendance.objects.filter(meeting=meeting).select_related("unit").order_by("signed_at", "id"), start=1
    ):
        result.append({
            "number": number,
            "row": row,
            "name": row.name if show_names else mask_name(row.name),
            "position": row.position,
            "unit": row.unit_label,
            "mode_label": row.get_mode_display(),
            "source_label": row.get_source_display(),
        })
    return result
