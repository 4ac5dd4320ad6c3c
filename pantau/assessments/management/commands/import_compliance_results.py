"""``pantau import_compliance_results FILE [--format text|json] [--user USERNAME]``: store published Ombudsman
compliance results and report where the published zone/category differs from the band Pantau computes.

FILE has the layout of data/ombudsman/kepatuhan_jambi.csv. All or nothing: on any bad row nothing is written, every
error is printed with its row number, and the command exits non-zero. Without ``--user`` the import runs as the
system (the operator of the command); with it, the user needs the Ombudsman office of every province in the file.
"""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pantau.assessments.actions import import_results
from pantau.assessments.results import ImportReport, Status
from pantau.audit.middleware import new_request_id


def text_report(report: ImportReport, name: str) -> list[str]:
    """Human-readable lines: a summary, then every row that differs or cannot be compared."""
    lines = [
        _("%(file)s: %(rows)s results stored (%(changed)s created or changed); %(match)s reproduce their published "
          "band, %(mismatch)s differ, %(nc)s not comparable, %(ns)s without a score, %(np)s without a published band.")
        % {"file": name, "rows": len(report.rows), "changed": sum(r.changed for r in report.rows),
           "match": report.count(Status.MATCH), "mismatch": report.count(Status.MISMATCH),
           "nc": report.count(Status.NOT_COMPARABLE), "ns": report.count(Status.NO_SCORE),
           "np": report.count(Status.NOTHING_PUBLISHED)}
    ]
    for row in report.rows:
        published = "/".join(part for part in (row.published_category, row.published_zone) if part) or "-"
        if row.status == Status.MISMATCH:
            assert row.computed is not None
            lines.append(
                _("row %(row)s %(code)s %(year)s: score %(score)s published %(published)s, computed %(band)s/%(zone)s")
                % {"row": row.row, "code": row.entity_code, "year": row.year, "score": row.score,
                   "published": published, "band": row.computed.code, "zone": row.computed.zone}
            )
        elif row.status == Status.NOT_COMPARABLE:
            lines.append(
                _("row %(row)s %(code)s %(year)s: score %(score)s is not the 0-100 index (%(type)s); not comparable")
                % {"row": row.row, "code": row.entity_code, "year": row.year, "score": row.score,
                   "type": row.value_type}
            )
    return lines


class Command(BaseCommand):
    """Import published compliance results (CSV), all or nothing, and compare their bands."""

    help = "Import published Ombudsman compliance results (CSV) and report rows whose published band differs."

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE, --format text|json, --user USERNAME."""
        parser.add_argument("file", help="CSV (or .xlsx) with the columns of data/ombudsman/kepatuhan_jambi.csv")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--user", help="username to act as (needs the province's Ombudsman office)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the import; prints the report, or raises CommandError listing every error."""
        new_request_id()
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user named %(name)r.") % {"name": options["user"]})
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from None
        try:
            report = import_results(actor=actor, data=data, file_name=path.name)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            raise CommandError(
                _("%(file)s: nothing imported, %(count)s error(s):") % {"file": path.name, "count": len(report.errors)}
                + "\n" + "\n".join(str(error) for error in report.errors)
            )
        if options["output_format"] == "json":
            self.stdout.write(json.dumps([row.as_json() for row in report.rows], ensure_ascii=False, indent=1))
        else:
            self.stdout.write("\n".join(text_report(report, path.name)))
