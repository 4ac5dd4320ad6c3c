"""Survey pages: the public questionnaire (no login) and the staff pages (periods, results, import, compute).

Views stay thin: writes go through ``pantau.surveys.services``.
"""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.surveys import ikm, services
from pantau.surveys.forms import ComputeForm, ImportForm, PublicResponseForm
from pantau.surveys.models import IkmResult, SurveyPeriod

PUBLIC_RATE_LIMIT = 10
PUBLIC_RATE_WINDOW = 3600
"""At most this many public answers per client per hour (seconds). The client is known only by a keyed hash of its
IP address, kept in the cache for the window; the address itself is never stored."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""Largest accepted response file (10 MB, about 50,000 rows)."""


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"surveys:public-rate:{digest[:32]}"


def _rate_limited(request: HttpRequest) -> bool:
    """Count one public answer for this client; True when the client is over the limit."""
    key = _client_key(request)
    if cache.add(key, 1, PUBLIC_RATE_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, PUBLIC_RATE_WINDOW)
        return False
    return count > PUBLIC_RATE_LIMIT


def public_form(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /skm/<pk>/: the questionnaire of a period whose public form is open (404 otherwise).

    A filled honeypot gets the thank-you page without saving anything; a client over the rate limit gets 429.
    """
    period = get_object_or_404(SurveyPeriod.objects.select_related("unit"), pk=pk)
    if not period.accepts_public_answers():
        raise Http404
    form = PublicResponseForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return redirect("surveys:public_thanks", pk=period.pk)
        if _rate_limited(request):
            return render(request, "surveys/public_form.html", {"period": period, "form": form, "limited": True},
                          status=429)
        if form.is_valid():
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
    """GET /skm/<pk>/thanks/: thank-you page."""
    period = get_object_or_404(SurveyPeriod.objects.select_related("unit"), pk=pk)
    return render(request, "surveys/public_thanks.html", {"period": period})


def _latest_results() -> Prefetch:
    return Prefetch("results", queryset=IkmResult.objects.order_by("-computed_at", "-id"), to_attr="ordered_results")


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """GET /surveys/: the survey periods the user may view, with their latest IKM."""
    periods = (
        SurveyPeriod.objects.for_user(request.user, Permission.VIEW)
        .select_related("unit").prefetch_related(_latest_results()).order_by("-start_date", "unit__name")
    )
    return render(request, "surveys/period_list.html", {"periods": periods})


def _visible_period(request: HttpRequest, pk: int) -> SurveyPeriod:
    period = SurveyPeriod.objects.for_user(request.user, Permission.VIEW).select_related("unit").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /surveys/<pk>/: the latest result per element, the sample check, and (for managers) import and compute."""
    period = _visible_period(request, pk)
    result = period.results.order_by("-computed_at", "-id").first()
    context: dict[str, Any] = {
        "period": period,
        "result": result,
        "n_responses": period.responses.count(),
        "can_manage": has_unit_permission(request.user, services.MANAGE_SURVEYS, period.unit),
        "import_form": ImportForm(),
        "compute_form": ComputeForm(),
    }
    return render(request, "surveys/period_detail.html", context)


@login_required
@require_POST
def period_import(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /surveys/<pk>/import/: import a file of paper questionnaires, all or nothing; errors are listed."""
    period = _visible_period(request, pk)
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
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
                messages.success(request, _("%(count)d responses imported.") % {"count": result.created})
                return redirect("surveys:period_detail", pk=period.pk)
            errors = [str(e) for e in result.errors]
    context = {"period": period, "errors": errors}
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
