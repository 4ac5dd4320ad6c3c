"""Kemendagri administrative regions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    """Regions: provinces, regencies/cities, districts, villages."""

    name = "pantau.regions"
    verbose_name = _("Regions")
