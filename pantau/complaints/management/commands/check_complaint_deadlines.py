"""``pantau check_complaint_deadlines``: the scheduled work of complaint deadlines (cron or a systemd timer, daily).

- Escalates to the regional coordinator every complaint nobody picked up by its pick-up due date
  (``actions.escalate_unpicked``: a timeline line, an audit entry, a mail to each coordinator with an address).
- Withdraws every complaint whose file the complainant did not complete within the window
  (``actions.lapse_incomplete``; UU 25/2009, provisional).

Each office's today is its own zone's date (rules.md section 10). The system is the actor of both (audited as
"system"). Prints one line per complaint and the totals; idempotent (a complaint is escalated once per routing).
"""

from typing import Any

from django.core.management.base import BaseCommand

from pantau.audit.middleware import new_request_id
from pantau.complaints import actions


class Command(BaseCommand):
    """Escalate complaints not picked up and withdraw files not completed in time."""

    help = "Escalate complaints nobody picked up in time and withdraw complaints whose file was not completed."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run both steps and print what changed."""
        new_request_id()
        escalated = actions.escalate_unpicked()
        for complaint in escalated:
            self.stdout.write(f"escalated {complaint.reference} ({complaint.unit.name})")
        lapsed = actions.lapse_incomplete()
        for complaint in lapsed:
            self.stdout.write(f"withdrawn {complaint.reference}: file not completed")
        self.stdout.write(f"{len(escalated)} escalated, {len(lapsed)} withdrawn.")
