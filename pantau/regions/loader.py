"""Bulk, idempotent import of Kemendagri regions from the CSV layout ``code,name,level,parent_code``.

Source file: data/wilayah/wilayah.csv (cahyadsn/wilayah, Kepmendagri 300.2.2-2430/2025; see data/README.md).
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pantau.regions import codes
from pantau.regions.models import Region

BATCH = 5000


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


def import_regions(path: Path) -> dict[str, int]:
    """Insert or update every region of the file in bulk, in one transaction; returns counts per level.

    Idempotent: running it twice leaves the same rows (upsert on the code). Raises RegionFileError on a bad file,
    leaving the database unchanged.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = parse_regions(handle)
    counts = {1: 0, 2: 0, 3: 0, 4: 0}
    with transaction.atomic():
        for level in (1, 2, 3, 4):
            objs = [
                Region(
                    code=r.code,
                    name=r.name,
                    level=r.level,
                    kind=r.kind,
                    parent_id=r.parent_code,
                    province_code=r.code[:2],
                )
                for r in rows
                if r.level == level
            ]
            counts[level] = len(objs)
            for start in range(0, len(objs), BATCH):
                Region.objects.bulk_create(
                    objs[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=["name", "level", "kind", "parent", "province_code"],
                )
    return {f"level_{k}": v for k, v in counts.items()}
