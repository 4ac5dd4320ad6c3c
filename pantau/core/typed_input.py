"""Reading what people type and what files hold: money, decimals, percentages, dates, region codes, names and text.

Pure functions over plain values (text, numbers, dates); no models, no database. Every reader returns a Python value or
raises ``InputError``, a ``ValueError`` whose message is translated (active language), shows the offending value back
and, when the value has two readings, names both. Every formatter writes what the matching reader reads back to the
same value (round trip; for decimals up to two places, see ``format_decimal``), so an edit form can show a stored
value the way people write it.

Units: money is whole rupiah (IDR) as ``int``; decimals and percentages are ``Decimal`` (percent on 0-100, never
0-1); dates are ``datetime.date``; a region code is the dotted Kemendagri code ``PP[.KK[.CC[.DDDD]]]`` as ``str``.

Conventions (``language`` is the notation of the value, "id" or "en"; messages follow the active translation):

- Indonesian notation ("id"), the default: the dot groups thousands and the comma is the decimal mark (also between
  rupiah and sen), as the Pedoman Umum Ejaan Bahasa Indonesia (PUEBI, Badan Bahasa 2016, the spelling guide of the
  KBBI's publisher) prescribes: "Tanda titik dipakai untuk memisahkan bilangan ribuan atau kelipatannya yang
  menunjukkan jumlah". So "450.000" is 450000 and "70,5" is 70.5. Groups after the first have exactly three
  digits; a space (also no-break U+00A0, narrow no-break U+202F, thin U+2009, figure U+2007) may group thousands
  instead of the dot ("1 500 000").
- Indonesian notation does not read the English comma: "1,500,000" has two decimal marks and is refused, the message
  saying that the comma is the decimal mark and suggesting "1.500.000". For decimals and percentages only, a dot that
  cannot group thousands is read as a decimal point typed on an English keyboard: "70.5" and "1234.5" are 70.5 and
  1234.5. A lone dot followed by exactly three digits after a valid first group ("1.500") can be both, so
  ``read_decimal`` and ``read_percent`` refuse it naming both readings (1500 or 1,5) unless only one reading fits
  ``places`` (with two places "12.345" is 12345, since 12,345 has three decimals); ``read_money`` reads it as
  thousands, since a fraction of a rupiah is never meant.
- English notation ("en"): the comma groups thousands and the dot is the decimal mark. Pantau's users are Indonesian
  whatever the interface language, so English notation also reads Indonesian notation, and refuses a text that the
  two notations read as two different acceptable values, naming both: money "450.000" (450 or 450000), decimals
  "1.500" and "1,500" (1.5 or 1500). A text only one notation can read is read that way: "1,500,000" is 1500000,
  "70,5" is 70.5, "Rp 1.500.000" is 1500000.
- Which readings compete decides ambiguity. Money: a whole number of rupiah, and in Indonesian notation decimals
  written only as ",00" (so "450,000" in English is 450000: nobody writes zero sen as ",000"). Decimals: a value with
  at most ``places`` decimals once trailing zeros are dropped (so places=0 reads "1.500" as 1500); in a whole-number
  field (places=0), as for money, decimals written in the other notation never compete ("5.000" in Indonesian and
  "5,000" in English are 5000), while those of the active notation do ("5.000" in English is 5 or 5000). Ranges
  (``min_value``, ``max_value``, 0-100) never resolve an ambiguity; they are checked after reading.
- Money: "Rp", "Rp." and "IDR" (any case) may precede the amount, with or without a space; the amount may end with
  ",-" (no sen) or with exactly ",00" (".00" in English notation, which reads any zero decimals). A fraction of a
  rupiah ("450.000,50") is refused. A minus sign ("-", U+2212) before or after the currency is read only with
  ``allow_negative=True``. PUEBI writes "Rp450.000" without a space; Pantau shows "Rp 450.000" (as the ``rupiah``
  template filter does) and reads both.
- Dates are always day first, in both notations: "01/02/2024" is 1 February 2024; "08/31/2024" is refused with a
  suggestion. Years have four digits. Month names and abbreviations are read in Indonesian and English whatever
  ``language`` is.
- Decimals are never rounded: typed text with more decimals than ``places`` is refused, trailing zeros included
  ("70,500" with two places; "1,500" there is not silently 1.5), a Python number by its value (Decimal("70.500") is
  70.50).
"""

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_MONEY = 10**15
"""Largest amount of money read by default (IDR): a thousand trillion rupiah, far above any regional budget."""

DECIMAL_LIMIT = Decimal(10) ** 15
"""Decimals at or beyond this size are refused as too large, whatever ``max_value`` says."""

MAX_TEXT_LENGTH = 100
"""Typed numbers, dates and codes longer than this are refused without being parsed."""

SERIAL_FIRST_DATE = dt.date(1990, 1, 1)
SERIAL_LAST_DATE = dt.date(2100, 12, 31)
"""Excel serial numbers are read as dates only within these bounds (serials 32874 to 73415): outside them, a number
in a date column is far more likely an amount or a code than a date."""

LANGUAGES = ("id", "en")
"""The notations: Indonesian (dot groups thousands, comma is the decimal mark) and English (the reverse)."""

REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", re.ASCII)
"""A dotted Kemendagri region code: PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD (province, regency/city, district,
village)."""

_GROUP = {"id": ".", "en": ","}
_DECIMAL_MARK = {"id": ",", "en": "."}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_SIGN = re.compile(r"^[-\u2212] ?")
_CURRENCY = re.compile(r"^(?:rp\.?|idr) ?", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"^[0-9]+(?:[., ][0-9]+)*$", re.ASCII)
_DOT_DECIMAL = re.compile(r"^[0-9]+\.[0-9]+$", re.ASCII)
_PLAIN_SERIAL = re.compile(r"^[0-9]+(?:\.[0-9]+)?$", re.ASCII)
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls but tab, newline, CR; DEL and the C1 controls
    "\u202a-\u202e\u2066-\u2069"  # bidirectional overrides and isolates (text that reads other than it is stored)
    "\ud800-\udfff"  # lone surrogates (a JSON "\\ud800" escape): no character, refused by UTF-8 and PostgreSQL
    "\ufdd0-\ufdef\ufffe\uffff]"  # noncharacters: not allowed in XML, so they would break every XLSX export
)
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc`\u00b4\u02b9", "'"))
_AROUND_APOSTROPHE = re.compile(r"\s*'\s*")

_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$", re.ASCII)
_NUMERIC_DATE = re.compile(r"^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]+)$", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})[ /-]([^\W\d_]+)\.?[ /-]([0-9]+)$", re.ASCII | re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.? ([0-9]{1,2}),? ([0-9]+)$", re.ASCII | re.IGNORECASE)

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate((
    "januari january jan",
    "februari february feb peb",
    "maret march mar",
    "april apr",
    "mei may",
    "juni june jun",
    "juli july jul",
    "agustus august agu agt ags agus aug",
    "september sep sept",
    "oktober october okt oct",
    "november nov nop",
    "desember december des dec",
), start=1):
    for _name in _names.split():
        _MONTH_NAMES[_name] = _number


class InputError(ValueError):
    """A value that cannot be read. ``message`` is translated and shows the value back; ``code`` names the reason for
    callers ("empty", "invalid", "notation", "ambiguous", "fraction", "decimals", "negative", "range", "calendar",
    "year", "day_first", "serial", "lost_digits", "control"); ``value`` is what was given; ``readings`` holds the two
    readings of an ambiguous value (else it is empty)."""

    def __init__(self, message: str, *, code: str, value: Any = None, readings: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.value = value
        self.readings = readings

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------------------------
# Shared helpers


def _language(language: str) -> str:
    """ "id" or "en" for a language code such as "id", "en", "en-us"; ValueError for any other."""
    short = str(language or "").lower().replace("_", "-").split("-")[0]
    if short not in LANGUAGES:
        raise ValueError(f"unsupported notation {language!r}: expected one of {LANGUAGES}")
    return short


def shown_value(value: Any) -> str:
    """``value`` as text for a message: control characters made visible ("\\x00"), cut to 40 characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return text if len(text) <= 40 else text[:39] + "\u2026"


def _empty(value: Any) -> InputError:
    return InputError(_("The value is empty."), code="empty", value=value)


def _prepared(value: str) -> str:
    """Text with the listed Unicode spaces turned into spaces, runs of spaces collapsed, ends stripped."""
    return re.sub(" +", " ", value.translate(_SPACES)).strip()


def _plain(number: Decimal | int, language: str) -> str:
    """A number without thousands groups, with the notation's decimal mark: unambiguous in both notations."""
    if isinstance(number, Decimal):
        number = number.normalize()
        text = f"{number:f}"
    else:
        text = str(number)
    return text.replace(".", _DECIMAL_MARK[language])


def _grouped(digits: str, separator: str) -> str:
    """Digits grouped by three from the right: "1500000" -> "1.500.000"."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def _parse(body: str, language: str) -> tuple[str, str | None] | None:
    """(integer digits, decimal digits or None) of ``body`` read in ``language``'s notation, or None.

    ``body`` holds only ASCII digits separated by single dots, commas or spaces. The decimal mark may appear once, as
    the last separator; the other separators are all the notation's group mark or all spaces, the first group has
    1-3 digits and does not start with 0, every other group has exactly 3 digits.
    """
    group, mark = _GROUP[language], _DECIMAL_MARK[language]
    parts = re.split(r"([., ])", body)
    runs, separators = parts[0::2], parts[1::2]
    fraction = None
    if separators and separators[-1] == mark:
        fraction = runs.pop()
        separators.pop()
    if not separators:
        return runs[0], fraction
    if len(set(separators)) != 1 or separators[0] not in (group, " "):
        return None
    if not 1 <= len(runs[0]) <= 3 or runs[0].startswith("0") or any(len(run) != 3 for run in runs[1:]):
        return None
    return "".join(runs), fraction


def _as_decimal(parsed: tuple[str, str | None]) -> Decimal:
    digits, fraction = parsed
    return Decimal(f"{digits}.{fraction}" if fraction is not None else digits)


def _whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _fits(number: Decimal, places: int) -> bool:
    """True when ``number`` has at most ``places`` decimals once trailing zeros are dropped."""
    try:
        return number == number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds: far too large anyway
        return False


def _decimals_of(number: Decimal) -> int:
    """How many decimals ``number`` has once trailing zeros are dropped."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _notation_error(value: Any, suggestion: str) -> InputError:
    return InputError(
        _("“%(value)s” is not written in Indonesian notation, where the comma is the decimal mark and the dot groups "
          "thousands: did you mean %(suggestion)s?") % {"value": shown_value(value), "suggestion": suggestion},
        code="notation", value=value,
    )


def _ambiguous(value: Any, first: Decimal | int, second: Decimal | int, language: str) -> InputError:
    return InputError(
        _("“%(value)s” can be read as %(first)s or as %(second)s: write it without thousands separators.")
        % {"value": shown_value(value), "first": _plain(first, language), "second": _plain(second, language)},
        code="ambiguous", value=value, readings=(first, second),
    )


def _number_from_python(value: Any) -> Decimal | None:
    """A finite Decimal for an int, float or Decimal (never a bool); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else value
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


# --------------------------------------------------------------------------------------------------------------
# Money


def read_money(
    value: Any, *, language: str = "id", allow_negative: bool = False, max_value: int = MAX_MONEY
) -> int:
    """Whole rupiah (IDR) as an int from typed text or from a number.

    Text: optional sign, optional "Rp" / "Rp." / "IDR", the amount in ``language``'s notation (see the module
    docstring: Indonesian per PUEBI, dot groups thousands, comma is the decimal mark), optional ",-" or ",00"
    (".00" in English notation). Examples in Indonesian notation: "Rp 450.000,-" -> 450000,
    "Rp. 1.500.000,00" -> 1500000, "1 500 000" -> 1500000, "450.000,50" refused (fraction of a rupiah),
    "1,500,000" refused (the comma is the decimal mark). In English notation "1,500,000" -> 1500000 and "450.000" is
    refused as 450 or 450000.

    Numbers: an int, an integral float or Decimal passes through; a bool, a fraction, NaN or infinity is refused.
    Negative amounts are refused unless ``allow_negative``; amounts whose size exceeds ``max_value`` (default
    ``MAX_MONEY``) are refused. Raises InputError.
    """
    language = _language(language)
    if value is None:
        raise _empty(value)
    if isinstance(value, str):
        amount = _money_from_text(value, language)
    else:
        number = _number_from_python(value)
        if number is None:
            raise _not_money(value, language)
        if not _whole(number):
            raise _fraction(value)
        amount = int(number)
    if amount < 0 and not allow_negative:
        raise InputError(
            _("“%(value)s” is negative: the amount cannot be below zero.") % {"value": shown_value(value)},
            code="negative", value=value,
        )
    if abs(amount) > max_value:
        raise InputError(
            _("“%(value)s” is too large: an amount is at most %(maximum)s.")
            % {"value": shown_value(value), "maximum": format_money(max_value, language)},
            code="range", value=value,
        )
    return amount


def _not_money(value: Any, language: str) -> InputError:
    return InputError(
        _("“%(value)s” is not an amount of money: write whole rupiah, e.g. %(example)s.")
        % {"value": shown_value(value), "example": format_money(1500000, language)},
        code="invalid", value=value,
    )


def _fraction(value: Any) -> InputError:
    return InputError(
        _("“%(value)s” is not a whole number of rupiah: amounts are in whole rupiah, without sen.")
        % {"value": shown_value(value)},
        code="fraction", value=value,
    )


def _money_from_text(value: str, language: str) -> int:
    text = _prepared(value)
    if not text:
        raise _empty(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise _not_money(value, language)
    negative = False
    if sign := _SIGN.match(text):
        negative, text = True, text[sign.end():]
    if currency := _CURRENCY.match(text):
        text = text[currency.end():]
    if not negative and (sign := _SIGN.match(text)):
        negative, text = True, text[sign.end():]
    if text.endswith(",-"):
        text = text[:-2]
    if not _NUMBER_TEXT.match(text):
        raise _not_money(value, language)

    def indonesian() -> int | None:
        parsed = _parse(text, "id")
        if parsed is None or parsed[1] not in (None, "00"):
            return None
        return int(parsed[0])

    def english() -> Decimal | None:
        parsed = _parse(text, "en")
        return None if parsed is None else _as_decimal(parsed)

    if language == "id":
        amount = indonesian()
        if amount is None:
            other = english()
            if other is not None and _whole(other):
                raise _notation_error(value, format_money(int(other), "id", currency=False))
            parsed = _parse(text, "id")
            if parsed is not None and not _whole(_as_decimal(parsed)):
                raise _fraction(value)
            raise _not_money(value, language)
    else:
        first, second = english(), indonesian()
        whole = [int(x) for x in (first, second) if x is not None and _whole(Decimal(x))]
        if len(set(whole)) > 1:
            raise _ambiguous(value, whole[0], whole[1], language)
        if not whole:
            parsed = _parse(text, "id")
            readings = [x for x in (first, None if parsed is None else _as_decimal(parsed)) if x is not None]
            if any(not _whole(x) for x in readings):
                raise _fraction(value)
            raise _not_money(value, language)
        amount = whole[0]
    return -amount if negative else amount


def format_money(value: int | Decimal, language: str = "id", *, currency: bool = True) -> str:
    """Whole rupiah as people read them: "Rp 450.000" (Indonesian, PUEBI grouping with a space after "Rp" as the
    ``rupiah`` filter writes it) or "IDR 450,000" (English); negative "-Rp 2.500"; ``currency=False`` gives
    "450.000" for an input field. ``read_money`` reads the result back to ``value``. ValueError for a fraction or a
    non-number."""
    language = _language(language)
    number = _number_from_python(value)
    if number is None or not _whole(number):
        raise ValueError(f"not a whole number of rupiah: {value!r}")
    amount = int(number)
    digits = _grouped(str(abs(amount)), _GROUP[language])
    prefix = ("Rp " if language == "id" else "IDR ") if currency else ""
    return f"{'-' if amount < 0 else ''}{prefix}{digits}"


# --------------------------------------------------------------------------------------------------------------
# Decimals and percentages


def read_decimal(
    value: Any,
    *,
    places: int = 2,
    language: str = "id",
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
) -> Decimal:
    """A Decimal with exactly ``places`` decimal places from typed text or from a number.

    Text in ``language``'s notation (module docstring; Indonesian per PUEBI: "70,5" -> Decimal("70.50"),
    "1.234,5" -> Decimal("1234.50"), "70.5" -> Decimal("70.50") as a dot typed on an English keyboard, "1.500"
    refused as 1500 or 1,5). A leading "-" is read; "Rp" and "%" are not (see ``read_percent``). More than
    ``places`` decimals is refused, never rounded: typed decimals count as typed ("70,500" is refused with two
    places), a number's by value. Numbers: int, float (by its shortest repr, so 0.1 is 0.1) or Decimal; bool, NaN
    and infinity refused. ``min_value`` and
    ``max_value`` are inclusive bounds; sizes at or beyond ``DECIMAL_LIMIT`` are refused. Raises InputError.
    """
    return _read_decimal(value, value, places=places, language=_language(language), min_value=min_value,
                         max_value=max_value)


def _read_decimal(
    value: Any,
    display: Any,
    *,
    places: int,
    language: str,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
) -> Decimal:
    """``read_decimal``, with messages showing ``display`` (what the person gave) instead of ``value``."""
    number = _decimal_from_any(value, display, places=places, language=language)
    if abs(number) >= DECIMAL_LIMIT:
        raise InputError(_("“%(value)s” is too large.") % {"value": shown_value(display)}, code="range", value=display)
    if not _fits(number, places):
        raise _too_many_decimals(display, places)
    number = number.quantize(Decimal(1).scaleb(-places))
    if min_value is not None and number < min_value:
        raise InputError(
            _("“%(value)s” is below the minimum, %(minimum)s.")
            % {"value": shown_value(display), "minimum": format_decimal(Decimal(min_value), places, language)},
            code="range", value=display,
        )
    if max_value is not None and number > max_value:
        raise InputError(
            _("“%(value)s” is above the maximum, %(maximum)s.")
            % {"value": shown_value(display), "maximum": format_decimal(Decimal(max_value), places, language)},
            code="range", value=display,
        )
    return number


def _not_number(value: Any, language: str) -> InputError:
    return InputError(
        _("“%(value)s” is not a number: write for example %(example)s.")
        % {"value": shown_value(value), "example": format_decimal(Decimal("70.5"), 1, language)},
        code="invalid", value=value,
    )


def _decimal_from_any(value: Any, display: Any, *, places: int, language: str) -> Decimal:
    """The number ``value`` holds, before the places and range checks."""
    if value is None:
        raise _empty(display)
    if not isinstance(value, str):
        number = _number_from_python(value)
        if number is None:
            raise _not_number(display, language)
        return number
    text = _prepared(value)
    if not text:
        raise _empty(display)
    if len(text) > MAX_TEXT_LENGTH:
        raise _not_number(display, language)
    negative = False
    if sign := _SIGN.match(text):
        negative, text = True, text[sign.end():]
    if not _NUMBER_TEXT.match(text):
        raise _not_number(display, language)
    number = _decimal_from_text(text, display, places=places, language=language)
    return -number if negative else number


def _decimal_from_text(text: str, display: Any, *, places: int, language: str) -> Decimal:
    """The one reading of ``text`` (digits and separators, no sign) in ``language``'s notation; raises InputError
    when it has none, two (ambiguous) or more typed decimals than ``places``."""
    indonesian = _parse(text, "id")
    english = _parse(text, "en")
    # (parsed, notation) of every reading, the active notation's first.
    readings: list[tuple[tuple[str, str | None], str]] = []
    if language == "id":
        # The Indonesian reading, or a dot typed as a decimal point on an English keyboard ("70.5").
        if indonesian is not None:
            readings.append((indonesian, "id"))
        if _DOT_DECIMAL.match(text) and english is not None:
            readings.append((english, "en"))
    else:
        for parsed, notation in ((english, "en"), (indonesian, "id")):
            if parsed is not None:
                readings.append((parsed, notation))
    if not readings:
        if language == "id" and english is not None:
            other = _as_decimal(english)
            raise _notation_error(display, format_decimal(other, _decimals_of(other), "id"))
        raise _not_number(display, language)

    def competes(parsed: tuple[str, str | None], notation: str) -> bool:
        # A reading competes when its value fits ``places``; in a whole-number field, decimals written in the other
        # notation ("5,000" in English, "5.000" in Indonesian) are a thousands group, never a reading.
        if places == 0 and parsed[1] is not None and notation != language:
            return False
        return _fits(_as_decimal(parsed), places)

    acceptable = [parsed for parsed, notation in readings if competes(parsed, notation)]
    values = [_as_decimal(parsed) for parsed in acceptable]
    if len(values) == 2 and values[0] != values[1]:
        raise _ambiguous(display, values[0], values[1], language)
    digits, fraction = (acceptable or [parsed for parsed, _notation in readings])[0]
    if fraction is not None and len(fraction) > places:
        raise _too_many_decimals(display, places)
    return _as_decimal((digits, fraction))


def _too_many_decimals(display: Any, places: int) -> InputError:
    if places == 0:
        message = _("“%(value)s” must be a whole number.") % {"value": shown_value(display)}
    else:
        message = ngettext(
            "“%(value)s” has more than %(places)d decimal.",
            "“%(value)s” has more than %(places)d decimals.",
            places,
        ) % {"value": shown_value(display), "places": places}
    return InputError(message, code="decimals", value=display)


def read_percent(value: Any, *, places: int = 2, language: str = "id") -> Decimal:
    """A percentage on 0-100 as a Decimal with ``places`` decimals: "75 %", "75%", "75,5%" (Indonesian notation,
    PUEBI), "75" or a number 75 -> 75. The "%" sign is optional; 0.75 is 0.75 %, not 75 % (for a spreadsheet cell
    formatted as a percentage use ``read_percent_cell``). Otherwise as ``read_decimal``. Raises InputError."""
    return _read_percent(value, value, places=places, language=_language(language))


def _read_percent(value: Any, display: Any, *, places: int, language: str) -> Decimal:
    if isinstance(value, str):
        text = _prepared(value)
        if text.endswith("%"):
            text = text[:-1].rstrip()
            if not text:
                raise _not_number(display, language)
        value = text
    number = _read_decimal(value, display, places=places, language=language)
    if not 0 <= number <= 100:
        raise InputError(
            _("“%(value)s” is not a percentage from 0 to 100.") % {"value": shown_value(display)},
            code="range", value=display,
        )
    return number


def read_percent_cell(value: Any, number_format: str | None, *, places: int = 2, language: str = "id") -> Decimal:
    """A percentage on 0-100 from a spreadsheet cell: when the cell holds a number and its ``number_format`` (as
    openpyxl gives it, e.g. "0%" or "0.00%") shows a percentage, the stored fraction is multiplied by 100 (0.75 ->
    75, shown in messages as "75%"); otherwise as ``read_percent`` (a text cell "75 %" or a plain number 75).
    Raises InputError."""
    language = _language(language)
    number = _number_from_python(value)
    if number is not None and number_format and "%" in number_format:
        scaled = number * 100
        return _read_percent(scaled, _plain(scaled, language) + "%", places=places, language=language)
    return _read_percent(value, value, places=places, language=language)


def format_decimal(value: Decimal | int | float, places: int = 2, language: str = "id") -> str:
    """A number with ``places`` decimals (rounded half up) and grouped thousands: "1.234,50" and "70,50" in
    Indonesian notation (PUEBI), "1,234.50" and "70.50" in English. ``read_decimal`` with the same ``places`` reads
    the result back to the value for places 0-2; with 3 or more places an English text such as "1.500" (1.5) has an
    Indonesian reading too and is refused as ambiguous. ValueError for a non-number."""
    language = _language(language)
    number = _number_from_python(value)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(number):f}"
    digits, _dot, fraction = text.partition(".")
    result = _grouped(digits, _GROUP[language])
    if places > 0:
        result += _DECIMAL_MARK[language] + fraction
    return f"-{result}" if number < 0 else result


# --------------------------------------------------------------------------------------------------------------
# Dates


def read_date(value: Any, *, language: str = "id", excel_serial: bool = False) -> dt.date:
    """A calendar date from a date, a datetime (its date), typed text or, with ``excel_serial``, an Excel number.

    Text, always day first whatever ``language`` is (Indonesian writes the day first; "01/02/2024" is 1 February):
    "2024-08-31" (ISO), "31/08/2024", "31-08-2024", "31.08.2024", "31 Agustus 2024", "31 Agt 2024", "31-Aug-2024",
    "August 31, 2024". Month names and common abbreviations in Indonesian and English, any case, optionally followed
    by a dot (Januari/Jan, Februari/Feb/Peb, Maret/Mar, April/Apr, Mei, Juni/Jun, Juli/Jul,
    Agustus/Agu/Agt/Ags/Agus, September/Sep/Sept, Oktober/Okt, November/Nov/Nop, Desember/Des, and the English
    January..December, May, Aug, Oct, Dec). Refused: two-digit years ("31/08/24"), dates not in the calendar
    ("31/02/2024"), month-first dates ("08/31/2024", with a suggestion).

    ``excel_serial=True`` (for spreadsheet cells) also reads an int, float or Decimal, or digits in text, as an
    Excel serial number of the 1900 date system (45535 is 31 August 2024; a fraction is a time of day and is
    dropped); serial 60, Excel's non-existent 29 February 1900, is refused, as is any serial outside
    ``SERIAL_FIRST_DATE``..``SERIAL_LAST_DATE``. Without it, numbers are refused. Raises InputError.
    """
    language = _language(language)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise _empty(value)
    if isinstance(value, str):
        text = _prepared(value)
        if not text:
            raise _empty(value)
        if excel_serial and _PLAIN_SERIAL.match(text):
            return _date_from_serial(Decimal(text), value, language)
        if len(text) <= MAX_TEXT_LENGTH:
            return _date_from_text(text, value, language)
        raise _not_date(value, language)
    number = _number_from_python(value)
    if excel_serial and number is not None:
        return _date_from_serial(number, value, language)
    raise _not_date(value, language)


def _not_date(value: Any, language: str) -> InputError:
    return InputError(
        _("“%(value)s” is not a date: write for example %(example)s or %(numeric)s.")
        % {"value": shown_value(value), "example": format_date(dt.date(2024, 8, 31), language),
           "numeric": "31/08/2024"},
        code="invalid", value=value,
    )


def _calendar_date(year: int, month: int, day: int, value: Any) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(
            _("“%(value)s” is not a date in the calendar.") % {"value": shown_value(value)},
            code="calendar", value=value,
        ) from None


def _four_digit_year(year: str, value: Any, language: str) -> int:
    if len(year) != 4:
        raise InputError(
            _("“%(value)s” does not have a four-digit year: write for example %(example)s.")
            % {"value": shown_value(value), "example": format_date(dt.date(2024, 8, 31), language)},
            code="year", value=value,
        )
    return int(year)


def _date_from_text(text: str, value: Any, language: str) -> dt.date:
    if match := _ISO_DATE.match(text):
        return _calendar_date(int(match[1]), int(match[2]), int(match[3]), value)
    if match := _NUMERIC_DATE.match(text):
        year = _four_digit_year(match[4], value, language)
        day, month = int(match[1]), int(match[3])
        if 1 <= day <= 12 < month <= 31:
            try:
                month_first = dt.date(year, day, month)
            except ValueError:
                pass
            else:
                raise InputError(
                    _("“%(value)s” is not a date: dates are written day first (DD/MM/YYYY); did you mean "
                      "%(suggestion)s?")
                    % {"value": shown_value(value), "suggestion": format_date(month_first, language)},
                    code="day_first", value=value,
                )
        return _calendar_date(year, month, day, value)
    day_text = month_name = year_text = None
    if match := _DAY_MONTH_YEAR.match(text):
        day_text, month_name, year_text = match[1], match[2], match[3]
    elif match := _MONTH_DAY_YEAR.match(text):
        month_name, day_text, year_text = match[1], match[2], match[3]
    if month_name is not None and month_name.casefold() in _MONTH_NAMES:
        year = _four_digit_year(year_text or "", value, language)
        return _calendar_date(year, _MONTH_NAMES[month_name.casefold()], int(day_text or 0), value)
    raise _not_date(value, language)


def _date_from_serial(serial: Decimal, value: Any, language: str) -> dt.date:
    days = int(serial)  # a fraction is a time of day
    if days == 60:
        raise InputError(
            _("“%(value)s” is Excel's 29 February 1900, a day that never existed.") % {"value": shown_value(value)},
            code="serial", value=value,
        )
    if serial < 1 or serial >= 3_000_000:
        date = None
    elif days < 60:  # Excel counts the non-existent 29 February 1900, so serials before it start a day later
        date = dt.date(1899, 12, 31) + dt.timedelta(days=days)
    else:
        date = dt.date(1899, 12, 30) + dt.timedelta(days=days)
    if date is None or not SERIAL_FIRST_DATE <= date <= SERIAL_LAST_DATE:
        raise InputError(
            _("“%(value)s” is not a date: an Excel date number is read only from %(first)s to %(last)s.")
            % {"value": shown_value(value), "first": format_date(SERIAL_FIRST_DATE, language),
               "last": format_date(SERIAL_LAST_DATE, language)},
            code="serial", value=value,
        )
    return date


def format_date(value: dt.date, language: str = "id") -> str:
    """A date as people read it: "31 Agustus 2024" (Indonesian) or "31 August 2024" (English), day without a leading
    zero. ``read_date`` reads the result back to ``value`` in either notation."""
    language = _language(language)
    if isinstance(value, dt.datetime):
        value = value.date()
    names = MONTHS_ID if language == "id" else MONTHS_EN
    return f"{value.day} {names[value.month - 1]} {value.year:04d}"


# --------------------------------------------------------------------------------------------------------------
# Region codes, names and text


def read_region_code(value: Any) -> str:
    """A dotted Kemendagri region code "PP[.KK[.CC[.DDDD]]]" (e.g. "15.04.01.2001") from text or from a number.

    Spaces (also no-break and thin spaces) are removed; undotted digits of length 2, 4, 6 or 10 are dotted
    ("1504012001" -> "15.04.01.2001", "1504" -> "15.04"). A code that Excel stored as a number is read when no digit
    can have been lost: an int 15 -> "15", 1504 -> "15.04"; a float 15.04 -> "15.04"; but a float 15.1 is refused,
    since it may have been "15.10". The result matches ``REGION_CODE_RE``; whether the region exists is the
    caller's question. Raises InputError.
    """
    if value is None:
        raise _empty(value)
    if isinstance(value, bool):
        raise _not_code(value)
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
        else:
            text = repr(value)
            if re.fullmatch(r"[0-9]{2}\.[0-9]", text):
                raise InputError(
                    _("“%(value)s” was stored as a number and may have lost a digit (15.1 could be 15.10): store "
                      "region codes as text.") % {"value": shown_value(value)},
                    code="lost_digits", value=value,
                )
    elif isinstance(value, int | Decimal | str):
        text = "".join(str(value).split())
    else:
        raise _not_code(value)
    if not text:
        raise _empty(value)
    if text.isascii() and text.isdigit() and len(text) in (2, 4, 6, 10):
        text = ".".join(part for part in (text[0:2], text[2:4], text[4:6], text[6:10]) if part)
    if not REGION_CODE_RE.match(text):
        raise _not_code(value)
    return text


def _not_code(value: Any) -> InputError:
    return InputError(
        _("“%(value)s” is not a region code: write PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD, e.g. 15.04.01.2001.")
        % {"value": shown_value(value)},
        code="invalid", value=value,
    )


def fold_name(text: str) -> str:
    """A region or unit name folded for comparison, not for display: apostrophe variants (’ ‘ ʼ ` ´ ʹ) become ',
    spaces around an apostrophe are dropped, Unicode compatibility forms are unified (NFKC), whitespace of any kind
    collapses to one space, ends are stripped and case is folded. "Sa’dan", "Sa'dan" and "sa ' dan" fold alike."""
    folded = unicodedata.normalize("NFKC", str(text).translate(_APOSTROPHES))
    folded = " ".join(folded.split())
    return _AROUND_APOSTROPHE.sub("'", folded).casefold()


def names_match(a: str, b: str) -> bool:
    """True when two region or unit names are the same once folded by ``fold_name``."""
    return fold_name(a) == fold_name(b)


def control_character(value: str) -> str | None:
    """The first control character of ``value`` other than tab, newline and carriage return, as "U+XXXX", or None
    when there is none. Control characters here: C0 controls U+0000-U+001F (NUL included), DEL and the C1 controls
    U+007F-U+009F, the bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069, lone surrogates and the
    noncharacters U+FDD0-U+FDEF, U+FFFE and U+FFFF (XML 1.0 section 2.2 forbids them, so they break exports)."""
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text(value: str) -> str:
    """``value`` unchanged when it holds no control character other than tab, newline and carriage return (see
    ``control_character``: they cannot be typed, break exports or disguise text); raises InputError naming the first
    one found (as U+XXXX) otherwise. TypeError when ``value`` is not a str."""
    if not isinstance(value, str):
        raise TypeError(f"check_text expects a str, not {type(value).__name__}")
    if found := _CONTROL.search(value):
        raise InputError(
            _("“%(value)s” contains a control character (%(character)s) that cannot be stored.")
            % {"value": shown_value(value), "character": f"U+{ord(found.group()):04X}"},
            code="control", value=value,
        )
    return value


def search_key(text: str) -> str:
    """``fold_name`` without any space, for searching and comparing names whose spacing varies ("Batang Hari" and
    "Batanghari", "Sa' dan" and "Sa’dan" give the same key): a search finds a name when the key of the query is part
    of the key of the name."""
    return fold_name(text).replace(" ", "")
