"""Security headers that Django's SecurityMiddleware does not set."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
