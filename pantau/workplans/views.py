"""Action pages: list with filters, detail with timeline, create/edit/cancel, progress reports, review, evidence.

Views stay thin: every change goes through ``pantau.workplans.actions``. Objects outside the user's VIEW scope are
404; objects the user may see but not change give 403 (PermissionDenied). Validation errors from the write path are
shown on the form that was sent. A stale edit (someone saved the action after the form was opened) answers 409 with
the conflict page: the stored values beside the user's input, which stays in the form (``core.concurrency``).
Statuses are derived on each responsible unit's own local date at the request's instant; times are shown in the
responsible unit's zone with its short name (WIB, WITA, WIT).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.concurrency import StaleVersion, conflict_for, stored_values, with_version
from pantau.core.fields import active_notation
from pantau.core.typed_input import format_date, format_decimal, format_money
from pantau.organizations.models import Unit
from pantau.workplans import actions as write
from pantau.workplans import summary, xlsx
from pantau.workplans.filters import ActionFilterSet
from pantau.workplans.forms import (
    ACTION_FORM_FIELDS,
    ActionForm,
    CancelForm,
    ImportForm,
    ProgressReportForm,
    ReviewForm,
    WeightsForm,
)
from pantau.workplans.models import STATUS_LABELS, Action, Evidence, ProgressReport, ReportStatus

MAX_ID = 2**63 - 1
"""Largest id a database row can have; larger ids in a URL are simply not found."""

PAGE_SIZE = 50
"""Actions per page of the action list."""

HIDDEN_AUDIT_FIELDS = {"id", "created_at", "updated_at", "province_code", "version"}


def _check_id(pk: int) -> None:
    """Raise Http404 for an id no row can have (so huge numbers never reach the database)."""
    if pk < 1 or pk > MAX_ID:
        raise Http404


def visible_plan_or_404(user: Any, pk: int) -> Agreement:
    """The work plan ``pk`` if ``user`` may VIEW it, else Http404."""
    _check_id(pk)
    plans = Agreement.objects.for_user(user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    return get_object_or_404(plans.select_related("government", "ombudsman_office", "parent"), pk=pk)


def visible_action_or_404(user: Any, pk: int) -> Action:
    """The action ``pk`` (children prefetched) if ``user`` may VIEW it, else Http404."""
    _check_id(pk)
    action = get_object_or_404(
        Action.objects.for_user(user, Permission.VIEW).select_related(
            "responsible_unit", "responsible_unit__region", "parent", "work_plan"),
        pk=pk,
    )
    summary.with_trees([action])
    return action


def require_permission(user: Any, permission: str, unit: Unit | None) -> None:
    """Raise PermissionDenied (403) unless ``user`` holds ``permission`` on ``unit``."""
    if not has_unit_permission(user, permission, unit):
        raise PermissionDenied(_("You do not have permission for this unit."))


def apply_errors(form: Form, exc: ValidationError) -> None:
    """Put the messages of a write-path ValidationError on ``form``: on the named field when the form has it,
    otherwise as errors of the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            visible = field in form.fields and not form.fields[field].widget.is_hidden
            target = field if visible else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def action_read_back(action: Action) -> dict[str, str]:
    """What was stored, as people read it in the active language, for the message after saving an action: dates
    ("1 Januari 2021 – 31 Desember 2021"), planned budget ("Rp 450.000"), baseline and target ("0,00", "70,50")."""
    language = active_notation()
    return {
        "dates": f"{format_date(action.start_date, language)} – {format_date(action.due_date, language)}",
        "budget": format_money(action.budget_planned, language),
        "baseline": format_decimal(action.baseline, 2, language),
        "target": format_decimal(action.target, 2, language),
    }


def read_back(report: ProgressReport) -> dict[str, str]:
    """What was stored of a progress report, as people read it: date, actual value with the indicator's unit,
    money spent ("Rp 450.000")."""
    language = active_notation()
    return {
        "date": format_date(report.report_date, language),
        "value": format_decimal(report.actual_value, 2, language),
        "unit": report.action.indicator_unit,
        "spent": format_money(report.amount_spent, language),
    }


@login_required
def action_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The actions of a work plan the user may see, filtered by status, responsible unit (and below), due date
    (strictly before) and text (code, title, description, finding, indicator, PIC)."""
    plan = visible_plan_or_404(request.user, plan_pk)
    unit_ids = (
        Action.objects.for_user(request.user, Permission.VIEW).filter(work_plan=plan)
        .values("responsible_unit_id")
    )
    units = Unit.objects.filter(pk__in=unit_ids).order_by("path")
    base = Action.objects.for_user(request.user, Permission.VIEW).filter(work_plan=plan)
    filters = ActionFilterSet(request.GET or None, queryset=base, units=units, page=True)
    chosen = set(filters.qs.values_list("pk", flat=True))  # invalid filters are shown on the form and ignored
    actions = [a for a in summary.load_actions(request.user, plan) if a.pk in chosen]
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for a in page.object_list:
        status = a.status_at(now)
        rows.append({"action": a, "status": status, "label": STATUS_LABELS[status], "coverage": a.coverage()})
    can_create = units_for(request.user, Permission.EDIT_ACTIONS).filter(
        path__startswith=plan.government.path
    ).exists()
    return render(
        request, "workplans/action_list.html",
        {"plan": plan, "form": filters.form, "rows": rows, "can_create": can_create, "page": page,
         "count": len(actions), "has_sample": any(a.is_sample for a in actions)},
    )


def _field_label(attname: str) -> str:
    """The translated verbose name of the Action field stored under ``attname`` (e.g. ``responsible_unit_id``)."""
    for field in Action._meta.concrete_fields:
        if field.attname == attname:
            return str(field.verbose_name)
    return attname


def timeline(action: Action, reports: list[ProgressReport]) -> list[dict[str, Any]]:
    """The action's readable history, newest first: its progress reports merged with its audit entries.

    Each item is ``{"at": datetime, "kind": "report" | "audit" | "decision", "report": ProgressReport | None,
    "entry": AuditEntry | None, "decision": meeting decision | None, "label": str (in the active language),
    "changes": [(label, before, after)]}``. Meeting decisions that created or changed the action come through the
    reverse relation ``action.decisions`` (meetings sits above workplans: no import), at the time they were applied.
    """
    items: list[dict[str, Any]] = [
        {"at": r.submitted_at, "kind": "report", "report": r, "entry": None, "decision": None,
         "label": _("progress report"), "changes": []}
        for r in reports
    ]
    units = {}
    for decision in action.decisions.select_related("meeting").filter(applied_at__isnull=False):
        items.append(
            {"at": decision.applied_at, "kind": "decision", "report": None, "entry": None, "decision": decision,
             "label": _("meeting decision"), "changes": []}
        )
    for entry in AuditEntry.objects.for_object(action).select_related("actor"):
        changes: list[tuple[str, Any, Any]] = []
        if entry.action != AuditAction.CREATE:
            for name, before, after in entry.changes():
                if name in HIDDEN_AUDIT_FIELDS:
                    continue
                if name == "supporting_units":
                    wanted = {*(before or []), *(after or [])} - set(units)
                    units.update(Unit.objects.in_bulk(list(wanted)))
                    before = "; ".join(str(units.get(pk, pk)) for pk in before or []) or None
                    after = "; ".join(str(units.get(pk, pk)) for pk in after or []) or None
                    changes.append((str(Action._meta.get_field("supporting_units").verbose_name), before, after))
                    continue
                changes.append((_field_label(name), before, after))
        items.append(
            {"at": entry.at, "kind": "audit", "report": None, "entry": entry, "decision": None,
             "label": entry.get_action_display(), "changes": changes}
        )
    items.sort(key=lambda item: item["at"], reverse=True)
    return items


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of an action, its sub-actions, its timeline, and the buttons the user may use."""
    action = visible_action_or_404(request.user, pk)
    user = request.user
    reports = list(
        action.reports.select_related("submitted_by", "reviewed_by").prefetch_related("evidence")
        .order_by("-report_date", "-id")
    )
    visible_ids = set(
        Action.objects.for_user(user, Permission.VIEW).filter(parent=action).values_list("pk", flat=True)
    )
    children = [{"action": c, "visible": c.pk in visible_ids} for c in action.children.all()]
    can_verify = has_unit_permission(user, Permission.VERIFY_PROGRESS, action.responsible_unit)
    can_edit = has_unit_permission(user, Permission.EDIT_ACTIONS, action.responsible_unit)
    return render(
        request, "workplans/action_detail.html",
        {
            "action": action,
            "plan": action.work_plan,
            "status": action.status,
            "children": children,
            "supporting_units": action.supporting_units.order_by("path"),
            "timeline": timeline(action, reports),
            # the loop (DESIGN.md): findings this action answers and the change later measurements credited to it
            "findings": list(action.findings.select_related("unit").order_by("-detected_on", "id")),
            "credits": list(action.credits.select_related("finding").order_by("measured_on", "id")),
            # meeting decisions that created or changed this action (reverse relation of meetings.Decision)
            "decisions": list(action.decisions.select_related("meeting").order_by("applied_at", "id")),
            "can_edit": can_edit,
            "can_set_weights": can_edit and bool(action.active_children()),
            "can_report": (
                has_unit_permission(user, Permission.REPORT_PROGRESS, action.responsible_unit)
                and write.report_blocker(action) is None
            ),
            "coverage": action.coverage(),
            "zone": action.responsible_unit.zone,
            "can_verify": can_verify,
            "review_form": ReviewForm() if can_verify else None,
            "submitted": ReportStatus.SUBMITTED,
        },
    )


@login_required
def action_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Create an action in a work plan (needs EDIT_ACTIONS on some unit of the plan's government)."""
    plan = visible_plan_or_404(request.user, plan_pk)
    if not units_for(request.user, Permission.EDIT_ACTIONS).filter(path__startswith=plan.government.path).exists():
        raise PermissionDenied(_("You do not have permission for this unit."))
    form = ActionForm(request.POST if request.method == "POST" else None, user=request.user, work_plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            action = write.create_action(
                actor=request.user, work_plan=plan, data=form.action_data(),
                supporting_units=form.cleaned_data["supporting_units"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except IntegrityError:
            form.add_error("code", _("Another action of this work plan already has this code."))
        else:
            messages.success(request, _("The action was created: %(dates)s, planned budget %(budget)s, indicator "
                                        "%(baseline)s → %(target)s.") % action_read_back(action))
            return redirect("workplans:action_detail", pk=action.pk)
    return render(request, "workplans/action_form.html", {"plan": plan, "form": form, "action": None})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an action (needs EDIT_ACTIONS on its responsible unit, and on the new one if it changes)."""
    action = visible_action_or_404(request.user, pk)
    require_permission(request.user, Permission.EDIT_ACTIONS, action.responsible_unit)
    plan = action.work_plan
    form = ActionForm(
        request.POST if request.method == "POST" else None, user=request.user, work_plan=plan, instance=action
    )
    if request.method == "POST" and form.is_valid():
        try:
            write.update_action(
                actor=request.user, action=action, data=form.action_data(),
                supporting_units=form.cleaned_data["supporting_units"], expected_version=form.expected_version(),
            )
        except StaleVersion as exc:
            return _conflict(request, exc, form, plan)
        except ValidationError as exc:
            apply_errors(form, exc)
        except IntegrityError:
            form.add_error("code", _("Another action of this work plan already has this code."))
        else:
            messages.success(request, _("The action was saved: %(dates)s, planned budget %(budget)s, indicator "
                                        "%(baseline)s → %(target)s.") % action_read_back(action))
            return redirect("workplans:action_detail", pk=action.pk)
    return render(request, "workplans/action_form.html", {"plan": plan, "form": form, "action": action})


def _conflict(request: HttpRequest, exc: StaleVersion, form: ActionForm, plan: Agreement) -> HttpResponse:
    """The 409 conflict page of a stale edit: the stored values (the other person's change) beside the user's
    input, which stays in the form, now carrying the stored version so that saving again is a deliberate choice.
    A deleted action is simply not found (404)."""
    current = exc.current
    if not isinstance(current, Action):
        raise Http404
    current = visible_action_or_404(request.user, current.pk)
    again = ActionForm(with_version(request.POST, current.version), user=request.user, work_plan=plan,
                       instance=current)
    again.is_valid()
    conflict = conflict_for(
        exc, form, stored_values(current, ACTION_FORM_FIELDS),
        entry=AuditEntry.objects.for_object(current).first(), zone=current.responsible_unit.zone,
    )
    context = {"plan": plan, "form": again, "action": current, "conflict": conflict}
    return render(request, "workplans/action_form.html", context, status=409)


@login_required
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an action with a reason (needs EDIT_ACTIONS); a cancelled action leaves the roll-ups."""
    action = visible_action_or_404(request.user, pk)
    require_permission(request.user, Permission.EDIT_ACTIONS, action.responsible_unit)
    form = CancelForm(request.POST if request.method == "POST" else None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            write.cancel_action(actor=request.user, action=action, reason=form.cleaned_data["cancel_reason"],
                                expected_version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The action was cancelled."))
            return redirect("workplans:action_detail", pk=action.pk)
    return render(request, "workplans/action_cancel.html", {"action": action, "plan": action.work_plan, "form": form})


@login_required
def action_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress with evidence files (needs REPORT_PROGRESS on the responsible unit)."""
    action = visible_action_or_404(request.user, pk)
    require_permission(request.user, Permission.REPORT_PROGRESS, action.responsible_unit)
    blocker = write.report_blocker(action)
    if blocker is not None:
        messages.error(request, blocker)
        return redirect("workplans:action_detail", pk=action.pk)
    if request.method == "POST":
        form = ProgressReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = write.report_progress(
                    actor=request.user, action=action, report_date=data["report_date"],
                    actual_value=data["actual_value"], narrative=data["narrative"],
                    amount_spent=data["amount_spent"], files=data["evidence"], confirm=data["confirm"],
                )
            except ValidationError as exc:
                by_field = getattr(exc, "error_dict", {})
                if any(error.code == "unconfirmed" for errors in by_field.values() for error in errors):
                    form.ask_confirmation()
                apply_errors(form, exc)
            else:
                messages.success(request, _(
                    "The progress report was sent for verification: report date %(date)s, new actual value "
                    "%(value)s %(unit)s, money spent %(spent)s.") % read_back(report))
                return redirect("workplans:action_detail", pk=action.pk)
    else:
        form = ProgressReportForm(initial={"report_date": action.local_today(), "amount_spent": 0})
    return render(request, "workplans/action_report.html", {
        "action": action, "plan": action.work_plan, "form": form,
        "zone_abbreviation": action.responsible_unit.zone_abbreviation,
    })


def _visible_report_or_404(user: Any, pk: int) -> ProgressReport:
    """The progress report ``pk`` if ``user`` may VIEW its action, else Http404."""
    _check_id(pk)
    visible = Action.objects.for_user(user, Permission.VIEW)
    return get_object_or_404(ProgressReport.objects.select_related("action__responsible_unit"),
                             pk=pk, action__in=visible)


def _review(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    """Accept or return a report (needs VERIFY_PROGRESS); errors come back as messages on the action page."""
    report = _visible_report_or_404(request.user, pk)
    require_permission(request.user, Permission.VERIFY_PROGRESS, report.action.responsible_unit)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("workplans:action_detail", pk=report.action_id)
    reason = form.cleaned_data["review_reason"]
    try:
        if accept:
            write.accept_report(actor=request.user, report=report, note=reason)
        else:
            write.return_report(actor=request.user, report=report, reason=reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report was accepted.") if accept else _("The report was returned."))
    return redirect("workplans:action_detail", pk=report.action_id)


def _weights_page(request: HttpRequest, plan: Agreement, parent: Action | None) -> HttpResponse:
    """GET/POST the weights of one sibling group (``actions.set_weights``); 403 without EDIT_ACTIONS on the parent
    (for the top level: on the plan's government)."""
    require_permission(request.user, Permission.EDIT_ACTIONS, parent.responsible_unit if parent else plan.government)
    group = list(Action.objects.filter(work_plan=plan, parent=parent, cancelled_on__isnull=True)
                 .select_related("responsible_unit").order_by("sort_key", "code"))
    form = WeightsForm(request.POST if request.method == "POST" else None, actions=group)
    back = redirect("workplans:action_detail", pk=parent.pk) if parent else redirect(
        "reports:work_plan_dashboard", pk=plan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            write.set_weights(actor=request.user, work_plan=plan, parent=parent, weights=form.weights(),
                              expected_versions=form.versions())
        except StaleVersion as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The weights were saved."))
            return back
    return render(request, "workplans/weights.html", {"plan": plan, "parent": parent, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_weights(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The weights of a work plan's top-level actions, set together (all or none)."""
    return _weights_page(request, visible_plan_or_404(request.user, plan_pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def action_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """The weights of an action's sub-actions, set together (all or none)."""
    action = visible_action_or_404(request.user, pk)
    return _weights_page(request, action.work_plan, action)


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a progress report (Ombudsman assistant): its value becomes the verified actual."""
    return _review(request, pk, accept=True)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a progress report with a reason (required)."""
    return _review(request, pk, accept=False)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an evidence file as an attachment under its original name, only to users who may VIEW its action
    (404 otherwise, also when the file is missing from storage). Never a public media URL."""
    _check_id(pk)
    visible = Action.objects.for_user(request.user, Permission.VIEW)
    evidence = get_object_or_404(Evidence, pk=pk, report__action__in=visible)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------------------------
# Excel: the import template, the export and the upload page (the work is in ``workplans.xlsx``)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def actions_template(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the empty import template of work plan ``pk`` (XLSX attachment). 404 when the plan is not visible."""
    plan = visible_plan_or_404(request.user, pk)
    return _xlsx_response(xlsx.build_template(plan), f"actions_template-{plan.pk}.xlsx")


@login_required
@require_GET
def actions_export(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the actions of work plan ``pk`` the user may view, as XLSX. 404 when the plan is not visible."""
    plan = visible_plan_or_404(request.user, pk)
    name = slugify(plan.title)[:60] or "work-plan"
    return _xlsx_response(xlsx.export_actions(actor=request.user, work_plan=plan), f"actions-{plan.pk}-{name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def actions_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: import the uploaded file, all or nothing, and show the result (counts, or every
    error with its row and column). 404 when the plan is not visible; 403 without IMPORT_ACTIONS on its government.
    """
    plan = visible_plan_or_404(request.user, pk)
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
