"""Records logins and failed logins (Django's auth signals; no business logic lives in signals)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from pantau.audit.actions import record
from pantau.audit.models import AuditAction


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Audit a successful login."""
    record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """Audit a failed login with the username tried (never the password)."""
    record(actor=None, action=AuditAction.LOGIN_FAILED, obj=None, note=str(credentials.get("username", ""))[:150])
