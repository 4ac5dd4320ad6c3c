"""PDF reports built from the same data functions as their pages, rendered with WeasyPrint
(``core.pdf.render_pdf``): the work plan's quarterly progress report, the regency report card and the survey report.

- Quarterly report: ``workplans.summary`` (the dashboard's loader and ``summarize``) over the actions the user may
  view, with each action's figures as of the quarter's end (``workplans.quarters.apply_as_of``; for the current
  quarter the stored figures, i.e. the dashboard's numbers); findings and the credits of measured change; a
  signatures block by position.
- Report card: ``assessments.views.region_card`` (the page's context) and the IKM per year of the government's
  subtree by the roll-up page's rule (``surveys.rollup``).
- Survey report: ``surveys.views.period_context`` (the page's context).

Indonesian first, English with ``?lang=en``; charts are ``core.charts`` SVGs embedded as ``data:`` URIs. A report
over a whole province or the country would be rendered on the background task queue DESIGN.md plans (not there yet);
until then ``pantau render_report`` renders a quarterly report from the command line.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement, Signatory
from pantau.agreements.views import header_context
from pantau.assessments.views import region_card, trend_chart_svg
from pantau.core.charts import PALETTE, hbar_chart, line_chart
from pantau.core.pdf import data_uri, render_pdf
from pantau.findings.models import Credit, Finding
from pantau.surveys import ikm, rollup
from pantau.surveys.models import SurveyPeriod
from pantau.surveys.views import GRADE_THRESHOLDS, elements_chart_svg, period_context
from pantau.surveys.views import trend_chart_svg as ikm_trend_chart_svg
from pantau.workplans import summary
from pantau.workplans.models import STATUS_LABELS, Action, ProgressReport
from pantau.workplans.progress import Status
from pantau.workplans.quarters import Quarter, apply_as_of

LANGUAGES = ("id", "en")
STATUS_COLORS = {
    Status.NOT_STARTED: "#8a8a8a", Status.ON_TRACK: "#1b7f3b", Status.AT_RISK: "#d4a017",
    Status.OVERDUE: "#c0392b", Status.DONE: "#6aa84f", Status.VERIFIED: PALETTE["default"],
    Status.CANCELLED: "#bbbbbb",
}


def pdf_language(request: HttpRequest) -> str:
    """``en`` when the request asks ``?lang=en``, else Indonesian (``id``), whatever the page's language."""
    return "en" if request.GET.get("lang") == "en" else "id"


def svg_uri(svg: bytes) -> str:
    """An SVG chart as a ``data:`` URI for ``<img src>``."""
    return data_uri(svg, "image/svg+xml")


# The work plan's quarterly report -----------------------------------------------------------------------------


def signatures(plan: Agreement, signatories: Sequence[Signatory]) -> list[dict[str, Any]]:
    """The signatures block: the government's side, then the Ombudsman office's, each by the position of the
    plan's signatory of that side (one who signed before one who witnessed), else a generic position; names are
    written by hand on the printed report."""
    sides = []
    for party, fallback in (
        (plan.government, _("Regent / regional coordinator")),
        (plan.ombudsman_office, _("Head of the Ombudsman regional office")),
    ):
        mine = [s for s in signatories if s.unit.is_within(party)]
        mine.sort(key=lambda s: s.capacity != Signatory.Capacity.SIGNED)
        sides.append({"unit": party, "position": mine[0].position if mine else fallback})
    return sides


def work_plan_quarter(*, user: Any, plan: Agreement, quarter: Quarter, now: dt.datetime) -> dict[str, Any]:
    """Everything the quarterly PDF shows, for the actions of ``plan`` that ``user`` may VIEW.

    Keys: ``plan``, ``quarter``, ``on`` (the date the statuses are taken: the quarter's end, or today in the
    government's zone for the current quarter), ``as_of_end`` (bool: figures recomputed as of the quarter's end),
    ``summary`` (``workplans.summary.summarize``), ``actions`` (rows with depth and status), ``reports`` (counts of
    progress reports dated in the quarter by review state), ``findings``, ``credits``, ``meetings`` (in the
    quarter), ``signatures``, ``charts`` (data URIs), ``header`` (``agreements.views.header_context``).
    """
    today = plan.government.local_today(now)
    on = min(quarter.end, today)
    everything = summary.load_trees([plan.pk])
    as_of_end = quarter.end < today
    if as_of_end:
        apply_as_of(everything, quarter.end)
    actions = summary.visible(user, everything)
    figures = summary.summarize(actions, plan.government, on)
    ids = {a.pk for a in actions}
    depth: dict[int, int] = {}
    for action in actions:  # parents come before children in code order; a hidden parent counts as a root
        depth[action.pk] = depth.get(action.parent_id, -1) + 1 if action.parent_id in ids else 0
    rows = [{"action": a, "depth": depth[a.pk], "status": a.status_on(on),
             "status_label": STATUS_LABELS[a.status_on(on)]} for a in actions]
    reports = dict(
        ProgressReport.objects.filter(action_id__in=ids, report_date__range=(quarter.start, quarter.end))
        .values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    visible_actions = Action.objects.for_user(user, Permission.VIEW)
    findings = list(
        Finding.objects.for_user(user, Permission.VIEW).filter(actions__work_plan=plan, detected_on__lte=quarter.end)
        .distinct().select_related("unit")
        .prefetch_related(Prefetch("actions", to_attr="plan_actions",
                                   queryset=visible_actions.filter(work_plan=plan).order_by("sort_key", "code")))
        .order_by("detected_on", "id")
    )
    credits = list(
        Credit.objects.for_user(user, Permission.VIEW).filter(action__work_plan=plan, measured_on__lte=quarter.end)
        .select_related("action", "finding").order_by("measured_on", "id")
    )
    header = header_context(plan)
    counts = [s for s in figures["statuses"] if s["count"]]
    charts = {}
    if counts:
        charts["statuses"] = svg_uri(hbar_chart(
            [str(s["label"]) for s in counts], [s["count"] for s in counts],
            colors=[STATUS_COLORS[s["code"]] for s in counts], title=_("Actions by status")))
    if figures["agencies"]:
        charts["agencies"] = svg_uri(hbar_chart(
            [r["unit"].short_name or r["unit"].name for r in figures["agencies"]],
            [r["verified"] for r in figures["agencies"]], xmax=100, value_suffix=" %",
            title=_("Verified progress per agency")))
    return {
        "title": _("Work plan progress report, %(quarter)s") % {"quarter": quarter.label},
        "plan": plan, "quarter": quarter, "on": on, "as_of_end": as_of_end, "summary": figures, "actions": rows,
        "reports": {"accepted": reports.get("accepted", 0), "submitted": reports.get("submitted", 0),
                    "returned": reports.get("returned", 0)},
        "findings": [{"finding": f, "closed": f.closed_on is not None and f.closed_on <= quarter.end}
                     for f in findings],
        "credits": credits,
        "meetings": [m for m in header["meetings"] if quarter.start <= m.date <= quarter.end],
        "signatures": signatures(plan, header["signatories"]),
        "signing_place": plan.government.region.name if plan.government.region_id else plan.government.name,
        "charts": charts,
        "header": header,
    }


def render_work_plan_quarter(*, user: Any, plan: Agreement, quarter: Quarter, language: str = "id",
                             now: dt.datetime | None = None) -> bytes:
    """The quarterly report as PDF bytes in ``language`` (``id`` or ``en``)."""
    with translation.override(language):
        context = work_plan_quarter(user=user, plan=plan, quarter=quarter, now=now or timezone.now())
        return render_pdf("reports/pdf/work_plan_quarter.html", context, language=language)


# The regency report card ----------------------------------------------------------------------------------------


def ikm_history(user: Any, unit: Any, weight: str = ikm.Weight.EXACT.value) -> list[dict[str, Any]]:
    """The IKM of ``unit``'s subtree per year (periods by their start year), by the roll-up page's rule
    (``surveys.rollup.rollup``: population-weighted, adequate samples only), oldest first: ``[{"year": int,
    "value": rollup.RollupValue}, ...]``. Two queries."""
    periods = SurveyPeriod.objects.for_user(user, Permission.VIEW).filter(unit__path__startswith=unit.path)
    by_year: dict[int, list[rollup.RollupEntry]] = defaultdict(list)
    for line in rollup.period_lines(periods.select_related("unit").order_by("start_date", "id"), weight):
        by_year[line.period.start_date.year].append(line.entry)
    return [{"year": year, "value": rollup.rollup(entries)} for year, entries in sorted(by_year.items())]


def report_card(request: HttpRequest, code: str) -> dict[str, Any]:
    """The report card page's context (``assessments.views.region_card``; Http404 outside the user's scope) with
    the IKM per year of the government's subtree and both charts as data URIs."""
    context = region_card(request, code)
    government = context["unit"]
    history = ikm_history(request.user, government) if government is not None else []
    charts = {}
    if context["has_chart"]:
        charts["trend"] = svg_uri(trend_chart_svg([row.result for row in context["rows"]], context["heading"]))
    if any(h["value"].ikm is not None for h in history):
        charts["ikm"] = svg_uri(line_chart([str(h["year"]) for h in history], [h["value"].ikm for h in history],
                                           title=_("IKM per year (population-weighted)"),
                                           thresholds=GRADE_THRESHOLDS, positions=[h["year"] for h in history]))
    context.update({"title": _("Compliance report card: %(name)s") % {"name": context["heading"]},
                    "ikm_history": history, "charts": charts})
    return context


# The survey report ------------------------------------------------------------------------------------------------


def survey(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The survey page's context (``surveys.views.period_context``; Http404 outside the user's scope) with the
    element chart and, when there is a trend, the trend chart as data URIs."""
    context = period_context(request, pk)
    charts = {}
    if context["result"] is not None:
        charts["elements"] = svg_uri(elements_chart_svg(context["result"]))
    if context["trend"]:
        charts["trend"] = svg_uri(ikm_trend_chart_svg(context["trend"]))
    period = context["period"]
    context.update({"title": _("Community satisfaction survey: %(unit)s") % {"unit": period.unit.name},
                    "charts": charts})
    return context
