"""The unread count for the header's badge: one query, and only when a template shows it."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pantau.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: the user's unread count (lazy: counted once, on first use in a template; nothing
    for anonymous visitors)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.mine(user).unread().count())}
