"""Quarters (triwulan) of a work plan's report, and an action's figures as of a quarter's end.

A quarterly report shows what was achieved by the quarter's last day: the progress reports dated on or before it,
under the same rule that keeps the stored figures (``workplans.actions.refresh_actuals``): reported actual = the
latest report that was not returned, verified actual = the latest accepted report, realized budget = the money in
accepted reports (IDR). A report's review counts as it stands when the report is made, so a report dated in the
quarter and accepted a week after it counts as verified in that quarter's report (the quarter's work, verified).
For the current quarter the figures are the stored ones, so the report shows the dashboard's numbers.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pantau.workplans.models import Action, ProgressReport, ReportStatus

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: ``year`` and ``number`` 1-4 (January-March is 1)."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """``2024Q3`` (also ``2024-Q3``, ``2024q3``); ValueError for anything else or a year outside 2000-2100."""
        match = _PATTERN.match(text or "")
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(f"not a quarter such as 2024Q3: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> "Quarter":
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        following = dt.date(self.year + 1, 1, 1) if self.number == 4 else dt.date(self.year, 3 * self.number + 1, 1)
        return following - dt.timedelta(days=1)

    def previous(self) -> "Quarter":
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """"Triwulan III 2024" / "Quarter III 2024" in the active language."""
        return _("Quarter %(roman)s %(year)d") % {"roman": ROMAN[self.number], "year": self.year}


def quarters_between(first: dt.date, last: dt.date, limit: int = 40) -> list[Quarter]:
    """The quarters from the one holding ``last`` back to the one holding ``first``, newest first (at most
    ``limit``)."""
    found: list[Quarter] = []
    quarter, stop = Quarter.containing(last), Quarter.containing(first)
    while quarter >= stop and len(found) < limit:
        found.append(quarter)
        quarter = quarter.previous()
    return found


def apply_as_of(actions: Sequence[Action], end: dt.date) -> None:
    """Set ``actual_reported``, ``actual_verified`` and ``budget_realized`` of ``actions`` (in memory, never saved)
    from their reports dated on or before ``end`` (rule in the module docstring). One query."""
    by_action: dict[int, list[tuple[dt.date, int, str, object, int]]] = defaultdict(list)
    rows: Iterable[tuple[int, dt.date, int, str, object, int]] = ProgressReport.objects.filter(
        action__in=[a.pk for a in actions], report_date__lte=end
    ).values_list("action_id", "report_date", "id", "status", "actual_value", "amount_spent")
    for action_id, report_date, pk, status, value, spent in rows:
        by_action[action_id].append((report_date, pk, status, value, spent))
    for action in actions:
        reports = sorted(by_action.get(action.pk, []), key=lambda r: (r[0], r[1]), reverse=True)
        reported = next((r for r in reports if r[2] != ReportStatus.RETURNED), None)
        accepted = [r for r in reports if r[2] == ReportStatus.ACCEPTED]
        action.actual_reported = reported[3] if reported else None  # type: ignore[assignment]
        action.actual_verified = accepted[0][3] if accepted else None  # type: ignore[assignment]
        action.budget_realized = sum(int(r[4]) for r in accepted)  # type: ignore[arg-type]
