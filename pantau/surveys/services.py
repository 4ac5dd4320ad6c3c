"""The one write path for satisfaction surveys: permission check, validation, save in a transaction, audit.

Views, the API, importers and management commands call these keyword-only functions. Each raises
``django.core.exceptions.PermissionDenied`` when the actor lacks the permission on the period's unit and
``ValidationError`` on bad input; in both cases nothing is saved. Low elements become findings through the shared
mechanism ``workplans.findings.record_finding`` (DESIGN.md, "The loop the product closes").
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.audit.models import AuditAction
from pantau.audit.services import record, snapshot
from pantau.organizations.models import Unit
from pantau.surveys import ikm
from pantau.surveys.choices import ResponseSource
from pantau.surveys.files import read_responses
from pantau.surveys.ikm import RowError
from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.workplans.findings import close_findings, record_finding
from pantau.workplans.models import Finding

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


@dataclass
class ImportResult:
    """Outcome of ``import_responses``: every error (then nothing was saved) or the number of responses created."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

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
    result.errors = read.errors
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

    Findings are dated ``today`` (default: the local date). Open survey findings of earlier periods of the same unit
    and service are measured again, as of that day, with this period's converted scores and close when they reached
    their target (``workplans.findings.close_findings``).
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
    detected_on = today or timezone.localdate()
    for element in computation.low_elements():
        term = ikm.ELEMENT_TERMS[element.code]
        record_finding(
            actor=actor, source=FINDING_SOURCE, source_key=finding_key(period, element.code), unit=period.unit,
            title=_("Low satisfaction with %(code)s %(term)s: %(score)s, grade %(grade)s") % {
                "code": element.code, "term": term, "score": element.converted, "grade": element.grade.letter},
            detail=_("SKM %(period)s: converted score %(score)s of %(n)d responses (grade %(grade)s); grade B "
                     "starts at %(target)s.") % {
                "period": period, "score": element.converted, "n": n, "grade": element.grade.letter,
                "target": ikm.GRADE_B_LOWER_BOUND},
            detected_on=detected_on,
            indicator_name=_("%(code)s %(term)s, converted score") % {"code": element.code, "term": term},
            indicator_unit=_("score (25-100)"),
            baseline=element.converted, target=ikm.GRADE_B_LOWER_BOUND, is_sample=period.is_sample,
        )
    _close_earlier_findings(actor=actor, period=period, computation=computation, on=detected_on)
    return result


def _close_earlier_findings(
    *, actor: Any, period: SurveyPeriod, computation: ikm.IkmComputation, on: dt.date
) -> list[Finding]:
    """Measure the open findings of earlier periods (same unit and service) with this period's scores, as of
    ``on`` (the day of this computation); findings detected after ``on`` are left alone."""
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
        _, period_id, code = finding.source_key.split(":")
        if period_id.isdigit() and int(period_id) in earlier and code in scores:
            measurements[finding] = scores[code]
    if not measurements:
        return []
    return close_findings(actor=actor, measurements=measurements, on=on)


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
