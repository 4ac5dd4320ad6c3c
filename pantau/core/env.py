"""Typed settings helpers that read the environment and fail loudly on bad values (healthchecks' habit)."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return ``name`` as a boolean ("1/true/yes/on" or "0/false/no/off").

    Raises ImproperlyConfigured for any other value, so a typo never silently flips a security setting.
    """
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Return ``name`` as an integer; raises ImproperlyConfigured when it is not one."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``name`` split on commas (blank items dropped), or ``default``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    """Return ``name`` as a comma-separated list of integers ("14,7,1"), or ``default``.

    Raises ImproperlyConfigured when an item is not an integer.
    """
    items = env_list(name, [])
    if not items:
        return list(default)
    try:
        return [int(item) for item in items]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be integers separated by commas, got {os.environ[name]!r}") from exc
