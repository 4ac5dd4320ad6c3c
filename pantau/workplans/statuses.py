"""The derived status of an action as a SQL expression, so lists filter and dashboards count statuses in the
database instead of loading every action (issue 11).

The expression is ``progress.derive_status`` rule for rule (docs/status.md), over the stored roll-ups
(``Action.progress_reported``, ``progress_verified``, ``reported_any``; kept by every write,
``workplans.actions.refresh_rollups``) and the responsible unit's local date: the unit's own ``time_zone``, else its
province's zone (WIB, WITA, WIT; Keppres 41/1987, domain/rules.md section 10), else WIB. "Today" is computed in
Python for each of the three zones at the instant ``now`` and chosen per row with CASE, so no database time zone
support is needed.

The at-risk test "elapsed share - reported > 25 points" is written without division:
``10000 * (today - start) > (2500 + 100 * reported) * (due - start)``, all integers, which is exact (the Python rule's
division can only land on the 25-point boundary when the exact quotient does). Dates become integer day numbers
(``DayNumber``) on PostgreSQL and SQLite alike.
"""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast, Round

from pantau.core.workdays import PROVINCE_ZONES, WIB, WIT, WITA, local_date
from pantau.workplans.progress import AT_RISK_LAG_POINTS, HUNDRED, Status

EPOCH = dt.date(2000, 1, 1)


class DayNumber(models.Func):
    """A date as whole days since 2000-01-01 (integer), on PostgreSQL and SQLite."""

    output_field = models.IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """PostgreSQL: date minus date is a whole number of days."""
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '2000-01-01')", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """SQLite: the difference of Julian day numbers."""
        return self.as_sql(
            compiler, connection,
            template="CAST(julianday(%(expressions)s) - julianday('2000-01-01') AS INTEGER)", **extra,
        )

    def as_sql(self, compiler: Any, connection: Any, template: str | None = None, **extra: Any) -> Any:
        """Other databases: the PostgreSQL form (standard SQL date arithmetic)."""
        return super().as_sql(
            compiler, connection, template=template or "(%(expressions)s - DATE '2000-01-01')", **extra
        )


def day_number(day: dt.date) -> int:
    """``day`` as whole days since 2000-01-01 (the Python side of ``DayNumber``)."""
    return (day - EPOCH).days


def zone_of(unit: str = "responsible_unit") -> Case:
    """SQL: the IANA zone of the unit at ``unit`` (a lookup path): its own ``time_zone``, else its province's, else
    WIB (the rule of ``Unit.zone``)."""
    whens = [When(~Q(**{f"{unit}__time_zone": ""}), then=F(f"{unit}__time_zone"))]
    whens += [
        When(Q(**{f"{unit}__province_code__in": codes}), then=Value(zone)) for zone, codes in _codes_by_zone().items()
    ]
    return Case(*whens, default=Value(WIB), output_field=models.CharField())


def today_number(now: dt.datetime, unit: str = "responsible_unit") -> Case:
    """SQL: the unit's local date at the aware instant ``now``, as a day number (``DayNumber``)."""
    whens = [When(Q(**{f"{unit}__time_zone": z}), then=Value(day_number(local_date(now, z)))) for z in (WITA, WIT)]
    whens += [
        When(Q(**{f"{unit}__time_zone": ""}, **{f"{unit}__province_code__in": codes}),
             then=Value(day_number(local_date(now, z))))
        for z, codes in _codes_by_zone().items() if z != WIB
    ]
    return Case(*whens, default=Value(day_number(local_date(now, WIB))), output_field=models.IntegerField())


def _codes_by_zone() -> dict[str, list[str]]:
    by_zone: dict[str, list[str]] = {}
    for province, zone in PROVINCE_ZONES.items():
        by_zone.setdefault(zone, []).append(province)
    return by_zone


def status_expression(when: dt.datetime | dt.date) -> Case:
    """SQL: the derived status (``progress.Status`` codes) of each action at the aware instant ``when`` (each on
    its responsible unit's local date) or on the calendar date ``when``; ``derive_status`` rule for rule."""
    if isinstance(when, dt.datetime):
        today: Any = today_number(when)
    else:
        today = Value(day_number(when), output_field=models.IntegerField())
    start, due = DayNumber("start_date"), DayNumber("due_date")
    reported_cents = Cast(Round(F("progress_reported") * 100), models.IntegerField())
    lag_points = int(AT_RISK_LAG_POINTS * 100)  # 2500 hundredths of a point
    full = int(HUNDRED * 100)
    return Case(
        When(cancelled_on__isnull=False, then=Value(Status.CANCELLED)),
        When(progress_verified__gte=HUNDRED, then=Value(Status.VERIFIED)),
        When(progress_reported__gte=HUNDRED, then=Value(Status.DONE)),
        When(_gt(today, due), then=Value(Status.OVERDUE)),
        When(_lt(today, start) | (Q(reported_any=False) & ~_behind(today, start, due, reported_cents, lag_points,
                                                                    full)),
             then=Value(Status.NOT_STARTED)),
        When(_behind(today, start, due, reported_cents, lag_points, full), then=Value(Status.AT_RISK)),
        default=Value(Status.ON_TRACK),
        output_field=models.CharField(),
    )


def _cmp(op: str, left: Any, right: Any) -> Q:
    """A Q comparing two expressions (``op``: gt, lt, gte)."""
    from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan

    lookup = {"gt": GreaterThan, "lt": LessThan, "gte": GreaterThanOrEqual}[op]
    return Q(lookup(left, right))


def _gt(left: Any, right: Any) -> Q:
    return _cmp("gt", left, right)


def _lt(left: Any, right: Any) -> Q:
    return _cmp("lt", left, right)


def _behind(today: Any, start: Any, due: Any, reported_cents: Any, lag_points: int, full: int) -> Q:
    """SQL: the elapsed share exceeds the reported progress by more than the lag (``elapsed_share`` branches):
    nothing elapsed (today <= start): never; all elapsed (today >= due, or due <= start): reported < 75 %;
    otherwise 10000 * (today - start) > (2500 + reported cents) * (due - start)."""
    all_elapsed = _cmp("gte", today, due) | _cmp("gte", start, due)
    return _gt(today, start) & (
        (all_elapsed & _lt(reported_cents, Value(full - lag_points)))
        | (~all_elapsed & _gt((today - start) * Value(full),
                              (reported_cents + Value(lag_points)) * (due - start)))
    )


def with_status(queryset: Any, when: dt.datetime | dt.date, name: str = "sql_status") -> Any:
    """``queryset`` of actions annotated with ``name``: the derived status at ``when`` (``status_expression``)."""
    return queryset.annotate(**{name: status_expression(when)})
