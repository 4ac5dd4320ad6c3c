"""Dashboard views (placeholder until the pages land)."""

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    """Landing page."""
    return HttpResponse("Pantau")
