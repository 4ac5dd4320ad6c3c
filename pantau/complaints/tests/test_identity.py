"""Checks, masks, fingerprints and tracking codes of complaints.identity (pure)."""

import re

import pytest
from django.core.exceptions import ValidationError

from pantau.complaints import identity


@pytest.mark.parametrize("value", ["1504014107880042", "1504 0141 0788 0042", "3171.0101.0190.0001"])
def test_a_nik_with_a_province_a_birth_date_and_a_serial_is_accepted(value):
    assert identity.check_nik(value) == re.sub(r"\D", "", value)


@pytest.mark.parametrize(("value", "code"), [
    ("150401410788004", "nik_length"),       # 15 digits
    ("15040141078800421", "nik_length"),     # 17 digits
    ("15040141078800A2", "nik_length"),
    ("9904014107880042", "nik_province"),    # 99 is no province code (rules.md section 10)
    ("1504013207880042", "nik_date"),        # day 32
    ("1504017207880042", "nik_date"),        # day 72 (a woman's day is 41-71)
    ("1504010113880042", "nik_date"),        # month 13
    ("1504014107880000", "nik_serial"),
])
def test_what_cannot_be_a_nik_is_refused_with_its_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        identity.check_nik(value)
    assert caught.value.code == code


def test_phone_numbers_keep_their_digits_and_a_leading_plus():
    assert identity.check_phone("0812-9988-7766") == "081299887766"
    assert identity.check_phone("+62 812 9988 7766") == "+6281299887766"
    for bad in ("12345", "0812x99887766", "+62 812 9988 7766 1234 5"):
        with pytest.raises(ValidationError):
            identity.check_phone(bad)


def test_masks_show_initials_only_and_nothing_when_confidential():
    assert identity.mask_name("Budi Santoso") == "B••• S•••"
    assert identity.mask_name("Budi Santoso", confidential=True) == "•••"
    assert identity.mask_value("081299887766") == "•••" and identity.mask_value("") == ""


def test_a_fingerprint_shows_a_change_without_the_value(settings):
    first = identity.fingerprint("1504014107880042")
    assert first.startswith("protected:") and len(first) == len("protected:") + 12
    assert "1504014107880042" not in first and identity.fingerprint("1504014107880043") != first
    assert identity.fingerprint("") == ""
    settings.SECRET_KEY = "another-key-for-this-test"
    assert identity.fingerprint("1504014107880042") != first  # keyed: not a plain hash anyone could recompute


def test_tracking_codes_are_long_random_and_typed_leniently():
    codes = {identity.new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    code = next(iter(codes))
    assert identity.tracking_hash(code.lower().replace("-", " ")) == identity.tracking_hash(code)
    assert identity.tracking_hash("ABCD-EFGH-JKMO") is None  # O is not in the alphabet
    assert identity.tracking_hash("short") is None
    # 31 symbols, 12 of them: more than 2^59 codes
    assert len(identity.TRACKING_ALPHABET) ** identity.TRACKING_LENGTH > 2**59
