"""Users and roles granted on units."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts: users, roles, permission codes and scoping."""

    name = "pantau.accounts"
    verbose_name = _("Accounts")
