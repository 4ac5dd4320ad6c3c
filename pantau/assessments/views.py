"""Compliance pages: report cards per regency (by region code) and per unit, their trend charts, and the method
editions. Login required; a report card is shown only inside the user's VIEW scope (404 outside it).

Entry pages (a round about a unit; the Excel import of scores for many units) only parse input: writes go through
``assessments.actions.record_round`` and ``assessments.actions.import_scores``, which check permission and audit. A unit
outside the VIEW scope is 404; a user who may see it but not record any kind of round there gets 403.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.assessments import provenance, scoring, xlsx
from pantau.assessments.actions import (
    import_scores,
    local_today_of,
    may_publish,
    publish_round,
    record_round,
)
from pantau.assessments.forms import RoundForm, ScoresImportForm
from pantau.assessments.models import (
    AssessmentRound,
    ComplianceResult,
    MethodEdition,
    RoundKind,
    ValueType,
)
from pantau.assessments.results import Status, compare
from pantau.assessments.rules import RECORD_PERMISSION
from pantau.core.charts import line_chart, svg_response
from pantau.core.numbers import format_number
from pantau.findings.models import Credit, Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region
from pantau.workplans.models import Action


@dataclass(frozen=True)
class ResultRow:
    """A published result with its comparison status (``results.Status``)."""

    result: ComplianceResult
    status: str


@dataclass(frozen=True)
class YearRow:
    """One year side by side: the official result (if any) and the rounds of that year the user may see (drafts
    labelled, for those who may see them) with the mean total of the PUBLISHED rounds (None when none is)."""

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
    if not 0 < pk <= 2**63 - 1:
        raise Http404
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
        label = f"{name} ≥ {format_number(band.lower_bound)}"
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
        AssessmentRound.objects.visible_to(request.user).filter(rounds_q)
        .select_related("unit", "edition").prefetch_related("dimension_scores__dimension", "indicator_scores")
        .order_by("year", "kind", "unit__path", "id")
    )
    for assessment in rounds:
        assessment.can_publish = not assessment.is_published and may_publish(request.user, assessment)
    by_year: dict[int, list[AssessmentRound]] = defaultdict(list)
    for assessment in rounds:
        by_year[assessment.year].append(assessment)
    official_by_year = {r.year: r for r in results}
    years = sorted(set(by_year) | set(official_by_year))
    def published_totals(year: int) -> list[Decimal]:
        return [r.total for r in by_year.get(year, []) if r.total is not None and r.is_published]

    side_by_side = [
        YearRow(
            year, official_by_year.get(year), by_year.get(year, []),
            scoring.mean_score(published_totals(year)) if published_totals(year) else None,
        )
        for year in years
    ]
    findings: list[Finding] = []
    credits: list[Credit] = []
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
            Credit.objects.for_user(request.user, Permission.VIEW).filter(finding__in=findings)
            .select_related("action", "finding").order_by("measured_on", "id")
        )
    scored = [r for r in results if r.value_type == ValueType.INDEX and r.score is not None]
    edition = _current_edition(local_today_of(unit, region))
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
        "has_drafts": any(not r.is_published for r in rounds),
        "current_edition": edition,
        "thresholds": thresholds(edition),
        "Status": Status,
        "RoundKind": RoundKind,
        "can_record": unit is not None and bool(_kinds_on(request.user, unit)),
    }


def trend_chart_svg(results: list[ComplianceResult], title: str) -> bytes:
    """The trend of published index scores (SVG bytes) with the current edition's band thresholds: the page's
    chart and the report card PDF's."""
    scored = [r for r in results if r.value_type == ValueType.INDEX and r.score is not None]
    edition = _current_edition(local_today_of(None, None))
    return line_chart([str(r.year) for r in scored], [r.score for r in scored], title=title,
                      thresholds=thresholds(edition), positions=[r.year for r in scored])


def _chart(results: list[ComplianceResult], title: str) -> HttpResponse:
    return svg_response(trend_chart_svg(results, title))


def region_card(request: HttpRequest, code: str) -> dict[str, Any]:
    """The context of a region's report card as its page shows it (``_card_context`` plus the chart's URL and the
    heading); Http404 outside the user's VIEW scope. The page and its PDF (``reports``) both build on it."""
    region, government = _government_of(request, code)
    context = _card_context(request, unit=government, region=region)
    context["chart_url_name"] = "assessments:region_report_card_chart"
    context["chart_arg"] = region.code
    context["heading"] = government.name if government else region.name
    return context


@login_required
def region_report_card(request: HttpRequest, code: str) -> HttpResponse:
    """GET /report-cards/<region code>/: the government's compliance history (published and computed), trend,
    self-assessments side by side, findings and the actions answering them. 404 outside the user's scope."""
    return render(request, "assessments/report_card.html", region_card(request, code))


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
    editions = list(MethodEdition.objects.prefetch_related("dimensions", "bands").order_by("valid_from"))
    for edition in editions:
        edition.about = provenance.describe(edition)
        for band in edition.bands.all():
            band.sources = provenance.sources(band.source_note)
    return render(request, "assessments/method_list.html", {"editions": editions})


def _kinds_on(user: Any, unit: Unit) -> list[str]:
    """The kinds of round ``user`` may record about ``unit`` (``rounds.RECORD_PERMISSION``); none about an Ombudsman
    office, which is not assessed (``rounds.check_unit``)."""
    if unit.kind == UnitKind.OMBUDSMAN_OFFICE:
        return []
    return [kind for kind in RoundKind.values if has_unit_permission(user, RECORD_PERMISSION[kind], unit)]


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else (f"score_{name}" if f"score_{name}" in form.fields else None)
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /units/<pk>/assessment-rounds/new/[?edition=<code>]: record a round about the unit with a score per
    dimension of the edition (default: the edition valid today) and optional indicator scores; the total, band and
    findings are computed by ``record_round``. 404 outside VIEW scope; 403 when no kind of round may be recorded."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    unit = _visible_unit(request, pk)
    kinds = _kinds_on(request.user, unit)
    if not kinds:
        raise PermissionDenied(_("You may not record an assessment for this unit."))
    code = request.POST.get("edition") or request.GET.get("edition") or ""
    edition = MethodEdition.objects.filter(code=code).first() or _current_edition(unit.local_today())
    if edition is None:
        raise Http404
    editions = MethodEdition.objects.order_by("-valid_from")
    if request.method == "POST":
        form = RoundForm(request.POST, edition=edition, kinds=kinds)
        if form.is_valid():
            try:
                outcome = record_round(
                    actor=request.user, edition=edition, year=form.clean_year_or_date(),
                    kind=form.cleaned_data["kind"], assessed_on=form.cleaned_data["assessed_on"], unit=unit,
                    dimension_scores=form.dimension_scores(), indicator_scores=form.cleaned_data["indicators"],
                    pass_mark=form.cleaned_data["pass_mark"], title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                r = outcome.round
                if outcome.created:
                    messages.success(request, _(
                        "Round recorded: total %(total)s, band %(band)s (%(zone)s); %(open)d findings open, "
                        "%(closed)d closed.") % {"total": r.total, "band": r.computed_band,
                                                 "zone": r.get_computed_zone_display(),
                                                 "open": len(outcome.open_findings),
                                                 "closed": len(outcome.closed_findings)})
                else:
                    messages.warning(request, _("A round of this kind on this date was already recorded; nothing "
                                                "was changed."))
                return redirect("assessments:unit_report_card", unit.pk)
    else:
        form = RoundForm(initial={"edition": edition.code, "kind": kinds[0], "assessed_on": unit.local_today()},
                         edition=edition, kinds=kinds)
    return render(request, "assessments/round_form.html",
                  {"unit": unit, "form": form, "edition": edition, "editions": editions})


def _import_kinds(user: Any) -> list[str]:
    return [kind for kind in RoundKind.values if xlsx.assessable_units(user, kind).exists()]


@login_required
def scores_template(request: HttpRequest) -> HttpResponse:
    """GET /assessment-rounds/template.xlsx?edition=<code>&kind=<kind>: the empty import template with the edition's
    dimensions and the units the user may assess. 403 when the user may not record that kind of round anywhere."""
    kind = request.GET.get("kind", "")
    if kind not in RoundKind.values:
        raise Http404
    if kind not in _import_kinds(request.user):
        raise PermissionDenied(_("You may not record this kind of assessment for any unit."))
    edition = get_object_or_404(MethodEdition, code=request.GET.get("edition", "")[:40])
    response = HttpResponse(xlsx.build_template(actor=request.user, edition=edition, kind=kind),
                            content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-scores-{edition.code}-{kind}.xlsx"'
    return response


@login_required
def scores_import(request: HttpRequest) -> HttpResponse:
    """GET/POST /assessment-rounds/import/: upload an Excel file of scores, one round per unit, all or nothing;
    shows every error with its row and column. 403 when the user may not record any kind of round anywhere."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    kinds = _import_kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("You may not record assessments."))
    result = None
    if request.method == "POST":
        form = ScoresImportForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_scores(
                    actor=request.user, edition=form.cleaned_data["edition"], kind=form.cleaned_data["kind"],
                    assessed_on=form.cleaned_data["assessed_on"], year=form.clean_year_or_date(),
                    title=form.cleaned_data["title"], file=upload, file_name=str(upload.name)[:200],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
    else:
        edition = _current_edition(local_today_of(None, None))
        form = ScoresImportForm(initial={"edition": edition.code if edition else None, "kind": kinds[0]},
                                kinds=kinds)
    templates = [(edition, kind, dict(RoundKind.choices)[kind])
                 for edition in MethodEdition.objects.order_by("-valid_from") for kind in kinds]
    return render(request, "assessments/scores_import.html", {
        "form": form, "result": result, "columns": xlsx.column_help(), "templates": templates,
    })


@login_required
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /assessment-rounds/<pk>/publish/: publish a draft round (``actions.publish_round``; the Ombudsman's
    PUBLISH_RESULTS). 404 when the user may not see the round, 403 when they may not publish it; back to the
    report card of its unit (of its region for a regional round) with a message."""
    if not 0 < pk <= 2**63 - 1:
        raise Http404
    assessment = get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("unit"), pk=pk)
    try:
        publish_round(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round was published: viewers now see it."))
    if assessment.unit_id is not None:
        return redirect("assessments:unit_report_card", assessment.unit_id)
    return redirect("assessments:region_report_card", assessment.region_id)
