"""Improvement actions, progress reports, evidence and verification."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    """Work plans: the actions in them and their measured progress."""

    name = "pantau.workplans"
    verbose_name = _("Work plans")

    def ready(self) -> None:
        """Register the work plans' reminder kinds and rules with the notifications app."""
        from pantau.workplans import reminders

        reminders.register()
