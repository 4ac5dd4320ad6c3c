"""Inbox, preferences and the one-click unsubscribe page. Views stay thin: writes go through
``notifications.actions``. A user only ever sees and changes their own notifications and settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pantau.notifications import actions, registry
from pantau.notifications.actions import channels_of
from pantau.notifications.forms import PreferencesForm
from pantau.notifications.mail import kind_label
from pantau.notifications.models import Notification

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """GET /notifications/[?unread=1]: the user's notifications, newest first, 50 a page, unread marked."""
    mine = Notification.objects.mine(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        mine = mine.unread()
    page = Paginator(mine.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {k.code: k.label for k in registry.kinds()}
    return render(request, "notifications/inbox.html",
                  {"page": page, "only_unread": only_unread, "labels": labels})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """POST /notifications/read/ with ``id`` (one or more) or ``all=1``: mark the user's own notifications read."""
    if request.POST.get("all") == "1":
        actions.mark_read(actor=request.user)
    else:
        ids = [i for i in request.POST.getlist("id") if i.isdigit() and len(i) < 19]
        actions.mark_read(actor=request.user, ids=[int(i) for i in ids])
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """GET/POST /notifications/preferences/: choose in Pantau only, e-mail at once, daily digest or off per kind."""
    current = {kind: channel for (_user, kind), channel in channels_of([request.user.pk]).items()}
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.choices().items():
            actions.set_preference(actor=request.user, user=request.user, kind=kind, channel=channel)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html",
                  {"form": form, "has_email": bool(request.user.email)})


@csrf_exempt  # the signed token is the authority; mail clients post here without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET /notifications/unsubscribe/<token>/: a page with one button that switches the link's kind off; POST does
    it (also the one-click POST of mail clients). No login needed; only the token's user and kind change. 404 for a
    bad token."""
    try:
        user, kind = actions.read_unsubscribe_token(token)
    except ValidationError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        actions.unsubscribe(token=token)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": kind_label(kind)})
    return render(request, "notifications/unsubscribe.html", {"label": kind_label(kind), "token": token})
