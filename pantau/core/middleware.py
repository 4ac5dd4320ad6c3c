"""Middleware of Pantau: security headers that Django's SecurityMiddleware does not set, the Indonesian-first
language choice, and the one guard against control characters in requests."""

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from pantau.core.typed_input import control_character, shown_value

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
"""Bodies whose fields Django parses into ``request.POST`` (JSON bodies are checked by ``core.api.SafeJSONParser``)."""

# No inline scripts or styles, no third-party origins: every asset is served by Pantau itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response that lacks them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request (see the class docstring)."""
        response = self.get_response(request)
        # everywhere, the Django admin and the browsable API included (neither uses inline scripts or styles)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # pages and exports behind a login hold non-public data: never kept by shared caches or the browser
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class IndonesianFirstLocaleMiddleware:
    """Activates the language the user chose (the language cookie set by the ID/EN switch), else Bahasa Indonesia.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: office PCs often run English-locale
    browsers, and Pantau's users expect Bahasa Indonesia first (the product's rule).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request (see the class docstring)."""
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def control_character_problem(request: HttpRequest) -> str | None:
    """The translated reason when any part of ``request`` a view may read holds a control character other than tab,
    newline and carriage return (``typed_input.check_text``), else None.

    Checked: the path, every query parameter (name and value), every header (and the user name and password of a
    Basic ``Authorization`` header, which are base64-encoded), every cookie, and the fields and file names of a
    form body (``application/x-www-form-urlencoded``, ``multipart/form-data``). PostgreSQL refuses NUL in text, so
    such a value would otherwise end as a server error (500) wherever it reaches a query.
    """
    checks: list[tuple[str, Iterable[tuple[str, Any]]]] = [
        (_("the address"), [("", request.path_info)]),
        (_("the query parameter “%(name)s”"), _multi(request.GET)),
        (_("the header “%(name)s”"), _headers(request)),
        (_("the cookie “%(name)s”"), request.COOKIES.items()),
        (_("the user name or password"), _basic_credentials(request)),
    ]
    content_type = (request.content_type or "").lower()
    if request.method not in ("GET", "HEAD", "OPTIONS") and content_type in FORM_CONTENT_TYPES:
        checks.append((_("the form field “%(name)s”"), _multi(request.POST)))
        checks.append((_("the name of the file in “%(name)s”"),
                       [(key, upload.name or "") for key, upload in request.FILES.items()]))
    for where, pairs in checks:
        for name, value in pairs:
            for text in (name, value):
                character = control_character(text) if isinstance(text, str) else None
                if character is not None:
                    return refusal(where % {"name": shown_value(name)}, character)
    return None


def refusal(where: str, character: str) -> str:
    """The translated reason for refusing a request: ``where`` (e.g. 'the query parameter “q”') holds the control
    character ``character`` ("U+0000")."""
    return _("The request was refused: %(where)s contains a control character (%(character)s), which Pantau does not "
             "accept. Remove it and try again.") % {"where": where, "character": character}


def _multi(data: Any) -> Iterable[tuple[str, str]]:
    for key, values in data.lists():
        for value in values:
            yield key, value


def _headers(request: HttpRequest) -> Iterable[tuple[str, str]]:
    for key, value in request.META.items():
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            yield key.removeprefix("HTTP_").replace("_", "-").title(), value


def _basic_credentials(request: HttpRequest) -> Iterable[tuple[str, str]]:
    """The decoded "user:password" of a Basic Authorization header (DRF answers 401 to one that does not decode)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return []
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return []
    return [("", raw.decode("utf-8", errors="replace"))]


class ControlCharacterGuardMiddleware:
    """Answers 400 to a request with a control character in its path, query, headers, cookies or form fields
    (``control_character_problem``), before any view or authentication reads it: JSON ``{"detail": reason}`` under
    ``/api/``, plain text elsewhere, in the active language. JSON bodies are checked by ``core.api.SafeJSONParser``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request (see the class docstring)."""
        problem = control_character_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return HttpResponse(json.dumps({"detail": problem}, ensure_ascii=False), status=400,
                                content_type="application/json")
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
