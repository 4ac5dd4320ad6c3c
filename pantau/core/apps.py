"""Shared helpers (settings helpers, security headers, base templates)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Core: no models, only shared infrastructure."""

    name = "pantau.core"
