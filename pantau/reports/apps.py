"""Dashboards, roll-ups and reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports: the work-plan dashboard and roll-ups."""

    name = "pantau.reports"
    verbose_name = _("Reports")
