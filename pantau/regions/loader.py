"""Bulk, idempotent import of Kemendagri regions from the CSV layout ``code,name,level,parent_code``.

Source file: data/wilayah/wilayah.csv (cahyadsn/wilayah, Kepmendagri 300.2.2-2430/2025; see data/README.md).
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from pantau.regions import codes


@dataclass(frozen=True)
class RegionRow:
    """One parsed row: code, name, level (1-4), parent code (None for a province), kind."""

    code: str
    name: str
    level: int
    parent_code: str | None
    kind: str


class RegionFileError(ValueError):
    """Raised with every bad row (row number, column, reason) when a regions file is invalid."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_regions(lines: Iterable[str]) -> list[RegionRow]:
    """Parse and check a regions CSV; returns the rows sorted parents-first.

    Checks per row: the code is valid (rules.md section 6), the level equals the number of code parts, the parent
    code is the code without its last part and is present in the file. Raises RegionFileError listing every bad row.
    """
    reader = csv.DictReader(lines)
    expected = ["code", "name", "level", "parent_code"]
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != expected:
        raise RegionFileError([f"header must be {','.join(expected)}, got {reader.fieldnames}"])
    rows: list[RegionRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        code = (raw.get("code") or "").strip()
        try:
            kind = codes.kind_of(code)
        except codes.InvalidRegionCode as exc:
            errors.append(f"row {number}, column code: {exc}")
            continue
        level = codes.level_of(code)
        if (raw.get("level") or "").strip() != str(level):
            errors.append(f"row {number}, column level: {raw.get('level')!r} but code {code} is level {level}")
            continue
        parent = codes.parent_of(code)
        if (raw.get("parent_code") or "").strip() != (parent or ""):
            errors.append(f"row {number}, column parent_code: expected {parent or 'empty'}")
            continue
        name = (raw.get("name") or "").strip()
        if not name:
            errors.append(f"row {number}, column name: empty")
            continue
        if code in seen:
            errors.append(f"row {number}, column code: duplicate {code}")
            continue
        seen.add(code)
        rows.append(RegionRow(code, name, level, parent, kind))
    for row in rows:
        if row.parent_code and row.parent_code not in seen:
            errors.append(f"code {row.code}: parent {row.parent_code} is not in the file")
    if errors:
        raise RegionFileError(errors)
    rows.sort(key=lambda r: (r.level, r.code))
    return rows


