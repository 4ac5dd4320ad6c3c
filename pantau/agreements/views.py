"""Agreement pages: an MoU or work plan with its parties, signing, signatories by position and meetings."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.timeline import history

MAX_ID = 2**63 - 1


def header_context(agreement: Agreement) -> dict[str, Any]:
    """What the agreement header shows: ``{"agreement", "signatories" (list, signers first), "meetings" (list,
    by date)}``. Meeting counts that the source did not publish stay None and show as "not published"."""
    return {
        "agreement": agreement,
        "signatories": list(agreement.signatories.select_related("unit").order_by("capacity", "unit__path", "pk")),
        "meetings": list(agreement.meetings.order_by("date", "pk")),
    }


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreement the user may VIEW (else 404): its header, for an MoU the visible work plans under it, and
    its readable history (audit entries)."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    visible = Agreement.objects.for_user(request.user, Permission.VIEW)
    agreement = get_object_or_404(visible.select_related("government", "ombudsman_office", "parent"), pk=pk)
    children = visible.filter(parent=agreement, kind=AgreementKind.WORK_PLAN).order_by("-signed_on", "title")
    context = header_context(agreement)
    context["children"] = list(children)
    context["history"] = history(agreement)
    return render(request, "agreements/agreement_detail.html", context)
