"""Complaint pages: the public form and tracking page (no login), the staff pages (list, detail and handling,
entry, import, export), supervision, deadline rules and the calendar.

Views stay thin: every write goes through ``complaints.actions``. Staff pages start from
``Complaint.objects.for_user(user, VIEW)`` (404 outside it, 403 when visible but not allowed). The complainant's
identity appears in clear only to its handlers and the Ombudsman (``complaints.access``), and a confidential one
only after "show identity", which is audited. Public pages carry nothing personal; the tracking code travels in the
session, never in a URL. Public posts are limited per client, known only by a keyed hash of its address kept in
Django's cache for the window (the address itself is never stored).
"""

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.agreements.models import Agreement, AgreementKind
from pantau.complaints import actions, imports, supervision
from pantau.complaints.access import can_handle, can_see_identity, can_supervise, in_clear, masked
from pantau.complaints.forms import (
    CalendarDayForm,
    CheckForm,
    CloseForm,
    ComplaintFilterForm,
    FeedbackForm,
    ImportForm,
    OutcomeForm,
    PublicComplaintForm,
    PublicNoteForm,
    ReassignForm,
    ReplyForm,
    ReportForm,
    RuleForm,
    StaffComplaintForm,
    TextForm,
    TrackForm,
    UnitRuleForm,
)
from pantau.complaints.models import (
    OPEN_STAGES,
    CalendarDay,
    Complaint,
    ComplaintAttachment,
    DeadlineRule,
    OmbudsmanReport,
    ReportStage,
    RuleCode,
    Stage,
)
from pantau.complaints.patterns import THRESHOLD, WINDOW_DAYS
from pantau.core import ratelimit
from pantau.findings.models import Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind

MAX_ID = 2**63 - 1
PAGE_SIZE = 50

RATE_LIMITS = {"submit": (5, 3600), "track": (30, 3600), "post": (30, 3600)}
"""Per client and scope: at most this many (posts, seconds): new complaints, code look-ups, posts on the tracking
page."""

SESSION_CODE = "complaints.tracking_code"
SESSION_NEW = "complaints.new_code"
SESSION_ISSUED = "complaints.issued"


def _check_id(pk: int) -> None:
    if not 0 < pk <= MAX_ID:
        raise Http404


def rate_limited(request: HttpRequest, scope: str) -> bool:
    """Count one post of ``scope`` for this client; True when the client is over ``RATE_LIMITS[scope]``
    (``core.ratelimit``: a shared database cache, the client address behind trusted proxies)."""
    limit, window = RATE_LIMITS[scope]
    return ratelimit.hit(request, f"complaints:{scope}", limit=limit, window=window)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _todays() -> dict[str, dt.date]:
    return actions.zone_todays(timezone.now())


# ------------------------------------------------------------------------------------------------------------------
# Public: the complaint form and the tracking page


def public_index(request: HttpRequest) -> HttpResponse:
    """GET /pengaduan/: the regional governments that take complaints through Pantau, and the tracking link."""
    governments = Unit.objects.filter(kind=UnitKind.REGIONAL_GOVERNMENT).order_by("name").only("pk", "name")
    return render(request, "complaints/public_index.html", {"governments": governments})


def public_form(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /pengaduan/<government>/: the complaint form. A filled honeypot gets the thank-you page without
    saving anything; a client over the rate limit (counted on valid complaints only) gets 429."""
    _check_id(pk)
    government = get_object_or_404(Unit, pk=pk, kind=UnitKind.REGIONAL_GOVERNMENT)
    form = PublicComplaintForm(request.POST or None, request.FILES or None, government=government)
    if request.method == "POST":
        if form.is_bot():
            return redirect("complaints:public_thanks")
        if form.is_valid():
            if rate_limited(request, "submit"):
                return render(request, "complaints/public_form.html",
                              {"government": government, "form": form, "limited": True}, status=429)
            data = form.cleaned_data
            try:
                submitted = actions.submit_complaint(
                    government=government, unit=data["unit"], service=data["service"], component=data["component"],
                    subject=data["subject"], description=data["description"], name=data["name"], nik=data["nik"],
                    phone=data["phone"], email=data["email"], confidential=data["confidential"],
                    files=data["attachments"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session[SESSION_NEW] = submitted.tracking_code
                request.session[SESSION_CODE] = submitted.tracking_code
                return redirect("complaints:public_thanks")
    return render(request, "complaints/public_form.html", {"government": government, "form": form})


def public_thanks(request: HttpRequest) -> HttpResponse:
    """GET /pengaduan/terkirim/: thank-you page showing the tracking code once (it is not stored in clear)."""
    code = request.session.pop(SESSION_NEW, None)
    return render(request, "complaints/public_thanks.html", {"code": code})


@require_http_methods(["GET", "POST"])
def track_start(request: HttpRequest) -> HttpResponse:
    """GET/POST /pengaduan/lacak/: type the tracking code; a known code is kept in the session and leads to the
    tracking page. Look-ups are rate limited per client (429)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "track"):
            return render(request, "complaints/track_start.html", {"form": form, "limited": True}, status=429)
        complaint = actions.find_by_code(form.cleaned_data["code"])
        if complaint is None:
            form.add_error("code", _("No complaint has this tracking code. Check the code and try again."))
        else:
            request.session[SESSION_CODE] = form.cleaned_data["code"]
            return redirect("complaints:track_status")
    return render(request, "complaints/track_start.html", {"form": form})


PUBLIC_STEPS = ("reply", "feedback", "withdraw", "forward", "forget")


@require_http_methods(["GET", "POST"])
def track_status(request: HttpRequest) -> HttpResponse:
    """GET/POST /pengaduan/lacak/status/: the complaint of the code in the session: its stage, deadlines and public
    timeline, nothing personal; the complainant answers questions, gives feedback, withdraws or forwards it to the
    Ombudsman here."""
    code = request.session.get(SESSION_CODE)
    complaint = actions.find_by_code(code) if code else None
    if complaint is None:
        request.session.pop(SESSION_CODE, None)
        return redirect("complaints:track_start")
    reply_form, feedback_form, note_form = ReplyForm(), FeedbackForm(), PublicNoteForm()
    status = 200
    if request.method == "POST":
        step = request.POST.get("do", "")
        if step == "forget":
            request.session.pop(SESSION_CODE, None)
            return redirect("complaints:track_start")
        if step not in PUBLIC_STEPS:
            raise Http404
        if rate_limited(request, "post"):
            messages.error(request, _("Too many messages from this connection. Please try again later."))
            return redirect("complaints:track_status")
        try:
            if step == "reply":
                reply_form = ReplyForm(request.POST, request.FILES)
                if reply_form.is_valid():
                    actions.complainant_message(complaint=complaint, text=reply_form.cleaned_data["text"],
                                                files=reply_form.cleaned_data["attachments"])
                    messages.success(request, _("Your message was sent to the unit."))
                    return redirect("complaints:track_status")
            elif step == "feedback":
                feedback_form = FeedbackForm(request.POST)
                if feedback_form.is_valid():
                    actions.complainant_feedback(complaint=complaint,
                                                 satisfied=feedback_form.cleaned_data["satisfied"],
                                                 comment=feedback_form.cleaned_data["comment"])
                    messages.success(request, _("Thank you: your feedback closed the complaint."))
                    return redirect("complaints:track_status")
            else:
                note_form = PublicNoteForm(request.POST)
                if note_form.is_valid():
                    note = note_form.cleaned_data["note"]
                    if step == "withdraw":
                        actions.complainant_withdraw(complaint=complaint, reason=note)
                        messages.success(request, _("Your complaint was withdrawn."))
                    else:
                        actions.complainant_forward(complaint=complaint, note=note)
                        messages.success(request, _("Your complaint was forwarded to the Ombudsman."))
                    return redirect("complaints:track_status")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("complaints:track_status")
        status = 400
    context = {
        "complaint": complaint,
        "events": complaint.events.filter(is_public=True).order_by("at", "id"),
        "report": OmbudsmanReport.objects.filter(complaint=complaint).first(),
        "may_forward": actions.may_forward(complaint, actions._today(complaint)),
        "reply_form": reply_form,
        "feedback_form": feedback_form,
        "note_form": note_form,
        "rules": _rules_for(complaint),
    }
    return render(request, "complaints/track_status.html", context, status=status)


def _rules_for(complaint: Complaint) -> dict[str, Any]:
    """Per step code, the rule in force for the complaint's unit (the unit's own or the national one)."""
    from pantau.complaints.calendars import RuleBook

    book = RuleBook()
    found = {}
    for code in RuleCode.values:
        try:
            national, own = book.rules_for(code, complaint.unit)
        except LookupError:
            continue
        found[code] = {"national": national, "own": own}
    return found


# ------------------------------------------------------------------------------------------------------------------
# Staff: list, detail, handling


def _visible(request: HttpRequest, pk: int) -> Complaint:
    _check_id(pk)
    complaint = (Complaint.objects.for_user(request.user, Permission.VIEW)
                 .select_related("unit", "government", "service", "created_by").filter(pk=pk).first())
    if complaint is None:
        raise Http404
    return complaint


def _filtered(request: HttpRequest) -> tuple[Any, ComplaintFilterForm]:
    form = ComplaintFilterForm(request.GET or None)
    qs = (Complaint.objects.for_user(request.user, Permission.VIEW)
          .select_related("unit", "service", "identity").order_by("-received_at", "-id"))
    if form.is_valid():
        stage = form.cleaned_data["stage"]
        if stage == "open":
            qs = qs.filter(stage__in=OPEN_STAGES)
        elif stage:
            qs = qs.filter(stage=stage)
        if form.cleaned_data["channel"]:
            qs = qs.filter(channel=form.cleaned_data["channel"])
        if form.cleaned_data["overdue"]:
            qs = qs.overdue(_todays())
    unit = request.GET.get("unit", "")
    if unit.isdigit() and len(unit) < 19:
        target = Unit.objects.filter(pk=int(unit)).first()
        if target is not None:
            qs = qs.filter(unit__path__startswith=target.path)
    return qs, form


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """GET /complaints/: complaints the user may view, newest first, filtered; the complainant always masked."""
    qs, form = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    todays = _todays()
    rows = [{"complaint": c, "who": masked(getattr(c, "identity", None), confidential=c.confidential)["name"],
             "overdue": c.is_overdue(todays.get(c.zone, c.received_on))} for c in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows, "page": page, "form": form, "query": query.urlencode(),
        "can_enter": units_for(request.user, Permission.HANDLE_COMPLAINTS).exists(),
        "has_sample": any(r["complaint"].is_sample for r in rows),
    }
    return render(request, "complaints/complaint_list.html", context)


@login_required
def complaint_export(request: HttpRequest) -> HttpResponse:
    """GET /complaints/export.xlsx: the filtered list as a workbook, the complainant masked, no description."""
    qs, _form = _filtered(request)
    response = HttpResponse(imports.export_workbook(qs[:20_000], _todays()), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="pengaduan.xlsx"'
    return response


def _detail_context(request: HttpRequest, complaint: Complaint, *, revealed: bool = False) -> dict[str, Any]:
    handler = can_handle(request.user, complaint)
    supervisor = can_supervise(request.user, complaint)
    sees = handler or supervisor
    identity = getattr(complaint, "identity", None) if sees else None
    if sees and (revealed or not complaint.confidential):
        person = in_clear(identity)
    else:
        person = masked(getattr(complaint, "identity", None), confidential=complaint.confidential)
    events = complaint.events.select_related("actor").order_by("at", "id")
    if not sees:
        events = events.filter(is_public=True)
    today = actions._today(complaint)
    report = OmbudsmanReport.objects.filter(complaint=complaint).first()
    version = {"version": complaint.version}
    issued = request.session.get(SESSION_ISSUED, {})
    code = issued.pop(str(complaint.pk), None) if isinstance(issued, dict) else None
    if code:
        request.session[SESSION_ISSUED] = issued
    return {
        "complaint": complaint,
        "person": person,
        "sees_identity": sees,
        "revealed": revealed,
        "can_handle": handler,
        "can_supervise": supervisor,
        "events": events,
        "attachments": complaint.attachments.all() if sees else [],
        "overdue": complaint.is_overdue(today),
        "today": today,
        "report": report,
        "may_forward": sees and actions.may_forward(complaint, today),
        "rules": _rules_for(complaint),
        "issued_code": code,
        "check_form": CheckForm(initial=version),
        "text_form": TextForm(initial=version),
        "outcome_form": OutcomeForm(initial=version),
        "close_form": CloseForm(initial=version),
        "reassign_form": ReassignForm(initial=version, government=complaint.government) if handler else None,
        "report_form": ReportForm(initial={"version": report.version}) if report and supervisor else None,
        "stages": Stage,
        "report_closed": report is not None and report.stage == ReportStage.CLOSED,
    }


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /complaints/<pk>/: the complaint, its deadlines, timeline and files, and the forms of the next steps.
    The identity is in clear for handlers and the Ombudsman unless confidential (then "show identity")."""
    complaint = _visible(request, pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


@login_required
@require_POST
def complaint_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /complaints/<pk>/identity/: show a confidential identity to a handler or the Ombudsman; audited
    (``actions.reveal_identity``). 403 for anyone else who may view the complaint."""
    complaint = _visible(request, pk)
    actions.reveal_identity(actor=request.user, complaint=complaint)
    response = render(request, "complaints/complaint_detail.html",
                      _detail_context(request, complaint, revealed=True))
    response["Cache-Control"] = "private, no-store"
    return response


STEPS = ("pick_up", "check", "ask", "answer", "outcome", "close", "withdraw", "reassign", "note", "renew_code",
         "forward")


def _run_step(request: HttpRequest, complaint: Complaint, step: str) -> str:
    """Call the write path of ``step`` with the posted form; returns the success message. Raises ValidationError
    (form errors included) or PermissionDenied."""
    user = request.user
    if step == "reassign":
        form: Any = ReassignForm(request.POST, government=complaint.government)
    else:
        form = {"check": CheckForm, "outcome": OutcomeForm, "close": CloseForm}.get(step, TextForm)(
            request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    data = form.cleaned_data
    version = data.get("version")
    text = data.get("text", "")
    if step == "pick_up":
        actions.pick_up(actor=user, complaint=complaint, version=version)
        return _("You picked the complaint up.")
    if step == "check":
        actions.check_file(actor=user, complaint=complaint, complete=data["complete"], question=data["question"],
                           version=version)
        return _("Completeness check recorded.")
    if step == "ask":
        actions.ask(actor=user, complaint=complaint, question=text, version=version)
        return _("Question sent to the complainant.")
    if step == "answer":
        actions.answer(actor=user, complaint=complaint, text=text, files=data.get("attachments", []), version=version)
        return _("Answer recorded.")
    if step == "outcome":
        actions.record_outcome(actor=user, complaint=complaint, resolved=data["resolved"], note=text,
                               version=version)
        return _("Outcome recorded.")
    if step == "close":
        satisfied = {"yes": True, "no": False}.get(data["satisfied"])
        actions.close(actor=user, complaint=complaint, satisfied=satisfied, comment=text, version=version)
        return _("Complaint closed.")
    if step == "withdraw":
        actions.withdraw(actor=user, complaint=complaint, reason=text, version=version)
        return _("Complaint withdrawn.")
    if step == "reassign":
        actions.reassign(actor=user, complaint=complaint, unit=data["unit"], reason=text, version=version)
        return _("Complaint reassigned.")
    if step == "note":
        actions.add_note(actor=user, complaint=complaint, text=text)
        return _("Note added.")
    if step == "renew_code":
        code = actions.renew_tracking_code(actor=user, complaint=complaint)
        issued = request.session.get(SESSION_ISSUED, {})
        issued[str(complaint.pk)] = code
        request.session[SESSION_ISSUED] = issued
        return _("A new tracking code was issued; the old one no longer works.")
    actions.forward_to_ombudsman(actor=user, complaint=complaint, note=text)
    return _("Complaint forwarded to the Ombudsman.")


@login_required
@require_POST
def complaint_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """POST /complaints/<pk>/<step>/: one handling step through ``complaints.actions`` (404 outside the VIEW scope,
    403 without the right); problems are shown as messages on the detail page."""
    if step not in STEPS:
        raise Http404
    complaint = _visible(request, pk)
    try:
        messages.success(request, _run_step(request, complaint, step))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("complaints:complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def report_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /complaints/reports/<pk>/: the next stage of a report to the Ombudsman (SUPERVISE_COMPLAINTS)."""
    _check_id(pk)
    report = (OmbudsmanReport.objects.for_user(request.user, Permission.VIEW)
              .select_related("complaint").filter(pk=pk).first())
    if report is None:
        raise Http404
    form = ReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.advance_report(actor=request.user, report=report, stage=data["stage"], outcome=data["outcome"],
                                   note=data["text"], register_number=data["register_number"],
                                   version=data["version"])
            messages.success(request, _("Report stage recorded."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Check the form."))
    return redirect("complaints:complaint_detail", pk=report.complaint_id)


@login_required
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """GET /complaints/<pk>/files/<file_pk>/: a file of the complaint, only for its handlers and the Ombudsman
    (403 for other viewers; 404 outside the scope or when the file is missing); audited for a confidential
    complaint (``actions.open_attachment``)."""
    complaint = _visible(request, pk)
    _check_id(file_pk)
    if not can_see_identity(request.user, complaint):
        raise PermissionDenied(_("Only the handlers of the complaint and the Ombudsman open its files."))
    attachment = get_object_or_404(ComplaintAttachment, pk=file_pk, complaint=complaint)
    actions.open_attachment(actor=request.user, complaint=complaint, attachment=attachment)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """GET/POST /complaints/new/: enter a complaint received by another channel (HANDLE_COMPLAINTS on a unit; 403
    without any). The tracking code is shown once on the complaint's page."""
    units = units_for(request.user, Permission.HANDLE_COMPLAINTS)
    if not units.exists():
        raise PermissionDenied(_("You do not handle complaints."))
    form = StaffComplaintForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = actions.enter_complaint(
                actor=request.user, channel=data["channel"], unit=data["unit"], service=data["service"],
                component=data["component"], subject=data["subject"], description=data["description"],
                name=data["name"], nik=data["nik"], phone=data["phone"], email=data["email"],
                confidential=data["confidential"], external_ticket=data["external_ticket"],
                received_on=data["received_on"], files=data["attachments"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            issued = request.session.get(SESSION_ISSUED, {})
            issued[str(submitted.complaint.pk)] = submitted.tracking_code
            request.session[SESSION_ISSUED] = issued
            messages.success(request, _("Complaint %(reference)s recorded.")
                             % {"reference": submitted.complaint.reference})
            return redirect("complaints:complaint_detail", pk=submitted.complaint.pk)
    return render(request, "complaints/complaint_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_import(request: HttpRequest) -> HttpResponse:
    """GET/POST /complaints/import/: import complaints from other channels (.xlsx or .csv), all or nothing, every
    problem listed with its row, column and reason."""
    if not units_for(request.user, Permission.HANDLE_COMPLAINTS).exists():
        raise PermissionDenied(_("You do not handle complaints."))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.import_complaints(actor=request.user, file=upload, file_name=upload.name)
        if not result.ok:
            status = 400
    return render(request, "complaints/import.html",
                  {"form": form, "result": result, "columns": imports.column_help()}, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """GET /complaints/import/template.xlsx: the import template."""
    response = HttpResponse(imports.template_workbook(), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-pengaduan.xlsx"'
    return response


# ------------------------------------------------------------------------------------------------------------------
# Supervision


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


@login_required
def supervision_index(request: HttpRequest) -> HttpResponse:
    """GET /complaints/supervision/: the regional governments the user may view, with their figures for the year
    (``supervision``), ranked only when they received at least MIN_FOR_RANKING complaints."""
    year = _year(request)
    governments = list(units_for(request.user, Permission.VIEW).filter(kind=UnitKind.REGIONAL_GOVERNMENT)
                       .order_by("name"))
    by_government: dict[int, list[Any]] = {g.pk: [] for g in governments}
    for government_id, *row in (Complaint.objects.filter(government__in=governments, received_on__year=year)
                                .values_list("government_id", *supervision.ROW_FIELDS)):
        by_government[government_id].append(tuple(row))
    todays = _todays()
    entries = [(g, supervision.figures(by_government[g.pk], todays)) for g in governments]
    ranked, others = supervision.rank(entries)
    return render(request, "complaints/supervision_index.html", {
        "year": year, "entries": entries, "ranked": ranked, "others": others,
        "minimum": supervision.MIN_FOR_RANKING,
    })


@login_required
def supervision_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /complaints/supervision/<unit>/: the figures of a unit's subtree for the year, per child unit, the
    ranking of responsible units (at least MIN_FOR_RANKING complaints), and the complaint findings with the
    review button."""
    _check_id(pk)
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).first()
    if unit is None:
        raise Http404
    year = _year(request)
    qs = Complaint.objects.filter(unit__path__startswith=unit.path, received_on__year=year)
    all_rows = supervision.rows(qs)
    todays = _todays()
    total = supervision.figures(all_rows, todays)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r[0] for r in all_rows})}
    per_unit = supervision.by_unit(all_rows, todays)
    ranked, others = supervision.rank([(units[uid], f) for uid, f in per_unit.items()])
    children = []
    for child in Unit.objects.filter(parent=unit).order_by("name"):
        child_rows = [r for r in all_rows if units[r[0]].path.startswith(child.path)]
        if child_rows:
            children.append((child, supervision.figures(child_rows, todays)))
    findings = (Finding.objects.for_user(request.user, Permission.VIEW)
                .filter(source=FindingSource.COMPLAINT, unit__path__startswith=unit.path)
                .select_related("unit").prefetch_related("actions").order_by("closed_on", "-detected_on"))
    government = None
    with contextlib.suppress(ValidationError):
        government = actions.government_of(unit)
    plans = list(Agreement.objects.filter(kind=AgreementKind.WORK_PLAN, government=government)) if government else []
    can_review = government is not None and (
        has_unit_permission(request.user, Permission.HANDLE_COMPLAINTS, government)
        or has_unit_permission(request.user, Permission.SUPERVISE_COMPLAINTS, government))
    return render(request, "complaints/supervision_unit.html", {
        "unit": unit, "year": year, "total": total, "children": children, "ranked": ranked, "others": others,
        "minimum": supervision.MIN_FOR_RANKING, "findings": findings, "plans": plans, "can_review": can_review,
        "government": government, "threshold": THRESHOLD, "window": WINDOW_DAYS,
    })


@login_required
@require_POST
def supervision_review(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /complaints/supervision/<unit>/review/: ``actions.review_patterns`` for the unit's government, today."""
    _check_id(pk)
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).first()
    if unit is None:
        raise Http404
    government = actions.government_of(unit)
    review = actions.review_patterns(actor=request.user, government=government, on=government.local_today())
    messages.success(request, _("%(found)d findings recorded or still open; %(closed)d closed.")
                     % {"found": len(review.recorded), "closed": len(review.closing.closed)})
    return redirect("complaints:supervision_unit", pk=unit.pk)


# ------------------------------------------------------------------------------------------------------------------
# Deadline rules and the calendar


def _may_edit(user: Any, unit: Unit | None, permission: str) -> bool:
    if unit is None:
        return actions._may_edit_national(user, Permission.MANAGE_DEADLINE_RULES)
    return has_unit_permission(user, permission, unit)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """GET /complaints/rules/: the national deadline rules with source and status, and the units' own rules the
    user may view."""
    visible = units_for(request.user, Permission.VIEW)
    rules = list(DeadlineRule.objects.filter(Q(unit__isnull=True) | Q(unit__in=visible)).select_related("unit")
                 .order_by("unit_id", "code"))
    rows = [(rule, _may_edit(request.user, rule.unit, Permission.MANAGE_DEADLINE_RULES)) for rule in rules]
    return render(request, "complaints/rule_list.html", {
        "national": [r for r in rows if r[0].unit_id is None],
        "own": [r for r in rows if r[0].unit_id is not None],
        "can_add": units_for(request.user, Permission.MANAGE_DEADLINE_RULES).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /complaints/rules/<pk>/: change a rule (``actions.save_deadline_rule``; 403 without the right)."""
    _check_id(pk)
    rule = get_object_or_404(DeadlineRule.objects.select_related("unit"), pk=pk)
    if not _may_edit(request.user, rule.unit, Permission.MANAGE_DEADLINE_RULES):
        raise PermissionDenied(_("You may not change this rule."))
    initial = {k: getattr(rule, k) for k in ("length", "day_kind", "source", "provisional", "note", "version")}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.save_deadline_rule(
                actor=request.user, rule=rule, code=rule.code, length=data["length"], day_kind=data["day_kind"],
                source=data["source"], provisional=data["provisional"], note=data["note"],
                version=data["version"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Rule saved; deadlines of %(count)d open complaints changed.")
                             % {"count": change.recomputed})
            return redirect("complaints:rule_list")
    return render(request, "complaints/rule_form.html", {"form": form, "rule": rule})


@login_required
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    """GET/POST /complaints/rules/new/: a unit's own shorter rule (MANAGE_DEADLINE_RULES on the unit)."""
    units = units_for(request.user, Permission.MANAGE_DEADLINE_RULES)
    if not units.exists():
        raise PermissionDenied(_("You may not set deadline rules."))
    form = UnitRuleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.save_deadline_rule(
                actor=request.user, unit=data["unit"], code=data["code"], length=data["length"],
                day_kind=data["day_kind"], source=data["source"], provisional=data["provisional"], note=data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Rule saved; deadlines of %(count)d open complaints changed.")
                             % {"count": change.recomputed})
            return redirect("complaints:rule_list")
    return render(request, "complaints/rule_form.html", {"form": form, "rule": None})


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /complaints/rules/<pk>/delete/: remove a unit's own rule."""
    _check_id(pk)
    rule = get_object_or_404(DeadlineRule.objects.select_related("unit"), pk=pk)
    try:
        count = actions.delete_deadline_rule(actor=request.user, rule=rule)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Rule removed; deadlines of %(count)d open complaints changed.")
                         % {"count": count})
    return redirect("complaints:rule_list")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """GET/POST /complaints/calendar/: the corrections of the working-day calendar (national, and of units the user
    may view); adding one recomputes the deadlines of the open complaints it touches."""
    editable = units_for(request.user, Permission.MANAGE_WORK_CALENDAR)
    national = actions._may_edit_national(request.user, Permission.MANAGE_DEADLINE_RULES)
    form = CalendarDayForm(request.POST or None, units=editable)
    if request.method == "POST":
        if not national and not editable.exists():
            raise PermissionDenied(_("You may not edit the calendar."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = actions.add_calendar_day(
                    actor=request.user, date=data["date"], kind=data["kind"], unit=data["unit"],
                    description=data["description"], source=data["source"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Calendar revised; deadlines of %(count)d open complaints changed.")
                                 % {"count": change.recomputed})
                return redirect("complaints:calendar")
    visible = units_for(request.user, Permission.VIEW)
    days = (CalendarDay.objects.filter(Q(unit__isnull=True) | Q(unit__in=visible)).select_related("unit")
            .order_by("-date"))
    rows = [(day, _may_edit(request.user, day.unit, Permission.MANAGE_WORK_CALENDAR)) for day in days]
    return render(request, "complaints/calendar.html", {
        "rows": rows, "form": form, "can_edit": national or editable.exists(),
    })


@login_required
@require_POST
def calendar_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /complaints/calendar/<pk>/remove/: remove a correction (recomputes as adding does)."""
    _check_id(pk)
    day = get_object_or_404(CalendarDay.objects.select_related("unit"), pk=pk)
    change = actions.remove_calendar_day(actor=request.user, day=day)
    messages.success(request, _("Calendar revised; deadlines of %(count)d open complaints changed.")
                     % {"count": change.recomputed})
    return redirect("complaints:calendar")
