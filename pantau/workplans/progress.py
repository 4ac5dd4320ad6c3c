"""Indicator progress, weighted roll-up and the derived status of an action: pure functions over plain data.

Sources: DESIGN.md "Rules of computation" (progress = (actual - baseline) / (target - baseline) clipped to 0..100 %,
roll-ups weighted by action weight, equal when unset); the Ombudsman's demand that improvement be measurable and
verified (domain/rules.md section 7; founding article). Percentages are Decimals on 0..100 with two decimals,
rounded half-up at the end of each computation (never in between).

Roll-ups say what they count (docs/status.md): a child without a report counts as 0 % with its full weight, and
every roll-up carries its ``Coverage`` (how many of its children reported). Sibling weights are all set or all
unset (``effective_weights``).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

AT_RISK_LAG_POINTS = Decimal(25)
"""An action is at risk when the share of its time elapsed exceeds its reported progress by more than this many
percentage points. No regulation sets this value; 25 points is Pantau's choice: one quarter of the schedule is the
lag at which a mentor should step in, and it keeps a freshly started action (a few days in, nothing reported) on
track rather than alarming."""


class Status:
    """Derived action status codes (see ``derive_status``)."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"
    VERIFIED = "verified"
    CANCELLED = "cancelled"

    ALL = (NOT_STARTED, ON_TRACK, AT_RISK, OVERDUE, DONE, VERIFIED, CANCELLED)


def quantize(value: Decimal) -> Decimal:
    """Round a percentage to two decimals, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def indicator_progress(baseline: Decimal, target: Decimal, actual: Decimal | None) -> Decimal:
    """Progress of an indicator in percent 0..100: (actual - baseline) / (target - baseline), clipped.

    Works for falling indicators too (baseline 30 days, target 14 days: actual 22 gives 50.00). ``actual`` None
    (nothing reported) gives 0. Raises ValueError when target equals baseline (nothing to measure).
    """
    if target == baseline:
        raise ValueError("target equals baseline: the indicator measures no change")
    if actual is None:
        return Decimal("0.00")
    share = (Decimal(actual) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline)) * HUNDRED
    return quantize(min(max(share, Decimal(0)), HUNDRED))


class WeightError(ValueError):
    """Weights that cannot weigh a roll-up: a negative or zero weight, or a zero total."""


def weights_mixed(weights: Sequence[Decimal | None]) -> bool:
    """True when some of ``weights`` are set and some are not: the mix the write path refuses (docs/status.md)."""
    return any(w is None for w in weights) and any(w is not None for w in weights)


def effective_weights(weights: Sequence[Decimal | None]) -> list[Decimal]:
    """The weights a roll-up uses: the siblings' own weights when ALL are set, equal weights (1 each) otherwise.

    The rule (docs/status.md; DESIGN.md "roll-ups weighted by action weight, equal when unset"): sibling weights are
    set on all siblings or on none. A mix is refused when saved (``workplans.actions``, naming the action without
    weight); a mix left from before that rule counts every sibling equally, never an invented weight. Only the
    ratios matter, so multiplying every weight by the same number changes nothing. Raises WeightError for a
    weight of zero or less (each weight is at least 0.01, ``Action.weight``), so a total is never zero.
    """
    known = [Decimal(w) for w in weights if w is not None]
    if any(w <= 0 for w in known):
        raise WeightError("weights must be positive")
    if len(known) != len(weights):
        return [Decimal(1)] * len(weights)
    return known


def rollup(items: Sequence[tuple[Decimal | None, Decimal]]) -> Decimal:
    """Weighted mean of (weight, progress %) pairs, in percent 0..100 (``effective_weights``); 0 for no items.

    An item without a report comes in with progress 0 and its full weight: the roll-up does not skip what was
    not reported, and ``Coverage`` says how many items reported (docs/status.md)."""
    if not items:
        return Decimal("0.00")
    weights = effective_weights([w for w, _ in items])
    total = sum(weights, Decimal(0))
    if total <= 0:
        raise WeightError("the total weight must be positive")
    weighted = sum((w * Decimal(p) for w, (_, p) in zip(weights, items, strict=True)), Decimal(0))
    return quantize(weighted / total)


@dataclass(frozen=True)
class Coverage:
    """What a roll-up counts: ``reported`` of its ``total`` items have reported progress ("3 dari 4 melapor")."""

    reported: int
    total: int

    @property
    def complete(self) -> bool:
        """True when every item reported."""
        return self.reported == self.total

    def __add__(self, other: "Coverage") -> "Coverage":
        return Coverage(self.reported + other.reported, self.total + other.total)


def elapsed_share(start: dt.date, due: dt.date, today: dt.date) -> Decimal:
    """Share of the schedule elapsed on ``today``, in percent 0..100 (calendar days; due day counts as the end)."""
    if today <= start:
        return Decimal(0)
    if today >= due or due <= start:
        return HUNDRED
    return Decimal((today - start).days) / Decimal((due - start).days) * HUNDRED


@dataclass(frozen=True)
class StatusInput:
    """What the status rule reads: dates, cancellation, reported and verified progress (percent 0..100)."""

    today: dt.date
    start: dt.date
    due: dt.date
    cancelled: bool
    reported_progress: Decimal
    verified_progress: Decimal
    has_reports: bool


def derive_status(s: StatusInput) -> str:
    """The status of an action, derived (never typed), first rule that applies:

    1. cancelled: the action was cancelled (it leaves roll-ups).
    2. verified: the Ombudsman-accepted progress reached 100 % (target met and verified).
    3. done: the reported progress reached 100 % but is not yet verified (awaiting the assistant).
    4. overdue: the due date has passed (today > due) without reaching 100 % reported.
    5. not started: today is before the start date, or nothing has been reported and the lag is still within
       ``AT_RISK_LAG_POINTS``.
    6. at risk: the share of time elapsed exceeds the reported progress by more than ``AT_RISK_LAG_POINTS``.
    7. on track: otherwise.

    Rationale: the government's own reports move "done", only the Ombudsman's acceptance moves "verified", so a
    claim and its verification stay distinguishable (the Ombudsman's demand for verified, measurable improvement,
    domain/rules.md section 7).
    """
    if s.cancelled:
        return Status.CANCELLED
    if s.verified_progress >= HUNDRED:
        return Status.VERIFIED
    if s.reported_progress >= HUNDRED:
        return Status.DONE
    if s.today > s.due:
        return Status.OVERDUE
    lag = elapsed_share(s.start, s.due, s.today) - s.reported_progress
    if s.today < s.start or (not s.has_reports and lag <= AT_RISK_LAG_POINTS):
        return Status.NOT_STARTED
    if lag > AT_RISK_LAG_POINTS:
        return Status.AT_RISK
    return Status.ON_TRACK


# ---------------------------------------------------------------------------------------------------------------
# Plausibility of a progress report (what needs the reporter's explicit confirmation)

PERCENT_UNIT_WORDS = frozenset({"%", "percent", "per cent", "percentage", "persen", "persentase", "prosen"})
"""Indicator units read as percentages (0-100); a unit containing "%" counts too ("% of services")."""


def is_percent_unit(unit: str) -> bool:
    """True when the indicator's unit is a percentage: "%", "percent", "persen", "persentase", "% layanan"..."""
    text = " ".join(unit.casefold().split())
    return "%" in text or text in PERCENT_UNIT_WORDS or text.split(" ")[0] in PERCENT_UNIT_WORDS


@dataclass(frozen=True)
class UnusualValue:
    """One unusual value of a report: ``field`` ("actual_value", "amount_spent", "report_date") and ``code``
    ("far_from_range", "percent_range", "spent_without_budget", "before_start"); the write path words the message."""

    field: str
    code: str


def plausibility_warnings(
    *,
    baseline: Decimal,
    target: Decimal,
    unit: str,
    budget_planned: int,
    start: dt.date,
    report_date: dt.date,
    actual_value: Decimal,
    amount_spent: int,
) -> list[UnusualValue]:
    """The unusual values of a progress report, each needing an explicit confirmation (Pantau's rule; no
    regulation sets one, so the thresholds are deliberately wide and only catch slips such as "70,5" read as 705):

    - ``far_from_range``: the actual value lies beyond the target, or below (before) the baseline, by more than the
      whole baseline-to-target distance: outside [min - d, max + d] with d = |target - baseline| (baseline 25,
      target 100: anything below -50 or above 175).
    - ``percent_range``: the indicator's unit is a percentage (``is_percent_unit``) and the actual value is outside
      0-100.
    - ``spent_without_budget``: money is spent (``amount_spent`` > 0, IDR) on an action whose planned budget is 0.
    - ``before_start``: the report is dated before the action's start date.
    """
    warnings: list[UnusualValue] = []
    distance = abs(Decimal(target) - Decimal(baseline))
    low, high = min(baseline, target) - distance, max(baseline, target) + distance
    if not low <= actual_value <= high:
        warnings.append(UnusualValue("actual_value", "far_from_range"))
    if is_percent_unit(unit) and not Decimal(0) <= actual_value <= HUNDRED:
        warnings.append(UnusualValue("actual_value", "percent_range"))
    if amount_spent > 0 and budget_planned == 0:
        warnings.append(UnusualValue("amount_spent", "spent_without_budget"))
    if report_date < start:
        warnings.append(UnusualValue("report_date", "before_start"))
    return warnings


# ---------------------------------------------------------------------------------------------------------------
# Stored roll-ups (so statuses and dashboards can be computed in SQL)


@dataclass(frozen=True)
class TreeNode:
    """One action of a plan as ``tree_rollups`` reads it: ids, cancellation, weight, indicator and actuals."""

    pk: int
    parent_id: int | None
    cancelled: bool
    weight: Decimal | None
    baseline: Decimal
    target: Decimal
    actual_reported: Decimal | None
    actual_verified: Decimal | None


@dataclass(frozen=True)
class Rolled:
    """An action's rolled-up figures: reported and verified progress (percent 0..100, two decimals) and whether it
    reported (for a parent: at least one non-cancelled child reported), exactly as ``Action.progress`` and
    ``Action.has_reported`` compute them."""

    reported: Decimal
    verified: Decimal
    has_reported: bool


def tree_rollups(nodes: Sequence[TreeNode]) -> dict[int, Rolled]:
    """The rolled-up progress of every action of a plan, from its own indicator when it has no non-cancelled
    children, else the weighted roll-up (``rollup``) of those children (docs/status.md). Returns ``{pk: Rolled}``.
    Raises ValueError on a cycle."""
    children: dict[int | None, list[TreeNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    done: dict[int, Rolled] = {}

    def visit(node: TreeNode, depth: int) -> Rolled:
        if node.pk in done:
            return done[node.pk]
        if depth > len(nodes):
            raise ValueError("the actions form a cycle")
        active = [c for c in children.get(node.pk, []) if not c.cancelled]
        if active:
            rolled = [(c.weight, visit(c, depth + 1)) for c in active]
            result = Rolled(
                reported=rollup([(w, r.reported) for w, r in rolled]),
                verified=rollup([(w, r.verified) for w, r in rolled]),
                has_reported=any(r.has_reported for _, r in rolled),
            )
        else:
            for c in children.get(node.pk, []):
                visit(c, depth + 1)
            result = Rolled(
                reported=indicator_progress(node.baseline, node.target, node.actual_reported),
                verified=indicator_progress(node.baseline, node.target, node.actual_verified),
                has_reported=node.actual_reported is not None,
            )
        done[node.pk] = result
        return result

    for node in nodes:
        visit(node, 0)
    return done
