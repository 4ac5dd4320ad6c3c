"""Notifications sent to users, each user's preferences per kind of notification, and the daily digests.

A notification is made by a reminder rule (``notifications.registry``) for one recipient, of one kind (``action_due``,
``report_waiting``...), under a deduplication ``key`` (``action:12:due:7``) on a local ``day`` (the date in the time
zone of the unit it concerns, rules.md section 10). The unique constraint on (recipient, key, day) is what makes
"never the same reminder twice" hold even when two runs overlap.

Channels: in Pantau only (the inbox), an e-mail at once, or the daily digest (one e-mail per user and day listing
everything new); "off" makes nothing. Every notification reaches the inbox whatever its channel.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a user wants one kind of notification."""

    IN_APP = "in_app", _("in Pantau only")
    EMAIL = "email", _("e-mail at once")
    DIGEST = "digest", _("daily digest e-mail")
    OFF = "off", _("off")


class Digest(models.Model):
    """One daily digest e-mail sent to a user: at most one per user and ``day`` (Asia/Jakarta date of the run,
    where the Ombudsman's national offices are; rules.md section 10), holding ``count`` notifications."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))
    count = models.PositiveIntegerField(_("notifications"))
    subject = models.CharField(_("subject"), max_length=300)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-day", "id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    """Notifications; a user only ever sees their own (``mine``)."""

    def mine(self, user: object) -> "NotificationQuerySet":
        """The notifications addressed to ``user`` (none for an anonymous user)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=getattr(user, "pk", None))

    def unread(self) -> "NotificationQuerySet":
        """Notifications not yet marked read."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user: a reminder, an escalation, or any kind an app registers.

    ``subject`` and ``body`` are written when the notification is made, in Pantau's default language (Indonesian);
    ``url`` is a path inside Pantau (made absolute with ``PANTAU_BASE_URL`` in e-mails). ``channel`` is the
    recipient's preference for the kind when it was made. ``emailed_at`` is set once the e-mail (or the digest
    holding it) went out; ``read_at`` when the user marked it read.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200)
    day = models.DateField(_("day (local date)"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key", "day"], name="notification_once_per_key_and_day")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(fields=["channel", "emailed_at"], name="notification_outbox"),
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day} {self.subject}"


class Preference(models.Model):
    """A user's channel for one kind of notification; without a row the kind's default applies
    (``registry.Kind.default_channel``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.channel}"
