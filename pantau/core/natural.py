"""Natural ordering of codes: "F2" before "F10", "1.2" before "1.10" (what people expect of numbered codes)."""

import re
from typing import Any

_PARTS = re.compile(r"(\d+)")


def natural_key(text: Any) -> tuple[tuple[int, int | str], ...]:
    """A sort key reading each run of digits as a number: ``sorted(["F10", "F2", "F1"], key=natural_key)`` gives
    F1, F2, F10; text compares case-insensitively; ``None`` sorts as the empty string."""
    parts = _PARTS.split("" if text is None else str(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p != "")
