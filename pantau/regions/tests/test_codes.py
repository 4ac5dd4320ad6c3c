"""Kemendagri region codes (domain/rules.md section 6, test vectors T11-T12)."""

import pytest

from pantau.regions import codes


@pytest.mark.parametrize("code", ["15", "15.04", "15.04.03", "15.04.03.1001"])
def test_valid_codes(code):
    assert codes.validate_code(code) == code


@pytest.mark.parametrize(
    "code", ["", "1", "15.4", "15.04.3", "15.04.03.101", "15-04", "15.04.", "15.04.03.1001.1", "ab"]
)
def test_invalid_codes(code):
    with pytest.raises(codes.InvalidRegionCode):
        codes.validate_code(code)


def test_t11_a_kelurahan_in_a_regency():
    assert codes.kind_of("15.04.03.1001") == codes.KELURAHAN
    assert codes.kind_of("15.04") == codes.REGENCY
    assert codes.parent_of("15.04.03.1001") == "15.04.03"
    assert codes.level_of("15.04.03.1001") == 4


def test_t12_a_city():
    assert codes.kind_of("15.71") == codes.CITY


def test_desa_and_desa_adat():
    assert codes.kind_of("15.04.01.2006") == codes.DESA
    assert codes.kind_of("91.03.01.3001") == codes.DESA_ADAT


@pytest.mark.parametrize("code", ["15.00", "15.70", "15.04.01.0001", "15.04.01.5001"])
def test_numbers_outside_the_ranges_are_refused(code):
    with pytest.raises(codes.InvalidRegionCode):
        codes.kind_of(code)
