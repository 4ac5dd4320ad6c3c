"""Notifications: reminders, escalation, the daily digest and each user's inbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The inbox, the e-mail delivery and the registry where the apps above register their reminder rules."""

    name = "pantau.notifications"
    verbose_name = _("Notifications")
