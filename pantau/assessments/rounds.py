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

Every write checks permission, runs in a transaction and is audited.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.assessments import scoring
from pantau.assessments.models import (
    AssessmentRound,
    ComplianceResult,
    Dimension,
    DimensionScore,
    IndicatorScore,
    MethodEdition,
    RoundKind,
)
from pantau.assessments.results import can_import
from pantau.audit.models import AuditAction
from pantau.audit.services import record, snapshot
from pantau.findings.actions import close_findings, record_finding
from pantau.findings.models import Credit, Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region

RECORD_PERMISSION: dict[str, str] = {
    RoundKind.SELF_ASSESSMENT: Permission.RECORD_SELF_ASSESSMENT,
    RoundKind.PRE_EVALUATION: Permission.RECORD_ASSESSMENTS,
    RoundKind.OFFICIAL: Permission.RECORD_ASSESSMENTS,
}
"""Who may record a round about a unit: the government's planners record its self-assessment
(RECORD_SELF_ASSESSMENT); the Ombudsman's assistants and admins record pre-evaluations and official results
(RECORD_ASSESSMENTS). A round addressed only by region needs ``results.can_import`` for its province (the Ombudsman
office)."""

KIND_GROUP: dict[str, str] = {
    RoundKind.SELF_ASSESSMENT: "self",
    RoundKind.PRE_EVALUATION: "ombudsman",
    RoundKind.OFFICIAL: "ombudsman",
}
"""The group of a round's kind in its findings' keys: a round closes only findings of its own group (see the module
docstring)."""

EARLIEST_ASSESSMENT = dt.date(2000, 1, 1)
"""No round is dated before this day (the Ombudsman's compliance assessment started long after it)."""

MAX_INDICATORS = 200
"""At most this many indicator scores in one round (all dimensions together)."""
INDICATOR_CODE_MAX = 60
INDICATOR_NAME_MAX = 300
MAX_NOTE = 10_000
"""At most this many characters in a round's note."""
_INDICATOR_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")

IndicatorInput = Mapping[str, Mapping[str, tuple[str, Decimal | str]]]
"""Indicator scores: dimension code -> indicator code -> (indicator name, score 0-100)."""


@dataclass
class RoundOutcome:
    """What ``record_round`` did: the round, whether it was created now, the findings it left open (new or still
    failing), the findings it closed and the credits it gave to actions."""

    round: AssessmentRound
    created: bool
    open_findings: list[Finding] = field(default_factory=list)
    closed_findings: list[Finding] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


def finding_key(edition: MethodEdition, dimension: str, indicator: str = "", *, kind: str) -> str:
    """The findings' ``source_key`` of a dimension or an indicator measured by a round of ``kind``:
    ``assessment:<group>:<edition>:<dimension>[:<indicator>]`` with group ``self`` or ``ombudsman``
    (``KIND_GROUP``). Stable across rounds of the edition and group, so that a later round of the same group can
    close it, and only such a round."""
    key = f"assessment:{KIND_GROUP[kind]}:{edition.code}:{dimension}"
    return f"{key}:{indicator}" if indicator else key


def _check_actor(actor: Any, kind: str, unit: Unit | None, region: Region | None) -> None:
    if unit is not None:
        if not has_unit_permission(actor, RECORD_PERMISSION[kind], unit):
            raise PermissionDenied(_("You may not record this assessment for this unit."))
        return
    assert region is not None
    if not can_import(actor, {region.code[:2]}):
        raise PermissionDenied(_("Only the Ombudsman office of the province may record a regional assessment."))


def is_indicator_code(code: str) -> bool:
    """True for a valid indicator code: 1 to ``INDICATOR_CODE_MAX`` letters, digits, - and _."""
    return len(code) <= INDICATOR_CODE_MAX and bool(_INDICATOR_CODE.match(code))


def check_date(assessed_on: dt.date, year: int | None = None, *, today: dt.date | None = None) -> None:
    """Raise ValidationError unless ``assessed_on`` lies within ``EARLIEST_ASSESSMENT`` .. today (not in the future)
    and, when ``year`` is given, falls in that assessment year."""
    today = today or dt.date.today()
    if not EARLIEST_ASSESSMENT <= assessed_on <= today:
        raise ValidationError({"assessed_on": [
            _("The assessment date must lie between %(earliest)s and today (%(today)s).")
            % {"earliest": EARLIEST_ASSESSMENT.isoformat(), "today": today.isoformat()}
        ]})
    if year is not None and assessed_on.year != year:
        raise ValidationError({"assessed_on": [
            _("The assessment date %(date)s is not in the assessment year %(year)s.")
            % {"date": assessed_on.isoformat(), "year": year}
        ]})


def check_unit(unit: Unit | None) -> None:
    """Raise ValidationError when ``unit`` is an Ombudsman office: the Ombudsman assesses governments, not itself."""
    if unit is not None and unit.kind == UnitKind.OMBUDSMAN_OFFICE:
        raise ValidationError({"unit": [_("An Ombudsman office is not assessed: choose a government unit.")]})


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
    check_date(assessed_on, year)
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
                                        % {"edition": edition.code, "year": year}]})
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
    assessment = AssessmentRound.objects.create(
        edition=edition, year=year, kind=kind, unit=unit, region=entity_region, province_code=province,
        assessed_on=assessed_on, title=title[:300], total=total, computed_band=band.code, computed_zone=band.zone,
        computed_provisional=band.is_provisional, bands_used=scoring.bands_snapshot(rules), pass_mark=mark,
        is_sample=is_sample, note=note,
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(round=assessment, dimension=dimensions[code], score=score) for code, score in scores.items()
    )
    IndicatorScore.objects.bulk_create(
        IndicatorScore(round=assessment, dimension=dimensions[dim_code], code=code, name=name[:300], score=score)
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
                % {"indicator": name, "score": score, "mark": assessment.pass_mark},
                detail=_("%(round)s %(year)s (%(edition)s). Pass mark: Pantau's choice, the lowest bound of the "
                         "green zone; the regulation sets none per indicator.")
                % {"round": kind_label, "year": assessment.year, "edition": assessment.edition.code},
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
