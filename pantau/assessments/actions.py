"""Assessment rounds (official, pre-evaluation, self-assessment): the write path, the findings they raise and the
credit a later round gives back to the actions answering them (DESIGN.md, "The loop the product closes").

- ``record_round``: store a round's dimension (and optional indicator) scores, compute the weighted total and its
  band with the edition's rules (``scoring.weighted_total``, ``scoring.band_for``, domain/rules.md section 2.6),
  record a finding for every indicator (or dimension scored without indicators) below the round's pass mark
  (``scoring.default_pass_mark``: Pantau's choice, the regulation is silent), close the open findings a passing
  score answers and credit their actions (``findings.models.Credit``).
  Findings are kept apart by who assessed: the findings of self-assessments are closed only by later
  self-assessments; the findings of the Ombudsman's rounds (official and pre-evaluation) only by later official or
  pre-evaluation rounds (``KIND_GROUP``, ``finding_key``). A government cannot close the Ombudsman's findings by
  assessing itself, and the Ombudsman's rounds do not close the government's own findings.
- ``link_results``: attach the published results of a region to the region's government unit.
- ``publish_round``: a round is a draft until an Ombudsman user publishes it; only published rounds reach viewers,
  report-card means and roll-ups (DESIGN.md, "Figures are drafts until published"). ``update_round`` corrects a
  round's title, note and sample flag (versioned, ``core.concurrency``).

Every write checks permission, runs in a transaction and is audited.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import acts_for_provinces, has_unit_permission
from pantau.assessments import scoring
from pantau.assessments.models import (
    AssessmentRound,
    ComplianceResult,
    Dimension,
    DimensionScore,
    IndicatorScore,
    MethodEdition,
    RoundKind,
    ValueType,
)
from pantau.assessments.results import (
    BandChange,
    ImportReport,
    ParsedResult,
    RebandReport,
    RowOutcome,
    compare,
    read_results,
)
from pantau.assessments.rules import (
    INDICATOR_CODE_MAX,
    INDICATOR_NAME_MAX,
    MAX_INDICATORS,
    MAX_NOTE,
    RECORD_PERMISSION,
    IndicatorInput,
    can_import,
    check_date,
    check_unit,
    finding_key,
    is_indicator_code,
)
from pantau.assessments.xlsx import ImportResult, assessable_units, read_scores
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.core.numbers import format_number
from pantau.core.spreadsheets import RowError, read_upload
from pantau.core.workdays import UnknownProvinceCode, local_date, zone_for_province
from pantau.findings.actions import close_findings, record_finding
from pantau.findings.models import Credit, Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region


@dataclass
class RoundOutcome:
    """What ``record_round`` did: the round, whether it was created now, the findings it left open (new or still
    failing), the findings it closed and the credits it gave to actions."""

    round: AssessmentRound
    created: bool
    open_findings: list[Finding] = field(default_factory=list)
    closed_findings: list[Finding] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


def _check_actor(actor: Any, kind: str, unit: Unit | None, region: Region | None) -> None:
    if unit is not None:
        if not has_unit_permission(actor, RECORD_PERMISSION[kind], unit):
            raise PermissionDenied(_("You may not record this assessment for this unit."))
        return
    assert region is not None
    if not can_import(actor, {region.code[:2]}):
        raise PermissionDenied(_("Only the Ombudsman office of the province may record a regional assessment."))


def _indicators(
    indicator_scores: IndicatorInput | None, dimensions: Mapping[str, Dimension],
) -> dict[str, dict[str, tuple[str, Decimal]]]:
    indicators: dict[str, dict[str, tuple[str, Decimal]]] = {}
    count = 0
    for dim_code, items in (indicator_scores or {}).items():
        if dim_code not in dimensions:
            raise ValidationError({"indicator_scores": [_("Unknown dimension: %(code)s") % {"code": dim_code}]})
        seen: set[str] = set()
        for code, (name, value) in items.items():
            code, name = str(code), str(name)
            if not is_indicator_code(code):
                raise ValidationError({"indicator_scores": [
                    _("%(value)s is not a code: use at most %(limit)d letters, digits, - and _.")
                    % {"value": code[:40], "limit": INDICATOR_CODE_MAX}
                ]})
            if len(name) > INDICATOR_NAME_MAX:
                raise ValidationError({"indicator_scores": [
                    _("An indicator name has at most %(limit)d characters.") % {"limit": INDICATOR_NAME_MAX}
                ]})
            if code.casefold() in seen:
                raise ValidationError({"indicator_scores": [
                    _("Indicator %(code)s appears twice in the dimension %(dimension)s.")
                    % {"code": code[:40], "dimension": dim_code}
                ]})
            seen.add(code.casefold())
            count += 1
            indicators.setdefault(dim_code, {})[code] = (name, _score(value, code))
    if count > MAX_INDICATORS:
        raise ValidationError({"indicator_scores": [
            _("At most %(limit)d indicator scores per round.") % {"limit": MAX_INDICATORS}
        ]})
    return indicators


def _score(value: Decimal | str, where: str) -> Decimal:
    try:
        number = scoring.check_score(value)
    except scoring.ScoringError as exc:
        raise ValidationError({where: [str(exc)]}) from None
    if number != number.quantize(scoring.TWO_PLACES):
        raise ValidationError({where: [_("A score has at most 2 decimals.")]})
    return number.quantize(scoring.TWO_PLACES)


@transaction.atomic
def record_round(
    *,
    actor: Any,
    edition: MethodEdition,
    year: int,
    kind: str,
    assessed_on: dt.date,
    dimension_scores: Mapping[str, Decimal | str],
    unit: Unit | None = None,
    region: Region | None = None,
    indicator_scores: IndicatorInput | None = None,
    pass_mark: Decimal | None = None,
    title: str = "",
    is_sample: bool = False,
    note: str = "",
) -> RoundOutcome:
    """Record one assessment round and follow it through to findings, closed findings and credits.

    ``dimension_scores``: dimension code -> score (0-100, at most 2 decimals), one per dimension of ``edition``.
    ``indicator_scores``: optional, see ``IndicatorInput``. ``pass_mark`` defaults to
    ``scoring.default_pass_mark`` of the edition's bands. A round is identified by (kind, unit or region,
    assessed_on): recording it again returns the stored round unchanged (``created`` False) and writes nothing.

    Findings (only for a round about a unit): each indicator below the pass mark, and each dimension below it that
    has no indicator scores, becomes (or stays) an open finding ``source="assessment"`` with baseline = the score
    and target = the pass mark. An item at or above the pass mark closes the unit's open finding with the same key
    (``findings.actions.close_findings``), and every non-cancelled action answering that finding is credited
    with the change (``findings.models.Credit``). Raises PermissionDenied (see ``RECORD_PERMISSION``) or ValidationError
    (unknown kind, no entity, dimensions not matching the edition, score outside 0-100, year outside the
    edition, an assessment date before 2000-01-01, in the future or outside ``year``, a unit that is an Ombudsman
    office, a bad indicator code or name, more than ``MAX_INDICATORS`` indicators, a note longer than ``MAX_NOTE``).
    Nothing is written on error. Audited.

    Closing follows ``KIND_GROUP``: a self-assessment closes only findings raised by self-assessments; an official
    or pre-evaluation round closes only findings raised by official or pre-evaluation rounds.
    """
    if kind not in RoundKind.values:
        raise ValidationError({"kind": [_("Unknown kind of round.")]})
    if unit is None and region is None:
        raise ValidationError({"unit": [_("A round is about a unit or a region.")]})
    check_unit(unit)
    check_date(assessed_on, year, today=local_today_of(unit, region))
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("At most %(limit)d characters (this has %(length)d).")
                                        % {"limit": MAX_NOTE, "length": len(note)}]})
    _check_actor(actor, kind, unit, region)
    existing = AssessmentRound.objects.filter(
        kind=kind, assessed_on=assessed_on, unit=unit, **({} if unit is not None else {"region": region})
    ).first()
    if existing is not None:
        return RoundOutcome(round=existing, created=False)
    if not (edition.valid_from <= year <= (edition.valid_to or year)):
        raise ValidationError({"year": [_("The edition %(edition)s does not cover %(year)s.")
                                        % {"edition": edition.name, "year": year}]})
    dimensions = {dim.code: dim for dim in edition.dimensions.all()}
    scores = {code: _score(value, code) for code, value in dimension_scores.items()}
    if set(scores) != set(dimensions):
        raise ValidationError({"dimension_scores": [
            _("Give one score for each dimension of the edition: %(codes)s") % {"codes": ", ".join(dimensions)}
        ]})
    indicators = _indicators(indicator_scores, dimensions)
    rules = edition.band_rules()
    try:
        total = scoring.weighted_total(scores, edition.weights())
        band = scoring.band_for(total, rules)
        mark = _score(pass_mark, "pass_mark") if pass_mark is not None else scoring.default_pass_mark(rules)
    except scoring.ScoringError as exc:
        raise ValidationError({"dimension_scores": [str(exc)]}) from None

    entity_region = region if region is not None else None
    province = (unit.province_code if unit is not None else "") or (region.code[:2] if region is not None else "")
    try:
        with transaction.atomic():  # a savepoint: the same round saved at the same moment by someone else
            assessment = AssessmentRound.objects.create(
                edition=edition, year=year, kind=kind, unit=unit, region=entity_region, province_code=province,
                assessed_on=assessed_on, title=title[:300], total=total, computed_band=band.code,
                computed_zone=band.zone, computed_provisional=band.is_provisional,
                bands_used=scoring.bands_snapshot(rules), pass_mark=mark, is_sample=is_sample, note=note,
            )
    except IntegrityError:
        raise ValidationError({"assessed_on": [
            _("A round of this kind about this unit on %(date)s was just recorded by someone else.")
            % {"date": date_format(assessed_on, "j F Y")}
        ]}) from None
    DimensionScore.objects.bulk_create(
        DimensionScore(round=assessment, dimension=dimensions[code], score=score,
                       province_code=assessment.province_code) for code, score in scores.items()
    )
    IndicatorScore.objects.bulk_create(
        IndicatorScore(round=assessment, dimension=dimensions[dim_code], code=code, name=name[:300], score=score,
                       province_code=assessment.province_code)
        for dim_code, items in indicators.items() for code, (name, score) in items.items()
    )
    record(
        actor=actor, action=AuditAction.CREATE, obj=assessment, after=snapshot(assessment),
        note="; ".join(f"{code} {score}" for code, score in scores.items())[:500],
    )
    outcome = RoundOutcome(round=assessment, created=True)
    if unit is not None:
        _follow_up(actor, assessment, dimensions, scores, indicators, outcome)
    return outcome


def _measured_items(
    edition: MethodEdition, kind: str, dimensions: Mapping[str, Dimension], scores: Mapping[str, Decimal],
    indicators: Mapping[str, Mapping[str, tuple[str, Decimal]]],
) -> dict[str, tuple[str, Decimal]]:
    """finding key -> (readable name, score): indicators where given, else the dimension itself."""
    items: dict[str, tuple[str, Decimal]] = {}
    for code, score in scores.items():
        if indicators.get(code):
            for ind_code, (name, ind_score) in indicators[code].items():
                key = finding_key(edition, code, ind_code, kind=kind)
                items[key] = (f"{dimensions[code].name}: {name}", ind_score)
        else:
            items[finding_key(edition, code, kind=kind)] = (dimensions[code].name, score)
    return items


def _follow_up(
    actor: Any, assessment: AssessmentRound, dimensions: Mapping[str, Dimension], scores: Mapping[str, Decimal],
    indicators: Mapping[str, Mapping[str, tuple[str, Decimal]]], outcome: RoundOutcome,
) -> None:
    unit = assessment.unit
    assert unit is not None
    items = _measured_items(assessment.edition, assessment.kind, dimensions, scores, indicators)
    failing = set(scoring.below_pass_mark({key: score for key, (_name, score) in items.items()}, assessment.pass_mark))
    kind_label = assessment.get_kind_display()
    for key, (name, score) in items.items():
        if key in failing:
            outcome.open_findings.append(record_finding(
                actor=actor, source=FindingSource.ASSESSMENT, source_key=key, unit=unit,
                title=_("%(indicator)s scored %(score)s, below the pass mark %(mark)s")
                % {"indicator": name, "score": format_number(score), "mark": format_number(assessment.pass_mark)},
                detail=_("%(round)s %(year)s (%(edition)s). Pass mark: Pantau's choice, the lowest bound of the "
                         "green zone; the regulation sets none per indicator.")
                % {"round": kind_label, "year": assessment.year, "edition": assessment.edition.name},
                detected_on=assessment.assessed_on, indicator_name=name, indicator_unit=_("points (0-100)"),
                baseline=score, target=assessment.pass_mark, is_sample=assessment.is_sample,
            ))
    passing = {key: items[key][1] for key in items if key not in failing}
    open_findings = Finding.objects.filter(
        source=FindingSource.ASSESSMENT, unit=unit, source_key__in=list(passing), closed_on__isnull=True,
        detected_on__lte=assessment.assessed_on,
    )
    closing = close_findings(
        actor=actor, measurements={finding: passing[finding.source_key] for finding in open_findings},
        on=assessment.assessed_on, measurement=assessment,
        label=_("%(round)s %(year)s") % {"round": kind_label, "year": assessment.year},
    )
    outcome.closed_findings.extend(closing.closed)
    outcome.credits.extend(closing.credits)


def local_today_of(unit: Unit | None, region: Region | None, now: dt.datetime | None = None) -> dt.date:
    """Today in the assessed entity's own time zone: the unit's (``Unit.local_today``), else its region's province
    (rules.md section 10), else WIB."""
    if unit is not None:
        return unit.local_today(now)
    try:
        zone = zone_for_province(region.code[:2] if region is not None else "")
    except UnknownProvinceCode:
        zone = zone_for_province("31")  # Jakarta: WIB
    return local_date(now or timezone.now(), zone)


def may_publish(actor: Any, assessment: AssessmentRound) -> bool:
    """True when ``actor`` holds PUBLISH_RESULTS (the Ombudsman's admin and assistants) on the round's unit, or,
    for a round addressed by region only, through the Ombudsman office of its province."""
    if assessment.unit_id is not None:
        return has_unit_permission(actor, Permission.PUBLISH_RESULTS, assessment.unit)
    return acts_for_provinces(actor, Permission.PUBLISH_RESULTS, {assessment.province_code})


@transaction.atomic
def publish_round(*, actor: Any, assessment: AssessmentRound, now: dt.datetime | None = None) -> AssessmentRound:
    """Publish a round: from now on viewers see it and report-card means and roll-ups count it (DESIGN.md,
    "Figures are drafts until published"). Requires ``may_publish`` (else PermissionDenied); refused
    (ValidationError) when already published. The row is locked first, so two publications at once end in one.
    The version goes up by one. Audited."""
    if not may_publish(actor, assessment):
        raise PermissionDenied(_("Only the Ombudsman may publish this assessment round."))
    list(AssessmentRound.objects.select_for_update().filter(pk=assessment.pk).values_list("pk", flat=True))
    assessment.refresh_from_db(fields=["published_at", "published_by", "version"])
    if assessment.published_at is not None:
        raise ValidationError({"published_at": [_("This round is already published.")]})
    before = snapshot(assessment)
    claim_version(assessment, None)
    assessment.published_at = now or timezone.now()
    assessment.published_by = actor if getattr(actor, "is_authenticated", False) else None
    assessment.save(update_fields=["published_at", "published_by", "version"])
    record(actor=actor, action=AuditAction.PUBLISH, obj=assessment, before=before, after=snapshot(assessment))
    return assessment


ROUND_FIELDS = ("title", "note", "is_sample")
"""What may be corrected on a recorded round; scores, total and band are recomputed only by recording a round."""


@transaction.atomic
def update_round(
    *, actor: Any, assessment: AssessmentRound, data: Mapping[str, Any], expected_version: int | None = None,
) -> AssessmentRound:
    """Correct the title, note or sample flag of a round (keys of ROUND_FIELDS). Requires the permission that
    records its kind about its unit (``RECORD_PERMISSION``; ``results.can_import`` for a round addressed by
    region) or ``may_publish``. ``expected_version`` as in ``core.concurrency.claim_version``. Audited."""
    try:
        _check_actor(actor, assessment.kind, assessment.unit, assessment.region)
    except PermissionDenied:
        if not may_publish(actor, assessment):
            raise
    if len(str(data.get("note", ""))) > MAX_NOTE:
        raise ValidationError({"note": [_("At most %(limit)d characters (this has %(length)d).")
                                        % {"limit": MAX_NOTE, "length": len(str(data["note"]))}]})
    before = snapshot(assessment)
    claim_version(assessment, expected_version)
    for key, value in data.items():
        if key in ROUND_FIELDS:
            setattr(assessment, key, value)
    assessment.full_clean(validate_unique=False, validate_constraints=False)
    assessment.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=assessment, before=before, after=snapshot(assessment))
    return assessment


@transaction.atomic
def link_results(*, actor: Any, unit: Unit) -> int:
    """Attach the published results addressed by ``unit``'s region code (and not yet linked) to ``unit``, a
    regional government; returns how many were linked (0 on a second run). Requires ``results.can_import`` for the
    province (the Ombudsman office). Raises PermissionDenied or ValidationError (not a regional government with a
    region). Audited per result."""
    if unit.kind != UnitKind.REGIONAL_GOVERNMENT or not unit.region_id:
        raise ValidationError({"unit": [_("Published results are linked to a regional government with a region.")]})
    if not can_import(actor, {str(unit.region_id)[:2]}):
        raise PermissionDenied(_("Only the Ombudsman office of the province may link its published results."))
    linked = 0
    for result in ComplianceResult.objects.filter(region_id=unit.region_id, unit__isnull=True).order_by("year"):
        if ComplianceResult.objects.filter(unit=unit, year=result.year).exists():
            continue  # a result about the unit itself already exists for that year; keep both apart
        before = snapshot(result)
        result.unit = unit
        result.save(update_fields=["unit"])
        record(actor=actor, action=AuditAction.UPDATE, obj=result, before=before, after=snapshot(result),
               note=_("linked to the regional government unit"))
        linked += 1
    return linked


# --------------------------------------------------------------------------------------------------------------
# Published results (CSV import) and re-banding


def _store(actor: Any, item: ParsedResult) -> RowOutcome:
    """Create or update one result (inside the caller's transaction), audited when it changes."""
    values = item.values
    # A published regional result may have been linked to the region's government unit (``link_results``).
    existing = (
        ComplianceResult.objects.filter(year=item.year, region=item.region)
        .filter(Q(unit__isnull=True) | Q(unit__region=item.region))
        .first()
    )
    fields: dict[str, Any] = {
        "province_code": item.region.code[:2], "entity_name": values["entity"][:200], "edition": item.edition,
        "value_type": item.value_type, "score": item.score, "published_zone": values["zone"],
        "published_category": values["category"][:20], "published_opinion": values["opinion"][:300],
        "assessment_name": values["assessment"][:300], "source_url": values["source_url"], "note": values["note"],
    }
    keeps_computation = (
        existing is not None and existing.score == item.score and existing.edition_id == item.edition.pk
        and existing.value_type == item.value_type
    )
    if keeps_computation:
        # History is not rewritten: the band stays the one computed with the bands stored in ``bands_used``.
        assert existing is not None
        rules = scoring.bands_from_snapshot(existing.bands_used)
        computed = scoring.band_for(item.score, rules) if item.score is not None and rules else None
    else:
        rules = item.edition.band_rules()
        computed = None
        if item.value_type == ValueType.INDEX and item.score is not None:
            computed = scoring.band_for(item.score, rules)
        fields.update({
            "computed_band": computed.code if computed else "", "computed_zone": computed.zone if computed else "",
            "computed_provisional": computed.is_provisional if computed else False,
            "bands_used": scoring.bands_snapshot(rules) if computed else [],
        })
    before = snapshot(existing)
    result = existing or ComplianceResult(year=item.year, region=item.region)
    for name, value in fields.items():
        setattr(result, name, value)
    changed = existing is None or snapshot(result) != before
    if changed:
        result.full_clean(validate_unique=False, validate_constraints=False)
        result.save()
        record(actor=actor, action=AuditAction.CREATE if existing is None else AuditAction.UPDATE, obj=result,
               before=before, after=snapshot(result), note="import_compliance_results")
    return RowOutcome(
        row=item.row, entity_code=item.region.code, year=item.year, score=item.score, value_type=item.value_type,
        published_zone=values["zone"], published_category=values["category"], computed=computed,
        status=compare(computed, item.value_type, item.score, values["zone"], values["category"]),
        created=existing is None, changed=changed,
    )

def import_results(
    *, actor: Any, text: str | None = None, data: bytes | None = None, file_name: str = ""
) -> ImportReport:
    """Import published compliance results from CSV ``text`` or from the bytes of a CSV or .xlsx file ``data``
    (``results.read_results``: codes normalised and checked against the entity's name); all or nothing.

    ``actor``: the acting user (None for a trusted system caller such as the demo loader); a user needs
    ``can_import`` for every province in the file, else PermissionDenied (nothing written). Returns an
    ImportReport: with ``errors`` (row-numbered, nothing written) or with one RowOutcome per row. Re-importing the
    same file changes nothing. Audited per created/changed result, plus one IMPORT entry.
    """
    content = data if data is not None else (text or "")
    parsed, errors, source = read_results(content, file_name or "results.csv")
    if errors:
        return ImportReport(errors=errors, source=source)
    if actor is not None and not can_import(actor, {item.region.code[:2] for item in parsed}):
        raise PermissionDenied(_("Only the Ombudsman office of the province may import its published results."))
    report = ImportReport(source=source)
    with transaction.atomic():
        for item in parsed:
            report.rows.append(_store(actor, item))
        record(
            actor=actor, action=AuditAction.IMPORT, obj=None,
            note=_("%(file)s: %(rows)s compliance results, %(changed)s created or changed")
            % {"file": file_name, "rows": len(report.rows), "changed": sum(r.changed for r in report.rows)},
        )
    return report

REBAND_CHUNK = 10_000
"""Results per chunk of ``reband_results``: one read and one ``bulk_update`` of the changed rows per chunk."""


def reband_results(
    *, results: Any = None, dry_run: bool = False, chunk_size: int = REBAND_CHUNK, checkpoint: str | None = None,
    resume: bool = False, progress: Any = None,
) -> RebandReport:
    """Re-band stored compliance results with the CURRENT bands of their edition and refresh their bounds snapshot.

    This is the deliberate step after an Ombudsman admin corrects a provisional threshold (domain/rules.md section 2
    and tables B-D: bounds marked UNCERTAIN are data, ``Band.is_provisional``). Importing never rewrites a stored
    band (``_store`` keeps ``bands_used``); this function does, on purpose. ``results``: a ComplianceResult queryset
    (default: all). Only 0-100 index scores are banded (``ValueType.INDEX`` with a score); others are left alone.
    Each score (0-100, 2 decimals) is banded by ``scoring.band_for`` (inclusive lower bounds on the score rounded
    half-up to 2 decimals, rules.md section 2.6), once per distinct (edition, score).

    Streaming: results are read ``chunk_size`` at a time in primary-key order as plain values (no model instances,
    no joins); only the rows whose band, zone, provisional flag or bounds snapshot differ are written, with one
    ``bulk_update`` per chunk. Each chunk is committed with the checkpoint ``checkpoint`` (a name; None keeps none)
    when the caller runs outside a transaction; with ``resume`` the run starts after the checkpoint's key. A
    completed run deletes its checkpoint. ``progress(done, total)`` is called in results after every chunk. With
    ``dry_run`` nothing is written. Permission and the audit entry are the caller's (the ``reband_results`` command
    checks once and records one summary entry). Raises ``scoring.ScoringError`` before writing anything when an
    edition's bands do not cover 0, and when a score lies outside 0-100.
    """
    from pantau.tasks.actions import checkpoint_key, clear_checkpoint, save_checkpoint

    queryset = ComplianceResult.objects.all() if results is None else results
    queryset = queryset.filter(value_type=ValueType.INDEX, score__isnull=False).order_by()
    report = RebandReport()
    editions: dict[int, tuple[str, list[scoring.BandRule], list[dict[str, Any]]]] = {}
    for edition in MethodEdition.objects.filter(pk__in=queryset.values("edition_id").distinct()):
        rules = edition.band_rules()
        scoring.band_for(Decimal(0), rules)  # the bands must cover the whole scale: refuse before writing
        editions[edition.pk] = (edition.code, rules, scoring.bands_snapshot(rules))
    last, done = checkpoint_key(checkpoint) if checkpoint and resume else (0, 0)
    total = queryset.count()
    banded: dict[tuple[int, Decimal], scoring.BandResult] = {}
    fields = ("pk", "edition_id", "score", "computed_band", "computed_zone", "computed_provisional", "bands_used",
              "entity_name", "unit_id", "region_id", "year")
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*fields)[:chunk_size])
        if not rows:
            break
        to_update: list[ComplianceResult] = []
        for pk, edition_id, score, band, zone, provisional, used, entity, unit_id, region_id, year in rows:
            report.examined += 1
            code, rules, snapshot_now = editions[edition_id]
            computed = banded.get((edition_id, score))
            if computed is None:
                computed = banded[(edition_id, score)] = scoring.band_for(score, rules)
            if (band, zone, provisional, used) == (computed.code, computed.zone, computed.is_provisional,
                                                   snapshot_now):
                continue
            if band != computed.code or zone != computed.zone:
                report.changes.append(BandChange(
                    result_id=pk, entity=entity or (f"unit:{unit_id}" if unit_id else str(region_id)),
                    entity_code=region_id or "", year=year, edition=code, score=score, old_band=band,
                    old_zone=zone, new_band=computed.code, new_zone=computed.zone,
                ))
            to_update.append(ComplianceResult(
                pk=pk, computed_band=computed.code, computed_zone=computed.zone,
                computed_provisional=computed.is_provisional, bands_used=snapshot_now,
            ))
        report.updated += len(to_update)
        last = rows[-1][0]
        done += len(rows)
        if not dry_run:
            with transaction.atomic():
                if to_update:
                    ComplianceResult.objects.bulk_update(
                        to_update, ["computed_band", "computed_zone", "computed_provisional", "bands_used"],
                        batch_size=1000,
                    )
                    report.written += len(to_update)
                if checkpoint:
                    save_checkpoint(name=checkpoint, last_key=last, done=done)
        if progress is not None:
            progress(done, max(total, done))
    _name_units(report.changes)
    if checkpoint and not dry_run:
        clear_checkpoint(name=checkpoint)
    return report


def _name_units(changes: list[BandChange]) -> None:
    """Replace the ``unit:<id>`` placeholders of changes without an entity name by the unit's name (one query)."""
    ids = {int(c.entity[5:]) for c in changes if c.entity.startswith("unit:")}
    if not ids:
        return
    names = {unit.pk: str(unit) for unit in Unit.objects.filter(pk__in=ids)}
    for i, change in enumerate(changes):
        if change.entity.startswith("unit:"):
            changes[i] = replace(change, entity=names.get(int(change.entity[5:]), change.entity))


# --------------------------------------------------------------------------------------------------------------
# Excel import of scores


class _Rollback(Exception):
    """Raised inside the import transaction to undo every write."""

def import_scores(
    *, actor: Any, edition: MethodEdition, kind: str, assessed_on: dt.date, file: IO[bytes] | bytes,
    year: int | None = None, title: str = "", file_name: str = "",
) -> ImportResult:
    """Import the scores of an XLSX file as one round of ``kind`` per unit, all or nothing.

    ``year`` defaults to ``assessed_on.year``. Raises PermissionDenied when ``actor`` may not record rounds of
    ``kind`` about any unit (nothing read), and ValidationError for an unknown kind, a year outside the edition or an
    assessment date outside 2000-01-01 .. today or outside ``year`` (``rounds.check_date``).
    Units the actor may not assess are reported as unknown units. Returns an ImportResult with every error (row,
    column, reason; nothing written, no audit entry) or with the rounds created through ``record_round`` and one
    IMPORT audit entry. Files too large or not XLSX are reported as errors, never raised.
    """
    result = ImportResult(file_name=file_name)
    if kind not in RoundKind.values:
        raise ValidationError({"kind": [_("Unknown kind of round.")]})
    year = year or assessed_on.year
    # the earliest zone's today as the bound here; each unit's own local date is checked by ``record_round``
    check_date(assessed_on, year, today=local_date(timezone.now(), zone_for_province("94")))
    if not (edition.valid_from <= year <= (edition.valid_to or year)):
        raise ValidationError({"year": [_("The edition %(edition)s does not cover %(year)s.")
                                        % {"edition": edition.name, "year": year}]})
    if not assessable_units(actor, kind).exists():
        raise PermissionDenied(_("You may not record this kind of assessment for any unit."))
    data, result.errors = read_upload(file)
    if data is None:
        return result
    units, result.errors, result.source = read_scores(actor=actor, edition=edition, kind=kind,
                                                      assessed_on=assessed_on, data=data)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for entry in units:
                try:
                    outcome = record_round(
                        actor=actor, edition=edition, year=year, kind=kind, assessed_on=assessed_on,
                        unit=entry.unit, dimension_scores=entry.dimensions, indicator_scores=entry.indicators,
                        title=title,
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    result.errors.extend(RowError(entry.first_row, "unit", str(m)) for m in messages)
                    continue
                result.rounds.append(outcome.round)
                result.findings += len(outcome.open_findings)
            if result.errors:
                raise _Rollback
            record(actor=actor, action=AuditAction.IMPORT, obj=None, note=_(
                "Imported %(file)s: %(summary)s") % {"file": file_name or "-", "summary": result.summary()})
    except _Rollback:
        result.rounds, result.findings = [], 0
    return result
