"""MoUs (Nota Kesepakatan) and work plans (Rencana Kerja)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Agreements: MoUs and the work plans under them."""

    name = "pantau.agreements"
    verbose_name = _("Agreements")
