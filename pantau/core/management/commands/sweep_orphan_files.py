"""``pantau sweep_orphan_files [--delete] [--older-than MINUTES]``: files under MEDIA_ROOT that no row references.

Evidence files are written only when their transaction commits (``workplans.actions``), so a rolled-back or killed
request no longer leaves a file behind; this command removes what such requests left before that rule, and anything
else no row points at (issue 10). A dry run by default: it lists the orphans and their total size. ``--delete``
removes them. Files younger than ``--older-than`` minutes (default 60) are left alone, so a file written by a
request still in flight is never taken. Every FileField of every installed model counts as a reference (read from
the app registry, so new apps are covered without a change here).
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils import timezone


def referenced_names() -> set[str]:
    """Every file name stored in a FileField of any installed model (names relative to MEDIA_ROOT)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(name for name in rows.values_list(field.name, flat=True).iterator() if name)
    return names


def orphans(root: Path, referenced: Iterable[str], *, older_than: dt.timedelta, now: dt.datetime) -> Iterator[Path]:
    """Files under ``root`` whose name relative to it is not in ``referenced`` and whose last change is older than
    ``older_than`` at ``now`` (aware)."""
    known = set(referenced)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.relative_to(root).as_posix() in known:
            continue
        changed = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if now - changed >= older_than:
            yield path


class Command(BaseCommand):
    """List (default) or delete the files under MEDIA_ROOT that no row references."""

    help = "List the files under MEDIA_ROOT that no row references; --delete removes them."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--delete`` and ``--older-than MINUTES``."""
        parser.add_argument("--delete", action="store_true", help="remove the orphan files (default: list only)")
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES",
                            help="only files last changed at least this many minutes ago (default 60)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Walk MEDIA_ROOT, compare with the stored names, report (and delete with ``--delete``)."""
        root = Path(settings.MEDIA_ROOT)
        found = list(orphans(root, referenced_names(), older_than=dt.timedelta(minutes=options["older_than"]),
                             now=timezone.now()))
        total = 0
        for path in found:
            size = path.stat().st_size
            total += size
            if options["delete"]:
                path.unlink()
            self.stdout.write(f"{'deleted' if options['delete'] else 'orphan'}: {path.relative_to(root)} ({size} B)")
        verb = "deleted" if options["delete"] else "found (dry run; --delete removes them)"
        self.stdout.write(f"{len(found)} orphan file(s), {total} bytes, {verb}.")
