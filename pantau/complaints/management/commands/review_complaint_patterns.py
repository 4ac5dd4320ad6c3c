"""``pantau review_complaint_patterns --government CODE --user USERNAME [--on YYYY-MM-DD]``: turn repeated
complaints into findings and close the findings whose complaints fell (``actions.review_patterns``: 3 complaints
about one service or standard component in 90 days, Pantau's choice, ``complaints.patterns``).

``--government`` is the Kemendagri code (15.04) or the id of a regional government; ``--on`` the last day of the
window (default: today in the government's zone). The run is audited under ``--user``, who needs HANDLE or
SUPERVISE_COMPLAINTS on the government. Exits non-zero with nothing written on a bad argument or a refusal.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.audit.middleware import new_request_id
from pantau.complaints import actions
from pantau.organizations.models import Unit, UnitKind


class Command(BaseCommand):
    """Record and close complaint findings of one regional government."""

    help = "Turn repeated complaints into findings and close those whose complaints fell."

    def add_arguments(self, parser: CommandParser) -> None:
        """--government, --user (required), --on."""
        parser.add_argument("--government", required=True, help="region code (15.04) or id of the government")
        parser.add_argument("--user", required=True, help="username the review runs as")
        parser.add_argument("--on", help="last day of the window, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the review and print the findings recorded and closed."""
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['user']!r}.")
        key = options["government"]
        governments = Unit.objects.filter(kind=UnitKind.REGIONAL_GOVERNMENT)
        government = (governments.filter(pk=int(key)).first() if key.isdigit()
                      else governments.filter(region_id=key).first())
        if government is None:
            raise CommandError(f"No regional government {key!r}.")
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else government.local_today()
        except ValueError:
            raise CommandError(f"--on must be YYYY-MM-DD, not {options['on']!r}.") from None
        new_request_id()
        try:
            review = actions.review_patterns(actor=user, government=government, on=on)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Window {review.start.isoformat()} .. {review.end.isoformat()}")
        for finding in review.recorded:
            self.stdout.write(f"open   {finding.title} ({finding.unit.name}): {finding.baseline}")
        for finding in review.closing.closed:
            self.stdout.write(f"closed {finding.title} ({finding.unit.name}): {finding.closing_value}")
        self.stdout.write(f"{len(review.recorded)} open, {len(review.closing.closed)} closed, "
                          f"{len(review.closing.credits)} credits.")
