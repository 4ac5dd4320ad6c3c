"""Compliance pages: report cards per regency (by region code) and per unit, their trend charts, and the method
editions. Login required; a report card is shown only inside the user's VIEW scope (404 outside it).

Views only read: writes go through ``assessments.rounds`` and ``assessments.results``.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.assessments import scoring
from pantau.assessments.models import (
    ActionCredit,
    AssessmentRound,
    ComplianceResult,
    MethodEdition,
    RoundKind,
    ValueType,
)
from pantau.assessments.results import Status, compare
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region
from pantau.reports.charts import line_chart, svg_response
from pantau.workplans.models import Action, Finding, FindingSource


@dataclass(frozen=True)
class ResultRow:
    """A published result with its comparison status (``results.Status``)."""

    result: ComplianceResult
    status: str


@dataclass(frozen=True)
class YearRow:
    """One year side by side: the official result (if any) and the rounds of that year with their mean total."""

    year: int
    official: ComplianceResult | None
    rounds: list[AssessmentRound]
    mean: Decimal | None


def _government_of(request: HttpRequest, code: str) -> tuple[Region, Unit | None]:
    """The region (province or regency/city) and its government unit in the user's VIEW scope; 404 when the user
    may not see it (a superuser may see a region without a government unit)."""
    region = get_object_or_404(Region, code=code, level__lte=2)
    government = (
        units_for(request.user, Permission.VIEW)
        .filter(region=region, kind=UnitKind.REGIONAL_GOVERNMENT).order_by("pk").first()
    )
    if government is None and not request.user.is_superuser:
        raise Http404
    return region, government


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def _results(unit: Unit | None, region: Region | None) -> list[ComplianceResult]:
    q = Q(pk__in=[])
    if unit is not None:
        q |= Q(unit=unit)
    if region is not None:
        q |= Q(region=region)
    return list(ComplianceResult.objects.filter(q).select_related("edition").order_by("year", "id"))


def _current_edition(today: dt.date) -> MethodEdition | None:
    return MethodEdition.objects.for_year(today.year) or MethodEdition.objects.order_by("-valid_from").first()


def thresholds(edition: MethodEdition | None) -> list[tuple[float, str]]:
    """Chart threshold lines for ``edition``: each band's lower bound above 0, labelled with its code (and
    "provisional" where the bound is UNCERTAIN)."""
    if edition is None:
        return []
    lines = []
    for band in edition.band_rules():
        if band.lower_bound <= 0:
            continue
        name = band.code if len(band.code) <= 2 else band.label  # "A" .. "E", else "Zona Hijau (88-100)"
        label = f"{name} ≥ {band.lower_bound}"
        if band.is_provisional:
            label += " (" + _("provisional") + ")"
        lines.append((float(band.lower_bound), label))
    return lines


def _card_context(request: HttpRequest, *, unit: Unit | None, region: Region | None) -> dict[str, Any]:
    results = _results(unit, region)
    rows = [
        ResultRow(r, compare(
            scoring.BandResult(r.score, r.computed_band, "", r.computed_zone, r.computed_provisional)
            if r.computed_band else None, r.value_type, r.score, r.published_zone, r.published_category,
        ))
        for r in results
    ]
    rounds_q = Q(pk__in=[])
    if unit is not None:
        rounds_q |= Q(unit__path__startswith=unit.path)
    if region is not None:
        rounds_q |= Q(unit__isnull=True, region=region)
    rounds = list(
        AssessmentRound.objects.for_user(request.user, Permission.VIEW).filter(rounds_q)
        .select_related("unit", "edition").prefetch_related("dimension_scores__dimension", "indicator_scores")
        .order_by("year", "kind", "unit__path", "id")
    )
    by_year: dict[int, list[AssessmentRound]] = defaultdict(list)
    for assessment in rounds:
        by_year[assessment.year].append(assessment)
    official_by_year = {r.year: r for r in results}
    years = sorted(set(by_year) | set(official_by_year))
    side_by_side = [
        YearRow(
            year, official_by_year.get(year), by_year.get(year, []),
            scoring.mean_score([r.total for r in by_year[year] if r.total is not None])
            if any(r.total is not None for r in by_year.get(year, [])) else None,
        )
        for year in years
    ]
    findings: list[Finding] = []
    credits: list[ActionCredit] = []
    if unit is not None:
        visible_actions = Action.objects.for_user(request.user, Permission.VIEW)
        findings = list(
            Finding.objects.for_user(request.user, Permission.VIEW)
            .filter(source=FindingSource.ASSESSMENT, unit__path__startswith=unit.path)
            .select_related("unit")
            .prefetch_related(Prefetch("actions", queryset=visible_actions.order_by("id"), to_attr="visible_actions"))
            .order_by("closed_on", "unit__path", "source_key")
        )
        credits = list(
            ActionCredit.objects.filter(finding__in=findings, action__in=visible_actions)
            .select_related("round", "action", "finding").order_by("round__assessed_on", "id")
        )
    scored = [r for r in results if r.value_type == ValueType.INDEX and r.score is not None]
    edition = _current_edition(dt.date.today())
    return {
        "unit": unit,
        "region": region,
        "rows": rows,
        "zones": [r for r in results if r.computed_zone or r.published_zone],
        "latest": scored[-1] if scored else None,
        "has_chart": bool(scored),
        "side_by_side": side_by_side,
        "rounds": rounds,
        "findings": findings,
        "credits": credits,
        "has_sample": any(r.is_sample for r in rounds) or any(f.is_sample for f in findings),
        "current_edition": edition,
        "thresholds": thresholds(edition),
        "Status": Status,
        "RoundKind": RoundKind,
    }


def _chart(results: list[ComplianceResult], title: str) -> HttpResponse:
    scored = [r for r in results if r.value_type == ValueType.INDEX and r.score is not None]
    edition = _current_edition(dt.date.today())
    svg = line_chart([str(r.year) for r in scored], [r.score for r in scored], title=title,
                     thresholds=thresholds(edition))
    return svg_response(svg)


@login_required
def region_report_card(request: HttpRequest, code: str) -> HttpResponse:
    """GET /report-cards/<region code>/: the government's compliance history (published and computed), trend,
    self-assessments side by side, findings and the actions answering them. 404 outside the user's scope."""
    region, government = _government_of(request, code)
    context = _card_context(request, unit=government, region=region)
    context["chart_url_name"] = "assessments:region_report_card_chart"
    context["chart_arg"] = region.code
    context["heading"] = government.name if government else region.name
    return render(request, "assessments/report_card.html", context)


@login_required
def region_report_card_chart(request: HttpRequest, code: str) -> HttpResponse:
    """GET /report-cards/<region code>/trend.svg: the trend of published index scores with the current edition's
    band thresholds."""
    region, government = _government_of(request, code)
    return _chart(_results(government, region), region.name)


@login_required
def unit_report_card(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /units/<pk>/report-card/: the report card of a unit (for a regional government also its region's
    published results). 404 outside the user's VIEW scope."""
    unit = _visible_unit(request, pk)
    region = unit.region if unit.kind == UnitKind.REGIONAL_GOVERNMENT else None
    context = _card_context(request, unit=unit, region=region)
    context["chart_url_name"] = "assessments:unit_report_card_chart"
    context["chart_arg"] = unit.pk
    context["heading"] = unit.name
    return render(request, "assessments/report_card.html", context)


@login_required
def unit_report_card_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /units/<pk>/report-card/trend.svg."""
    unit = _visible_unit(request, pk)
    region = unit.region if unit.kind == UnitKind.REGIONAL_GOVERNMENT else None
    return _chart(_results(unit, region), unit.name)


@login_required
def method_list(request: HttpRequest) -> HttpResponse:
    """GET /assessment-methods/: every method edition with its dimensions, weights, bands and sources;
    provisional values are marked."""
    editions = MethodEdition.objects.prefetch_related("dimensions", "bands").order_by("valid_from")
    return render(request, "assessments/method_list.html", {"editions": editions})
