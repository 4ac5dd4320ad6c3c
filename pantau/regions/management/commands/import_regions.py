"""``pantau import_regions [PATH]``: load all Kemendagri regions (default data/wilayah/wilayah.csv)."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.regions.actions import import_regions
from pantau.regions.loader import RegionFileError


class Command(BaseCommand):
    """Bulk, idempotent region import; exits non-zero and imports nothing when any row is bad."""

    help = "Import Kemendagri regions from a CSV (code,name,level,parent_code)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Command-line arguments (see ``help``)."""
        parser.add_argument("path", nargs="?", default=str(settings.DATA_DIR / "wilayah" / "wilayah.csv"))

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the command (see the class docstring); raises CommandError on bad input."""
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"file not found: {path}")
        started = time.perf_counter()
        try:
            counts = import_regions(path)
        except RegionFileError as exc:
            raise CommandError("no region imported:\n" + "\n".join(exc.errors[:200])) from exc
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        self.stdout.write(
            f"{total} regions ({counts['level_1']} provinces, {counts['level_2']} regencies/cities, "
            f"{counts['level_3']} districts, {counts['level_4']} villages) in {elapsed:.1f} s"
        )
