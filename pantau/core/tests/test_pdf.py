"""PDFs are laid out on A4 with their text, fonts, charts and page counter, and never fetch anything from outside:
only Pantau's static files and data: URIs reach WeasyPrint."""

import base64
import copy
import datetime as dt
import io
import re
import socket
import zoneinfo
from pathlib import Path

import matplotlib
import pytest
from django.test import RequestFactory
from pypdf import PdfReader

from pantau.core.pdf import (
    ResourceRefused,
    data_uri,
    pdf_response,
    render_pdf,
    safe_filename,
    static_file_path,
    static_only_url_fetcher,
)
from pantau.core.qr import qr_png_data_uri, qr_svg_data_uri

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TEMPLATE = "core_tests/pdf_sample.html"
WORK_PLAN_LINE = "Rencana Kerja Pelayanan Publik — Rp 450.000 — 18 November 2020"
SIGNED = dt.datetime(2020, 11, 18, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
PRINT_CSS = Path(__file__).resolve().parents[1] / "static" / "pantau" / "print.css"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.fixture
def no_network(monkeypatch):
    """Any DNS lookup or connection during the test is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a PDF test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def work_plan_pdf(language="id", **context):
    context = {"title": "Rencana Kerja Pelayanan Publik", "body": WORK_PLAN_LINE, "pdf_generated_at": SIGNED,
               **context}
    return PdfReader(io.BytesIO(render_pdf(TEMPLATE, context, language=language)))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader):
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def chart_svg(title):
    """A matplotlib bar chart as SVG bytes, its text kept as text so the PDF's text shows it was drawn."""
    with plt.rc_context({"svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(4, 2.5))
        ax.bar(["U1", "U2", "U3"], [88.31, 71.2, 93.0])
        ax.set_title(title)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
    return buffer.getvalue()


def test_an_indonesian_work_plan_is_one_a4_page_with_its_text_title_and_footer():
    reader = work_plan_pdf()

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = text_of(reader)
    assert WORK_PLAN_LINE in text
    assert "Halaman 1 dari 1" in text
    assert "Dibuat 18 November 2020 10:30 WIB" in text
    assert "Page 1 of 1" not in text
    assert reader.metadata.title == "Rencana Kerja Pelayanan Publik"


def test_the_same_document_in_english_has_an_english_footer():
    text = text_of(work_plan_pdf(language="en"))

    assert WORK_PLAN_LINE in text
    assert "Page 1 of 1" in text
    assert "Generated 18 November 2020 10:30 WIB" in text
    assert "Halaman" not in text


def test_text_is_set_in_liberation_sans_from_the_system_fonts():
    assert fonts_of(work_plan_pdf()) == {"Liberation-Sans", "Liberation-Sans-Bold"}


def test_a_long_table_breaks_over_pages_that_count_themselves_and_repeat_the_header():
    rows = [(n, f"Aksi perbaikan layanan {n}", "Dinas Kependudukan dan Pencatatan Sipil", f"{n * 12_500:,}")
            for n in range(1, 121)]
    reader = work_plan_pdf(rows=rows)

    pages = len(reader.pages)
    assert pages >= 3
    texts = [page.extract_text() for page in reader.pages]
    assert f"Halaman 1 dari {pages}" in texts[0]
    assert f"Halaman {pages} dari {pages}" in texts[-1]
    assert all("Anggaran (Rp)" in text for text in texts)
    assert "Aksi perbaikan layanan 120" in texts[-1]


def test_an_svg_chart_from_matplotlib_is_drawn_into_the_pdf(caplog):
    svg = chart_svg("Indeks Kepuasan Masyarakat 2020")
    assert b"Indeks Kepuasan Masyarakat 2020" in svg  # the text the PDF must show comes only from the chart

    text = text_of(work_plan_pdf(chart=data_uri(svg, "image/svg+xml")))

    assert "Indeks Kepuasan Masyarakat 2020" in text
    assert "refused" not in caplog.text


def test_qr_codes_embed_as_a_vector_or_as_a_png_image():
    vector = work_plan_pdf(images=[qr_svg_data_uri("https://pantau.example/skm/12/")])
    raster = work_plan_pdf(images=[qr_png_data_uri("https://pantau.example/skm/12/")])

    assert len(vector.pages[0].images) == 0  # drawn as paths
    assert len(raster.pages[0].images) == 1
    assert raster.pages[0].images[0].image.size == ((29 + 8) * 4, (29 + 8) * 4)  # version 3: 29 modules + border


def test_the_base_stylesheet_and_other_static_files_come_from_disk():
    fetcher = static_only_url_fetcher()

    response = fetcher.fetch("https://pantau.invalid/static/pantau/print.css")

    assert response.read() == PRINT_CSS.read_bytes()
    assert response.content_type == "text/css"
    assert static_file_path("https://pantau.invalid/static/pantau/print.css?v=2#top") == PRINT_CSS
    assert fetcher.refused == []


def test_data_uris_are_decoded():
    fetcher = static_only_url_fetcher()

    response = fetcher.fetch(data_uri(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"))

    assert response.read() == b"<svg xmlns='http://www.w3.org/2000/svg'/>"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/static/pantau/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8000/static/pantau/print.css",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "ftp://example.com/x.png",
        "https://pantau.invalid.example.com/static/pantau/print.css",
        "https://pantau.invalid/media/evidence/bukti.pdf",
        "https://pantau.invalid/pantau/settings.py",
        "https://pantau.invalid/static/../pantau/settings.py",
        "https://pantau.invalid/static/%2e%2e/%2e%2e/pantau/settings.py",
        "https://pantau.invalid/static/pantau/..%2f..%2fsettings.py",
        "https://pantau.invalid/static/pantau%5c..%5c..%5csettings.py",
        "https://pantau.invalid/static//etc/passwd",
        "https://pantau.invalid/static/pantau/no-such-file.css",
        "https://pantau.invalid/static/",
    ],
)
def test_anything_but_a_static_file_or_a_data_uri_is_refused_without_being_opened(url, no_network):
    fetcher = static_only_url_fetcher()

    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)

    assert fetcher.refused == [url]
    assert no_network == []


def test_urls_typed_into_a_document_are_never_fetched(tmp_path, no_network, caplog):
    """A user's text can put markup in a report only through a bug; even then the server neither connects anywhere
    nor reads a local file."""
    leak = tmp_path / "leak.css"
    leak.write_text('body::after { content: "LEAKED-FROM-DISK"; }')
    tracking_svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                    b'width="10" height="10"><image xlink:href="http://example.com/track.png" width="10" '
                    b'height="10"/></svg>')
    hostile = [
        "http://example.com/x.png",
        "https://example.com/x.png",
        f"file://{leak}",
        "/static/../../pantau/settings.py",
        data_uri(tracking_svg, "image/svg+xml"),
    ]
    head = (f'<link rel="stylesheet" href="file://{leak}">'
            '<style>@import url("http://example.com/import.css");</style>')

    text = text_of(work_plan_pdf(images=hostile, extra_head=head))

    assert WORK_PLAN_LINE in text  # the document is still made, without the refused resources
    assert "LEAKED-FROM-DISK" not in text
    assert no_network == []
    for url in ["http://example.com/x.png", "https://example.com/x.png", f"file://{leak}",
                "https://pantau.invalid/pantau/settings.py", "http://example.com/track.png",
                "http://example.com/import.css"]:
        assert url in caplog.text


def test_a_static_stylesheet_linked_by_a_template_is_applied(settings, tmp_path):
    (tmp_path / "pantau-test").mkdir()
    (tmp_path / "pantau-test" / "mark.css").write_text('body::before { content: "STATIC-STYLESHEET-APPLIED"; }')
    settings.STATICFILES_DIRS = [tmp_path]

    text = text_of(work_plan_pdf(extra_head='<link rel="stylesheet" href="/static/pantau-test/mark.css">'))

    assert "STATIC-STYLESHEET-APPLIED" in text


def test_a_request_gives_the_template_its_context_processors():
    request = RequestFactory().get("/work-plans/7/report.pdf")
    pdf = render_pdf(TEMPLATE, {"title": "T", "body": "-", "show_path": True}, request=request)

    assert "/work-plans/7/report.pdf" in text_of(PdfReader(io.BytesIO(pdf)))


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("Rencana Kerja 2020.pdf", "Rencana Kerja 2020.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\x\\Laporan.PDF", "Laporan.pdf"),
        ('Laporan "final"\r\nSet-Cookie: a=b.pdf', "Laporan final Set-Cookie a=b.pdf"),
        ("...", "document.pdf"),
        ("", "document.pdf"),
    ],
)
def test_download_names_are_made_safe(given, safe):
    assert safe_filename(given) == safe


def test_a_pdf_response_is_a_named_attachment():
    response = pdf_response(b"%PDF-1.7 ...", "Rencana Kerja Batanghari 2020")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Rencana Kerja Batanghari 2020.pdf"'
    assert response["Content-Length"] == "12"
    assert response.content == b"%PDF-1.7 ..."


def test_a_non_ascii_name_is_encoded_and_inline_is_possible():
    response = pdf_response(b"%PDF", "Laporan Triwulan – Kecamatan Mersam", as_attachment=False)

    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''Laporan%20Triwulan%20%E2%80%93%20Kecamatan%20Mersam.pdf"
    )
    assert re.fullmatch(r"[\x20-\x7e]+", response["Content-Disposition"])


def test_data_uris_are_base64():
    assert data_uri(b"<svg/>", "image/svg+xml") == "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
