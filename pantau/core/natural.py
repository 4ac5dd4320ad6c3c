"""Natural ordering of codes: "F2" before "F10", "1.2" before "1.10" (what people expect of numbered codes)."""

import re
from typing import Any

_PARTS = re.compile(r"(\d+)")


def natural_key(text: Any) -> tuple[tuple[int, int | str], ...]:
    """A sort key reading each run of digits as a number: ``sorted(["F10", "F2", "F1"], key=natural_key)`` gives
    F1, F2, F10; text compares case-insensitively; ``None`` sorts as the empty string."""
    parts = _PARTS.split("" if text is None else str(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p != "")


SORT_KEY_LENGTH = 120  # room for a 20-character code whose every digit run is padded


def sort_key(text: Any) -> str:
    """A stored, indexable text key that orders like ``natural_key`` under a plain ``ORDER BY`` on SQLite and
    PostgreSQL: letters casefolded, each run of digits written as its length (two digits) then the digits without
    leading zeros, so "F2" -> "f012", "F10" -> "f0210", "F2.10" -> "f012.0210"; F1 < F2 < F2.1 < F2.10 < F5 < F10 <
    F45. Only letters, digits, "." and "-" are kept from the rest (collations that skip punctuation cannot reorder
    keys that differ only there). Returns at most ``SORT_KEY_LENGTH`` characters."""
    out = []
    for part in _PARTS.split("" if text is None else str(text)):
        if not part:
            continue
        if part.isdigit():
            digits = part.lstrip("0") or "0"
            out.append(f"{len(digits):02d}{digits}")
        else:
            out.append("".join(ch for ch in part.casefold() if ch.isalpha() or ch in ".-"))
    return "".join(out)[:SORT_KEY_LENGTH]
