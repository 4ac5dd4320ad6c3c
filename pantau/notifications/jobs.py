"""The reminder job: run every registered rule, store the notifications, send e-mails and digests.

``send_reminders`` is a plain function so that cron or a systemd timer (``pantau send_reminders``, docs/deploy.md)
and, later, a background worker run the same code. It is idempotent: a second run on the same day makes no
notification that the first made and sends nothing already sent. ``now`` is injectable (an aware datetime) so tests
and the command's ``--now`` fix the clock; each rule turns it into the local date of the unit concerned.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation

from pantau.accounts.scoping import grant_cache
from pantau.audit.actions import record
from pantau.audit.models import AuditAction
from pantau.notifications import mail, registry
from pantau.notifications.actions import notify_many
from pantau.notifications.models import Notification

logger = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What a run did (or, in a dry run, would do): ``drafted`` per rule name, the notifications ``created`` (unsaved
    in a dry run), and how many single ``emails`` and ``digests`` went out."""

    now: datetime
    dry_run: bool
    drafted: dict[str, int] = field(default_factory=dict)
    created: list[Notification] = field(default_factory=list)
    emails: int = 0
    digests: int = 0

    def line(self) -> str:
        """One translated line summarising the run."""
        return mail.summary_line(len(self.created), self.emails, self.digests)


def send_reminders(*, now: datetime | None = None, dry_run: bool = False) -> RunSummary:
    """Run the reminder job at ``now`` (default: the current time). A dry run writes and sends nothing and reports
    what it would do. Texts are written in Pantau's default language (``settings.LANGUAGE_CODE``). One audit entry
    per run that changed anything."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    summary = RunSummary(now=now, dry_run=dry_run)
    with grant_cache(), translation.override(settings.LANGUAGE_CODE):
        drafts = []
        for name, rule in registry.rules():
            found = list(rule(now))
            summary.drafted[name] = len(found)
            drafts.extend(found)
        summary.created = notify_many(drafts, dry_run=dry_run)
        summary.emails = mail.send_pending_emails(now=now, dry_run=dry_run, extra=summary.created)
        summary.digests = mail.send_digests(now=now, dry_run=dry_run, extra=summary.created)
        if not dry_run and (summary.created or summary.emails or summary.digests):
            record(actor=None, action=AuditAction.CREATE, obj=None,
                   note=f"send_reminders at {now.isoformat()}: {summary.line()}")
    return summary
