"""``pantau export_actions --work-plan ID --user USERNAME -o FILE``: write a work plan's actions to Excel.

Exports the actions ``--user`` may view, in the import template's columns plus read-only columns (status, progress,
realized budget); the file re-imports with ``import_actions``. ``--user`` is required so that the export is scoped
like the web page.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.workplans import xlsx
from pantau.workplans.management.commands.import_actions import find_user, find_work_plan


class Command(BaseCommand):
    """Export a work plan's actions to an XLSX file."""

    help = "Export a work plan's actions (those the user may view) to an Excel file (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        """--work-plan ID, --user USERNAME, -o/--output FILE (all required)."""
        parser.add_argument("--work-plan", type=int, required=True, dest="work_plan", help="work plan id")
        parser.add_argument("--user", required=True, help="username whose view scope the export follows")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the file; raises CommandError when the user may not view the plan or the file cannot be written."""
        user = find_user(options["user"])
        plan = find_work_plan(options["work_plan"])
        try:
            content = xlsx.export_actions(actor=user, work_plan=plan)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["output"])
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
