"""Complaint deadlines: pure functions over plain data (no models, no database).

Rules, each with its source (the lengths themselves are data, ``complaints.models.DeadlineRule``, seeded from
domain/rules.md section 5 by migration 0002):

- **Counting convention** (domain/rules.md section 11, "until a regulation says otherwise"; the issue text of
  issue 13): the day of receipt is not counted, and a receipt on a day off counts from the next working day.

  - *Working days* ("hari kerja", the unit SLAs of rules.md section 5): day 1 is the first working day after the
    day of receipt; the deadline is the Nth working day (``core.workdays.Calendar.add_working_days``). A receipt on
    a Saturday therefore has the Monday as day 1 when the Monday is a working day.
  - *Calendar days* ("hari", UU 25/2009, Perpres 76/2013, UU 37/2008 per rules.md section 5): received on a working
    day, day 1 is the next calendar day, so the deadline is receipt + N days. Received on a day off (a weekend, a
    national holiday, a joint leave day, a local day off), day 1 is the next working day W, so the deadline is
    W + (N - 1) days. A deadline that falls on a weekend or a day off stays there: no regulation retrieved says
    that it rolls over (UNCERTAIN, as in ``core.workdays``).
- **Per-unit rules** (issue 13: "per unit where its own standard sets a shorter one"): a unit's own service standard
  may set a shorter deadline (for example "normative complaints 5 working days", rules.md section 5). The statutory
  rule stays the ceiling: the effective due date is the earlier of the national rule's and the unit's. A unit rule
  applies to the unit and to the units below it; the nearest one wins.
- **Days off**: the ``holidays`` library's national holidays and joint leave days (``core.workdays``), corrected
  first by national entries of the editable calendar, then by the entries of each unit from the top of the tree
  down to the complaint's unit, so the most local entry wins ("day off" adds, "working day" withdraws).
- **Years held**: a calendar holds every year a count can reach (rules.md section 11); ``years_reached`` gives a
  safe upper bound for a start date and a set of rules.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pantau.core.workdays import CALENDAR_DAYS, WORKING_DAYS, Calendar

MAX_RULE_LENGTH = 365
"""The longest deadline a rule may set (days): no complaint rule in rules.md section 5 comes near a year."""


@dataclass(frozen=True)
class RuleSpec:
    """The plain data of one deadline rule: ``length`` days of kind ``day_kind`` (``"working_days"`` or
    ``"calendar_days"``), its legal ``source`` and whether it is ``provisional`` (UNCERTAIN in rules.md)."""

    code: str
    length: int
    day_kind: str
    source: str = ""
    provisional: bool = False

    def __post_init__(self) -> None:
        """Refuse a length outside 1..MAX_RULE_LENGTH and an unknown kind of day."""
        if not 1 <= self.length <= MAX_RULE_LENGTH:
            raise ValueError(f"length must be within 1..{MAX_RULE_LENGTH}, got {self.length}")
        if self.day_kind not in (WORKING_DAYS, CALENDAR_DAYS):
            raise ValueError(f"unknown kind of day {self.day_kind!r}")


def count_from(start: dt.date, length: int, day_kind: str, calendar: Calendar) -> dt.date:
    """The due date ``length`` days after ``start`` by the counting convention of the module docstring.

    Raises ``core.workdays.CalendarError`` when the count reaches a year the calendar does not hold.
    """
    if day_kind == WORKING_DAYS:
        return calendar.add_working_days(start, length)
    if day_kind != CALENDAR_DAYS:
        raise ValueError(f"unknown kind of day {day_kind!r}")
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}")
    if calendar.is_working_day(start):
        return start + dt.timedelta(days=length)
    first = calendar.add_working_days(start, 1)  # a receipt on a day off counts from the next working day
    return first + dt.timedelta(days=length - 1)


def effective_due(start: dt.date, national: RuleSpec, unit_rule: RuleSpec | None, calendar: Calendar) -> dt.date:
    """The due date under the national rule, or the unit's own rule when that falls earlier (the statute is the
    ceiling; module docstring)."""
    due = count_from(start, national.length, national.day_kind, calendar)
    if unit_rule is not None:
        due = min(due, count_from(start, unit_rule.length, unit_rule.day_kind, calendar))
    return due


def is_shorter(unit_rule: RuleSpec, national: RuleSpec) -> bool | None:
    """Whether a unit rule is shorter than the national one: True or False when both count the same kind of day
    (or the unit counts working days against national calendar days of at least the same number, which is never
    shorter), None when it depends on the start date (the unit's working days against national calendar days of a
    greater number); ``effective_due`` then caps it date by date."""
    if unit_rule.day_kind == national.day_kind:
        return unit_rule.length < national.length
    if unit_rule.day_kind == CALENDAR_DAYS:
        # N calendar days never end after N working days
        return unit_rule.length <= national.length
    if unit_rule.length >= national.length:
        return False  # N working days always end on or after N calendar days
    return None


def years_reached(start: dt.date, lengths: Iterable[int]) -> range:
    """The years a count from ``start`` of any of ``lengths`` days can reach: N working days span at most
    N * 7 / 5 calendar days plus the year's days off (under 40 a year), so the bound below is generous."""
    longest = max(lengths, default=1)
    last = start + dt.timedelta(days=longest * 2 + 90)
    return range(start.year, last.year + 1)


def compose_days_off(
    library_days: Iterable[dt.date], layers: Sequence[tuple[Iterable[dt.date], Iterable[dt.date]]]
) -> set[dt.date]:
    """The days off: ``library_days`` corrected by each layer (days off added, working days withdrawn) in order,
    national first then from the top unit down, so a later (more local) layer wins over an earlier one."""
    days = set(library_days)
    for added, withdrawn in layers:
        days |= set(added)
        days -= set(withdrawn)
    return days


def calendar_from(years: Iterable[int], days_off: Iterable[dt.date]) -> Calendar:
    """A ``core.workdays.Calendar`` of ``years`` with the ``days_off`` that fall in them."""
    held = frozenset(years)
    return Calendar.from_days_off(held, [d for d in days_off if d.year in held])


def days_between(first: dt.date | None, last: dt.date | None) -> int | None:
    """Calendar days from ``first`` to ``last`` (None when either is missing): the figure of "days to first
    answer" and "days to resolution" on the supervision pages."""
    if first is None or last is None:
        return None
    return (last - first).days
