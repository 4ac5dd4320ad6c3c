"""Kemendagri region codes: validation and classification (pure functions).

Source: Kepmendagri 300.2.2-2138/2025 (updated by 300.2.2-2430/2025); domain/rules.md section 6 and table G.
Format ``PP.KK.CC.DDDD``: KK 01-69 is a kabupaten (regency), 71-99 a kota (city); a village code starting with 1 is
a kelurahan, 2 a desa, 3 a desa adat (Wikidata P2588 note, rules.md section 6).
"""

import re

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

PROVINCE = "province"
REGENCY = "regency"
CITY = "city"
DISTRICT = "district"
KELURAHAN = "kelurahan"
DESA = "desa"
DESA_ADAT = "desa_adat"


class InvalidRegionCode(ValueError):
    """Raised for a code that does not match ``PP[.KK[.CC[.DDDD]]]`` or has an unknown kind digit."""


def validate_code(code: str) -> str:
    """Return ``code`` if it matches ``^\\d{2}(\\.\\d{2}(\\.\\d{2}(\\.\\d{4})?)?)?$``; raise InvalidRegionCode."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise InvalidRegionCode(f"invalid region code {code!r}: expected PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD")
    return code


def level_of(code: str) -> int:
    """Level 1 (province) .. 4 (village) of a valid code; raises InvalidRegionCode."""
    return validate_code(code).count(".") + 1


def parent_of(code: str) -> str | None:
    """The parent code (the code without its last part), None for a province; raises InvalidRegionCode."""
    validate_code(code)
    return code.rsplit(".", 1)[0] if "." in code else None


def kind_of(code: str) -> str:
    """Kind of region told by the code alone.

    Level 2: KK 01-69 regency, 71-99 city. Level 4: first digit 1 kelurahan, 2 desa, 3 desa adat.
    Raises InvalidRegionCode for a code outside those ranges (KK 00 or 70, village digit 0 or 4-9).
    """
    level = level_of(code)
    parts = code.split(".")
    if level == 1:
        return PROVINCE
    if level == 2:
        kk = int(parts[1])
        if 1 <= kk <= 69:
            return REGENCY
        if 71 <= kk <= 99:
            return CITY
        raise InvalidRegionCode(f"invalid regency/city number in {code!r}: 01-69 regency, 71-99 city")
    if level == 3:
        return DISTRICT
    first = parts[3][0]
    kinds = {"1": KELURAHAN, "2": DESA, "3": DESA_ADAT}
    if first not in kinds:
        raise InvalidRegionCode(f"invalid village code {code!r}: must start with 1 (kelurahan) or 2 (desa)")
    return kinds[first]
