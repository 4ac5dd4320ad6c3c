"""Notifications in the Django admin, read-only: they are made by the reminder job and changed by their owners."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pantau.notifications.models import Digest, Notification, Preference


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists and shows, never adds, changes or deletes (the write paths are notifications.actions)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never."""
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Notifications by day, kind and channel."""

    list_display = ("day", "recipient", "kind", "channel", "subject", "emailed_at", "read_at")
    list_filter = ("kind", "channel", "day")
    search_fields = ("key", "subject", "recipient__username")


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    """Each user's channel per kind."""

    list_display = ("user", "kind", "channel", "updated_at")
    list_filter = ("kind", "channel")


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    """Daily digests sent."""

    list_display = ("day", "recipient", "count", "sent_at")
    list_filter = ("day",)
