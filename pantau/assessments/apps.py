"""The Ombudsman compliance assessment: method editions, rounds, scores, zones."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Assessments: versioned methods as data, rounds, scores, published results."""

    name = "pantau.assessments"
    verbose_name = _("Compliance assessments")
