"""Django templates rendered to PDF with WeasyPrint, offline: the only resources a document may load are Pantau's own
static files and ``data:`` URIs.

Reports extend ``core/pdf_base.html`` (running header with the title, footer with the time of rendering and
"Halaman X dari Y"); ``render_pdf`` always adds the base print stylesheet ``pantau/print.css`` (A4, margins, fonts)
at the user level, so a template's own ``<style>`` overrides it. Charts and QR codes go in as ``data:`` URIs
(``data_uri(svg_bytes, "image/svg+xml")``) and stay vectors in the PDF.

Every other URL (``http(s)://``, ``file://``, a path outside the static files) is refused by ``StaticOnlyURLFetcher``
before anything is opened, so text or links typed by users and shown in a document can never make the server fetch
a URL (SSRF) or read a local file; WeasyPrint logs the refusal and leaves that image out.

Fonts come from the system through fontconfig (Debian packages installed by ``bin/ensure-pdf-deps``): Liberation
Sans, then DejaVu Sans for any character Liberation lacks.
"""

import base64
import functools
import logging
import mimetypes
import posixpath
import re
import unicodedata
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

#: Relative URLs in a document resolve against this origin. ``.invalid`` is reserved (RFC 2606) and never resolves;
#: the fetcher maps it to the static files and opens no connection, whatever the URL.
DOCUMENT_BASE_URL = "https://pantau.invalid/"
BASE_STYLESHEET = "pantau/print.css"
_DATA_URI_MAX_CHARS = 20 * 1024 * 1024  # an embedded chart or photo, not a whole archive


class ResourceRefused(ValueError):
    """A document asked for a resource that is neither one of Pantau's static files nor a ``data:`` URI."""


def _static_prefix() -> str:
    """The absolute URL under which a document names static files: STATIC_URL resolved against the base (an absolute
    STATIC_URL stays as it is, and is read from disk all the same)."""
    prefix = urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL)
    return prefix if prefix.endswith("/") else prefix + "/"


def static_file_path(url: str) -> Path:
    """The file on disk of a static-file URL such as ``https://pantau.invalid/static/pantau/print.css``.

    Found through the staticfiles finders (the apps' ``static/`` folders), else in the collected ``STATIC_ROOT``.
    Raises ``ResourceRefused`` for any other URL, a path that climbs out (``..``, also percent-encoded) or a file that
    does not exist.
    """
    parts = urlsplit(url)
    bare = parts._replace(query="", fragment="").geturl()
    prefix = _static_prefix()
    if not bare.startswith(prefix):
        raise ResourceRefused(f"not one of Pantau's static files: {url!r}")
    relative = unquote(bare[len(prefix):])
    normalised = posixpath.normpath(relative) if relative else ""
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or normalised != relative
        or normalised.startswith(("/", "."))
        or any(segment in {"", ".", ".."} for segment in relative.split("/"))
    ):
        raise ResourceRefused(f"not a plain static path: {url!r}")
    found = finders.find(normalised)
    if found:
        return Path(found)
    if staticfiles_storage.exists(normalised):
        return Path(staticfiles_storage.path(normalised))
    raise ResourceRefused(f"no such static file: {url!r}")


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use: it loads Pango at import time (about 0.4 s, and an error where the Debian
    libraries are missing), which pages that make no PDF need not pay or fail on."""
    import weasyprint

    return weasyprint


@functools.cache
def _fetcher_class() -> type:
    urls = _weasyprint().urls

    class StaticOnlyURLFetcher(urls.URLFetcher):
        """Serves Pantau's static files from disk and decodes ``data:`` URIs; refuses everything else.

        Built on WeasyPrint's ``URLFetcher`` with ``data`` as the only allowed protocol and no redirects, so even the
        inherited code path cannot open a network connection or a ``file://`` URL. ``refused`` lists what it refused.
        """

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            """Return the resource at ``url`` or raise ``ResourceRefused``."""
            if url[:5].lower() == "data:":
                if len(url) > _DATA_URI_MAX_CHARS:
                    self._refuse(url, "data: URI too large")
                return super().fetch(url, headers)
            try:
                path = static_file_path(url)
            except ResourceRefused as refusal:
                self._refuse(url, str(refusal))
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if content_type.startswith("text/"):
                content_type += "; charset=utf-8"
            return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

        def _refuse(self, url: str, reason: str) -> None:
            self.refused.append(url)
            logger.warning("PDF resource refused: %s", reason[:300])
            raise ResourceRefused(reason)

    return StaticOnlyURLFetcher


def static_only_url_fetcher() -> Any:
    """A new WeasyPrint URL fetcher (a ``weasyprint.urls.URLFetcher``) that serves only Pantau's static files and
    ``data:`` URIs, raising ``ResourceRefused`` for anything else; its ``refused`` list records what it refused."""
    return _fetcher_class()()


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a stylesheet (quotes, backslashes, newlines and ``<`` escaped)."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r\f' or ord(ch) < 0x20 else ch for ch in text)
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The CSS ``content`` value for the footer's "Halaman X dari Y" / "Page X of Y" in the active language."""
    # Translators: the PDF footer; keep both placeholders, in the order your language needs.
    template = gettext("Page %(page)s of %(pages)s")
    tokens = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", template):
        if piece == "%(page)s":
            tokens.append("counter(page)")
        elif piece == "%(pages)s":
            tokens.append("counter(pages)")
        elif piece:
            tokens.append(_css_string(piece))
    return " ".join(tokens)


def data_uri(content: bytes, content_type: str) -> str:
    """A ``data:`` URI (base64) for embedding bytes such as an SVG chart: ``<img src="{{ chart }}">``."""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    language: str | None = None,
) -> bytes:
    """Render the Django template ``template_name`` with ``context`` to PDF bytes.

    ``language`` (``"id"``/``"en"``) overrides the active language for the whole document; otherwise the request's
    or the process's active language applies. The context gains ``pdf_generated_at`` (now, in the current time zone)
    unless the caller passes one; ``title`` names the document (PDF metadata and running header).
    """
    weasyprint = _weasyprint()
    with translation.override(language) if language else nullcontext():
        full_context = {"pdf_generated_at": timezone.localtime(), **context}
        html = render_to_string(template_name, full_context, request=request)
        fetcher = static_only_url_fetcher()
        base_css = weasyprint.CSS(
            url=_static_prefix() + BASE_STYLESHEET, url_fetcher=fetcher, base_url=DOCUMENT_BASE_URL
        )
        counter_css = weasyprint.CSS(string=f"@page {{ @bottom-right {{ content: {page_counter_css()}; }} }}")
        document = weasyprint.HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[base_css, counter_css])
    if fetcher.refused:
        logger.info("PDF %s rendered without %d refused resource(s)", template_name, len(fetcher.refused))
    return bytes(pdf)


def safe_filename(filename: str, *, extension: str = ".pdf") -> str:
    """A download name without folders, quotes or control characters, ending in ``extension`` (kept readable)."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in name if ch not in '"*:<>?|;')
    name = re.sub(r"\s+", " ", name).strip(" .")[:150].strip(" .")
    if name.lower().endswith(extension):
        name = name[: -len(extension)].strip(" .")
    return f"{name or 'document'}{extension}"


def pdf_response(pdf_bytes: bytes, filename: str, *, as_attachment: bool = True) -> HttpResponse:
    """An ``application/pdf`` response named ``filename`` (made safe); ``as_attachment=False`` opens it inline."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment, safe_filename(filename))
    response["Content-Length"] = str(len(pdf_bytes))
    response["X-Content-Type-Options"] = "nosniff"
    return response

