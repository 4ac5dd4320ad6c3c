"""Complaints (pengaduan): intake, routing, stages with deadlines, identity protection, patterns as findings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints: the public form, staff entry and imports, routing, stages and deadlines in working or calendar
    days, the protected identity of the complainant, supervision, Ombudsman reports and the Open311 feed."""

    name = "pantau.complaints"
    verbose_name = _("Complaints")
