"""Loading a work plan's actions as trees, and summarising them: the one loader and the one summary used by the
dashboard, the action list, the API and the exports.

Loading (``load_trees``, ``load_actions``, ``load_actions_by_plan``): every action of the plans concerned is read in
one query (responsible unit, its region and the plan joined in), and each action's ``children`` cache is filled from
that list, so ``Action.progress`` and ``Action.status_on`` run without further queries at any depth. A parent's
progress is the roll-up of all its non-cancelled children, visible to the reader or not, so a number means the same
to every reader; which actions a user sees is decided in Python by ``accounts.scoping`` (no query beyond the grants).
Cost: one query for the grants (once per request) and one for the actions, whatever the depth or the number.

Units: progress is a Decimal percentage on 0..100 with two decimals (``workplans.progress``); money is whole rupiah
(IDR, ``int``); counts are ``int``. Which actions count: the ones the user may VIEW. A "top-level" action is a
visible, non-cancelled action whose parent is unset or not visible to the user; the overall progress is the weighted
roll-up of those (``workplans.progress.rollup``: their own weights when all are set, equal otherwise). Every roll-up
says what it counts: ``roots`` (how many actions went into it) and ``roots_reported`` (how many of them reported,
``Action.has_reported``; one without a report counts as 0 %, docs/status.md), computed from the loaded trees with
no further query.

Time: statuses are derived at an instant ``now`` (aware; injectable for tests), each action on its responsible
unit's own local date (``Action.status_at``; WIB, WITA or WIT, domain/rules.md section 10).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from pantau.accounts.models import Permission
from pantau.accounts.scoping import scope
from pantau.core.natural import natural_key
from pantau.organizations.models import Unit
from pantau.regions.models import Region
from pantau.workplans import progress as rules
from pantau.workplans.models import STATUS_LABELS, Action


def _set_children(action: Action, children: list[Action]) -> None:
    """Fill ``action.children.all()`` from ``children`` (as Django's prefetch does), so it needs no query."""
    related = action.children.all()
    related._result_cache = children  # type: ignore[attr-defined]
    related._prefetch_done = True  # type: ignore[attr-defined]
    action._prefetched_objects_cache = {**getattr(action, "_prefetched_objects_cache", {}), "children": related}


def attach_trees(actions: Sequence[Action], everything: Sequence[Action]) -> None:
    """Set the ``children`` cache of every action in ``everything`` (all actions of their plans), reusing the
    instances of ``actions`` where they are the same rows; children in natural code order."""
    by_id = {a.pk: a for a in everything}
    by_id.update({a.pk: a for a in actions})
    children: dict[int, list[Action]] = defaultdict(list)
    for action in by_id.values():
        if action.parent_id is not None:
            children[action.parent_id].append(action)
    for pk, action in by_id.items():
        _set_children(action, sorted(children.get(pk, []), key=lambda a: natural_key(a.code)))


def load_trees(plan_ids: Iterable[int]) -> list[Action]:
    """Every action of the plans ``plan_ids`` (unscoped), with responsible unit, its region and the plan joined in,
    each action's ``children`` cache filled (``attach_trees``). One query."""
    everything = list(
        Action.objects.filter(work_plan_id__in=list(plan_ids))
        .select_related("responsible_unit", "responsible_unit__region", "work_plan", "parent")
    )
    attach_trees(everything, everything)
    return everything


def visible(user: Any, actions: Iterable[Action], permission: str = Permission.VIEW) -> list[Action]:
    """The actions whose responsible unit lies in ``user``'s scope for ``permission``, in natural code order
    (``Action.objects.for_user`` decided in Python, no query)."""
    allowed = scope(user, permission)
    return sorted(
        (a for a in actions if allowed.contains(a.responsible_unit)),
        key=lambda a: (a.work_plan_id, natural_key(a.code)),
    )


def load_actions(user: Any, work_plan: Any) -> list[Action]:
    """The actions of ``work_plan`` that ``user`` may VIEW, in natural code order, trees loaded (two queries at
    most: the grants and the actions)."""
    return visible(user, load_trees([work_plan.pk]))


def load_actions_by_plan(user: Any, plan_ids: Iterable[int]) -> dict[int, list[Action]]:
    """Visible actions of several work plans in one pass: ``{work_plan_id: [Action, ...]}`` (every id present)."""
    ids = list(plan_ids)
    result: dict[int, list[Action]] = {pk: [] for pk in ids}
    for action in visible(user, load_trees(ids)):
        result[action.work_plan_id].append(action)
    return result


def with_trees(actions: Sequence[Action]) -> Sequence[Action]:
    """Fill the ``children`` caches of ``actions`` (a page of an API list, for example) from one query over every
    action of their plans; returns ``actions``."""
    if actions:
        everything = list(
            Action.objects.filter(work_plan_id__in={a.work_plan_id for a in actions}).select_related(
                "responsible_unit")
        )
        attach_trees(actions, everything)
    return actions


def top_level(actions: Sequence[Action]) -> list[Action]:
    """Non-cancelled actions whose parent is unset or not among ``actions`` (the roots of the user's view)."""
    ids = {a.pk for a in actions}
    return [a for a in actions if a.cancelled_on is None and (a.parent_id is None or a.parent_id not in ids)]


def _rollup(actions: Sequence[Action], *, verified: bool) -> Decimal:
    """Weighted roll-up (percent) of ``actions``' progress, using each action's own weight."""
    return rules.rollup([(a.weight, a.progress(verified=verified)) for a in actions])


def coverage(actions: Sequence[Action]) -> rules.Coverage:
    """How many of ``actions`` reported progress (``Action.has_reported``) out of how many."""
    return rules.Coverage(reported=sum(1 for a in actions if a.has_reported()), total=len(actions))


def overall_progress(actions: Sequence[Action]) -> dict[str, Any]:
    """Overall progress of a work plan as seen by the user.

    Returns ``{"reported": Decimal %, "verified": Decimal %, "top_level": int, "roots_reported": int,
    "coverage": Coverage}``: the weighted roll-up of the top-level actions' reported and verified progress, how many
    top-level actions went into it and how many of them reported.
    """
    roots = top_level(actions)
    covered = coverage(roots)
    return {
        "reported": _rollup(roots, verified=False),
        "verified": _rollup(roots, verified=True),
        "top_level": len(roots),
        "roots_reported": covered.reported,
        "coverage": covered,
    }


def status_counts(actions: Sequence[Action], now: dt.datetime | dt.date) -> list[dict[str, Any]]:
    """How many actions have each derived status at the instant ``now``, for all seven statuses in their fixed
    order; each action on its responsible unit's local date (``Action.status_at``). A plain date instead of an
    instant takes every status on that calendar date (a report as of a quarter's end).

    Every visible action counts once (parents and sub-actions alike, as in the action list). Returns
    ``[{"code": str, "label": lazy str, "count": int}, ...]``.
    """
    counts = dict.fromkeys(rules.Status.ALL, 0)
    for action in actions:
        counts[action.status_as_of(now)] += 1
    return [{"code": code, "label": STATUS_LABELS[code], "count": counts[code]} for code in rules.Status.ALL]


def budget_totals(actions: Sequence[Action]) -> dict[str, Any]:
    """Planned and realized budget in whole rupiah.

    ``planned``: sum of ``budget_planned`` of non-cancelled actions. ``realized``: sum of ``budget_realized``
    (money in accepted reports) of all actions, cancelled ones included, since money spent stays spent.
    ``share``: realized / planned in percent (Decimal, two decimals, not clipped) or None when nothing is planned.
    Returns ``{"planned": int, "realized": int, "share": Decimal | None}``.
    """
    planned = sum(int(a.budget_planned or 0) for a in actions if a.cancelled_on is None)
    realized = sum(int(a.budget_realized or 0) for a in actions)
    share = rules.quantize(Decimal(realized) * rules.HUNDRED / Decimal(planned)) if planned else None
    return {"planned": planned, "realized": realized, "share": share}


def overdue(actions: Sequence[Action], now: dt.datetime | dt.date) -> list[Action]:
    """Actions overdue at ``now`` (due date passed on the responsible unit's local date, reported progress below
    100 %; a plain date: on that date), earliest due first."""
    late = [a for a in actions if a.status_as_of(now) == rules.Status.OVERDUE]
    return sorted(late, key=lambda a: (a.due_date, a.sort_key))


def agency_id_of(unit: Unit, government: Unit) -> int | None:
    """The id of the agency holding ``unit``: the ancestor-or-self that is a direct child of ``government``.

    Read from the materialised path (the same data ``Unit.ancestors`` reads) so no query is needed. Returns the
    government's own id for a unit that is the government itself, and None for a unit outside the government.
    """
    if not unit.path.startswith(government.path):
        return None
    rest = [p for p in unit.path[len(government.path):].split("/") if p]
    return int(rest[0]) if rest else government.pk


def district_code_of(unit: Unit) -> str | None:
    """The district (kecamatan) code holding ``unit``'s region: its first three parts; None above district level."""
    code = str(unit.region_id or "")
    parts = code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None


def group_rollup(actions: Sequence[Action], key: Callable[[Action], Hashable | None]) -> dict[Hashable, dict[str, Any]]:
    """Roll up non-cancelled actions per group given by ``key`` (actions whose key is None are left out).

    Within a group, an action counts in the roll-up unless its parent is in the same group (then the parent already
    carries it), so nothing is counted twice. Returns ``{group: {"count": int (non-cancelled actions in the group),
    "reported": Decimal %, "verified": Decimal %, "roots": int (actions the roll-up weighs), "roots_reported": int
    (of them, those that reported), "coverage": Coverage (the same two numbers), "planned": int IDR, "realized": int
    IDR}}``.
    """
    by_id = {a.pk: a for a in actions}
    members: dict[Hashable, list[Action]] = defaultdict(list)
    for action in actions:
        group = key(action)
        if group is not None and action.cancelled_on is None:
            members[group].append(action)
    result: dict[Hashable, dict[str, Any]] = {}
    for group, items in members.items():
        roots = [
            a for a in items
            if a.parent_id is None or a.parent_id not in by_id or key(by_id[a.parent_id]) != group
        ]
        covered = coverage(roots)
        result[group] = {
            "count": len(items),
            "reported": _rollup(roots, verified=False),
            "verified": _rollup(roots, verified=True),
            "roots": covered.total,
            "roots_reported": covered.reported,
            "coverage": covered,
            "planned": sum(int(a.budget_planned or 0) for a in items),
            "realized": sum(int(a.budget_realized or 0) for a in items),
        }
    return result


def rollup_by_agency(actions: Sequence[Action], government: Unit) -> list[dict[str, Any]]:
    """Roll-up per agency (the unit directly under ``government`` that holds the responsible unit), by name.

    One query for the agencies' names. Returns ``[{"unit": Unit, **group_rollup figures}, ...]``.
    """
    groups = group_rollup(actions, lambda a: agency_id_of(a.responsible_unit, government))
    units = Unit.objects.in_bulk([int(str(pk)) for pk in groups])
    rows = [{"unit": units[int(str(pk))], **figures} for pk, figures in groups.items() if int(str(pk)) in units]
    return sorted(rows, key=lambda r: r["unit"].name)


def rollup_by_district(actions: Sequence[Action]) -> list[dict[str, Any]]:
    """Roll-up per district for actions whose responsible unit lies in a district (region code of 3+ parts).

    One query for the districts' names. Returns ``[{"code": str, "region": Region | None, **figures}, ...]`` by code.
    """
    groups = group_rollup(actions, lambda a: district_code_of(a.responsible_unit))
    regions = Region.objects.in_bulk([str(c) for c in groups])
    return [{"code": code, "region": regions.get(str(code)), **groups[code]} for code in sorted(groups, key=str)]


def summarize(actions: Sequence[Action], government: Unit, now: dt.datetime | dt.date) -> dict[str, Any]:
    """Everything the work-plan dashboard shows, from one list of actions, at the instant ``now`` (aware; each
    action on its unit's local date) or on a calendar date (a report as of a quarter's end).

    Keys: ``progress`` (see ``overall_progress``), ``statuses`` (``status_counts``), ``budget``
    (``budget_totals``), ``overdue`` (list of Action), ``agencies`` (``rollup_by_agency``), ``districts``
    (``rollup_by_district``), ``has_sample`` (bool: some action is sample data), ``count`` (int).
    """
    return {
        "progress": overall_progress(actions),
        "statuses": status_counts(actions, now),
        "budget": budget_totals(actions),
        "overdue": overdue(actions, now),
        "agencies": rollup_by_agency(actions, government),
        "districts": rollup_by_district(actions),
        "has_sample": any(a.is_sample for a in actions),
        "count": len(actions),
    }
