"""Services and their service standards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """Standards: services per unit, the 14 components, the maklumat."""

    name = "pantau.standards"
    verbose_name = _("Service standards")
