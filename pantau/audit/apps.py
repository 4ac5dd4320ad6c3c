"""The audit app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail: append-only change records and login events."""

    name = "pantau.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        """Connect the login and failed-login receivers."""
        from pantau.audit import signals  # noqa: F401  (login/failed-login receivers)
