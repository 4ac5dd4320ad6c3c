"""Form fields that read what people type with ``pantau.core.typed_input``, in the notation of the active language.

Every field renders a text input (never ``type="number"``, which browsers parse in the operating system's locale:
Chromium in an Indonesian locale turns "70,5" into 705) with an ``inputmode`` hint for phone keyboards, reads the
typed text in the active language's notation (``django.utils.translation.get_language()``: Indonesian unless the
user switched to English) and shows a stored value formatted the same way, so an edit form shows "450.000", not
"450000", and submitting it unchanged stores the same value. Errors are ``ValidationError`` with the reader's
translated message and its code ("ambiguous", "fraction", ...).

Money is whole rupiah (IDR, ``int``); decimals and percentages (0-100) are ``Decimal``; dates are ``datetime.date``.

Dates are typed, not picked: a date field is a text input, never ``type="date"``. Chromium's date picker shows and
takes dates in the operating system's locale and cannot take "31 Agustus 2024" typed in, so Pantau offers no picker:
people type "31/08/2024", "31 Agustus 2024", "31 Agt 2024" or "2024-08-31" (day first, ``typed_input.read_date``).

Each input carries ``data-typed`` ("money", "decimal", "percent", "date") and, for decimals, ``data-places``: the
script ``pantau/typed-input.js`` (served by Pantau, no inline script) shows next to the input the value as it will
be read ("Rp 450.000", "70,50", "31 Agustus 2024") while the user types; the server reads it again on submit, so the
script is only an aid.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from pantau.core import typed_input
from pantau.core.typed_input import MAX_MONEY, InputError


def active_notation() -> str:
    """The notation of the active language: "en" when English is active, else "id" (the product default)."""
    language = (get_language() or "id").lower()
    return "en" if language.startswith("en") else "id"


class TypedTextInput(forms.TextInput):
    """A text input that shows a stored (non-text) value through ``formatter`` in the active notation; text the user
    typed is shown back as typed."""

    def __init__(self, formatter: Callable[[Any, str], str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.formatter = formatter

    def format_value(self, value: Any) -> str | None:
        """The text shown in the input: ``value`` formatted when it is a stored value, unchanged when it is text."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        try:
            return self.formatter(value, active_notation())
        except (TypeError, ValueError):
            return str(value)


class TypedInputField(forms.Field):
    """Base of the typed-input fields: ``read(text, language)`` turns the typed text into a value or raises
    InputError; ``show(value, language)`` formats a stored value; ``input_mode`` is the keyboard hint and ``kind``
    the ``data-typed`` value read by ``typed-input.js``."""

    input_mode = "text"
    kind = ""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", TypedTextInput(self.show))
        super().__init__(**kwargs)

    def read(self, text: Any, language: str) -> Any:
        """The value of ``text`` (typed text, or a Python value given to ``clean``) in ``language``'s notation;
        raises InputError."""
        raise NotImplementedError

    def show(self, value: Any, language: str) -> str:
        """``value`` as text in ``language``'s notation."""
        return str(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """The field's attributes plus the ``inputmode`` keyboard hint (none for plain text) and ``data-typed``
        (with ``data-places`` for decimals) for the live reading of ``typed-input.js``."""
        attrs = super().widget_attrs(widget)
        if self.input_mode != "text":
            attrs["inputmode"] = self.input_mode
        if self.kind:
            attrs["data-typed"] = self.kind
            attrs["autocomplete"] = "off"
        places = getattr(self, "places", None)
        if places is not None:
            attrs["data-places"] = str(places)
        return attrs

    def to_python(self, value: Any) -> Any:
        """None for an empty input, else the value read in the active notation; ValidationError when unreadable."""
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return self.read(value, active_notation())
        except InputError as error:
            raise ValidationError(error.message, code=error.code) from None


class MoneyField(TypedInputField):
    """Whole rupiah (IDR) as an int: "450.000", "Rp 1.500.000,-" (Indonesian) or "1,500,000" (English); shows
    "450.000" / "450,000". ``allow_negative`` and ``max_value`` as in ``typed_input.read_money``."""

    input_mode = "numeric"
    kind = "money"

    def __init__(self, *, allow_negative: bool = False, max_value: int = MAX_MONEY, **kwargs: Any) -> None:
        self.allow_negative = allow_negative
        self.max_value = max_value
        super().__init__(**kwargs)

    def read(self, text: Any, language: str) -> int:
        """``typed_input.read_money`` with the field's bounds."""
        return typed_input.read_money(
            text, language=language, allow_negative=self.allow_negative, max_value=self.max_value
        )

    def show(self, value: Any, language: str) -> str:
        """The amount grouped, without the currency: "450.000" or "450,000"."""
        return typed_input.format_money(value, language, currency=False)


class DecimalInputField(TypedInputField):
    """A Decimal with ``places`` decimals: "70,5" or "1.234,5" (Indonesian), "70.5" (English); shows "70,50" /
    "70.50". ``min_value`` and ``max_value`` are inclusive, as in ``typed_input.read_decimal``."""

    input_mode = "decimal"
    kind = "decimal"

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

    def read(self, text: Any, language: str) -> Decimal:
        """``typed_input.read_decimal`` with the field's places and bounds."""
        return typed_input.read_decimal(
            text, places=self.places, language=language, min_value=self.min_value, max_value=self.max_value
        )

    def show(self, value: Any, language: str) -> str:
        """The number with the field's places: "70,50" or "70.50"."""
        return typed_input.format_decimal(value, self.places, language)


class PercentField(DecimalInputField):
    """A percentage on 0-100 (Decimal) with ``places`` decimals: "75", "75 %", "75,5%"; shows "75,50" / "75.50"
    (``typed_input.read_percent``)."""

    kind = "percent"

    def __init__(self, *, places: int = 2, **kwargs: Any) -> None:
        super().__init__(places=places, min_value=0, max_value=100, **kwargs)

    def read(self, text: Any, language: str) -> Decimal:
        """``typed_input.read_percent`` with the field's places."""
        return typed_input.read_percent(text, places=self.places, language=language)


class IndonesianDateField(TypedInputField):
    """A date typed day first: "31/08/2024", "31 Agustus 2024", "2024-08-31" (``typed_input.read_date``); shows
    "31 Agustus 2024" / "31 August 2024". A text input, never ``type="date"`` (see the module docstring)."""

    kind = "date"

    def read(self, text: Any, language: str) -> dt.date:
        """``typed_input.read_date`` (text only, no Excel serial numbers)."""
        return typed_input.read_date(text, language=language)

    def show(self, value: Any, language: str) -> str:
        """The date with the month's name: "31 Agustus 2024"."""
        return typed_input.format_date(value, language)


class SafeCharField(forms.CharField):
    """A CharField that refuses control characters other than tab, newline and carriage return
    (``typed_input.check_text``); Django's own CharField refuses only NUL."""

    def to_python(self, value: Any) -> Any:
        """The cleaned text; ValidationError when it holds a control character."""
        text = super().to_python(value)
        if isinstance(text, str):
            try:
                typed_input.check_text(text)
            except InputError as error:
                raise ValidationError(error.message, code=error.code) from None
        return text
