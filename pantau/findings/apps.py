"""Findings from every measurement, the actions proposed from them, and the change credited back to those actions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    """Findings: the start and the end of the improvement loop (DESIGN.md, "The loop the product closes")."""

    name = "pantau.findings"
    verbose_name = _("Findings")
