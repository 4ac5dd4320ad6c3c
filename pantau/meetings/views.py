"""Meeting pages: list, create/edit, the meeting page (schedule, attendance counts, decisions and what became of
them, minutes, history), the room display with the QR code, the public sign-in, attendance (staff entry, printable
daftar hadir as a page and a PDF), minutes and decisions that become actions, .ics files and the private feed.

Views stay thin: every change goes through ``pantau.meetings.actions``. Meetings outside the user's VIEW scope are
404; visible but not allowed is 403. The public sign-in needs no account, only the meeting's secret token; it is
rate-limited per client through Django's cache framework (``SIGN_IN_RATE_LIMIT``).
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.agreements.models import Agreement
from pantau.audit.timeline import history, last_change
from pantau.core import ratelimit
from pantau.core.concurrency import StaleVersion, add_version, conflict_page, form_version
from pantau.core.pdf import pdf_response, render_pdf
from pantau.core.qr import qr_response, qr_svg_data_uri
from pantau.core.workdays import local_date
from pantau.meetings import actions as write
from pantau.meetings import attendance as reading
from pantau.meetings.calendar import calendar_bytes
from pantau.meetings.forms import (
    DecisionForm,
    DropForm,
    MeetingForm,
    MinutesForm,
    PlanChoiceForm,
    SignInForm,
    StaffAttendanceForm,
)
from pantau.meetings.models import (
    Attendance,
    AttendanceMode,
    AttendanceSource,
    Decision,
    DecisionKind,
    DecisionStatus,
    Meeting,
)
from pantau.workplans.forms import ActionForm
from pantau.workplans.models import Action

MAX_ID = 2**63 - 1

SIGN_IN_RATE_LIMIT = 120
SIGN_IN_RATE_WINDOW = 600
"""At most this many sign-in posts per client per 10 minutes (seconds). A room shares one address behind its
router, so the limit is generous; it stops floods, while ``actions.MAX_ATTENDANCE`` bounds a meeting's list. The
client is known only by a keyed hash of its address, kept in the cache for the window."""

FEED_PAST_DAYS = 365
"""The private feed holds meetings from this many days back and every later one."""


def _check_id(pk: int) -> None:
    if pk < 1 or pk > MAX_ID:
        raise Http404


def visible_meeting_or_404(user: Any, pk: int) -> Meeting:
    """The meeting ``pk`` if ``user`` may VIEW it, else Http404."""
    _check_id(pk)
    return get_object_or_404(
        Meeting.objects.for_user(user, Permission.VIEW).select_related(
            "agreement", "agreement__government", "agreement__ombudsman_office", "agreement__parent", "host_unit"),
        pk=pk,
    )


def _manageable(user: Any, pk: int) -> Meeting:
    """The meeting ``pk``: 404 when not visible, 403 without MANAGE_MEETINGS on a party."""
    meeting = visible_meeting_or_404(user, pk)
    if not write.may_manage(user, meeting.agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    return meeting


def apply_errors(form: Form, exc: ValidationError) -> None:
    """Put a write-path ValidationError on ``form`` (on the field it names when the form has it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def sign_in_links(request: HttpRequest, meeting: Meeting) -> dict[str, str]:
    """The public sign-in URLs of ``meeting``: ``room`` (in the QR code shown in the room) and ``online`` (the link
    for online participants); empty when the meeting has no sign-in token."""
    if not meeting.sign_in_token:
        return {"room": "", "online": ""}
    base = request.build_absolute_uri(reverse("meetings:sign_in", args=[meeting.sign_in_token]))
    return {"room": f"{base}?via={AttendanceSource.QR}", "online": f"{base}?via={AttendanceSource.LINK}"}


# ---------------------------------------------------------------------------------------------------------------
# Meetings


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """GET /meetings/: the meetings the user may see, upcoming first (soonest first), then past (latest first)."""
    meetings = list(
        Meeting.objects.for_user(request.user, Permission.VIEW)
        .select_related("agreement", "agreement__government", "host_unit")
        .order_by("date", "starts_at", "pk")
    )
    now = timezone.now()  # upcoming or past on each meeting's own local date (its zone: WIB, WITA, WIT)
    upcoming = [m for m in meetings if m.date >= local_date(now, m.zone)]
    past = [m for m in reversed(meetings) if m.date < local_date(now, m.zone)]
    return render(request, "meetings/meeting_list.html", {"upcoming": upcoming, "past": past[:200]})


def _agreement_for_new_meeting(request: HttpRequest, pk: int) -> Agreement:
    _check_id(pk)
    agreement = get_object_or_404(
        Agreement.objects.for_user(request.user, Permission.VIEW).select_related(
            "government", "ombudsman_office", "parent"), pk=pk)
    if not write.may_manage(request.user, agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    return agreement


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/meetings/new/: plan a meeting of the agreement (MANAGE_MEETINGS on a party)."""
    agreement = _agreement_for_new_meeting(request, agreement_pk)
    form = MeetingForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = write.create_meeting(actor=request.user, agreement=agreement, data=form.meeting_data(),
                                           invited_units=form.cleaned_data["invited_units"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"agreement": agreement, "form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /meetings/<id>/edit/: change the meeting (MANAGE_MEETINGS on a party)."""
    meeting = _manageable(request.user, pk)

    def build(data: Any, instance: Meeting) -> MeetingForm:
        return add_version(MeetingForm(data, agreement=instance.agreement, instance=instance),  # type: ignore[return-value]
                           instance)

    form = build(request.POST or None, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            write.update_meeting(actor=request.user, meeting=meeting, data=form.meeting_data(),
                                 invited_units=form.cleaned_data["invited_units"], expected_version=form_version(form))
        except StaleVersion as exc:
            return conflict_page(
                request, exc, form, rebuild=build, template="meetings/meeting_form.html",
                context={"agreement": meeting.agreement, "meeting": meeting},
                fields=(*write.MEETING_FIELDS, "invited_units"), entry_for=last_change, zone=meeting.zone,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html",
                  {"agreement": meeting.agreement, "form": form, "meeting": meeting})


def _decision_rows(user: Any, meeting: Meeting) -> list[dict[str, Any]]:
    """Each decision with what became of it: its action (linked when visible), the action's status today."""
    decisions = list(meeting.decisions.select_related("action", "action__responsible_unit", "responsible_unit")
                     .order_by("number"))
    visible = set(
        Action.objects.for_user(user, Permission.VIEW)
        .filter(pk__in=[d.action_id for d in decisions if d.action_id]).values_list("pk", flat=True)
    )
    return [{"decision": d, "action_visible": d.action_id in visible} for d in decisions]


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/: the meeting's schedule in its zone, mode, place and link, invited units, published
    counts and registered attendance by mode and unit (with the room-capacity warning), decisions and what became
    of them, minutes, history; the buttons the user may use."""
    meeting = visible_meeting_or_404(request.user, pk)
    can_manage = write.may_manage(request.user, meeting.agreement)
    context: dict[str, Any] = {
        "meeting": meeting,
        "agreement": meeting.agreement,
        "invited": list(meeting.invited_units.order_by("path")),
        "counts": reading.counts(meeting),
        "decisions": _decision_rows(request.user, meeting),
        "can_manage": can_manage,
        "sign_in_state": meeting.sign_in_state(),
        "links": sign_in_links(request, meeting) if can_manage else {},
        "history": history(meeting),
        "has_sample": meeting.attendances.filter(is_sample=True).exists()
        or meeting.decisions.filter(is_sample=True).exists(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_GET
def meeting_room(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/room/: the page to show on the room's screen: a large QR code of the in-person sign-in
    link and the link for online participants (MANAGE_MEETINGS)."""
    meeting = _manageable(request.user, pk)
    links = sign_in_links(request, meeting)
    return render(request, "meetings/meeting_room.html", {
        "meeting": meeting, "links": links, "sign_in_state": meeting.sign_in_state(),
        "qr": qr_svg_data_uri(links["room"], scale=8) if links["room"] else "",
    })


@login_required
@require_GET
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/qr.svg: the QR code of the in-person sign-in link as an SVG (MANAGE_MEETINGS)."""
    meeting = _manageable(request.user, pk)
    links = sign_in_links(request, meeting)
    if not links["room"]:
        raise Http404
    return qr_response(links["room"], scale=8, title=_("QR code of the attendance list"))


# ---------------------------------------------------------------------------------------------------------------
# Public sign-in


def _rate_limited(request: HttpRequest) -> bool:
    """Count one sign-in post of this client; True when it is over ``SIGN_IN_RATE_LIMIT`` in the window."""
    return ratelimit.hit(request, "meetings:sign-in", limit=SIGN_IN_RATE_LIMIT, window=SIGN_IN_RATE_WINDOW)


def _meeting_by_token(token: str) -> Meeting:
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(
        Meeting.objects.select_related("agreement", "agreement__government", "agreement__ombudsman_office",
                                       "agreement__parent", "host_unit"),
        sign_in_token=token,
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET/POST /hadir/<token>/: the public sign-in of a meeting, no account needed. ``?via=qr`` (the QR code in
    the room) pre-selects in person, ``?via=link`` online. Closed outside the sign-in window (the page says so);
    a filled honeypot gets the thank-you page without saving; a client over the rate limit gets 429."""
    meeting = _meeting_by_token(token)
    via = request.GET.get("via") or request.POST.get("via") or AttendanceSource.LINK
    if via not in (AttendanceSource.QR, AttendanceSource.LINK):
        via = AttendanceSource.LINK
    state = meeting.sign_in_state()
    initial = {"mode": AttendanceMode.IN_PERSON if via == AttendanceSource.QR else AttendanceMode.ONLINE}
    form = SignInForm(request.POST or None, meeting=meeting, initial=initial)
    if len(meeting.attendance_modes()) == 1:
        form.fields["mode"].initial = meeting.attendance_modes()[0]
    context: dict[str, Any] = {"meeting": meeting, "form": form, "state": state, "via": via}
    if request.method == "POST" and state == "open":
        if _rate_limited(request):
            context["limited"] = True
            return render(request, "meetings/sign_in.html", context, status=429)
        if form.is_bot():
            return redirect("meetings:sign_in_done", token=token)
        if form.is_valid():
            data = form.cleaned_data
            try:
                write.sign_in(meeting=meeting, name=data["name"], position=data["position"], mode=data["mode"],
                              unit=data["unit"], unit_name=data["unit_name"] or "", via=via)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("meetings:sign_in_done", token=token)
    status = 200 if state == "open" or request.method == "GET" else 409
    return render(request, "meetings/sign_in.html", context, status=status)


@require_GET
def sign_in_done(request: HttpRequest, token: str) -> HttpResponse:
    """GET /hadir/<token>/done/: thank-you page after signing in."""
    meeting = _meeting_by_token(token)
    return render(request, "meetings/sign_in_done.html", {"meeting": meeting})


# ---------------------------------------------------------------------------------------------------------------
# Attendance


@login_required
@require_http_methods(["GET", "POST"])
def attendance_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /meetings/<id>/attendance/: the registered attendance (names masked for users who may not manage
    the meeting), counts by mode and unit, and for managers the staff entry form and sign-in controls."""
    meeting = visible_meeting_or_404(request.user, pk)
    can_manage = write.may_manage(request.user, meeting.agreement)
    form = None
    if can_manage:
        form = StaffAttendanceForm(request.POST or None, meeting=meeting)
    elif request.method == "POST":
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            write.record_attendance(actor=request.user, meeting=meeting, name=data["name"],
                                    position=data["position"], mode=data["mode"], unit=data["unit"],
                                    unit_name=data["unit_name"] or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the attendance list.") % {"name": data["name"]})
            return redirect("meetings:attendance", pk=meeting.pk)
    return render(request, "meetings/attendance.html", {
        "meeting": meeting, "form": form, "can_manage": can_manage,
        "rows": reading.rows_for(meeting, show_names=can_manage), "counts": reading.counts(meeting),
        "sign_in_state": meeting.sign_in_state(),
    })


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /attendance/<id>/remove/: remove a row (MANAGE_MEETINGS)."""
    _check_id(pk)
    visible = Meeting.objects.for_user(request.user, Permission.VIEW)
    row = get_object_or_404(Attendance.objects.select_related("meeting__agreement"), pk=pk, meeting__in=visible)
    try:
        write.remove_attendance(actor=request.user, attendance=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The row was removed."))
    return redirect("meetings:attendance", pk=row.meeting_id)


@login_required
@require_POST
def sign_in_close(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /meetings/<id>/sign-in/close/: close the public sign-in now (MANAGE_MEETINGS)."""
    meeting = _manageable(request.user, pk)
    write.close_sign_in(actor=request.user, meeting=meeting)
    messages.success(request, _("The sign-in is closed."))
    return redirect("meetings:attendance", pk=meeting.pk)


@login_required
@require_POST
def sign_in_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /meetings/<id>/sign-in/reopen/: reopen the public sign-in within its window (MANAGE_MEETINGS)."""
    meeting = _manageable(request.user, pk)
    write.reopen_sign_in(actor=request.user, meeting=meeting)
    messages.success(request, _("The sign-in is open again within the meeting's sign-in window."))
    return redirect("meetings:attendance", pk=meeting.pk)


def _attendance_list_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_manage = write.may_manage(request.user, meeting.agreement)
    rows = reading.rows_for(meeting, show_names=can_manage)
    return {
        "meeting": meeting, "rows": rows, "counts": reading.counts(meeting), "names_masked": not can_manage,
        "title": _("Attendance list: %(title)s") % {"title": meeting.title},
        "has_sample": any(r["row"].is_sample for r in rows),
    }


@login_required
@require_GET
def attendance_print(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/attendance/print/: the daftar hadir as a page made for printing (print CSS), with a
    signature column; names masked for users who may not manage the meeting."""
    meeting = visible_meeting_or_404(request.user, pk)
    return render(request, "meetings/attendance_print.html", _attendance_list_context(request, meeting))


@login_required
@require_GET
def attendance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/attendance.pdf: the daftar hadir as a PDF (``core.pdf``)."""
    meeting = visible_meeting_or_404(request.user, pk)
    context = _attendance_list_context(request, meeting)
    pdf = render_pdf("meetings/attendance_pdf.html", context, request=request)
    return pdf_response(pdf, f"daftar-hadir-{meeting.date:%Y%m%d}-{meeting.pk}.pdf")


# ---------------------------------------------------------------------------------------------------------------
# Minutes and decisions


def _changeable_actions(user: Any, meeting: Meeting) -> Any:
    plans = write.plans_for(meeting)
    return (Action.objects.for_user(user, Permission.VIEW).filter(work_plan__in=[p.pk for p in plans])
            .filter(cancelled_on__isnull=True).order_by("work_plan_id", "sort_key", "code"))


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /meetings/<id>/minutes/: write the minutes (notulen) and record decisions (MANAGE_MEETINGS). Two
    forms, told apart by the submit button's name (``save_minutes`` / ``add_decision``)."""
    meeting = _manageable(request.user, pk)
    posted_minutes = request.method == "POST" and "save_minutes" in request.POST
    posted_decision = request.method == "POST" and "add_decision" in request.POST
    minutes_form = MinutesForm(request.POST if posted_minutes else None, initial={"minutes": meeting.minutes})
    decision_form = DecisionForm(request.POST if posted_decision else None, meeting=meeting,
                                 actions=_changeable_actions(request.user, meeting))
    if posted_minutes and minutes_form.is_valid():
        write.record_minutes(actor=request.user, meeting=meeting, minutes=minutes_form.cleaned_data["minutes"])
        messages.success(request, _("The minutes were saved."))
        return redirect("meetings:minutes", pk=meeting.pk)
    if posted_decision and decision_form.is_valid():
        data = decision_form.cleaned_data
        try:
            decision = write.record_decision(
                actor=request.user, meeting=meeting, text=data["text"], kind=data["kind"],
                responsible_unit=data["responsible_unit"], due_date=data["due_date"], action=data["action"])
        except ValidationError as exc:
            apply_errors(decision_form, exc)
        else:
            messages.success(request, _("Decision %(number)d was recorded.") % {"number": decision.number})
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(request, "meetings/minutes.html", {
        "meeting": meeting, "minutes_form": minutes_form, "decision_form": decision_form,
        "decisions": _decision_rows(request.user, meeting),
        "may_edit_actions": _may_edit_some_action(request.user, meeting),
    })


def _may_edit_some_action(user: Any, meeting: Meeting) -> bool:
    editable = units_for(user, Permission.EDIT_ACTIONS)
    return any(editable.filter(path__startswith=plan.government.path).exists() for plan in write.plans_for(meeting))


def _open_decision(request: HttpRequest, pk: int) -> Decision:
    _check_id(pk)
    visible = Meeting.objects.for_user(request.user, Permission.VIEW)
    decision = get_object_or_404(
        Decision.objects.select_related("meeting", "meeting__agreement", "meeting__agreement__government",
                                        "meeting__agreement__ombudsman_office", "action", "responsible_unit"),
        pk=pk, meeting__in=visible,
    )
    if not write.may_manage(request.user, decision.meeting.agreement):
        raise PermissionDenied(_("You may not manage meetings of this agreement."))
    return decision


@login_required
@require_http_methods(["GET", "POST"])
def decision_action(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /decisions/<id>/action/: the action form pre-filled from an open decision; saving creates (or
    changes) the action and links the decision in one step (MANAGE_MEETINGS and EDIT_ACTIONS). An MoU's meeting
    first asks which work plan (``?work_plan=<id>``)."""
    decision = _open_decision(request, pk)
    meeting = decision.meeting
    if decision.status != DecisionStatus.OPEN or decision.kind == DecisionKind.NOTE:
        messages.error(request, _("This decision is not awaiting an action."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    plans = write.plans_for(meeting)
    instance = None
    if decision.kind == DecisionKind.CHANGE_ACTION:
        instance = decision.action
        if instance is None:
            raise Http404
        plan = instance.work_plan
    else:
        choice = PlanChoiceForm(request.GET or None, plans=Agreement.objects.filter(pk__in=[p.pk for p in plans]))
        if len(plans) == 1:
            plan = plans[0]
        elif choice.is_bound and choice.is_valid():
            plan = choice.cleaned_data["work_plan"]
        else:
            return render(request, "meetings/decision_plan.html",
                          {"decision": decision, "meeting": meeting, "form": choice})
    if instance is not None:
        allowed = has_unit_permission(request.user, Permission.EDIT_ACTIONS, instance.responsible_unit)
    else:
        allowed = units_for(request.user, Permission.EDIT_ACTIONS).filter(
            path__startswith=plan.government.path).exists()
    if not allowed:
        raise PermissionDenied(_("You do not have permission for this unit."))
    initial = write.action_initial(decision, plan) if instance is None else None
    kwargs: dict[str, Any] = {"user": request.user, "work_plan": plan, "instance": instance}
    if initial is not None:
        kwargs["initial"] = initial
    form = ActionForm(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            action = write.apply_decision(
                actor=request.user, decision=decision, data=form.action_data(),
                supporting_units=form.cleaned_data["supporting_units"], work_plan=plan,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except IntegrityError:
            form.add_error("code", _("Another action of this work plan already has this code."))
        else:
            messages.success(request, _("Action %(code)s was saved from decision %(number)d.")
                             % {"code": action.code, "number": decision.number})
            return redirect("workplans:action_detail", pk=action.pk)
    return render(request, "meetings/decision_action.html",
                  {"decision": decision, "meeting": meeting, "plan": plan, "form": form, "action": instance})


@login_required
@require_POST
def decision_drop(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /decisions/<id>/drop/: drop an open decision with a reason (MANAGE_MEETINGS)."""
    decision = _open_decision(request, pk)
    form = DropForm(request.POST)
    if form.is_valid():
        try:
            write.drop_decision(actor=request.user, decision=decision, reason=form.cleaned_data["drop_reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision %(number)d was dropped.") % {"number": decision.number})
    else:
        messages.error(request, _("Give a reason for dropping the decision."))
    return redirect("meetings:minutes", pk=decision.meeting_id)


# ---------------------------------------------------------------------------------------------------------------
# Calendars


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /meetings/<id>/meeting.ics: the meeting as an iCalendar file, in its own zone."""
    meeting = visible_meeting_or_404(request.user, pk)
    url = request.build_absolute_uri(reverse("meetings:meeting_detail", args=[meeting.pk]))
    content = calendar_bytes([meeting], name=meeting.title, url_for=lambda m: url)
    return _ics_response(content, f"pantau-meeting-{meeting.pk}.ics")


def feed_meetings(user: Any) -> Any:
    """The meetings of a user's feed: those of the user's units (VIEW scope) from ``FEED_PAST_DAYS`` back."""
    since = timezone.localdate() - dt.timedelta(days=FEED_PAST_DAYS)
    return (
        Meeting.objects.for_user(user, Permission.VIEW).filter(date__gte=since)
        .select_related("agreement", "agreement__government", "host_unit").order_by("date", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """GET/POST /calendar/: the user's private feed: issue (or replace) its link, shown once, or revoke it; the
    upcoming meetings it holds."""
    feed_url = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            write.revoke_calendar_feed(actor=request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("meetings:calendar")
        token = write.issue_calendar_token(actor=request.user)
        feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
    has_feed = hasattr(request.user, "calendar_feed")
    now = timezone.now()
    upcoming = [m for m in feed_meetings(request.user) if m.date >= local_date(now, m.zone)][:50]
    return render(request, "meetings/calendar.html",
                  {"feed_url": feed_url, "has_feed": has_feed or bool(feed_url), "upcoming": upcoming})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """GET /calendar/<token>.ics: a user's private feed, no login (calendar programs cannot log in); the token is
    the secret. 404 for an unknown or revoked token or an inactive user."""
    user = write.feed_owner(token)
    if user is None:
        raise Http404
    meetings = list(feed_meetings(user))
    content = calendar_bytes(
        meetings, name=_("Pantau meetings"),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:meeting_detail", args=[m.pk])),
    )
    return _ics_response(content, "pantau.ics")
