"""Serializer fields for the REST API (/api/v1/) that take machine notation only, never what a person would type.

An API client sends JSON, so there is one notation and no guessing: money is a JSON integer of whole rupiah (IDR)
or a string of plain digits ("450000"); a decimal is a JSON number or a string with a dot as the decimal mark
("70.5"); a date is ISO 8601 "YYYY-MM-DD". Anything written for people ("450.000", "Rp 450.000", "70,5",
"31/08/2024") is refused with a message naming the field, never read in a human notation: a client that sends
"450.000" may mean 450 or 450000. Range, sign and decimal-place rules are those of ``pantau.core.typed_input``.
Each field declares its OpenAPI type for drf-spectacular (``extend_schema_field``) and, through validators, its
bounds.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pantau.core import typed_input
from pantau.core.fields import active_notation
from pantau.core.typed_input import MAX_MONEY, InputError

_DIGITS = re.compile(r"^-?[0-9]{1,20}$", re.ASCII)
_DOT_DECIMAL = re.compile(r"^-?[0-9]{1,20}(?:\.[0-9]{1,20})?$", re.ASCII)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)


def _bound(value: Decimal | int) -> int | float:
    """A bound as a JSON-friendly number for the schema (validators compare it with Decimals exactly enough)."""
    return int(value) if Decimal(value) == Decimal(value).to_integral_value() else float(value)


class _APIField(serializers.Field):
    """Shared behaviour: the field's name in messages and InputError turned into a DRF ValidationError."""

    def named(self) -> str:
        """The field's name as the client sent it, for messages."""
        return self.field_name or _("this field")

    def invalid(self, error: InputError) -> serializers.ValidationError:
        """The DRF ValidationError (400) for a reader's InputError, with its message and code."""
        return serializers.ValidationError(error.message, code=error.code)


@extend_schema_field({
    "type": "integer",
    "format": "int64",
    "description": "Whole rupiah (IDR) as a JSON integer, e.g. 450000; a string of plain digits is also read.",
})
class MoneyAPIField(_APIField):
    """Whole rupiah (IDR) as an int: a JSON integer (450000), an integral JSON number (450000.0) or a string of plain
    digits ("450000"). Refused: strings with separators or a currency ("450.000", "Rp 450000"), fractions, booleans;
    negative amounts unless ``allow_negative``; sizes above ``max_value`` (default ``MAX_MONEY``)."""

    def __init__(self, *, allow_negative: bool = False, max_value: int = MAX_MONEY, **kwargs: Any) -> None:
        self.allow_negative = allow_negative
        self.max_value = max_value
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(-max_value if allow_negative else 0))
        self.validators.append(MaxValueValidator(max_value))

    def to_internal_value(self, data: Any) -> int:
        """The amount in rupiah; ValidationError naming the field for anything but a whole JSON number or digits."""
        if isinstance(data, str) and _DIGITS.match(data):
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise serializers.ValidationError(
                _("“%(value)s” is not accepted for %(field)s: send whole rupiah as a JSON integer without separators "
                  "or currency, e.g. 450000.") % {"value": typed_input.shown_value(data), "field": self.named()},
                code="invalid",
            )
        try:
            return typed_input.read_money(
                data, language=active_notation(), allow_negative=self.allow_negative, max_value=self.max_value
            )
        except InputError as error:
            raise self.invalid(error) from None

    def to_representation(self, value: Any) -> int:
        """The amount as a JSON integer."""
        return int(value)


@extend_schema_field({
    "type": "number",
    "description": "A JSON number with a dot as the decimal mark, e.g. 70.5; a string such as \"70.5\" is also "
                   "read. Never a decimal comma.",
})
class DecimalAPIField(_APIField):
    """A Decimal with ``places`` decimals from a JSON number (70.5) or a string with a dot ("70.5"); refuses a
    decimal comma ("70,5"), separators and booleans; more than ``places`` decimals is refused, not rounded;
    ``min_value`` and ``max_value`` are inclusive. Sent back as a JSON number."""

    def __init__(
        self,
        *,
        places: int = 2,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        self.places = places
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(_bound(min_value)))
        if max_value is not None:
            self.validators.append(MaxValueValidator(_bound(max_value)))

    def to_internal_value(self, data: Any) -> Decimal:
        """The number; ValidationError naming the field for text that is not a plain dotted number."""
        if isinstance(data, str) and _DOT_DECIMAL.match(data):
            data = Decimal(data)
        if isinstance(data, bool) or not isinstance(data, int | float | Decimal):
            raise serializers.ValidationError(
                _("“%(value)s” is not accepted for %(field)s: the API takes JSON numbers with a dot as the decimal "
                  "mark and no thousands separators, e.g. 70.5.") % {"value": typed_input.shown_value(data),
                                                                     "field": self.named()},
                code="invalid",
            )
        try:
            return typed_input.read_decimal(
                data, places=self.places, language=active_notation(), min_value=self.min_value,
                max_value=self.max_value,
            )
        except InputError as error:
            raise self.invalid(error) from None

    def to_representation(self, value: Any) -> Decimal:
        """The number with the field's places (rendered as a JSON number)."""
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places))


@extend_schema_field(OpenApiTypes.DATE)
class DateAPIField(_APIField):
    """A date in ISO 8601 "YYYY-MM-DD" only; "31/08/2024", "2024-8-31" and names of months are refused."""

    def to_internal_value(self, data: Any) -> dt.date:
        """The date; ValidationError naming the field for anything but an ISO date in the calendar."""
        if not isinstance(data, str) or not _ISO_DATE.match(data):
            raise serializers.ValidationError(
                _("“%(value)s” is not accepted for %(field)s: send the date as YYYY-MM-DD, e.g. 2024-08-31.")
                % {"value": typed_input.shown_value(data), "field": self.named()},
                code="invalid",
            )
        try:
            return typed_input.read_date(data)
        except InputError as error:
            raise self.invalid(error) from None

    def to_representation(self, value: Any) -> str:
        """The date as "YYYY-MM-DD"."""
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat()
