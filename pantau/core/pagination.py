"""One way to cut a list into pages for HTML pages (issue 11): ``paginate`` gives a Django ``Page`` that the shared
include ``core/_pagination.html`` shows as phone-sized links (previous, numbers with gaps, next) keeping the other
query parameters (filters). The API paginates through DRF (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``)."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50
"""Rows per page of an HTML list: a phone screen scrolls through 50 cards without strain, a desk sees them at once."""


def paginate(request: HttpRequest, rows: Any, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The page of ``rows`` (a queryset, ordered, or a list) asked for by ``?page=`` (the last page for a number too
    large, the first for anything else, never an error); ``page.links`` holds the page numbers to show, with
    ``Paginator.ELLIPSIS`` for the gaps, and ``page.param`` the query parameter. A first page that holds the whole
    list costs one query (no COUNT); other pages two."""
    paginator = Paginator(rows, per_page)
    asked = request.GET.get(param)
    page = None
    if not isinstance(rows, list) and asked in (None, "", "1"):
        first = list(rows[: per_page + 1])  # one query; a list that fits on one page needs no COUNT
        if len(first) <= per_page:
            paginator.__dict__["count"] = len(first)  # Paginator.count is a cached_property
            page = Page(first, 1, paginator)
    if page is None:
        page = paginator.get_page(asked)
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))  # type: ignore[attr-defined]
    page.ellipsis = Paginator.ELLIPSIS  # type: ignore[attr-defined]
    page.param = param  # type: ignore[attr-defined]
    return page
