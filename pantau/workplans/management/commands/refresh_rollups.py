"""``pantau refresh_rollups``: recompute the stored roll-ups of every action (``Action.progress_reported``,
``progress_verified``, ``reported_any``) plan by plan, after data was loaded outside the write path (a bulk load,
a restore). Every write keeps them current (``workplans.actions.refresh_rollups``); statuses need no daily job:
their date-driven part is computed in SQL at each request (``workplans.statuses``)."""

from typing import Any

from django.core.management.base import BaseCommand

from pantau.workplans.actions import refresh_rollups
from pantau.workplans.models import Action


class Command(BaseCommand):
    """Recompute the stored roll-ups of every work plan; prints how many rows changed."""

    help = "Recompute the stored progress roll-ups of every action, plan by plan."

    def handle(self, *args: Any, **options: Any) -> None:
        """Two queries per plan (read, update of the changed rows)."""
        plan_ids = sorted(set(Action.objects.values_list("work_plan_id", flat=True)))
        changed = sum(refresh_rollups(pk) for pk in plan_ids)
        self.stdout.write(f"{len(plan_ids)} plans, {changed} actions changed")
