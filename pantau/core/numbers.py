"""Numbers written for people in the active language: Indonesian "2.200" and "82,56", English "2,200" and "82.56".

One helper for pages (the ``number`` filter in ``pantau_tags``), chart ticks and labels (``core.charts``) and titles
built in Python, so a figure reads the same wherever it appears. Built on Django's locale formats
(``django.utils.formats.number_format`` with grouping forced on), never on ``str()`` or f-strings.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format


def format_number(value: Any, places: int | None = None) -> str:
    """``value`` (int, float, Decimal or a numeric string) with the active language's separators and thousands
    grouping. ``places``: fixed decimals (rounded half-even by Django); None keeps a Decimal's own places and shows
    a float with at most 2 decimals, trailing zeros dropped (12.5 -> "12,5", 20.0 -> "20"). "" for None or junk."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if places is None:
            value = Decimal(repr(round(value, 2))).normalize()
            places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    elif not isinstance(value, (int, Decimal)):
        try:
            value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return ""
        if not value.is_finite():
            return ""
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
