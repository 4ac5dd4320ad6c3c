"""The government's and the Ombudsman's units as one tree."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Organizations: units, their kinds and the tree."""

    name = "pantau.organizations"
    verbose_name = _("Organizations")
