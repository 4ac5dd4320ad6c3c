"""The write path of regions: the bulk, idempotent load of the Kemendagri region file (DESIGN.md, regions).

Regions are reference data loaded by an operator (``pantau import_regions``) or the demo, not edited by users; the
load is all or nothing and leaves one audit entry (action ``import``) with the counts.
"""

from pathlib import Path
from typing import Any

from django.db import transaction

from pantau.audit.actions import record
from pantau.audit.models import AuditAction
from pantau.core.typed_input import search_key
from pantau.regions.loader import parse_regions
from pantau.regions.models import Region

BATCH = 5000

def import_regions(path: Path, *, actor: Any = None) -> dict[str, int]:
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
                    name_folded=search_key(r.name),
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
                    update_fields=["name", "name_folded", "level", "kind", "parent", "province_code"],
                )
        result = {f"level_{k}": v for k, v in counts.items()}
        record(actor=actor, action=AuditAction.IMPORT, obj=None, after=result,
               note=f"import_regions {path.name}: {sum(counts.values())} regions")
    return result
