"""``pantau render_report --work-plan ID --quarter 2024Q3 --user USERNAME -o FILE [--lang en]``: the quarterly
progress report of a work plan as PDF, scoped like the web page (the actions ``--user`` may view).

The same function as ``GET /work-plans/<id>/report.pdf`` (``reports.pdfs.render_work_plan_quarter``). Rendering a
regency's plan takes seconds; whole-province or national reports belong on the background task queue once Pantau has
one (DESIGN.md); until then cron or an operator runs this command.
"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.reports.pdfs import LANGUAGES, render_work_plan_quarter
from pantau.workplans.management.commands.import_actions import find_user
from pantau.workplans.quarters import Quarter


class Command(BaseCommand):
    """Render a work plan's quarterly progress report to a PDF file."""

    help = "Render a work plan's quarterly progress report (PDF), as the given user may see it."

    def add_arguments(self, parser: CommandParser) -> None:
        """--work-plan ID, --quarter 2024Q3, --user USERNAME, -o FILE (required); --lang id|en."""
        parser.add_argument("--work-plan", type=int, required=True, dest="work_plan", help="work plan id")
        parser.add_argument("--quarter", required=True, help="the quarter, e.g. 2024Q3")
        parser.add_argument("--user", required=True, help="username whose view scope the report follows")
        parser.add_argument("-o", "--output", required=True, help="the .pdf file to write")
        parser.add_argument("--lang", choices=LANGUAGES, default="id", help="language (default: id)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the file and print how long rendering took; CommandError for a bad quarter, a plan the user may
        not view, or a file that cannot be written."""
        user = find_user(options["user"])
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        plan = (
            Agreement.objects.for_user(user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
            .select_related("government", "government__region", "ombudsman_office").filter(pk=options["work_plan"])
            .first()
        )
        if plan is None:
            raise CommandError(f"No work plan {options['work_plan']} that {user.get_username()} may view.")
        started = time.perf_counter()
        content = render_work_plan_quarter(user=user, plan=plan, quarter=quarter, language=options["lang"])
        seconds = time.perf_counter() - started
        path = Path(options["output"])
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {path} ({len(content):,} bytes, {quarter}, rendered in {seconds:.2f} s)"))
