"""Rolling IKM results up the government tree: unit -> agency (OPD) -> district (kecamatan) -> regency.

The rule (Pantau's choice; PermenPANRB 14/2017 defines the IKM of one unit and no aggregate):

    IKM(group) = sum_i (IKM_i x N_i) / sum_i N_i

over the periods i in the group's subtree, where IKM_i is the period's latest PUBLISHED IKM (2 decimals, of one weight
variant; a draft result never counts, DESIGN.md "Figures are drafts until published") and N_i its population
(service users). Only periods with a known population AND an adequate Krejcie & Morgan sample count; the rest
are listed but neither enter the value, nor get a grade colour, nor a rank. The value is exact (integer
arithmetic) and rounded once, half-up, to 2 decimals; its grade uses the same
bounds as a unit's IKM (rules.md table A).

Why population-weighted rather than response-weighted (pooling every response):
- Each unit is a stratum surveyed separately, and the Krejcie & Morgan sample grows far more slowly than the
  population (N = 300 -> 169 respondents; N = 100,000 -> 383). Pooling responses would weigh a district office with
  300 users almost half as much as a civil-registry office with 100,000. Weighting by N estimates what the group's
  service users as a whole experience, which is the question a regency or an Ombudsman office asks.
- It uses only published numbers (each unit's IKM and N), so a roll-up can be checked by hand from the units' own
  reports; pooling needs every raw response.
- A period below the minimum sample is excluded because its estimate does not have the precision the regulation
  asks for (margin 5 %, 95 % confidence); a period with unknown N can neither be weighted nor judged for adequacy.
The weight variants (exact 1/9, printed 0.11) differ by a factor 0.99 and are never mixed: a roll-up is computed
for one variant.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Cast, Round

from pantau.surveys import ikm
from pantau.surveys.ikm import Grade


@dataclass(frozen=True)
class RollupEntry:
    """One period's contribution: its latest ``ikm`` (None when not computed), ``population`` N (None when
    unknown), number of responses, and whether the sample was adequate (None when unknown)."""

    ikm: Decimal | None
    population: int | None
    n_responses: int = 0
    is_adequate: bool | None = None

    @property
    def counts(self) -> bool:
        """True when the period enters a roll-up: computed, N known, sample adequate."""
        return self.ikm is not None and bool(self.population) and self.is_adequate is True


@dataclass(frozen=True)
class RollupValue:
    """A group's population-weighted IKM (None when no period counts), its grade, the population and responses of
    the periods included, and how many periods were included and left out."""

    ikm: Decimal | None
    grade: Grade | None
    population: int
    responses: int
    included: int
    excluded: int


def rollup(entries: Iterable[RollupEntry]) -> RollupValue:
    """The population-weighted IKM of ``entries`` (rule in the module docstring).

    Hand check: IKM 80.00 with N = 1000 and 90.00 with N = 3000 give (80 x 1000 + 90 x 3000) / 4000 = 87.50, B;
    pooling the responses instead would give a different value whenever the sample sizes are not proportional to N.
    """
    numerator = 0  # sum of IKM in hundredths x N
    population = responses = included = excluded = 0
    for entry in entries:
        if not entry.counts:
            excluded += 1
            continue
        assert entry.ikm is not None and entry.population is not None
        hundredths = entry.ikm.scaleb(2)
        if hundredths != hundredths.to_integral_value():
            raise ValueError("a stored IKM has 2 decimals")
        numerator += int(hundredths) * entry.population
        population += entry.population
        responses += entry.n_responses
        included += 1
    if not included:
        return RollupValue(None, None, 0, 0, 0, excluded)
    value = ikm._round_ratio(numerator, 100 * population, 2)
    return RollupValue(value, ikm.grade(value), population, responses, included, excluded)


@dataclass
class RollupRow:
    """A child unit of the node shown, with the roll-up of its subtree and its rank (None: not ranked)."""

    unit: Any
    value: RollupValue
    rank: int | None = None


def rank_rows(rows: Sequence[RollupRow]) -> list[RollupRow]:
    """Rows with a value, best first, ranked 1, 2, 2, 4 ... (equal IKM, equal rank); then rows without a value,
    unranked, by name."""
    valued = sorted((r for r in rows if r.value.ikm is not None), key=lambda r: (-(r.value.ikm or 0), str(r.unit)))
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(valued, start=1):
        if row.value.ikm != previous:
            rank = position
            previous = row.value.ikm
        row.rank = rank
    rest = sorted((r for r in rows if r.value.ikm is None), key=lambda r: str(r.unit))
    return [*valued, *rest]


# ----------------------------------------------------------------------------------------------------------------
# Reading stored results (database)


@dataclass
class PeriodLine:
    """A period in the roll-up page: the period, its latest result of the variant (or None) and its entry."""

    period: Any
    result: Any
    entry: RollupEntry


@dataclass
class NodeRollup:
    """The roll-up page's data for one unit: its own value, its children's rows and every period counted."""

    unit: Any
    year: int
    weight: str
    value: RollupValue
    rows: list[RollupRow] = field(default_factory=list)
    periods: list[PeriodLine] = field(default_factory=list)


def period_lines(periods: Any, weight: str) -> list[PeriodLine]:
    """Each period with its latest PUBLISHED result of ``weight`` (two queries): a draft never enters a roll-up
    (DESIGN.md, "Figures are drafts until published")."""
    from django.db.models import Prefetch

    from pantau.surveys.models import IkmResult

    lines = []
    latest = IkmResult.objects.published().filter(weight_variant=weight).order_by("-computed_at", "-id")
    for period in periods.prefetch_related(Prefetch("results", queryset=latest, to_attr="variant_results")):
        result = period.variant_results[0] if period.variant_results else None
        entry = RollupEntry(
            ikm=result.ikm if result else None,
            population=result.population if result else period.population,
            n_responses=result.n_responses if result else 0,
            is_adequate=result.is_adequate if result else None,
        )
        lines.append(PeriodLine(period, result, entry))
    return lines


def node_rollup(*, periods: Any, unit: Any, year: int, weight: str = ikm.Weight.EXACT.value) -> NodeRollup:
    """The roll-up of ``unit``'s subtree for periods starting in ``year``: ``periods`` is the user's visible
    SurveyPeriod queryset (already scoped); children are ``unit``'s direct child units with any period."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scoped = periods.filter(unit__path__startswith=unit.path, start_date__range=(start, end)).select_related("unit")
    lines = period_lines(scoped.order_by("unit__path", "start_date", "id"), weight)
    node = NodeRollup(unit=unit, year=year, weight=weight, value=rollup(line.entry for line in lines), periods=lines)
    children = {child.path: child for child in unit.children.all()}
    grouped: dict[str, list[RollupEntry]] = {}
    for line in lines:
        for path in children:
            if line.period.unit.path.startswith(path):
                grouped.setdefault(path, []).append(line.entry)
                break
    node.rows = rank_rows([RollupRow(children[path], rollup(entries)) for path, entries in grouped.items()])
    return node


# ----------------------------------------------------------------------------------------------------------------
# Roll-ups above one government, in the database (issue 11): per province, or per government within a province


class RootId(models.Func):
    """The id of the top unit of a materialised ``Unit.path`` ("/12/34/" -> 12), on PostgreSQL and SQLite."""

    output_field = models.IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # PostgreSQL
        """``split_part`` of the path."""
        return super().as_sql(compiler, connection, template="CAST(split_part(%(expressions)s, '/', 2) AS INTEGER)",
                              **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """SQLite: the text between the first two slashes."""
        return super().as_sql(
            compiler, connection,
            template="CAST(substr(%(expressions)s, 2, instr(substr(%(expressions)s, 2), '/') - 1) AS INTEGER)",
            **extra,
        )


def grouped_rollup(*, periods: Any, year: int, weight: str, by: str) -> dict[Any, RollupValue]:
    """The population-weighted IKM (rule of ``rollup``, exact: integer hundredths x N summed in SQL, rounded once
    in Python) of the periods of ``periods`` (scoped) starting in ``year``, per group: ``by="province"`` groups by
    the period's province code, ``by="government"`` by the id of the top unit of the period's unit (the regency's
    or city's government). Each period counts with its latest PUBLISHED result of ``weight`` (a draft never counts);
    periods without one, with an unknown population or an inadequate sample are left out (``excluded``). Two
    queries, whatever the number of periods."""
    from pantau.surveys.models import IkmResult

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scoped = periods.filter(start_date__range=(start, end))
    period_key = F("province_code") if by == "province" else RootId("unit__path")
    result_key = F("period__province_code") if by == "province" else RootId("period__unit__path")
    newer = IkmResult.objects.published().filter(period_id=OuterRef("period_id"), weight_variant=weight).filter(
        Q(computed_at__gt=OuterRef("computed_at")) | Q(computed_at=OuterRef("computed_at"), id__gt=OuterRef("id")))
    latest = IkmResult.objects.published().filter(
        period_id__in=scoped.values("pk"), weight_variant=weight).filter(~Exists(newer))
    counts = Q(population__gt=0, is_adequate=True)
    sums = latest.order_by().annotate(group=result_key).values("group").annotate(
        numerator=Sum(Cast(Round(F("ikm") * 100), models.BigIntegerField()) * F("population"), filter=counts),
        users=Sum("population", filter=counts),
        answers=Sum("n_responses", filter=counts),
        included=Count("pk", filter=counts),
    )
    totals = {row["group"]: row["n"] for row in scoped.order_by().annotate(group=period_key).values("group").annotate(
        n=Count("pk"))}
    found = {row["group"]: row for row in sums}
    result = {}
    for group, n in totals.items():
        row = found.get(group)
        if not row or not row["included"]:
            result[group] = RollupValue(None, None, 0, 0, 0, n)
            continue
        value = ikm._round_ratio(int(row["numerator"]), 100 * int(row["users"]), 2)
        result[group] = RollupValue(value, ikm.grade(value), int(row["users"]), int(row["answers"] or 0),
                                    row["included"], n - row["included"])
    return result
