"""The one write path of notifications: storing what reminder rules drafted, preferences, unsubscribing, marking
read.

``notify_many`` (and ``notify`` for one) is what ``jobs.send_reminders`` calls with every rule's drafts: it drops
drafts already sent (``registry.Draft.once``; the unique constraint on (recipient, key, day) backs it), applies each
recipient's preference for the kind (off: nothing is made; e-mail or digest without an e-mail address: in Pantau only)
and stores the rest in bulk. It is system work, audited once per run by the job, not per notification.

Preferences change only by their owner (or a superuser), or without login through the signed unsubscribe link of one
kind (``unsubscribe_token``; ``django.core.signing``, salted, no expiry: an old e-mail's link keeps working and can
only ever switch that one kind off for that one user). Both are audited. Marking read is the user's own reading state
and is not audited.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts.models import User
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.notifications import registry
from pantau.notifications.models import Channel, Notification, Preference

UNSUBSCRIBE_SALT = "pantau.notifications.unsubscribe"
CHUNK = 500
"""Rows per bulk insert and values per ``IN (...)`` list (well under SQLite's and PostgreSQL's limits)."""

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def default_channel(kind: str) -> str:
    """The channel of ``kind`` for a user who chose none (the registered default; the digest for unknown kinds)."""
    found = registry.get_kind(kind)
    return found.default_channel if found else Channel.DIGEST


def channels_of(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """The stored preferences of ``user_ids`` as ``{(user_id, kind): channel}`` (one query per 500 users)."""
    ids = sorted(set(user_ids))
    found: dict[tuple[int, str], str] = {}
    for chunk in _chunks(ids):
        for user_id, kind, channel in Preference.objects.filter(user_id__in=chunk).values_list(
            "user_id", "kind", "channel"
        ):
            found[(user_id, kind)] = channel
    return found


@transaction.atomic
def notify_many(drafts: Iterable[registry.Draft], *, dry_run: bool = False) -> list[Notification]:
    """Store ``drafts`` as notifications and return the ones made (unsaved when ``dry_run``).

    The returned objects carry no primary key (bulk insert). Dropped: duplicates within ``drafts``; drafts already
    sent (same recipient and key on any day when ``once``, on the same day otherwise); recipients who are inactive
    or unknown; kinds the recipient switched off. A draft for e-mail or the digest to a user without an e-mail
    address becomes in-Pantau only. Raises ValueError for a kind no app registered. Queries: one per 500 keys, one
    per 500 recipients (users, preferences), one insert per 500.
    """
    unique: dict[tuple[int, str, dt.date], registry.Draft] = {}
    for draft in drafts:
        if registry.get_kind(draft.kind) is None:
            raise ValueError(f"unregistered notification kind: {draft.kind!r}")
        unique.setdefault((draft.recipient_id, draft.key[:200], draft.day), draft)
    if not unique:
        return []
    recipient_ids = sorted({r for r, _k, _d in unique})
    keys = sorted({k for _r, k, _d in unique})
    sent_any: set[tuple[int, str]] = set()
    sent_on: set[tuple[int, str, dt.date]] = set()
    for chunk in _chunks(keys):
        for recipient_id, key, day in Notification.objects.filter(key__in=chunk).values_list(
            "recipient_id", "key", "day"
        ):
            sent_any.add((recipient_id, key))
            sent_on.add((recipient_id, key, day))
    emails: dict[int, str] = {}
    for chunk in _chunks(recipient_ids):
        emails.update(User.objects.filter(pk__in=chunk, is_active=True).values_list("pk", "email"))
    chosen = channels_of(recipient_ids)
    made = []
    for (recipient_id, key, day), draft in unique.items():
        if recipient_id not in emails:
            continue
        if (recipient_id, key, day) in sent_on or (draft.once and (recipient_id, key) in sent_any):
            continue
        channel = chosen.get((recipient_id, draft.kind)) or default_channel(draft.kind)
        if channel == Channel.OFF:
            continue
        if channel in (Channel.EMAIL, Channel.DIGEST) and not emails[recipient_id]:
            channel = Channel.IN_APP
        made.append(Notification(
            recipient_id=recipient_id, kind=draft.kind, key=key, day=day, subject=draft.subject[:300],
            body=draft.body, url=draft.url[:500], channel=channel,
        ))
    if not dry_run:
        for chunk in _chunks(made):
            Notification.objects.bulk_create(chunk, ignore_conflicts=True)
    return made


def notify(
    *, recipient: Any, kind: str, key: str, subject: str, body: str, on: dt.date, url: str = "", once: bool = True
) -> Notification | None:
    """Store one notification for ``recipient`` (a user) on local date ``on``; None when it was already sent or the
    recipient switched the kind off (see ``notify_many``)."""
    made = notify_many([registry.Draft(recipient_id=recipient.pk, kind=kind, key=key, day=on, subject=subject,
                                       body=body, url=url, once=once)])
    if not made:
        return None
    return Notification.objects.get(recipient_id=recipient.pk, key=made[0].key, day=on)


def _check_choice(kind: str, channel: str) -> None:
    errors: dict[str, list[str]] = {}
    if registry.get_kind(kind) is None:
        errors["kind"] = [_("Unknown kind of notification.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose in Pantau only, e-mail, daily digest or off.")]
    if errors:
        raise ValidationError(errors)


def _store_preference(*, actor: Any, user: Any, kind: str, channel: str, note: str = "") -> Preference:
    preference = Preference.objects.select_for_update().filter(user=user, kind=kind).first()
    before = snapshot(preference)
    if preference is None:
        preference = Preference.objects.create(user=user, kind=kind, channel=channel)
        record(actor=actor, action=AuditAction.CREATE, obj=preference, after=snapshot(preference), note=note)
    elif preference.channel != channel:
        preference.channel = channel
        preference.save(update_fields=["channel", "updated_at"])
        record(actor=actor, action=AuditAction.UPDATE, obj=preference, before=before, after=snapshot(preference),
               note=note)
    return preference


@transaction.atomic
def set_preference(*, actor: Any, user: Any, kind: str, channel: str) -> Preference:
    """Set ``user``'s channel for ``kind``. Only the user themself or a superuser may (PermissionDenied otherwise);
    ValidationError for an unknown kind or channel. Audited when it changes something."""
    if not getattr(actor, "is_authenticated", False) or not (actor.pk == user.pk or actor.is_superuser):
        raise PermissionDenied(_("You may change only your own notification settings."))
    _check_choice(kind, channel)
    return _store_preference(actor=actor, user=user, kind=kind, channel=channel)


def unsubscribe_token(user: Any, kind: str) -> str:
    """A signed, URL-safe token that switches ``kind`` off for ``user`` (``unsubscribe``)."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The (active user, registered kind) a token names; ValidationError for a forged, altered or stale token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise ValidationError(_("This link is not valid."))
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or registry.get_kind(data["k"]) is None:
        raise ValidationError(_("This link is not valid."))
    return user, data["k"]


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Switch off the one kind named by ``token`` for its user (no login: the signature is the authority); returns
    (user, kind). Audited with no actor. ValidationError for a bad token."""
    user, kind = read_unsubscribe_token(token)
    _store_preference(actor=None, user=user, kind=kind, channel=Channel.OFF, note="unsubscribe link")
    return user, kind


def mark_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark ``actor``'s own unread notifications read (those in ``ids``, or all); returns how many changed.
    Another user's notification is never touched."""
    unread = Notification.objects.mine(actor).unread()
    if ids is not None:
        unread = unread.filter(pk__in=[int(i) for i in ids])
    return unread.update(read_at=timezone.now())
