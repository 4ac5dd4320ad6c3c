"""``pantau import_assessment_scores FILE --edition CODE --kind KIND --date YYYY-MM-DD --user USERNAME
[--year YEAR] [--title TEXT]``: record one assessment round per unit from an Excel file of scores (the layout of the
template on /assessment-rounds/import/), all or nothing, through ``assessments.actions.import_scores``.

On any bad row nothing is written, every error is printed with its row number and column, and the command exits
non-zero. The rounds are recorded as ``--user`` (who needs the permission of ``rounds.RECORD_PERMISSION`` on each
unit: the regional coordinator for self-assessments, the Ombudsman for pre-evaluations and official rounds).
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pantau.assessments.actions import import_scores
from pantau.assessments.models import MethodEdition, RoundKind
from pantau.audit.middleware import new_request_id


class Command(BaseCommand):
    """Import assessment scores (XLSX), one round per unit, all or nothing."""

    help = "Record assessment rounds from an Excel file of scores per unit (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE, --edition, --kind, --date, --user, --year, --title."""
        parser.add_argument("file", help="XLSX file with the columns unit, dimension, indicator_code, "
                                         "indicator_name, score")
        parser.add_argument("--edition", required=True, help="method edition code, e.g. ombudsman-2022")
        parser.add_argument("--kind", required=True, choices=RoundKind.values)
        parser.add_argument("--date", required=True, help="assessment date YYYY-MM-DD")
        parser.add_argument("--user", required=True, help="username to act as")
        parser.add_argument("--year", type=int, help="assessment year (default: the year of --date)")
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the import and print the rounds or every error."""
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": path})
        edition = MethodEdition.objects.filter(code=options["edition"]).first()
        if edition is None:
            raise CommandError(_("Unknown method edition: %(code)s") % {"code": options["edition"]})
        try:
            assessed_on = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": options["date"]}) from None
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown or inactive user: %(user)s") % {"user": options["user"]})
        new_request_id()
        try:
            result = import_scores(
                actor=user, edition=edition, kind=options["kind"], assessed_on=assessed_on, year=options["year"],
                title=options["title"], file=path.read_bytes(), file_name=path.name,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)d problems.") % {"count": len(result.errors)})
        for r in result.rounds:
            self.stdout.write(f"{r.unit}: {r.total} {r.computed_band} {r.computed_zone}")
        self.stdout.write(result.summary())
        if result.source:
            self.stdout.write(result.source)
