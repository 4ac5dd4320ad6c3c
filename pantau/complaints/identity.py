"""The complainant's identity: checks, masks and fingerprints (pure functions, no database).

Perpres 76/2013 obliges the provider to keep the complainant's identity confidential (domain/rules.md section 5);
UU 37/2008 art. 24 lets a reporter ask the Ombudsman for the same. Pantau therefore shows the name, NIK, phone and
e-mail only to the handlers of the complaint and to the Ombudsman, and everywhere else (lists, exports, API, the
audit trail, public pages) shows a mask or nothing:

- ``mask_*``: what people who may not see the identity see (initials of a name, the last characters of nothing).
- ``fingerprint``: what the audit trail keeps instead of the value: a keyed hash (HMAC-SHA-256 with the site's
  SECRET_KEY, 12 hex digits), so the trail shows that a value changed without holding it.

NIK (Nomor Induk Kependudukan, 16 digits): its layout as Kemendagri issues it, recalled and not retrieved
(UNCERTAIN, so the check is lenient): digits 1-6 the region code of issue (province, regency, district), digits 7-12
the date of birth DDMMYY with 40 added to the day for women, digits 13-16 a serial number. ``check_nik`` refuses what
cannot be a NIK under that layout: not 16 digits, an unknown province code (rules.md section 10), a day outside
1-31 and 41-71, a month outside 1-12, serial 0000.

Tracking codes: 12 characters from ``TRACKING_ALPHABET`` (31 symbols without 0/O, 1/I/L, so they cannot be misread),
written in three groups of four: 31^12 is about 7.9 x 10^17 (59 bits), far beyond guessing at the public page's
rate limit. Only a SHA-256 hash of the code is stored, so the code is shown once, to the complainant.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from pantau.core.workdays import PROVINCE_ZONES

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits 2-9 and the letters A-Z without I, L and O (31 symbols)."""

TRACKING_LENGTH = 12
NIK_LENGTH = 16
MASK = "•••"

_NIK = re.compile(r"^[0-9]{16}$")
_PHONE_DIGITS = re.compile(r"^\+?[0-9]{8,15}$")


def new_tracking_code() -> str:
    """A fresh random tracking code "XXXX-XXXX-XXXX" (``secrets``, module docstring)."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return format_tracking_code(raw)


def normalise_tracking_code(text: str) -> str | None:
    """The 12 symbols of a typed code (case, spaces and dashes ignored; O read as 0 is impossible, so a typed O,
    I or L is simply refused); None when it cannot be a code."""
    raw = "".join(str(text).split()).replace("-", "").upper()
    if len(raw) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in raw):
        return None
    return raw


def format_tracking_code(raw: str) -> str:
    """"ABCD-EFGH-JKMN" from the 12 symbols."""
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def tracking_hash(code: str) -> str | None:
    """The stored form of a code: SHA-256 hex of its 12 symbols; None for text that is not a code."""
    raw = normalise_tracking_code(code)
    if raw is None:
        return None
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def check_nik(value: str) -> str:
    """The NIK as 16 digits (spaces and dots typed between groups are dropped); raises ValidationError naming the
    problem (module docstring for the layout, UNCERTAIN)."""
    digits = re.sub(r"[\s.]", "", str(value))
    if not _NIK.match(digits):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    if digits[:2] not in PROVINCE_ZONES:
        raise ValidationError(_("The first two digits of a NIK are a province code; %(code)s is none.")
                              % {"code": digits[:2]}, code="nik_province")
    day, month = int(digits[6:8]), int(digits[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        raise ValidationError(_("Digits 7 to 12 of a NIK are a date of birth (DDMMYY); %(part)s is not one.")
                              % {"part": digits[6:12]}, code="nik_date")
    if digits[12:] == "0000":
        raise ValidationError(_("The last four digits of a NIK are a serial number and are never 0000."),
                              code="nik_serial")
    return digits


def check_phone(value: str) -> str:
    """A phone number kept as typed digits with an optional leading "+" (spaces, dashes, dots and brackets
    dropped), 8-15 digits (ITU-T E.164 allows at most 15); raises ValidationError."""
    compact = re.sub(r"[\s\-().]", "", str(value))
    if not _PHONE_DIGITS.match(compact):
        raise ValidationError(_("A phone number has 8 to 15 digits, optionally after a +."), code="phone")
    return compact


def check_email(value: str) -> str:
    """The e-mail address stripped; raises ValidationError (Django's validator) when it is not one."""
    text = str(value).strip()
    validate_email(text)
    return text


def mask_name(name: str, *, confidential: bool = False) -> str:
    """The initials of each word ("Budi Santoso" -> "B••• S•••"), or only the mask when the complainant asked for
    confidentiality or there is no name."""
    words = str(name).split()
    if confidential or not words:
        return MASK
    return " ".join(f"{word[0].upper()}{MASK}" for word in words[:4])


def mask_value(value: str) -> str:
    """The mask for a NIK, phone number or e-mail address: nothing of it is shown; empty stays empty."""
    return MASK if value else ""


def fingerprint(value: str) -> str:
    """What the audit trail keeps for a protected value: "protected:<12 hex digits of HMAC-SHA-256>" (keyed with
    SECRET_KEY, so it cannot be reversed by trying every NIK); "" for an empty value."""
    if not value:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()
    return f"protected:{digest[:12]}"
