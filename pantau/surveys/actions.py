"""The one write path for satisfaction surveys: permission check, validation, save in a transaction, audit.

Views, the API, importers and management commands call these keyword-only functions. Each raises
``django.core.exceptions.PermissionDenied`` when the actor lacks the permission on the period's unit and
``ValidationError`` on bad input; in both cases nothing is saved. Low elements become findings through the shared
mechanism ``findings.actions.record_finding`` (DESIGN.md, "The loop the product closes").
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.core.numbers import format_number
from pantau.core.spreadsheets import RowError
from pantau.findings.actions import close_findings, record_finding
from pantau.findings.models import Finding
from pantau.organizations.models import Unit
from pantau.surveys import ikm
from pantau.surveys.choices import ResponseSource
from pantau.surveys.files import read_responses
from pantau.surveys.models import IkmResult, Response, SurveyPeriod

MANAGE_SURVEYS = Permission.MANAGE_SURVEYS
"""Permission to create periods, import responses and compute results: Ombudsman admin, regional coordinator, and
the unit officer of the surveyed unit (every service unit runs its own SKM, PermenPANRB 14/2017)."""

FINDING_SOURCE = "survey"
BULK_BATCH = 2000


def _require(actor: Any, permission: str, unit: Unit | None) -> None:
    if not has_unit_permission(actor, permission, unit):
        raise PermissionDenied(_("You do not have permission for this unit."))


def finding_key(period: SurveyPeriod, code: str) -> str:
    """The source key of the finding about element ``code`` in ``period`` (``skm:<period id>:U3``)."""
    return f"skm:{period.pk}:{code}"


@transaction.atomic
def create_period(
    *,
    actor: Any,
    unit: Unit,
    start_date: dt.date,
    end_date: dt.date,
    service_name: str = "",
    population: int | None = None,
    public_form: bool = False,
    is_sample: bool = False,
    note: str = "",
) -> SurveyPeriod:
    """Create a survey period for ``unit``. Audited."""
    _require(actor, MANAGE_SURVEYS, unit)
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    if population is not None and population < 1:
        errors["population"] = [_("The number of service users is at least 1.")]
    if errors:
        raise ValidationError(errors)
    period = SurveyPeriod(
        unit=unit, start_date=start_date, end_date=end_date, service_name=service_name.strip()[:200],
        population=population, public_form=public_form, is_sample=is_sample, note=note,
    )
    period.full_clean()
    period.save()
    record(actor=actor, action=AuditAction.CREATE, obj=period, after=snapshot(period))
    return period


PERIOD_FIELDS = ("service_name", "start_date", "end_date", "population", "public_form", "note")
"""Fields ``update_period`` takes (the unit stays; ``is_sample`` is set only by the demo loader)."""


@transaction.atomic
def update_period(
    *, actor: Any, period: SurveyPeriod, data: dict[str, Any], expected_version: int | None = None,
) -> SurveyPeriod:
    """Change the fields of ``period`` given in ``data`` (keys of PERIOD_FIELDS). Requires MANAGE_SURVEYS on the
    period's unit. Refused (ValidationError): an end before the start, a population below 1; ``expected_version``:
    the version the user's form was read at (``core.concurrency.StaleVersion`` when stale). Audited."""
    _require(actor, MANAGE_SURVEYS, period.unit)
    before = snapshot(period)
    claim_version(period, expected_version)
    for key, value in data.items():
        if key in PERIOD_FIELDS:
            setattr(period, key, value.strip()[:200] if key == "service_name" else value)
    errors: dict[str, list[str]] = {}
    if period.end_date < period.start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    if period.population is not None and period.population < 1:
        errors["population"] = [_("The number of service users is at least 1.")]
    if errors:
        raise ValidationError(errors)
    period.full_clean()
    period.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=period, before=before, after=snapshot(period))
    return period


@transaction.atomic
def publish_result(*, actor: Any, result: IkmResult, now: dt.datetime | None = None) -> IkmResult:
    """Publish a computed IKM result: from now on viewers, dashboards and roll-ups see it (DESIGN.md, "Figures are
    drafts until published"). Requires PUBLISH_RESULTS (the Ombudsman's admin and assistants) on the period's unit,
    else PermissionDenied; refused (ValidationError) when already published. The row is locked first, so two
    publications at once end in one. Audited."""
    if not has_unit_permission(actor, Permission.PUBLISH_RESULTS, result.period.unit):
        raise PermissionDenied(_("Only the Ombudsman may publish survey results of this unit."))
    list(IkmResult.objects.select_for_update().filter(pk=result.pk).values_list("pk", flat=True))
    result.refresh_from_db(fields=["published_at", "published_by"])
    if result.published_at is not None:
        raise ValidationError({"published_at": [_("This result is already published.")]})
    before = snapshot(result)
    result.published_at = now or timezone.now()
    result.published_by = actor if getattr(actor, "is_authenticated", False) else None
    result.save(update_fields=["published_at", "published_by"])
    record(actor=actor, action=AuditAction.PUBLISH, obj=result, before=before, after=snapshot(result))
    return result


@dataclass
class ImportResult:
    """Outcome of ``import_responses``: every error (then nothing was saved) or the number of responses created."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    read: str = ""
    """Which sheet and rows were read ("Sheet “Jawaban”, rows 2 to 31 (30 rows read).")."""

    @property
    def ok(self) -> bool:
        """True when the file was valid and imported."""
        return not self.errors


def import_responses(
    *, actor: Any, period: SurveyPeriod, data: bytes, file_name: str,
    source: str = ResponseSource.PAPER_IMPORT,
) -> ImportResult:
    """Import a file of responses (XLSX or CSV, layout in ``surveys.files``) into ``period``, all or nothing.

    Every problem is returned with its row and column and nothing is saved; a questionnaire number already
    imported into the period is a duplicate too. On success the responses are created in one transaction with one
    audit entry for the import (responses are a bulk fact table; per-row entries would double it).
    Raises PermissionDenied before reading the file when ``actor`` may not manage the period's unit.
    """
    _require(actor, MANAGE_SURVEYS, period.unit)
    result = ImportResult(file_name=file_name)
    read = read_responses(data, file_name)
    result.errors, result.read = read.errors, read.source
    if read.errors:
        return result
    refs = {r.profile["respondent_ref"]: r.row for r in read.responses if r.profile["respondent_ref"]}
    existing = set(
        Response.objects.filter(period=period, respondent_ref__in=list(refs)).values_list("respondent_ref", flat=True)
    )
    for ref in sorted(existing, key=lambda r: refs[r]):
        result.errors.append(RowError(refs[ref], "respondent", _(
            "Respondent %(respondent)s was already imported into this period (duplicate row)."
        ) % {"respondent": ref}))
    if result.errors:
        return result
    now = timezone.now()
    objects = [
        Response(
            period=period, source=source, submitted_at=now, province_code=period.province_code,
            **{code.lower(): score for code, score in r.scores.items()}, **r.profile,
        )
        for r in read.responses
    ]
    with transaction.atomic():
        Response.objects.bulk_create(objects, batch_size=BULK_BATCH)
        record(actor=actor, action=AuditAction.IMPORT, obj=period,
               after={"file": file_name[:200], "responses": len(objects), "source": str(source)},
               note=_("%(count)d survey responses imported") % {"count": len(objects)})
    result.created = len(objects)
    return result


def period_totals(period: SurveyPeriod) -> tuple[dict[str, int], int]:
    """Element totals and the number of responses of ``period``, aggregated by the database."""
    aggregates = Response.objects.filter(period=period).aggregate(
        n=Count("id"), **{code: Sum(code.lower()) for code in ikm.ELEMENT_CODES}
    )
    n = aggregates.pop("n")
    return {code: int(aggregates[code] or 0) for code in ikm.ELEMENT_CODES}, n


def period_totals_many(periods: Any) -> dict[int, tuple[dict[str, int], int]]:
    """Element totals and response counts of many periods in one grouped query: {period id: (totals, n)}.

    ``periods`` is a SurveyPeriod queryset (or a list of ids). Periods without responses are absent. This is the
    aggregation step of a national recomputation (bench/bench_ikm.py): one GROUP BY over the response table, then
    the pure ``ikm.compute_from_totals`` per period.
    """
    rows = (
        Response.objects.filter(period__in=periods).order_by().values("period")
        .annotate(n=Count("id"), **{code: Sum(code.lower()) for code in ikm.ELEMENT_CODES})
    )
    return {
        row["period"]: ({code: int(row[code]) for code in ikm.ELEMENT_CODES}, row["n"]) for row in rows
    }


@transaction.atomic
def compute_result(
    *, actor: Any, period: SurveyPeriod, weight: ikm.Weight | str = ikm.Weight.EXACT, today: dt.date | None = None,
) -> IkmResult:
    """Compute and store the IKM of ``period`` (rules.md section 3), and record a finding for every element graded
    C or D (baseline = its converted score, target = 76.61, the lower bound of B).

    The result is a draft until published (``publish_result``). Findings are dated ``today`` (default: today in the
    unit's own time zone). Open survey findings of earlier periods of the same unit
    and service are measured again, as of that day, with this period's converted scores and close when they reached
    their target (``findings.actions.close_findings``).
    Raises ValidationError when the period has no responses. Audited.
    """
    _require(actor, MANAGE_SURVEYS, period.unit)
    totals, n = period_totals(period)
    if n == 0:
        raise ValidationError({"period": [_("The period has no responses yet.")]})
    computation = ikm.compute_from_totals(totals, n, weight)
    required = ikm.required_sample(period.population) if period.population else None
    values: dict[str, Any] = {}
    for element in computation.elements:
        values[f"nrr_{element.code.lower()}"] = element.nrr
        values[f"converted_{element.code.lower()}"] = element.converted
    result = IkmResult.objects.create(
        period=period, ikm=computation.ikm, grade=computation.grade.letter, weight_variant=computation.weight.value,
        rounding_rule=computation.rounding_rule, n_responses=n, population=period.population,
        required_sample=required, is_adequate=None if required is None else n >= required,
        computed_by=actor if getattr(actor, "is_authenticated", False) else None, **values,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=result, after=snapshot(result))
    detected_on = today or period.unit.local_today()
    for element in computation.low_elements():
        term = ikm.ELEMENT_TERMS[element.code]
        record_finding(
            actor=actor, source=FINDING_SOURCE, source_key=finding_key(period, element.code), unit=period.unit,
            title=_("Low satisfaction with %(code)s %(term)s: %(score)s, grade %(grade)s") % {
                "code": element.code, "term": term, "score": format_number(element.converted),
                "grade": element.grade.letter},
            detail=_("SKM %(period)s: converted score %(score)s of %(n)d responses (grade %(grade)s); grade B "
                     "starts at %(target)s.") % {
                "period": period, "score": format_number(element.converted), "n": n, "grade": element.grade.letter,
                "target": format_number(ikm.GRADE_B_LOWER_BOUND)},
            detected_on=detected_on,
            indicator_name=_("%(code)s %(term)s, converted score") % {"code": element.code, "term": term},
            indicator_unit=_("score (25-100)"),
            baseline=element.converted, target=ikm.GRADE_B_LOWER_BOUND, is_sample=period.is_sample,
        )
    _close_earlier_findings(actor=actor, period=period, computation=computation, on=detected_on, result=result)
    return result


def _close_earlier_findings(
    *, actor: Any, period: SurveyPeriod, computation: ikm.IkmComputation, on: dt.date, result: IkmResult
) -> list[Finding]:
    """Measure the open findings of earlier periods (same unit and service) with this period's scores, as of
    ``on`` (the day of this computation); findings detected after ``on`` are left alone. A closed finding credits
    the change to the actions answering it, with ``result`` as the measurement."""
    earlier = {
        p.pk: p for p in SurveyPeriod.objects.filter(
            unit=period.unit, service_name=period.service_name, end_date__lt=period.start_date
        )
    }
    if not earlier:
        return []
    scores = {e.code: e.converted for e in computation.elements}
    measurements = {}
    for finding in Finding.objects.filter(
        source=FINDING_SOURCE, unit=period.unit, closed_on__isnull=True, source_key__startswith="skm:",
        detected_on__lte=on,
    ):
        _prefix, period_id, code = finding.source_key.split(":")
        if period_id.isdigit() and int(period_id) in earlier and code in scores:
            measurements[finding] = scores[code]
    if not measurements:
        return []
    label = _("SKM %(period)s") % {"period": period}
    return close_findings(actor=actor, measurements=measurements, on=on, measurement=result, label=label).closed


def submit_public_response(
    *, period: SurveyPeriod, scores: dict[str, Any], profile: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Response:
    """Save one answer from the public questionnaire (no account, no permission needed).

    Refused (ValidationError) when the period's public form is closed or out of its dates, or when a score is not
    an integer 1-4 (errors keyed by element code). Not audited row by row: a public answer carries no actor, and
    responses are the bulk fact table; the response row itself, with ``submitted_at`` and ``source``, is the record.
    No IP address or name is stored.
    """
    if not period.accepts_public_answers(today):
        raise ValidationError({"period": [_("This survey is not open for answers.")]})
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for code in ikm.ELEMENT_CODES:
        try:
            values[code.lower()] = ikm.parse_score(scores.get(code))
        except ValueError as exc:
            errors[code] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    allowed = {"age", "sex", "education", "occupation", "service_received", "comment"}
    extra = {k: v for k, v in (profile or {}).items() if k in allowed and v not in (None, "")}
    response = Response(period=period, source=ResponseSource.PUBLIC_FORM, province_code=period.province_code,
                        **values, **extra)
    response.full_clean(exclude=["period"])
    response.save()
    return response


# ----------------------------------------------------------------------------------------------------------------
# National recomputation (``pantau recompute_ikm``)

_RESULT_COMPARED = (
    "ikm", "grade", "weight_variant", "rounding_rule", "n_responses", "population", "required_sample", "is_adequate",
    *[f"nrr_{code.lower()}" for code in ikm.ELEMENT_CODES],
    *[f"converted_{code.lower()}" for code in ikm.ELEMENT_CODES],
)
"""IkmResult fields a recomputation compares with the latest stored result of a period."""


@dataclass(frozen=True)
class IkmChange:
    """One period whose IKM is new or differs from its latest stored result: ``old_ikm``/``old_grade`` are None when
    the period had no result; IKM values are Decimals on the 25-100 scale with 2 decimals."""

    period_id: int
    period: str
    old_ikm: Any
    old_grade: str | None
    new_ikm: Any
    new_grade: str
    has_low_elements: bool


@dataclass
class RecomputeIkmReport:
    """Outcome of ``recompute_results``: counts of periods and the new/changed ones.

    ``periods``: periods examined; ``skipped``: of them, periods without responses (nothing computed);
    ``unchanged``: recomputed results equal to the stored one; ``created``/``changed``: periods with a new result
    that had none / had a different one; ``stored``: rows written (0 in a dry run); ``low_element_periods``:
    new/changed periods with an element graded C or D (their findings come from ``compute_result``, see
    ``recompute_results``); ``changes``: the first ``keep_changes`` of them one by one (memory stays bounded);
    ``resumed_after``: the checkpoint key a ``resume`` run started after (0 for a fresh run)."""

    weight: str
    periods: int = 0
    skipped: int = 0
    unchanged: int = 0
    stored: int = 0
    created: int = 0
    changed: int = 0
    low_element_periods: int = 0
    resumed_after: int = 0
    changes: list[IkmChange] = field(default_factory=list)


RECOMPUTE_CHUNK = 10_000
"""Periods per chunk of a national recomputation: one GROUP BY, one read of the stored results and one bulk write
per chunk, committed with its checkpoint (memory is bounded by the chunk, not by the country or its history)."""


def recompute_checkpoint_name(province: str | None, weight: ikm.Weight | str) -> str:
    """The checkpoint name of a recomputation of ``province`` (None: all) with ``weight``."""
    return f"recompute_ikm:{province or 'all'}:{ikm.Weight(weight).value}"


def recompute_results(
    *, actor: Any, periods: Any = None, weight: ikm.Weight | str = ikm.Weight.EXACT, dry_run: bool = False,
    chunk_size: int = RECOMPUTE_CHUNK, checkpoint: str | None = None, resume: bool = False,
    progress: Any = None, keep_changes: int | None = None,
) -> RecomputeIkmReport:
    """Recompute the IKM of many periods on the bulk path, chunk by chunk, and store the results that are new or
    changed.

    ``periods``: a SurveyPeriod queryset (default: every period). Periods are taken in primary-key order,
    ``chunk_size`` at a time. For each chunk: one GROUP BY over its responses for the element totals and counts,
    then ``ikm.compute_many`` (exact integer arithmetic, rounded half-up once, so every value equals
    ``ikm.compute_from_totals`` / ``compute_result`` for that period; PermenPANRB 14/2017, rules.md section 3 and
    table A), then the Krejcie & Morgan required sample per period population. Units: NRR 1-4 with 4 decimals,
    converted scores and IKM 25-100 with 2 decimals, grades A-D.

    The latest stored result of each period of the chunk (IkmResult is a history; the latest counts; DISTINCT ON
    where the database has it) is compared on every field in ``_RESULT_COMPARED``; a period with no result or a
    differing one gets a new IkmResult row recording the weight variant and rounding rule, as ``compute_result``
    does (``bulk_create``; existing rows are never updated, so the history of a period is kept and an unchanged
    period writes nothing). Periods without responses are skipped and counted. With ``dry_run`` nothing is
    written and the report says what would change.

    Each chunk is committed in its own transaction together with the checkpoint ``checkpoint`` (a name, see
    ``recompute_checkpoint_name``; None keeps none): the last period key done. With ``resume`` the run starts
    after that key (the counts then cover the rest only); a completed run deletes its checkpoint. ``progress`` is
    called as ``progress(done, total)`` in periods after every chunk. ``keep_changes`` limits the changes kept one
    by one (None: all).

    Not done here, on purpose:
    - Permission and audit: the caller (the ``recompute_ikm`` command or ``surveys.tasks``) checks the actor once
      for the whole run and records one audit entry summarising it; a per-row entry would double a national fact
      table.
    - Findings: elements graded C or D become findings, and earlier findings close, only through
      ``compute_result``. Its finding logic writes per finding (one or more queries and an audit entry each) and
      dates detections and closures on the day of the computation, in period order; run nationally it would turn
      one bulk write into hundreds of thousands of single writes and re-date the credit for improvements. The report
      counts the new/changed periods with low elements so that an operator can run ``compute_result`` for them.
    """
    from pantau.tasks.actions import checkpoint_key, clear_checkpoint, save_checkpoint

    weight = ikm.Weight(weight)
    queryset = (SurveyPeriod.objects.all() if periods is None else periods).order_by()
    report = RecomputeIkmReport(weight=weight.value)
    last = 0
    done_before = 0
    if checkpoint and resume:
        last, done_before = checkpoint_key(checkpoint)
        report.resumed_after = last
    total = queryset.count()
    now = timezone.now()
    computed_by = actor if getattr(actor, "is_authenticated", False) else None
    required_cache: dict[int, int] = {}
    distinct_on = connection.features.can_distinct_on_fields
    done = done_before if last else 0
    if progress is not None:
        progress(done, total)
    while True:
        info = list(queryset.filter(pk__gt=last).order_by("pk").values(
            "pk", "population", "unit__name", "service_name", "start_date", "end_date")[:chunk_size])
        if not info:
            break
        ids = [row["pk"] for row in info]
        report.periods += len(ids)
        in_range = queryset.filter(pk__gte=ids[0], pk__lte=ids[-1]).values("pk")
        same: set[int] = set()
        if connection.vendor == "postgresql":
            for row in info:
                if row["population"] and row["population"] not in required_cache:
                    required_cache[row["population"]] = ikm.required_sample(row["population"])
            grouped = {}
            for row in _compare_in_sql(ids[0], ids[-1], in_range, weight, required_cache):
                grouped[row[0]] = row[2:]
                if row[1]:
                    same.add(row[0])
        else:
            grouped = {row[0]: row[1:] for row in
                       Response.objects.filter(period_id__gte=ids[0], period_id__lte=ids[-1], period__in=in_range)
                       .order_by().values("period")
                       .annotate(n=Count("id"), **{c: Sum(c.lower()) for c in ikm.ELEMENT_CODES})
                       .values_list("period", "n", *ikm.ELEMENT_CODES)}
        report.skipped += len(ids) - len(grouped)
        pending = _recompute_chunk(report, info, grouped, same, weight, now, computed_by, required_cache,
                                   distinct_on, dry_run, keep_changes)
        last = ids[-1]
        done += len(ids)
        if not dry_run:
            with transaction.atomic():
                if pending:
                    _write_results(pending, now, computed_by)
                    report.stored += len(pending)
                if checkpoint:
                    save_checkpoint(name=checkpoint, last_key=last, done=done)
        if progress is not None:
            progress(done, max(total, done))
    if checkpoint and not dry_run:
        clear_checkpoint(name=checkpoint)
    if progress is not None:
        progress(done, max(total, done), force=True)
    return report


_SCALED = {"ikm": 100, **{f"nrr_{c.lower()}": 10000 for c in ikm.ELEMENT_CODES},
           **{f"converted_{c.lower()}": 100 for c in ikm.ELEMENT_CODES}}
"""Decimal fields read back as integers (hundredths or ten-thousandths) so a chunk compares integer tuples."""


def _stored_latest(lo: int, hi: int, distinct_on: bool) -> dict[int, tuple[Any, ...]]:
    """The latest stored result of every period with a key in ``lo``..``hi``, as a tuple in ``_RESULT_COMPARED``
    order with the Decimals as integers (``_SCALED``)."""
    rows = IkmResult.objects.filter(period_id__gte=lo, period_id__lte=hi).order_by("period", "-computed_at", "-id")
    if distinct_on:
        rows = rows.distinct("period")
    scaled = {f"_{name}": Cast(Round(F(name) * factor), IntegerField()) for name, factor in _SCALED.items()}
    fields = [f"_{name}" if name in _SCALED else name for name in _RESULT_COMPARED]
    latest: dict[int, tuple[Any, ...]] = {}
    for row in _raw_rows(rows.annotate(**scaled).values_list("period", *fields)):
        latest.setdefault(row[0], tuple(row[1:]))
    return latest


def _raw_rows(queryset: Any) -> Any:
    """The rows of a ``values_list`` queryset as the database driver returns them: on PostgreSQL straight from the
    cursor (integers, text, booleans need no conversion, and Django's per-value converters cost more than the
    query), elsewhere through the ORM."""
    if connection.vendor != "postgresql":
        return queryset
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _compare_in_sql(lo: int, hi: int, in_range: Any, weight: ikm.Weight,
                    required: dict[int, int]) -> list[tuple[Any, ...]]:
    """PostgreSQL: the element totals of the periods with keys ``lo``..``hi`` in ``in_range`` (a ``values("pk")``
    queryset), and whether each period's latest stored result already equals its recomputation, in one statement:
    rows ``(period, same, n, total U1, ..., total U9)``.

    ``same`` compares every field of ``_RESULT_COMPARED`` with the values ``ikm.compute_many`` gives, computed here
    with the same exact integer formulas (round(p/q) half-up = (2p + q) div 2q; rules.md section 3 and table A):
    converted = (5000 t + n) div 2n hundredths, NRR = (20000 t + n) div 2n ten-thousandths, IKM exact = (5000 G +
    9n) div 18n, IKM 0.11 = (2200 G + 4n) div 8n, grade from the IKM's hundredths (8831 / 7661 / 6500); the required
    sample comes from ``required`` ({population: ikm.required_sample}). A period whose ``same`` is false is
    recomputed in Python by ``compute_many``, which decides what is stored, so this test only saves work."""
    k = len(ikm.ELEMENT_CODES)
    grand = " + ".join(f"t{j}" for j in range(1, k + 1))
    if weight is ikm.Weight.EXACT:
        index = f"(5000 * ({grand}) + {k} * c.n) / (2 * {k} * c.n)"
    else:
        index = f"(2200 * ({grand}) + 4 * c.n) / (8 * c.n)"
    per_element = " AND ".join(
        f"l.nrr_u{j} * 10000 = (20000 * t{j} + c.n) / (2 * c.n) AND "
        f"l.converted_u{j} * 100 = (5000 * t{j} + c.n) / (2 * c.n)" for j in range(1, k + 1))
    sums = ", ".join(f"sum(u{j}) AS t{j}" for j in range(1, k + 1))
    totals = ", ".join(f"c.t{j}" for j in range(1, k + 1))
    in_sql, in_params = in_range.query.sql_with_params()
    pops = sorted(required)
    sql = f"""
        WITH agg AS (
            SELECT period_id, count(*) AS n, {sums} FROM {Response._meta.db_table}
            WHERE period_id >= %s AND period_id <= %s AND period_id IN ({in_sql}) GROUP BY period_id),
        calc AS (
            SELECT agg.*, p.population AS pop, r.req, {index.replace("c.n", "agg.n")} AS ikm_h
            FROM agg JOIN {SurveyPeriod._meta.db_table} p ON p.id = agg.period_id AND p.id >= %s AND p.id <= %s
            LEFT JOIN unnest(%s::int[], %s::int[]) AS r(pop, req) ON r.pop = p.population),
        latest_id AS (
            SELECT DISTINCT ON (period_id) id FROM {IkmResult._meta.db_table}
            WHERE period_id >= %s AND period_id <= %s ORDER BY period_id, computed_at DESC, id DESC),
        latest AS (SELECT r.* FROM {IkmResult._meta.db_table} r JOIN latest_id USING (id))
        SELECT c.period_id, COALESCE(l.id IS NOT NULL AND l.ikm * 100 = c.ikm_h
            AND l.grade = CASE WHEN c.ikm_h >= 8831 THEN 'A' WHEN c.ikm_h >= 7661 THEN 'B'
                               WHEN c.ikm_h >= 6500 THEN 'C' ELSE 'D' END
            AND l.weight_variant = %s AND l.rounding_rule = %s AND l.n_responses = c.n
            AND l.population IS NOT DISTINCT FROM c.pop AND l.required_sample IS NOT DISTINCT FROM c.req
            AND l.is_adequate IS NOT DISTINCT FROM (c.n >= c.req) AND {per_element}, false), c.n, {totals}
        FROM calc c LEFT JOIN latest l ON l.period_id = c.period_id
    """  # noqa: S608 (table names and formulas from code, values as parameters)
    params = [lo, hi, *in_params, lo, hi, pops, [required[p] for p in pops], lo, hi, weight.value,
              ikm.ROUNDING_RULE]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _recompute_chunk(
    report: RecomputeIkmReport, info: list[dict[str, Any]], grouped: dict[int, tuple[int, ...]], same: set[int],
    weight: ikm.Weight, now: Any, computed_by: Any, required_cache: dict[int, int], distinct_on: bool,
    dry_run: bool, keep_changes: int | None,
) -> list[tuple[Any, ...]]:
    """Compute one chunk, compare with the stored results and return the rows to write (see recompute_results).
    ``grouped``: {period id: (n, total U1, ..., total U9)}; ``same``: periods already known to be unchanged."""
    report.unchanged += len(same)
    order = sorted(p for p in grouped if p not in same)
    if not order:
        return []
    bulk = ikm.compute_many([grouped[p][1:] for p in order], [grouped[p][0] for p in order], weight)
    ikm_values, grades = bulk.ikm.tolist(), bulk.grade.tolist()
    nrr_values, converted_values = bulk.nrr.tolist(), bulk.converted.tolist()
    low = (bulk.converted < int(ikm.GRADE_B_LOWER_BOUND * 100)).any(axis=1).tolist()  # a C or D element
    latest = _stored_latest(order[0], order[-1], distinct_on)
    population_of = {row["pk"]: row["population"] for row in info}
    rule, variant = ikm.ROUNDING_RULE, weight.value
    pending: list[tuple[Any, ...]] = []
    for i, period_id in enumerate(order):
        n = grouped[period_id][0]
        population = population_of[period_id]
        if population and population not in required_cache:
            required_cache[population] = ikm.required_sample(population)
        required = required_cache.get(population or 0)
        new = (ikm_values[i], grades[i], variant, rule, n, population, required,
               None if required is None else n >= required, *nrr_values[i], *converted_values[i])
        old = latest.get(period_id)
        if old is not None and old == new:
            report.unchanged += 1
            continue
        if old is None:
            report.created += 1
        else:
            report.changed += 1
        if low[i]:
            report.low_element_periods += 1
        if keep_changes is None or len(report.changes) < keep_changes:
            values = _bulk_values((ikm_values, grades, nrr_values, converted_values), i, n, population, required,
                                  weight)
            meta = next(row for row in info if row["pk"] == period_id)
            service = f" - {meta['service_name']}" if meta["service_name"] else ""
            label = (f"{meta['unit__name']}{service} ({date_format(meta['start_date'], 'SHORT_DATE_FORMAT')} – "
                     f"{date_format(meta['end_date'], 'SHORT_DATE_FORMAT')})")
            report.changes.append(IkmChange(
                period_id=period_id, period=label,
                old_ikm=None if old is None else Decimal(old[0]).scaleb(-2),
                old_grade=None if old is None else old[1], new_ikm=values["ikm"], new_grade=values["grade"],
                has_low_elements=bool(low[i]),
            ))
        if not dry_run:
            pending.append((period_id, *new))
    return pending


def _write_results(pending: list[tuple[Any, ...]], now: Any, computed_by: Any) -> None:
    """Append the new results (tuples: period id, then ``_RESULT_COMPARED`` with the Decimals scaled to integers)
    to IkmResult: COPY on PostgreSQL (the decimals written as exact text), ``bulk_create`` elsewhere."""
    columns = ("period", *_RESULT_COMPARED)
    scale = [_SCALED.get(name, 0) for name in columns]
    if connection.vendor == "postgresql":
        table = IkmResult._meta.db_table
        names = [IkmResult._meta.get_field(name).column for name in (*columns, "computed_at", "computed_by")]
        user_id = getattr(computed_by, "pk", None)
        with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(names)}) FROM STDIN"  # noqa: S608 (model metadata, no input)
        ) as copy:
            for row in pending:
                copy.write_row([
                    f"{v // 100}.{v % 100:02d}" if k == 100 else f"{v // 10000}.{v % 10000:04d}" if k else v
                    for v, k in zip(row, scale, strict=True)
                ] + [now, user_id])
        return
    objects = []
    for row in pending:
        values = {name: Decimal(v).scaleb(-len(str(k)) + 1) if k else v
                  for name, v, k in zip(columns, row, scale, strict=True)}
        values["period_id"] = values.pop("period")
        objects.append(IkmResult(computed_at=now, computed_by=computed_by, **values))
    IkmResult.objects.bulk_create(objects, batch_size=BULK_BATCH)


def _bulk_values(
    bulk_values: tuple[list[Any], list[Any], list[Any], list[Any]], i: int, n: int, population: int | None,
    required: int | None, weight: ikm.Weight,
) -> dict[str, Any]:
    """IkmResult field values of row ``i`` of ``ikm.compute_many``'s arrays (IKM and converted scores in
    hundredths, NRR in ten-thousandths) as the Decimals ``compute_result`` stores."""
    ikm_values, grades, nrr_values, converted_values = bulk_values
    values: dict[str, Any] = {
        "ikm": Decimal(ikm_values[i]).scaleb(-2), "grade": str(grades[i]), "weight_variant": weight.value,
        "rounding_rule": ikm.ROUNDING_RULE, "n_responses": n, "population": population,
        "required_sample": required, "is_adequate": None if required is None else n >= required,
    }
    for j, code in enumerate(ikm.ELEMENT_CODES):
        values[f"nrr_{code.lower()}"] = Decimal(nrr_values[i][j]).scaleb(-4)
        values[f"converted_{code.lower()}"] = Decimal(converted_values[i][j]).scaleb(-2)
    return values
