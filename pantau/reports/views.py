"""Dashboard pages: the home page (public landing, or the user's to-do list and work plans), the work-plan dashboard,
and the PDF reports (quarterly progress report, report card, survey report; ``reports.pdfs``)."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import acts_nationally, has_unit_permission, provinces_with, units_for
from pantau.agreements.models import Agreement, AgreementKind
from pantau.agreements.views import header_context
from pantau.core.pagination import paginate
from pantau.core.pdf import pdf_response, render_pdf
from pantau.findings.models import Credit
from pantau.regions.models import Region
from pantau.reports import pdfs, todo
from pantau.reports.tasks import start_work_plan_pdf
from pantau.workplans import aggregates
from pantau.workplans import summary as dashboard
from pantau.workplans.models import Action, ProgressReport, ReportStatus
from pantau.workplans.quarters import Quarter, quarters_between

MAX_ID = 2**63 - 1
RETURNED_DAYS = 60
"""Returned reports stay on the reporter's home page this many days after the review."""


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get a short public landing with a login link; users get a to-do list (``reports.todo``: my
    actions due soon or overdue, actions escalated to me, reports waiting for me, my returned reports, my meetings in
    the coming 30 days) and the work plans they may VIEW, 50 per page (``?page=``), each with its overall reported
    and verified progress over the actions they may see, computed in the database (``workplans.aggregates``).
    A user whose plans lie in more than one province first sees one row per province (plans, actions, overdue, at
    risk, budget) linking to that province's plans (``?province=15``); nothing here loads every action, so a
    national user's page costs the same few queries as a regency's. For users who verify (Ombudsman assistants),
    the progress reports awaiting their verification, oldest first (at most 200); for users who report, the reports
    returned to them in the last RETURNED_DAYS days with the reason."""
    if not request.user.is_authenticated:
        return render(request, "reports/landing.html")
    now = timezone.now()
    all_plans = Agreement.objects.for_user(request.user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    provinces: list[dict[str, Any]] = []
    several = len(provinces_with(request.user, Permission.VIEW) or ()) > 1
    if several or acts_nationally(request.user, Permission.VIEW):  # head office or several Perwakilan: provinces
        rows_by_province = aggregates.by_province(request.user, now)
        names = Region.objects.in_bulk([row["code"] for row in rows_by_province if row["code"]])
        provinces = [{**row, "region": names.get(row["code"])} for row in rows_by_province]
    province = request.GET.get("province", "")[:2]
    province_codes = {row["code"] for row in provinces}
    plans = all_plans.select_related("government", "ombudsman_office").order_by("-signed_on", "title", "pk")
    if province in province_codes:
        plans = plans.filter(government__province_code=province)
    page = paginate(request, plans)
    figures = aggregates.plan_progress(request.user, [p.pk for p in page.object_list])
    rows = [{"plan": p, **figures[p.pk]} for p in page.object_list]
    pending = list(
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED,
            action__in=Action.objects.for_user(request.user, Permission.VERIFY_PROGRESS),
        )
        .select_related("action", "action__responsible_unit", "action__work_plan")
        .prefetch_related("evidence")
        .order_by("report_date", "id")[:200]
    )
    returned = list(
        ProgressReport.objects.filter(
            status=ReportStatus.RETURNED,
            reviewed_at__gte=timezone.now() - dt.timedelta(days=RETURNED_DAYS),
            action__in=Action.objects.for_user(request.user, Permission.REPORT_PROGRESS),
        )
        .select_related("action", "action__responsible_unit")
        .order_by("-reviewed_at")[:50]
    )
    for report in pending:
        report.waited_days = todo.waiting_days(report, now)
    return render(request, "reports/home.html", {
        "rows": rows, "page": page, "provinces": provinces, "province": province if province in province_codes else "",
        "pending": pending, "returned": returned,
        "my_actions": todo.my_actions(request.user, now),
        "escalated": todo.escalated_actions(request.user, now),
        "meetings": todo.upcoming_meetings(request.user, now),
        "meeting_days": todo.MEETING_DAYS,
    })


@login_required
def work_plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard of a work plan the user may VIEW (else 404): header, overall progress, counts by status,
    budget, overdue actions, roll-ups per agency and per district, all over the actions the user may see; each
    roll-up says how many of the actions it weighs reported. Statuses are derived at the request's instant, each
    action on its responsible unit's own local date (WIB, WITA, WIT)."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    plans = Agreement.objects.for_user(request.user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    plan = get_object_or_404(plans.select_related("government", "ombudsman_office", "parent"), pk=pk)
    actions = dashboard.load_actions(request.user, plan)
    context = header_context(plan)
    context.update(
        {
            "plan": plan,
            "summary": dashboard.summarize(actions, plan.government, timezone.now()),
            "can_set_weights": has_unit_permission(request.user, Permission.EDIT_ACTIONS, plan.government),
            "actions": actions,
            "credits": list(
                Credit.objects.for_user(request.user, Permission.VIEW).filter(action__work_plan=plan)
                .select_related("action", "finding").order_by("-measured_on", "id")[:50]
            ),
            "quarters": quarters_between(plan.signed_on or plan.created_at.date(), plan.government.local_today()),
            "can_import": has_unit_permission(request.user, Permission.IMPORT_ACTIONS, plan.government),
            "sees_government": has_unit_permission(request.user, Permission.VIEW, plan.government),
            "can_create": units_for(request.user, Permission.EDIT_ACTIONS).filter(
                path__startswith=plan.government.path
            ).exists(),
        }
    )
    return render(request, "reports/dashboard.html", context)


def _quarter(request: HttpRequest, plan: Agreement) -> Quarter | None:
    """The ``?quarter=2024Q3`` asked for (None when malformed), else the current quarter in the government's zone."""
    text = request.GET.get("quarter", "")
    if not text:
        return Quarter.containing(plan.government.local_today())
    try:
        return Quarter.parse(text[:20])
    except ValueError:
        return None


@login_required
def work_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /work-plans/<pk>/report.pdf?quarter=2024Q3&lang=en: the quarterly progress report of a plan the user may
    VIEW (else 404), over the actions the user may see (``reports.pdfs.work_plan_quarter``); the current quarter
    when none is given; 400 for a malformed quarter. Indonesian unless ``lang=en``."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    plans = Agreement.objects.for_user(request.user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    plan = get_object_or_404(plans.select_related("government", "government__region", "ombudsman_office"), pk=pk)
    quarter = _quarter(request, plan)
    if quarter is None:
        return HttpResponseBadRequest(_("Give the quarter as 2024Q3."))
    language = pdfs.pdf_language(request)
    content = pdfs.render_work_plan_quarter(user=request.user, plan=plan, quarter=quarter, language=language)
    return pdf_response(content, f"{slugify(plan.title)}-{quarter}.pdf", as_attachment=False)


@login_required
@require_POST
def work_plan_pdf_background(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /work-plans/<pk>/report.pdf/background/ with ``quarter`` (2024Q3) and ``lang``: queue the quarterly
    report as a background task (for large scopes) and go to its page on "Tugas saya". 404 when the plan is not
    visible; 400 for a malformed quarter."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    plans = Agreement.objects.for_user(request.user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    plan = get_object_or_404(plans.select_related("government"), pk=pk)
    try:
        quarter = Quarter.parse(request.POST.get("quarter", "")[:20])
    except ValueError:
        return HttpResponseBadRequest(_("Give the quarter as 2024Q3."))
    language = "en" if request.POST.get("lang") == "en" else "id"
    run = start_work_plan_pdf(user=request.user, plan=plan, quarter=quarter, language=language)
    return redirect("tasks:task_detail", pk=run.pk)


@login_required
def report_card_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """GET /report-cards/<region code>/report.pdf?lang=en: the compliance report card with the IKM per year
    (``reports.pdfs.report_card``); 404 outside the user's scope."""
    language = pdfs.pdf_language(request)
    with translation.override(language):
        context = pdfs.report_card(request, code[:20])
        content = render_pdf("reports/pdf/report_card.html", context, language=language)
    return pdf_response(content, f"report-card-{code[:20]}.pdf", as_attachment=False)


@login_required
def survey_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/report.pdf?lang=en: the survey report (``reports.pdfs.survey``); 404 outside the user's
    scope."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    language = pdfs.pdf_language(request)
    with translation.override(language):
        context = pdfs.survey(request, pk)
        content = render_pdf("reports/pdf/survey.html", context, language=language)
    period = context["period"]
    return pdf_response(content, f"skm-{period.pk}-{period.start_date:%Y%m%d}.pdf", as_attachment=False)
