"""Findings pages: the findings of a work plan's government and the bulk action that turns them into proposed
actions.

The loop of DESIGN.md: a gap found by a standards check, an assessment or a survey (a Finding) becomes an action in
the work plan in one step, pre-filled (``findings.actions.propose_actions``); a later measurement closes it and
credits the actions.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.core.fields import DecimalInputField, IndonesianDateField
from pantau.core.pagination import paginate
from pantau.findings.actions import propose_actions
from pantau.findings.filters import FindingFilterSet
from pantau.findings.models import Finding
from pantau.workplans.models import Action
from pantau.workplans.views import visible_plan_or_404


class ProposeForm(forms.Form):
    """The bulk action: the chosen findings, an optional due date and an optional weight for the proposed actions
    (needed when the plan's top-level actions carry weights: all or none, docs/status.md)."""

    due_date = IndonesianDateField(
        label=gettext_lazy("Due date of the proposed actions"), required=False,
        help_text=gettext_lazy("Day first, e.g. 31/08/2024 or 31 Agustus 2024; empty: 180 days from today. Tick the "
                               "findings below first."))
    weight = DecimalInputField(label=gettext_lazy("Weight of each proposed action"), required=False, places=2,
                               min_value=Decimal("0.01"), max_value=Decimal("999999.99"),
                               help_text=gettext_lazy("Needed when the plan's top-level actions have weights."))

    def clean_due_date(self) -> dt.date | None:
        """A due date, when given, must fall in 2000-2100 (as every action date)."""
        value = self.cleaned_data["due_date"]
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("The year must be between %(first)d and %(last)d.")
                                        % {"first": 2000, "last": 2100})
        return value


def _findings(user: Any, plan: Any) -> Any:
    """Findings about units of the plan's government that ``user`` may VIEW."""
    return (
        Finding.objects.for_user(user, Permission.VIEW)
        .filter(unit__path__startswith=plan.government.path)
        .select_related("unit")
        .prefetch_related("actions")
    )


@login_required
def finding_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """GET /work-plans/<id>/findings/?page=: the findings the user may see (open ones by default), 50 per page
    (``core.pagination``), with the actions that answer them in this plan; POST turns the chosen findings into
    proposed actions (needs EDIT_ACTIONS on each finding's unit: all or nothing, 403 when any is outside the user's
    scope). 404 when the plan is not visible."""
    plan = visible_plan_or_404(request.user, plan_pk)
    visible = _findings(request.user, plan)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        ids = {int(v) for v in request.POST.getlist("finding") if v.isdigit() and len(v) < 19}
        chosen = list(visible.filter(pk__in=ids, closed_on__isnull=True).select_related("unit"))
        if any(not has_unit_permission(request.user, Permission.EDIT_ACTIONS, f.unit) for f in chosen):
            raise PermissionDenied(_("You may not propose actions for the unit of one of these findings."))
        if not chosen:
            messages.error(request, _("Choose at least one open finding."))
        elif len(chosen) < len(ids):
            messages.error(request, _("Some of the chosen findings are closed or not yours to see; nothing was "
                                      "proposed. Choose again from the list."))
        elif form.is_valid():
            try:
                created = propose_actions(actor=request.user, work_plan=plan, findings=chosen,
                                          due_date=form.cleaned_data["due_date"], weight=form.cleaned_data["weight"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(count)d proposed action(s) added to the work plan.")
                                 % {"count": len(created)})
                return redirect("findings:finding_list", plan_pk=plan.pk)
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("findings:finding_list", plan_pk=plan.pk)
    filters = FindingFilterSet(request.GET or {"open": "true"}, queryset=visible)
    del filters.filters["unit"]  # the page covers the plan's government; the API filters by unit
    findings = filters.qs
    editable = set(units_for(request.user, Permission.EDIT_ACTIONS).values_list("pk", flat=True))
    rows = []
    page = paginate(request, findings.order_by("unit__path", "-detected_on", "id"))
    for finding in page.object_list:
        in_plan = [a for a in finding.actions.all() if a.work_plan_id == plan.pk]
        rows.append({"finding": finding, "actions": in_plan,
                     "can_propose": finding.closed_on is None and not in_plan and finding.unit_id in editable})
    context = {
        "plan": plan, "rows": rows, "page": page, "filters": filters.form, "form": ProposeForm(),
        "can_propose": any(r["can_propose"] for r in rows),
        "open_count": visible.filter(closed_on__isnull=True).count(),
        "answered": Action.objects.filter(work_plan=plan, findings__isnull=False).distinct().count(),
    }
    return render(request, "findings/finding_list.html", context)
