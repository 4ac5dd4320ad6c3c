"""The demo: the real Batanghari data and clearly marked samples, loaded through Pantau's own write paths."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo loader (``pantau load_demo``): the top of the import order, nothing imports it."""

    name = "pantau.demo"
    verbose_name = _("Demo")
