"""``pantau send_reminders [--dry-run] [--now ISO-DATETIME]``: the daily reminder job, for cron or a systemd timer.

Runs every registered reminder rule (actions due in 14, 7 and 1 days, overdue, escalation, returned reports, reports
waiting for verification; later meetings and complaints), stores the notifications, sends the e-mails and the daily
digests (``notifications.jobs.send_reminders``). Safe to run more than once a day: nothing is made or sent twice.
``--now`` fixes the clock (with an offset, e.g. ``2024-08-15T06:00+07:00``; without one, Asia/Jakarta).
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.notifications.jobs import send_reminders


def parse_now(value: str) -> dt.datetime:
    """An ISO 8601 date-time; a naive one is read in ``settings.TIME_ZONE``. CommandError when malformed."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now must be an ISO date-time such as 2024-08-15T06:00+07:00, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


class Command(BaseCommand):
    """Send the day's reminders and digests."""

    help = "Make the day's reminders (in each unit's time zone), send e-mails and daily digests. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        """--dry-run, --now ISO-DATETIME."""
        parser.add_argument("--dry-run", action="store_true", help="report what would be sent; write nothing")
        parser.add_argument("--now", help="run as if at this ISO date-time (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the job and print what it did (in a dry run, also each notification it would make)."""
        now = parse_now(options["now"]) if options.get("now") else None
        summary = send_reminders(now=now, dry_run=options["dry_run"])
        if summary.dry_run:
            for n in summary.created:
                self.stdout.write(f"{n.day} user={n.recipient_id} {n.kind} [{n.channel}] {n.subject}")
        for name, count in summary.drafted.items():
            self.stdout.write(f"rule {name}: {count} drafted")
        prefix = "DRY RUN: " if summary.dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + summary.line()))
