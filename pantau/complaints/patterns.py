"""When repeated complaints become a finding (issue 13, "from complaints to improvement"): pure rules.

Pantau's choice, no regulation sets it: **3 or more complaints about one service, or about one service-standard
component of one unit, received within 90 days** (the window ends on the review day and includes it) make a
finding. A finding closes when a later window, starting after the day it was detected, counts fewer than 3; the
actions that answered it are then credited with the fall (``findings.actions.close_findings``). 90 days is about a
quarter, the rhythm of the Ombudsman's periodic reports (rules.md section 5, UU 37/2008 art. 42); 3 rules out a
single person's repeated complaint being the only signal while staying small for a village office.
"""

import datetime as dt

WINDOW_DAYS = 90
"""Length of the window in days (inclusive of both ends)."""

THRESHOLD = 3
"""Complaints within one window that make a finding."""


def window_ending(on: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the ``WINDOW_DAYS``-day window ending ``on``: ``on`` - 89 days .. ``on``."""
    return on - dt.timedelta(days=WINDOW_DAYS - 1), on


def is_pattern(count: int) -> bool:
    """True when ``count`` complaints in one window make a finding."""
    return count >= THRESHOLD
