"""QR codes (segno, pure Python) as SVG for pages and as data: URIs for PDFs.

Used for the survey counter page, meetings' attendance sign-in and printed reports. The SVG is self-contained (no
external references, no scripts), so ``qr_response`` can serve it under ``default-src 'none'``. Error correction is
at least M (15 % of the symbol may be damaged, e.g. a creased or smudged print-out); segno raises it when that costs
no larger symbol. Data that does not fit a QR code (more than 2,331 bytes at level M) raises ``ValueError``.
"""

import io

import segno
from django.http import HttpResponse

QR_CSP = "default-src 'none'; style-src 'unsafe-inline'"
ERROR_CORRECTION = "m"
BORDER = 4  # the quiet zone the QR standard asks for, in modules
DARK = "#000"
LIGHT = "#fff"  # an opaque background: scanners need contrast on dark pages and coloured paper too


def make_qr(data: str) -> segno.QRCode:
    """The QR code Pantau draws for ``data``: a full QR code (never Micro QR), error correction at least M."""
    if not data:
        raise ValueError("a QR code needs data")
    return segno.make(data, error=ERROR_CORRECTION, micro=False, boost_error=True)


def qr_svg(data: str, *, scale: int = 4, title: str | None = None) -> bytes:
    """The QR code of ``data`` as a standalone SVG document (UTF-8 bytes), ``scale`` pixels per module.

    ``title`` becomes the SVG's ``<title>`` (its accessible name; escaped by segno), e.g. "Kode QR daftar hadir".
    """
    buffer = io.BytesIO()
    make_qr(data).save(
        buffer, kind="svg", scale=scale, border=BORDER, dark=DARK, light=LIGHT, title=title, xmldecl=True,
        unit="px",  # with a unit segno also writes a viewBox, so CSS can scale the image without clipping it
    )
    return buffer.getvalue()


def qr_svg_data_uri(data: str, *, scale: int = 4) -> str:
    """The QR code as an SVG ``data:`` URI: stays a vector in a PDF (``<img src="{{ qr }}">``)."""
    return make_qr(data).svg_data_uri(scale=scale, border=BORDER, dark=DARK, light=LIGHT)


def qr_png_data_uri(data: str, *, scale: int = 4) -> str:
    """The QR code as a PNG ``data:`` URI (segno writes PNG itself, no Pillow), for e-mail and other raster uses."""
    return make_qr(data).png_data_uri(scale=scale, border=BORDER, dark=DARK, light=LIGHT)


def qr_response(data: str, *, scale: int = 4, title: str | None = None) -> HttpResponse:
    """An ``image/svg+xml`` response with the QR code of ``data`` and a Content-Security-Policy that allows nothing
    but the SVG's inline styles (an SVG opened directly can never run a script or load anything)."""
    response = HttpResponse(qr_svg(data, scale=scale, title=title), content_type="image/svg+xml")
    response["Content-Security-Policy"] = QR_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
