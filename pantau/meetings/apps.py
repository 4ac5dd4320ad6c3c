"""Signing, coordination, mentoring and evaluation meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings: in person, online or hybrid, with attendance counted by mode."""

    name = "pantau.meetings"
    verbose_name = _("Meetings")
