"""Community satisfaction surveys (SKM) and the IKM."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Surveys: SKM periods, responses, IKM results."""

    name = "pantau.surveys"
    verbose_name = _("Satisfaction surveys")
