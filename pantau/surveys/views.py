"""Survey pages: the public questionnaire (no login) and the staff pages (periods, results, import, compute).

Views stay thin: writes go through ``pantau.surveys.actions``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import acts_nationally, has_unit_permission, provinces_with, units_for
from pantau.audit.timeline import last_change
from pantau.core import ratelimit
from pantau.core.charts import bar_chart, line_chart, svg_response
from pantau.core.concurrency import StaleVersion, add_version, conflict_page, form_version
from pantau.core.numbers import format_number
from pantau.core.pagination import paginate
from pantau.core.qr import qr_svg_data_uri
from pantau.organizations.models import Unit
from pantau.regions.models import Region
from pantau.surveys import actions as services
from pantau.surveys import ikm, report, rollup
from pantau.surveys.forms import ComputeForm, ImportForm, PeriodForm, PublicResponseForm
from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.surveys.tasks import start_recompute

PUBLIC_RATE_LIMIT = 10
PUBLIC_RATE_WINDOW = 3600
"""At most this many public answers per client per hour (seconds). The client is known only by a keyed hash of its
IP address, kept in the cache for the window; the address itself is never stored."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""Largest accepted response file (10 MB, about 50,000 rows)."""


def _rate_limited(request: HttpRequest) -> bool:
    """Count one public answer for this client; True when the client is over the limit."""
    return ratelimit.hit(request, "surveys:public", limit=PUBLIC_RATE_LIMIT, window=PUBLIC_RATE_WINDOW)


def public_form(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /skm/<pk>/: the questionnaire of a period whose public form is open (404 otherwise).

    A filled honeypot gets the thank-you page without saving anything; a client over the rate limit (counted on
    complete answers only) gets 429.
    """
    period = get_object_or_404(SurveyPeriod.objects.select_related("unit"), pk=pk)
    if not period.accepts_public_answers():
        raise Http404
    form = PublicResponseForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return redirect("surveys:public_thanks", pk=period.pk)
        if form.is_valid():
            # only complete answers count towards the limit, so a respondent who first got an answer wrong is
            # not locked out; invalid posts store nothing
            if _rate_limited(request):
                return render(request, "surveys/public_form.html",
                              {"period": period, "form": form, "limited": True}, status=429)
            data = form.cleaned_data
            try:
                services.submit_public_response(
                    period=period, scores={code: data[code] for code in ikm.ELEMENT_CODES},
                    profile={k: data[k] for k in ("age", "sex", "education", "occupation", "service_received",
                                                   "comment")},
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                return redirect("surveys:public_thanks", pk=period.pk)
    return render(request, "surveys/public_form.html", {"period": period, "form": form})


def public_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /skm/<pk>/thanks/: thank-you page (200 for any pk).

    Names the unit only while the period's public form is open (what the questionnaire itself shows); for a closed,
    draft (form not public) or unknown period it is a generic thanks, so the page tells nothing about periods that
    are not open, not even whether they exist.
    """
    period = SurveyPeriod.objects.select_related("unit").filter(pk=pk).first()
    if period is not None and not period.accepts_public_answers():
        period = None
    return render(request, "surveys/public_thanks.html", {"period": period})


def _latest_results(user: Any = None) -> Prefetch:
    """Each period's results, newest first, as ``ordered_results``: the ones ``user`` may see (drafts only for who
    computed them and the Ombudsman, ``IkmResultQuerySet.visible_to``), or the published ones when no user is
    given (trends and roll-ups count published figures only)."""
    results = IkmResult.objects.visible_to(user) if user is not None else IkmResult.objects.published()
    return Prefetch("results", queryset=results.order_by("-computed_at", "-id"), to_attr="ordered_results")


def _latest_result(user: Any, period: SurveyPeriod) -> IkmResult | None:
    """The newest result of ``period`` that ``user`` may see (a draft is labelled on the page)."""
    return IkmResult.objects.visible_to(user).filter(period=period).order_by("-computed_at", "-id").first()


@login_required
@require_POST
def recompute_start(request: HttpRequest) -> HttpResponse:
    """POST /surveys/recompute/ [``province``=15]: queue the IKM recomputation (all provinces, or one) as a
    background task and go to its page on "Tugas saya". 403 without the right (``tasks.start_recompute``: a
    superuser nationally, an Ombudsman admin for their province); 400 for a malformed province code."""
    province = request.POST.get("province", "").strip()[:2] or None
    if province is not None and not (province.isdigit() and len(province) == 2):
        raise PermissionDenied(_("Give the province as a two-digit code such as 15."))
    run = start_recompute(user=request.user, province=province)
    return redirect("tasks:task_detail", pk=run.pk)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """GET /surveys/?page=: the survey periods the user may view, with their latest IKM, 50 per page
    (``core.pagination``)."""
    periods = (
        SurveyPeriod.objects.for_user(request.user, Permission.VIEW)
        .select_related("unit").prefetch_related(_latest_results(request.user))
        .order_by("-start_date", "unit__name", "pk")
    )
    page = paginate(request, periods)
    can_create = units_for(request.user, services.MANAGE_SURVEYS).exists()
    return render(request, "surveys/period_list.html",
                  {"periods": page.object_list, "page": page, "can_create": can_create})


def _put_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    """GET/POST /surveys/new/: a new survey period of a unit the user may manage surveys for (MANAGE_SURVEYS:
    the unit's officer, the coordinator, the Ombudsman admin)."""
    if not units_for(request.user, services.MANAGE_SURVEYS).exists():
        raise PermissionDenied(_("You do not have permission for this unit."))
    form = PeriodForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(actor=request.user, unit=form.cleaned_data["unit"], **form.period_data())
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, _("The survey period was saved."))
            return redirect("surveys:period_detail", pk=period.pk)
    return render(request, "surveys/period_form.html", {"form": form, "period": None})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /surveys/<pk>/edit/: change a period's service, dates, population, public form and note (404
    outside the VIEW scope, 403 without MANAGE_SURVEYS on its unit)."""
    period = _visible_period(request, pk)
    if not has_unit_permission(request.user, services.MANAGE_SURVEYS, period.unit):
        raise PermissionDenied(_("You do not have permission for this unit."))
    def build(data: Any, instance: SurveyPeriod) -> PeriodForm:
        return add_version(PeriodForm(data, user=request.user, instance=instance), instance)  # type: ignore[return-value]

    form = build(request.POST or None, period)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_period(actor=request.user, period=period, data=form.period_data(),
                                   expected_version=form_version(form))
        except StaleVersion as exc:
            return conflict_page(request, exc, form, rebuild=build, template="surveys/period_form.html",
                                 context={"period": period}, fields=services.PERIOD_FIELDS, entry_for=last_change,
                                 zone=period.unit.zone)
        except ValidationError as exc:
            period.refresh_from_db()
            _put_errors(form, exc)
        else:
            messages.success(request, _("The survey period was saved."))
            return redirect("surveys:period_detail", pk=period.pk)
    return render(request, "surveys/period_form.html", {"form": form, "period": period})


def _visible_period(request: HttpRequest, pk: int) -> SurveyPeriod:
    period = SurveyPeriod.objects.for_user(request.user, Permission.VIEW).select_related("unit").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def _trend_periods(request: HttpRequest, period: SurveyPeriod) -> list[SurveyPeriod]:
    """Visible periods of the same unit and service, oldest first, each with its PUBLISHED results as
    ``ordered_results`` (a trend is a roll-up over time: published figures only)."""
    return list(
        SurveyPeriod.objects.for_user(request.user, Permission.VIEW)
        .filter(unit=period.unit, service_name=period.service_name)
        .prefetch_related(_latest_results()).order_by("start_date", "id")
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/: the latest result per element with its chart, the trend across the unit's periods, the
    sample check, the XLSX report, and (for managers) import and compute."""
    return render(request, "surveys/period_detail.html", period_context(request, pk))


def period_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The survey page's context (Http404 outside the user's VIEW scope): the period, its latest result, whether it
    is graded, the trend periods (when more than one has a result), the number of responses and the managers'
    forms. The page and its PDF (``reports``) both build on it."""
    period = _visible_period(request, pk)
    result = _latest_result(request.user, period)
    trend = _trend_periods(request, period)
    context: dict[str, Any] = {
        "period": period,
        "result": result,
        "graded": result is not None and result.is_adequate is not False,
        "trend": trend if sum(1 for p in trend if p.ordered_results) > 1 else [],
        "n_responses": period.responses.count(),
        "can_manage": has_unit_permission(request.user, services.MANAGE_SURVEYS, period.unit),
        "can_publish": result is not None and not result.is_published
        and has_unit_permission(request.user, Permission.PUBLISH_RESULTS, period.unit),
        "import_form": ImportForm(),
        "compute_form": ComputeForm(),
        "public_url": public_form_url(request, period) if period.public_form else "",
    }
    return context


def public_form_url(request: HttpRequest, period: SurveyPeriod) -> str:
    """The full address of ``period``'s public questionnaire (scheme and host of the request, which Django checks
    against ``ALLOWED_HOSTS``), for staff to print or share."""
    return request.build_absolute_uri(reverse("surveys:public_form", args=[period.pk]))


@login_required
@require_GET
def period_counter(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/counter/: a page to print for the service counter: the unit, the service, a large QR code
    of the public questionnaire and its full address (VIEW scope; 404 when the public form is not open)."""
    period = _visible_period(request, pk)
    if not period.public_form:
        raise Http404
    url = public_form_url(request, period)
    return render(request, "surveys/period_counter.html", {
        "period": period, "public_url": url, "qr": qr_svg_data_uri(url, scale=8),
    })


@login_required
@require_POST
def period_import(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /surveys/<pk>/import/: import a file of paper questionnaires, all or nothing; errors are listed."""
    period = _visible_period(request, pk)
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    read = ""
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("file", [])]
    else:
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            errors = [_("The file is larger than 10 MB; import it in parts.")]
        else:
            result = services.import_responses(actor=request.user, period=period, data=upload.read(),
                                               file_name=upload.name)
            if result.ok:
                messages.success(request, _("%(count)d responses imported. %(read)s")
                                 % {"count": result.created, "read": result.read})
                return redirect("surveys:period_detail", pk=period.pk)
            errors = [str(e) for e in result.errors]
            read = result.read
    context = {"period": period, "errors": errors, "read": read}
    return render(request, "surveys/import_errors.html", context, status=400)


@login_required
@require_POST
def period_compute(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /surveys/<pk>/compute/: compute and store the IKM; low elements become findings."""
    period = _visible_period(request, pk)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an element weight."))
        return redirect("surveys:period_detail", pk=period.pk)
    try:
        result = services.compute_result(actor=request.user, period=period, weight=form.cleaned_data["weight"])
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("IKM %(ikm)s, grade %(grade)s.") % {"ikm": result.ikm, "grade": result.grade})
    return redirect("surveys:period_detail", pk=period.pk)


@login_required
@require_POST
def result_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /surveys/results/<pk>/publish/: publish a computed IKM result (``actions.publish_result``; the
    Ombudsman's PUBLISH_RESULTS). 404 when the user may not see it, 403 when they may not publish it."""
    result = IkmResult.objects.visible_to(request.user).select_related("period__unit").filter(pk=pk).first()
    if result is None:
        raise Http404
    try:
        services.publish_result(actor=request.user, result=result)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The result was published: viewers and roll-ups now count it."))
    return redirect("surveys:period_detail", pk=result.period_id)


GRADE_THRESHOLDS = [(float(g.lower_bound), g.letter) for g in ikm.GRADES[:3]]
"""Dashed lines at the lower bounds of A, B and C (rules.md table A)."""


@login_required
def chart_elements(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/elements.svg: the latest result's converted score per element, coloured by grade, with the
    grade bounds. A period below the minimum sample gets no grade colours (its grades are not reliable)."""
    period = _visible_period(request, pk)
    result = _latest_result(request.user, period)
    if result is None:
        raise Http404
    return svg_response(elements_chart_svg(result))


def elements_chart_svg(result: IkmResult) -> bytes:
    """The converted score per element of ``result`` (SVG bytes), coloured by grade unless the sample is too
    small, with the grade bounds: the page's chart and the PDF's."""
    rows = result.element_rows()
    colors = [row["grade"] if result.is_adequate is not False else "default" for row in rows]
    return bar_chart(
        [row["code"] for row in rows], [row["converted"] for row in rows], colors=colors,
        thresholds=GRADE_THRESHOLDS,
        title=_("Converted score per element (25-100), IKM %(ikm)s") % {"ikm": format_number(result.ikm)},
    )


@login_required
def chart_trend(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/trend.svg: the IKM of each period of the same unit and service, oldest first."""
    period = _visible_period(request, pk)
    return svg_response(trend_chart_svg(_trend_periods(request, period)))


def trend_chart_svg(periods: list[SurveyPeriod]) -> bytes:
    """The IKM of each of ``periods`` (oldest first, with ``ordered_results``) as a line (SVG bytes)."""
    labels = [date_format(p.start_date, "M Y") for p in periods]
    positions = [p.start_date.year + (p.start_date.timetuple().tm_yday - 1) / 365.25 for p in periods]
    values = [p.ordered_results[0].ikm if p.ordered_results else None for p in periods]
    return line_chart(labels, values, title=_("IKM per period"), thresholds=GRADE_THRESHOLDS, positions=positions)


@login_required
def period_report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/report.xlsx: the element table (totals, NRR, weighted NRR), IKM and grade as officials
    publish it, with the weight variant of the latest result (exact 1/9 when none) and the responses."""
    period = _visible_period(request, pk)
    totals, n = services.period_totals(period)
    if n == 0:
        raise Http404
    result = _latest_result(request.user, period)
    weight = ikm.Weight(result.weight_variant) if result else ikm.Weight.EXACT
    responses = (
        (row[0] or str(row[1]), dict(zip(ikm.ELEMENT_CODES, row[2:], strict=True)))
        for row in Response.objects.filter(period=period).order_by("id").values_list(
            "respondent_ref", "id", *[code.lower() for code in ikm.ELEMENT_CODES]).iterator(chunk_size=2000)
    )
    data = report.build_workbook(period=period, totals=totals, n=n, weight=weight, result=result,
                                 responses=responses)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="skm-{period.pk}-{period.start_date:%Y%m%d}.xlsx"'
    return response


@login_required
def period_rollup(request: HttpRequest, unit_pk: int | None = None) -> HttpResponse:
    """GET /surveys/rollup/[<unit_pk>/]?year=&weight=&region=: the population-weighted IKM of a unit's subtree and of
    each child unit, ranked; periods below the minimum sample are listed without grade or rank (rule: surveys.rollup).

    Without a unit, the scope the user works at (issue 11): the national Ombudsman sees one row per province
    (``?region=15``: one row per regency or city of that province); a Perwakilan (an office's grant on one
    province) sees its province's regencies and cities; anyone else the highest unit of their grants (the regency
    for a coordinator, the unit for an officer). Rows above one government are computed in the database
    (``rollup.grouped_rollup``), never by reading every period."""
    periods = SurveyPeriod.objects.for_user(request.user, Permission.VIEW)
    weight = request.GET.get("weight", ikm.Weight.EXACT.value)
    if weight not in ikm.Weight._value2member_map_:
        weight = ikm.Weight.EXACT.value
    if unit_pk is None:
        nationally = acts_nationally(request.user, Permission.VIEW)
        provinces = provinces_with(request.user, Permission.VIEW) or set()
        region = request.GET.get("region", "")[:2]
        if region and (nationally or region in provinces):
            return _region_rollup(request, periods.filter(province_code=region), weight, region)
        if nationally or len(provinces) > 1:
            return _region_rollup(request, periods, weight, None)
        if provinces:
            [only] = provinces
            return _region_rollup(request, periods.filter(province_code=only), weight, only)
        unit = units_for(request.user, Permission.VIEW).order_by(Length("path"), "path").first()
        if unit is None or not periods.exists():
            return render(request, "surveys/rollup.html", {"node": None, "years": []})
    else:
        unit = get_object_or_404(Unit, pk=unit_pk)
        if not has_unit_permission(request.user, Permission.VIEW, unit):
            raise Http404
    in_tree = periods.filter(unit__path__startswith=unit.path)
    years = sorted({d.year for d in in_tree.dates("start_date", "year")}, reverse=True)
    year = _int(request.GET.get("year")) or (years[0] if years else unit.local_today().year)
    node = rollup.node_rollup(periods=periods, unit=unit, year=year, weight=weight)
    context = {"node": node, "years": years, "ancestors": [a for a in unit.ancestors()
                                                            if has_unit_permission(request.user, Permission.VIEW, a)]}
    return render(request, "surveys/rollup.html", context)


def _region_rollup(request: HttpRequest, periods: Any, weight: str, region: str | None) -> HttpResponse:
    """The roll-up page above one government: per province (``region`` None) or per government of a province."""
    years = sorted({d.year for d in periods.dates("start_date", "year")}, reverse=True)
    year = _int(request.GET.get("year")) or (years[0] if years else timezone.now().year)
    by = "province" if region is None else "government"
    values = rollup.grouped_rollup(periods=periods, year=year, weight=weight, by=by)
    if region is None:
        names = {r.pk: r for r in Region.objects.filter(pk__in=[k for k in values if k])}
        rows = [rollup.RollupRow(names.get(code) or code, value) for code, value in values.items()]
    else:
        units = Unit.objects.in_bulk([k for k in values if k])
        rows = [rollup.RollupRow(units[pk], value) for pk, value in values.items() if pk in units]
    context = {"rows": rollup.rank_rows(rows), "years": years, "year": year, "weight": weight, "region": region,
               "region_obj": Region.objects.filter(pk=region).first() if region else None}
    return render(request, "surveys/rollup_regions.html", context)


def _top_visible_unit(user: Any, paths: list[str]) -> Unit:
    """The highest unit the user may view on the common branch of ``paths`` (the units holding periods)."""
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common.rstrip("/").rpartition("/")[0] + "/"
    parts = [p for p in common.strip("/").split("/") if p]
    candidates = ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1)]
    visible = units_for(user, Permission.VIEW).filter(path__in=candidates).order_by("path").first()
    return visible or Unit.objects.get(path=paths[0])


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) == 4 else None
