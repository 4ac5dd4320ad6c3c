"""Supervision figures: how units handle their complaints (issue 13, "Supervision"; DESIGN.md, the Ombudsman's
view of complaint handling as a service-standard component, rules.md sections 1.1 item 10 and 5).

Per unit, per government and per group of governments, for complaints received in a period:

- ``received``; ``open`` (not closed or withdrawn); ``overdue`` (open and past a deadline the unit had to meet:
  no first answer after its due date, or no answer after the resolution due date; each office's today in its own
  zone, rules.md section 10);
- ``median_first_answer`` and ``median_resolution``: median calendar days from receipt to the first answer and to
  the unit's answer (``Complaint.first_response_days``, ``resolution_days``);
- ``first_answer_on_time`` and ``resolution_on_time``: percent (0-100, one decimal) of the complaints judged
  whose step came on or before its due date. A complaint is judged once the step happened, or once its due date
  passed without it (then it counts as late); a withdrawn complaint without the step is not judged.

Rankings (``rank``) only among units with at least ``MIN_FOR_RANKING`` complaints received in the period
(Pantau's choice: fewer complaints make a share that one complaint swings by 20 points or more), and labelled so.
``figures`` is pure; ``rows`` reads the few columns it needs in one query.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pantau.complaints.models import OPEN_STAGES, Stage

MIN_FOR_RANKING = 5
"""Units with fewer complaints in the period are listed but not ranked."""

ROW_FIELDS = ("unit_id", "stage", "zone", "first_response_on", "first_response_due", "answered_on",
              "resolution_due", "first_response_days", "resolution_days")
"""The columns ``figures`` reads, in order."""


@dataclass(frozen=True)
class Figures:
    """The figures of one set of complaints (module docstring); percentages and medians are None when nothing
    was judged or measured."""

    received: int
    open: int
    overdue: int
    median_first_answer: float | None
    median_resolution: float | None
    first_answer_judged: int
    first_answer_on_time: Decimal | None
    resolution_judged: int
    resolution_on_time: Decimal | None


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def figures(rows: Iterable[tuple[Any, ...]], todays: dict[str, dt.date]) -> Figures:
    """The figures of ``rows`` (tuples in ``ROW_FIELDS`` order); ``todays`` maps each zone to its date."""
    received = open_count = overdue = 0
    first_days: list[int] = []
    resolution_days: list[int] = []
    first_judged = first_ok = res_judged = res_ok = 0
    for _unit, stage, zone, first_on, first_due, answered_on, res_due, first_n, res_n in rows:
        received += 1
        today = todays[zone]
        if stage in OPEN_STAGES:
            open_count += 1
        if (stage == Stage.RECEIVED and first_due and today > first_due) or (
                stage == Stage.IN_PROGRESS and res_due and today > res_due):
            overdue += 1
        if first_n is not None:
            first_days.append(first_n)
        if res_n is not None:
            resolution_days.append(res_n)
        if first_on is not None and first_due is not None:
            first_judged += 1
            first_ok += first_on <= first_due
        elif first_on is None and first_due is not None and today > first_due and stage != Stage.WITHDRAWN:
            first_judged += 1
        if answered_on is not None and res_due is not None:
            res_judged += 1
            res_ok += answered_on <= res_due
        elif answered_on is None and res_due is not None and today > res_due and stage != Stage.WITHDRAWN:
            res_judged += 1
    return Figures(
        received=received, open=open_count, overdue=overdue,
        median_first_answer=_median(first_days), median_resolution=_median(resolution_days),
        first_answer_judged=first_judged, first_answer_on_time=_percent(first_ok, first_judged),
        resolution_judged=res_judged, resolution_on_time=_percent(res_ok, res_judged),
    )


def rows(queryset: Any) -> list[tuple[Any, ...]]:
    """The ``ROW_FIELDS`` of every complaint of ``queryset`` (one query)."""
    return list(queryset.values_list(*ROW_FIELDS))


def by_unit(all_rows: list[tuple[Any, ...]], todays: dict[str, dt.date]) -> dict[int, Figures]:
    """Figures per responsible unit id."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in all_rows:
        grouped[row[0]].append(row)
    return {unit_id: figures(unit_rows, todays) for unit_id, unit_rows in grouped.items()}


def rank(entries: list[tuple[Any, Figures]]) -> tuple[list[tuple[int, Any, Figures]], list[tuple[Any, Figures]]]:
    """(ranked, not ranked): units with at least MIN_FOR_RANKING complaints ranked by the share resolved on time
    (then the share answered first on time, then the fewest overdue; no share counts as lowest), numbered from 1;
    the others listed apart."""
    eligible = [(u, f) for u, f in entries if f.received >= MIN_FOR_RANKING]
    others = [(u, f) for u, f in entries if f.received < MIN_FOR_RANKING]

    def key(entry: tuple[Any, Figures]) -> tuple[Decimal, Decimal, int, str]:
        f = entry[1]
        return (-(f.resolution_on_time if f.resolution_on_time is not None else Decimal(-1)),
                -(f.first_answer_on_time if f.first_answer_on_time is not None else Decimal(-1)),
                f.overdue, str(entry[0]))

    ranked = [(number, unit, f) for number, (unit, f) in enumerate(sorted(eligible, key=key), start=1)]
    return ranked, others
