"""Gives every request an id so that all audit entries written by one request can be grouped."""

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[uuid.UUID | None] = ContextVar("pantau_request_id", default=None)


def current_request_id() -> uuid.UUID:
    """Return the id of the request being served, or a fresh id for work outside a request (commands)."""
    value = _request_id.get()
    if value is None:
        value = uuid.uuid4()
        _request_id.set(value)
    return value


def new_request_id() -> uuid.UUID:
    """Start a new group of audit entries (used by management commands); returns the new id."""
    value = uuid.uuid4()
    _request_id.set(value)
    return value


class RequestIdMiddleware:
    """Sets a new request id for each request and returns it in the ``X-Request-ID`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request (see the class docstring)."""
        token = _request_id.set(uuid.uuid4())
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = str(_request_id.get())
            return response
        finally:
            _request_id.reset(token)
