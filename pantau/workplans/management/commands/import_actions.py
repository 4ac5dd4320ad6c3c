"""``pantau import_actions FILE --work-plan ID --user USERNAME``: import a work plan's actions from Excel.

All or nothing: when any row is bad, nothing is written, every error is printed with its row and column, and the
command fails (CommandError, non-zero exit). ``--user`` is required: the import runs as that user, who needs
IMPORT_ACTIONS on the work plan's government (a superuser may import anywhere), and every action and the import
itself are audited under that name. There is no anonymous "system" import.

Files up to ``xlsx.MAX_BULK_ROWS`` rows are read (streamed); more than ``xlsx.BULK_FROM_ROWS`` new rows are written
through the bulk path (every row checked first, batched inserts, the same audit entries; issue 11).
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.agreements.models import Agreement
from pantau.audit.middleware import new_request_id
from pantau.workplans import xlsx


def find_user(username: str) -> Any:
    """The active user named ``username``; raises CommandError when there is none."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {username!r}.")
    return user


def find_work_plan(pk: int) -> Agreement:
    """The agreement with id ``pk``; raises CommandError when there is none."""
    plan = Agreement.objects.select_related("government").filter(pk=pk).first()
    if plan is None:
        raise CommandError(f"No work plan with id {pk}.")
    return plan


class Command(BaseCommand):
    """Import actions from an XLSX file into a work plan, all or nothing."""

    help = "Import a work plan's actions from an Excel file (.xlsx), all or nothing. See the template's Read me sheet."

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE, --work-plan ID, --user USERNAME (all required)."""
        parser.add_argument("file", help="the .xlsx file (same columns as the template and the export)")
        parser.add_argument("--work-plan", type=int, required=True, dest="work_plan", help="work plan id")
        parser.add_argument("--user", required=True, help="username to act as (needs IMPORT_ACTIONS)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the import; prints the counts, or raises CommandError listing every error."""
        new_request_id()
        user = find_user(options["user"])
        plan = find_work_plan(options["work_plan"])
        path = Path(options["file"])
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror}") from None
        with handle:
            try:
                result = xlsx.import_actions(actor=user, work_plan=plan, file=handle, file_name=path.name,
                                             max_rows=xlsx.MAX_BULK_ROWS)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
        if not result.ok:
            lines = [str(error) for error in result.errors]
            raise CommandError(
                f"{path.name}: nothing imported, {len(lines)} error(s):\n" + "\n".join(lines)
            )
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {result.summary()}"))
        if result.source:
            self.stdout.write(result.source)
