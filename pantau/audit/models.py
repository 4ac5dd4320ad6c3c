"""The audit trail: who changed what, when, with the values before and after, grouped by request."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Registry of audit action codes with translated labels (wagtail's log_actions habit)."""

    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    REPORT_PROGRESS = "progress.report", _("reported progress")
    ACCEPT_PROGRESS = "progress.accept", _("accepted a progress report")
    RETURN_PROGRESS = "progress.return", _("returned a progress report")
    CANCEL = "cancel", _("cancelled")
    PUBLISH = "publish", _("published")
    IMPORT = "import", _("imported")
    GRANT_ROLE = "role.grant", _("granted a role")
    REVOKE_ROLE = "role.revoke", _("revoked a role")
    LOGIN = "auth.login", _("logged in")
    LOGIN_FAILED = "auth.login_failed", _("failed to log in")
    VIEW_IDENTITY = "identity.view", _("viewed a protected identity")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Audit entries; read-only by design."""

    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        """Entries about ``obj``, newest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).order_by("-at", "-id")


class AuditEntry(models.Model):
    """One recorded change: actor, time, action code, object, before and after values (JSON), request id.

    Entries are append-only: ``save`` refuses updates and ``delete`` is refused, and the admin is read-only.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.UUIDField(_("request id"), default=uuid.uuid4, db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only; raises PermissionError on an attempt to change a stored entry."""
        if self.pk is not None:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Always raises PermissionError: audit entries cannot be deleted."""
        raise PermissionError("audit entries cannot be deleted")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """The fields that differ between before and after, as (field, before, after) tuples."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
