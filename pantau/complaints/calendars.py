"""The deadline rules and working-day calendars of the database, read once and applied to complaints.

``RuleBook`` reads every ``DeadlineRule`` in one query and answers, per step and unit, the national rule (the seed of
``complaints.seed`` when its row is missing) and the unit's own rule (nearest on the unit's path). ``CalendarBook``
reads every ``CalendarDay`` in one query and builds a ``core.workdays.Calendar`` per unit: the ``holidays``
library's national holidays and joint leave days, then the national corrections, then the corrections of each unit
from the top of the tree down (``deadlines.compose_days_off``; domain/rules.md section 11). ``due_dates`` computes a
complaint's due dates from both (``deadlines.effective_due``).
"""

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any

import holidays

from pantau.complaints.deadlines import RuleSpec, calendar_from, compose_days_off, effective_due, years_reached
from pantau.complaints.models import CalendarDay, CalendarDayKind, Complaint, DeadlineRule, RuleCode
from pantau.complaints.seed import SEED_RULES
from pantau.core.workdays import HOLIDAY_CATEGORIES, Calendar


@lru_cache(maxsize=64)
def library_days(year: int) -> frozenset[dt.date]:
    """The national holidays and joint leave days of ``year`` in the ``holidays`` library (its Indonesian
    ``public`` and ``government`` categories; core.workdays lists the years checked against the SKB)."""
    found = holidays.country_holidays("ID", years=[year], categories=HOLIDAY_CATEGORIES)
    return frozenset(found.keys())


def path_ids(unit: Any) -> list[int]:
    """The ids on ``unit``'s path, top of the tree first, the unit itself last."""
    return [int(part) for part in str(unit.path).strip("/").split("/") if part]


def spec_of(rule: DeadlineRule) -> RuleSpec:
    """The plain data of a rule row."""
    return RuleSpec(code=rule.code, length=rule.length, day_kind=rule.day_kind, source=rule.source,
                    provisional=rule.provisional)


class RuleBook:
    """Every deadline rule, read in one query (module docstring)."""

    def __init__(self) -> None:
        self.national: dict[str, DeadlineRule] = {
            code: DeadlineRule(code=code, length=length, day_kind=day_kind, provisional=provisional, source=source)
            for code, length, day_kind, provisional, source in SEED_RULES
        }  # the seed, replaced by the stored rows below (``complaints.seed``)
        self.per_unit: dict[tuple[str, int], DeadlineRule] = {}
        for rule in DeadlineRule.objects.all():
            if rule.unit_id is None:
                self.national[rule.code] = rule
            else:
                self.per_unit[(rule.code, rule.unit_id)] = rule

    def rules_for(self, code: str, unit: Any) -> tuple[DeadlineRule, DeadlineRule | None]:
        """(the national rule, the nearest unit rule on ``unit``'s path or None); KeyError for an unknown code."""
        national = self.national[code]
        for unit_id in reversed(path_ids(unit)):
            own = self.per_unit.get((code, unit_id))
            if own is not None:
                return national, own
        return national, None

    def longest(self) -> int:
        """The longest length of any rule (days), for the years a calendar must hold."""
        lengths = [r.length for r in self.national.values()] + [r.length for r in self.per_unit.values()]
        return max(lengths, default=1)


class CalendarBook:
    """Every calendar correction, read in one query; calendars built per unit and years and kept (module
    docstring)."""

    def __init__(self) -> None:
        self.layers: dict[int | None, tuple[set[dt.date], set[dt.date]]] = defaultdict(lambda: (set(), set()))
        for day, kind, unit_id in CalendarDay.objects.values_list("date", "kind", "unit_id"):
            added, withdrawn = self.layers[unit_id]
            (added if kind == CalendarDayKind.DAY_OFF else withdrawn).add(day)
        self._built: dict[tuple[str, range], Calendar] = {}

    def calendar_for(self, unit: Any, years: range) -> Calendar:
        """The calendar of ``unit`` for ``years``."""
        key = (str(unit.path), years)
        if key not in self._built:
            library: set[dt.date] = set()
            for year in years:
                library |= library_days(year)
            chain: list[int | None] = [None, *path_ids(unit)]
            layers = [self.layers[unit_id] for unit_id in chain if unit_id in self.layers]
            self._built[key] = calendar_from(years, compose_days_off(library, layers))
        return self._built[key]


DUE_FIELDS = ("pickup_due", "first_response_due", "completion_due", "resolution_due")
"""The due dates of a complaint, in the order of its steps."""


def due_dates(complaint: Complaint, rules: RuleBook, calendars: CalendarBook) -> dict[str, dt.date | None]:
    """The due dates of ``complaint`` from its unit's rules and calendar:

    - ``pickup_due``: pick-up rule from ``routed_on`` while nobody has picked the complaint up;
    - ``first_response_due``: first-answer rule from ``received_on``;
    - ``completion_due``: file-completion rule from ``file_requested_on`` while the file is incomplete;
    - ``resolution_due``: resolution rule from ``file_completed_on`` (Perpres 76/2013: after the file is complete).
    """
    unit = complaint.unit
    starts = [d for d in (complaint.received_on, complaint.routed_on, complaint.file_requested_on,
                          complaint.file_completed_on) if d is not None]
    years = range(min(starts).year, years_reached(max(starts), [rules.longest()]).stop)
    calendar = calendars.calendar_for(unit, years)

    def due(code: str, start: dt.date | None) -> dt.date | None:
        if start is None:
            return None
        national, own = rules.rules_for(code, unit)
        return effective_due(start, spec_of(national), spec_of(own) if own is not None else None, calendar)

    return {
        "pickup_due": due(RuleCode.PICKUP, complaint.routed_on) if complaint.picked_up_at is None else None,
        "first_response_due": due(RuleCode.FIRST_RESPONSE, complaint.received_on),
        "completion_due": due(RuleCode.FILE_COMPLETION, complaint.file_requested_on)
        if complaint.file_requested_on is not None and complaint.file_completed_on is None else None,
        "resolution_due": due(RuleCode.RESOLUTION, complaint.file_completed_on),
    }
