"""Roll-ups and counts computed in the database (issue 11): the figures of ``workplans.summary`` without loading
every action, for the home page, dashboards and lists at any scale (one regency up to the whole country).

The rules are those of ``workplans.summary`` and ``workplans.progress`` (docs/status.md), read from the stored
roll-ups of each action (``Action.progress_reported``, ``progress_verified``, ``reported_any``; kept by every write,
``workplans.actions.refresh_rollups``) and the status expression of ``workplans.statuses``:

- the overall progress of a plan is the weighted mean of its top-level actions as the user sees them (visible,
  non-cancelled, parent unset or not visible), with their own weights when all of them are set and equal weights
  otherwise (``progress.effective_weights``), rounded half up to two decimals at the end (``progress.quantize``);
  the sums come from SQL (exact to 1/10000 of a point, the product of two two-decimal numbers) and the division and
  rounding are done in Python with the same Decimal rule as ``progress.rollup``;
- ``coverage`` counts the top-level actions that reported (``Action.has_reported``).

Units: progress in percent 0..100 (Decimal, two decimals), money in whole rupiah (int), counts int.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from pantau.accounts.models import Permission
from pantau.workplans import progress as rules
from pantau.workplans.models import Action
from pantau.workplans.statuses import DayNumber, today_number, with_status

SUM_FIELD = models.DecimalField(max_digits=30, decimal_places=4)
FOURTH = Decimal("0.0001")


def _exact(value: Any) -> Decimal:
    """A SQL sum as an exact Decimal (four decimals: sums of products of two two-decimal numbers)."""
    return Decimal(value or 0).quantize(FOURTH)


def visible_actions(user: Any, permission: str = Permission.VIEW) -> Any:
    """The actions ``user`` may see for ``permission`` (``accounts.scoping``), as a queryset (no query yet)."""
    return Action.objects.for_user(user, permission)


def top_level_actions(visible: Any) -> Any:
    """Among ``visible`` (a queryset of actions), the non-cancelled ones whose parent is unset or not in
    ``visible``: the roots of the user's view (``summary.top_level``)."""
    return visible.filter(cancelled_on__isnull=True).filter(
        Q(parent__isnull=True) | ~Q(parent_id__in=visible.values("pk"))
    )


def _weighted(row: dict[str, Any], prefix: str = "") -> tuple[Decimal, Decimal]:
    """Reported and verified roll-ups of one group's root sums (``progress.rollup`` on the stored progress)."""
    count = row[f"{prefix}roots"]
    if not count:
        return Decimal("0.00"), Decimal("0.00")
    if row[f"{prefix}unweighted"] == 0:  # every weight set: their own weights
        total = _exact(row[f"{prefix}weight_sum"])
        return (rules.quantize(_exact(row[f"{prefix}wr"]) / total),
                rules.quantize(_exact(row[f"{prefix}wv"]) / total))
    return (rules.quantize(_exact(row[f"{prefix}pr"]) / count),
            rules.quantize(_exact(row[f"{prefix}pv"]) / count))


def _root_sums(root: Q) -> dict[str, Any]:
    """The aggregates ``_weighted`` reads, over the rows matching ``root`` (the top-level actions)."""
    return {
        "roots": Count("pk", filter=root),
        "unweighted": Count("pk", filter=root & Q(weight__isnull=True)),
        "weight_sum": Sum("weight", filter=root, output_field=SUM_FIELD),
        "wr": Sum(F("weight") * F("progress_reported"), filter=root, output_field=SUM_FIELD),
        "wv": Sum(F("weight") * F("progress_verified"), filter=root, output_field=SUM_FIELD),
        "pr": Sum("progress_reported", filter=root, output_field=SUM_FIELD),
        "pv": Sum("progress_verified", filter=root, output_field=SUM_FIELD),
        "roots_reported": Count("pk", filter=root & Q(reported_any=True)),
    }


def plan_progress(user: Any, plan_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each plan of ``plan_ids``, what the home page shows, over the actions ``user`` may VIEW: ``progress``
    (as ``summary.overall_progress``: reported, verified, top_level, roots_reported, coverage), ``count`` (visible
    actions) and ``has_sample``. One query, whatever the number of actions."""
    visible = visible_actions(user).filter(work_plan_id__in=plan_ids)
    root = Q(cancelled_on__isnull=True) & (Q(parent__isnull=True) | ~Q(parent_id__in=visible.values("pk")))
    rows = {
        row["work_plan_id"]: row
        for row in visible.order_by().values("work_plan_id").annotate(
            count=Count("pk"), sample=Count("pk", filter=Q(is_sample=True)), **_root_sums(root))
    }
    result = {}
    for pk in plan_ids:
        row = rows.get(pk, {"roots": 0, "roots_reported": 0, "count": 0, "sample": 0})
        reported, verified = _weighted(row)
        covered = rules.Coverage(reported=row["roots_reported"], total=row["roots"])
        result[pk] = {
            "progress": {"reported": reported, "verified": verified, "top_level": row["roots"],
                         "roots_reported": covered.reported, "coverage": covered},
            "count": row["count"],
            "has_sample": bool(row["sample"]),
        }
    return result


def status_counts(actions: Any, now: dt.datetime | dt.date) -> dict[str, int]:
    """How many of ``actions`` (a queryset) have each derived status at ``now`` (``summary.status_counts``): every
    status present with 0 when none. One query."""
    counted = dict(
        with_status(actions.order_by(), now).values("sql_status").annotate(n=Count("pk")).values_list("sql_status", "n")
    )
    return {code: counted.get(code, 0) for code in rules.Status.ALL}


def by_province(user: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """Per province (the responsible unit's), over the actions ``user`` may VIEW: ``code``, ``count`` (actions),
    ``plans`` (work plans with a visible action), ``overdue``, ``at_risk`` (derived statuses at ``now``),
    ``planned`` (IDR, non-cancelled actions) and ``realized`` (IDR, all actions). One query, by province code."""
    overdue, at_risk = rules.Status.OVERDUE, rules.Status.AT_RISK
    rows = (
        with_status(visible_actions(user).order_by(), now)
        .values("province_code")
        .annotate(
            count=Count("pk"),
            plans=Count("work_plan_id", distinct=True),
            overdue=Count("pk", filter=Q(sql_status=overdue)),
            at_risk=Count("pk", filter=Q(sql_status=at_risk)),
            planned=Coalesce(Sum("budget_planned", filter=Q(cancelled_on__isnull=True)), 0),
            realized=Coalesce(Sum("budget_realized"), 0),
        )
        .order_by("province_code")
    )
    return [{"code": r["province_code"], **{k: v for k, v in r.items() if k != "province_code"}} for r in rows]


def open_actions(user: Any, permission: str, now: dt.datetime) -> Any:
    """The actions in ``user``'s scope for ``permission`` with work left at ``now`` (not cancelled, done or
    verified), annotated with ``sql_status`` and ``days_left`` (due date minus the unit's local today, in days;
    negative when overdue). No query yet."""
    return (
        with_status(Action.objects.for_user(user, permission).filter(cancelled_on__isnull=True), now)
        .exclude(sql_status__in=[rules.Status.DONE, rules.Status.VERIFIED, rules.Status.CANCELLED])
        .annotate(days_left=DayNumber("due_date") - today_number(now))
    )
