"""Template filters for Pantau pages: rupiah amounts, progress-bar classes and times in an office's own zone.

Styles may not be inline (the Content-Security-Policy forbids ``style=""``), so a bar's width is a CSS class per 5 %
step (``.w-0`` .. ``.w-100`` in ``pantau.css``).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """Whole rupiah in Indonesian style: 15000000 -> "Rp 15.000.000", -2500 -> "-Rp 2.500"; "" for None or junk."""
    if value is None or value == "":
        return ""
    try:
        amount = int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


@register.filter
def number(value: Any, places: Any = None) -> str:
    """A number in the active language's style (``core.numbers.format_number``): ``{{ 2200|number }}`` -> "2.200"
    in Indonesian, "2,200" in English; ``{{ score|number:2 }}`` -> "82,56" / "82.56"; "" for None or junk."""
    from pantau.core.numbers import format_number

    try:
        decimals = None if places in (None, "") else int(places)
    except (TypeError, ValueError):
        decimals = None
    return format_number(value, decimals)


@register.filter
def bar_class(value: Any) -> str:
    """CSS width class for a percentage, rounded down to a 5 % step and clipped to 0..100: 47.9 -> "w-45"."""
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        percent = Decimal(0)
    if not percent.is_finite():
        percent = Decimal(0)
    step = int(min(max(percent, Decimal(0)), Decimal(100)) // 5) * 5
    return f"w-{step}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or None (for dicts in templates)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def in_zone(value: Any, zone: Any) -> str:
    """An aware datetime shown in the IANA ``zone`` (an office's own: WIB, WITA or WIT; rules.md section 10) with
    the zone's short name: "17 Agu 2024 00:30 WIT" (month name in the active language); "" for None. An unknown
    zone falls back to Pantau's default zone (WIB)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from django.utils import timezone
    from django.utils.formats import date_format

    from pantau.core.workdays import WIB, ZONE_LABELS

    if value is None or value == "":
        return ""
    name = str(zone or WIB)
    try:
        tz = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name, tz = WIB, ZoneInfo(WIB)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value, tz)
    return f"{date_format(local, 'j M Y H:i')} {ZONE_LABELS.get(name, name)}"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current request's query string with ``changes`` applied (for pagination links): ``?status=x&page=2``."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
