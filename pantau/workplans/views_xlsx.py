"""Excel pages of a work plan: download the import template, export the actions, upload a file to import.

Views stay thin: the work is in ``pantau.workplans.xlsx``. A work plan the user may not VIEW is 404; a user who may
view it but lacks IMPORT_ACTIONS on its government gets 403 on the import page and nothing changes.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.workplans import xlsx

MAX_ID = 2**63 - 1


class ImportForm(forms.Form):
    """The upload form: one XLSX file (size and format are checked by the importer, which reports every error)."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


def _plan_or_404(user: Any, pk: int) -> Agreement:
    """The work plan ``pk`` if ``user`` may VIEW it, else Http404 (also for ids no row can have)."""
    if pk < 1 or pk > MAX_ID:
        raise Http404
    plans = Agreement.objects.for_user(user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    return get_object_or_404(plans.select_related("government"), pk=pk)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def actions_template(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the empty import template of work plan ``pk`` (XLSX attachment). 404 when the plan is not visible."""
    plan = _plan_or_404(request.user, pk)
    return _xlsx_response(xlsx.build_template(plan), f"actions_template-{plan.pk}.xlsx")


@login_required
@require_GET
def actions_export(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the actions of work plan ``pk`` the user may view, as XLSX. 404 when the plan is not visible."""
    plan = _plan_or_404(request.user, pk)
    name = slugify(plan.title)[:60] or "work-plan"
    return _xlsx_response(xlsx.export_actions(actor=request.user, work_plan=plan), f"actions-{plan.pk}-{name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def actions_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: import the uploaded file, all or nothing, and show the result (counts, or every
    error with its row and column). 404 when the plan is not visible; 403 without IMPORT_ACTIONS on its government.
    """
    plan = _plan_or_404(request.user, pk)
    if not has_unit_permission(request.user, Permission.IMPORT_ACTIONS, plan.government):
        raise PermissionDenied(_("You may not import actions into this work plan."))
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = xlsx.import_actions(
                actor=request.user, work_plan=plan, file=upload, file_name=str(upload.name)[:200]
            )
            if result.ok:
                form = ImportForm()
    else:
        form = ImportForm()
    return render(
        request, "workplans/xlsx_import.html",
        {"plan": plan, "form": form, "result": result, "columns": xlsx.column_help()},
    )
