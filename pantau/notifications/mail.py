"""E-mail delivery of notifications through Django's mail framework (console by default, SMTP from the environment;
settings ``EMAIL_*``): one e-mail per notification on the e-mail channel, and one daily digest per user for the
digest channel instead of a flood.

Every e-mail carries a one-click unsubscribe link per kind (``List-Unsubscribe`` with ``List-Unsubscribe-Post``,
RFC 8058, for mail clients; the same link in the text for people). A notification counts as e-mailed only once the
backend accepted it: a failed send leaves it pending and the next run tries again. A digest holds every pending
digest notification of its user; a user gets at most one digest per day (``Digest`` is unique per user and day, the
day being the Asia/Jakarta date of the run), so what arrives after the day's digest waits for the next one.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pantau.notifications import registry
from pantau.notifications.actions import unsubscribe_token
from pantau.notifications.models import Channel, Digest, Notification

logger = logging.getLogger(__name__)


def absolute(url: str) -> str:
    """``url`` (a path inside Pantau) made absolute with ``PANTAU_BASE_URL``; other URLs unchanged."""
    return settings.PANTAU_BASE_URL + url if url.startswith("/") else url


def unsubscribe_url(user: Any, kind: str) -> str:
    """The absolute one-click unsubscribe link of ``kind`` for ``user``."""
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def kind_label(code: str) -> str:
    """The translated label of kind ``code`` (the code itself when no app registered it)."""
    kind = registry.get_kind(code)
    return str(kind.label) if kind else code


def _message(user: Any, subject: str, body: str, unsubscribe: str | None) -> EmailMessage:
    subject = " ".join(subject.split())[:250]  # a line break in a typed title must not break the header
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=headers)


def single_message(notification: Notification) -> EmailMessage:
    """The e-mail of one notification: its subject and text, its link, and the unsubscribe link of its kind."""
    user = notification.recipient
    unsubscribe = unsubscribe_url(user, notification.kind)
    body = render_to_string("notifications/email/single.txt", {
        "notification": notification, "link": absolute(notification.url) if notification.url else "",
        "kind_label": kind_label(notification.kind), "unsubscribe": unsubscribe,
        "preferences": absolute(reverse("notifications:preferences")),
    })
    return _message(user, f"[Pantau] {notification.subject}", body, unsubscribe)


def digest_subject(count: int, day: Any) -> str:
    """The digest's subject: how many notifications, for which day."""
    return ngettext("[Pantau] %(count)d notification, %(day)s", "[Pantau] %(count)d notifications, %(day)s",
                    count) % {"count": count, "day": day.isoformat()}


def digest_message(user: Any, notifications: Sequence[Notification], day: Any) -> EmailMessage:
    """The daily digest of ``user``: the notifications grouped by kind (in the order kinds were registered), each
    with its subject, text and link, and one unsubscribe link per kind present."""
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append(notification)
    order = [k.code for k in registry.kinds()]
    groups = [
        {"label": kind_label(code), "unsubscribe": unsubscribe_url(user, code),
         "items": [{"n": n, "link": absolute(n.url) if n.url else ""} for n in items]}
        for code, items in sorted(by_kind.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99,
                                                                   kv[0]))
    ]
    body = render_to_string("notifications/email/digest.txt", {
        "groups": groups, "count": len(notifications), "day": day,
        "inbox": absolute(reverse("notifications:inbox")),
        "preferences": absolute(reverse("notifications:preferences")),
    })
    only = next(iter(by_kind)) if len(by_kind) == 1 else None
    return _message(user, digest_subject(len(notifications), day), body, unsubscribe_url(user, only) if only else None)


def send_pending_emails(*, now: datetime, dry_run: bool = False, extra: Iterable[Notification] = ()) -> int:
    """Send every pending notification of the e-mail channel, one e-mail each; returns how many went out (in a dry
    run: how many would, counting the unsaved ``extra``). One query to read, one to mark them sent."""
    pending = Notification.objects.filter(channel=Channel.EMAIL, emailed_at__isnull=True).select_related(
        "recipient").order_by("id")
    if dry_run:
        return pending.count() + sum(1 for n in extra if n.channel == Channel.EMAIL)
    sent: list[int] = []
    with get_connection() as connection:
        for notification in pending:
            if not notification.recipient.email or not notification.recipient.is_active:
                continue
            message = single_message(notification)
            message.connection = connection
            try:
                message.send()
            except Exception:  # an SMTP or network failure: keep it pending, try again on the next run
                logger.warning("notification %s: e-mail not sent", notification.pk, exc_info=True)
                continue
            sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=now)
    return len(sent)


def send_digests(*, now: datetime, dry_run: bool = False, extra: Iterable[Notification] = ()) -> int:
    """Send each user with pending digest notifications their digest, unless they had one today; returns how many
    digests went out (in a dry run: how many would, counting the unsaved ``extra``)."""
    day = timezone.localdate(now)
    pending: dict[int, list[Notification]] = defaultdict(list)
    for notification in Notification.objects.filter(
        channel=Channel.DIGEST, emailed_at__isnull=True
    ).select_related("recipient").order_by("day", "id"):
        pending[notification.recipient_id].append(notification)
    if dry_run:
        for notification in extra:
            if notification.channel == Channel.DIGEST:
                pending[notification.recipient_id].append(notification)
    already = set(Digest.objects.filter(day=day, recipient_id__in=list(pending)).values_list("recipient_id",
                                                                                               flat=True))
    due = {user_id: items for user_id, items in pending.items() if user_id not in already}
    if dry_run:
        return len(due)
    count = 0
    with get_connection() as connection:
        for items in due.values():
            user = items[0].recipient
            if not user.email or not user.is_active:
                continue
            message = digest_message(user, items, day)
            message.connection = connection
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(recipient=user, day=day, sent_at=now, count=len(items),
                                                   subject=message.subject[:300])
                    Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now, digest=digest)
                    message.send()
            except Exception:  # includes a digest made meanwhile by an overlapping run (unique per user and day)
                logger.warning("digest for user %s not sent", user.pk, exc_info=True)
                continue
            count += 1
    return count


def summary_line(created: int, emails: int, digests: int) -> str:
    """One translated line saying what a run did."""
    return _("%(created)d notifications made, %(emails)d e-mails and %(digests)d digests sent.") % {
        "created": created, "emails": emails, "digests": digests}
