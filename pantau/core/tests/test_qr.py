"""QR codes: the symbol segno builds for a known link, an SVG that draws exactly that symbol and refers to nothing
outside itself, and a response that a browser can only show, never run."""

import base64
import re
import struct
import xml.etree.ElementTree as ET

import pytest

from pantau.core.qr import QR_CSP, make_qr, qr_png_data_uri, qr_response, qr_svg, qr_svg_data_uri

SVG_NS = "{http://www.w3.org/2000/svg}"
SURVEY_LINK = "https://pantau.example/skm/12/"


def modules_drawn(svg: bytes, border: int) -> set[tuple[int, int]]:
    """The dark modules (row, column) the SVG's ``qrline`` path draws: segno writes one horizontal stroke per run of
    dark modules, ``M``/``m`` moving to the run's start at mid-row and ``h`` drawing along it."""
    root = ET.fromstring(svg)
    (path,) = [p for p in root.iter(f"{SVG_NS}path") if p.get("class") == "qrline"]
    x = y = 0.0
    drawn = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                drawn.add((int(y - 0.5) - border, column - border))
            x += float(a)
    return drawn


def test_the_survey_link_is_a_version_3_symbol_with_error_correction_raised_to_q_or_better():
    qr = make_qr(SURVEY_LINK)

    assert qr.version == 3
    assert qr.designator == "3-Q"
    assert qr.symbol_size(scale=1, border=0) == (29, 29)
    assert not qr.is_micro


def test_a_short_code_still_gets_a_full_qr_code_never_micro_qr():
    qr = make_qr("PANTAU")

    assert (qr.version, qr.is_micro) == (1, False)


def test_the_svg_draws_exactly_the_symbols_dark_modules():
    qr = make_qr(SURVEY_LINK)
    dark = {(r, c) for r, row in enumerate(qr.matrix) for c, module in enumerate(row) if module}

    assert modules_drawn(qr_svg(SURVEY_LINK), border=4) == dark
    assert len(dark) > 300


def test_the_svg_is_sized_by_modules_border_and_scale():
    root = ET.fromstring(qr_svg(SURVEY_LINK, scale=5))

    assert root.tag == f"{SVG_NS}svg"
    side = (29 + 8) * 5
    assert (root.get("width"), root.get("height")) == (f"{side}px", f"{side}px")
    assert root.get("viewBox") == f"0 0 {side} {side}"


def test_the_svg_refers_to_nothing_outside_itself_and_has_no_script():
    svg = qr_svg(SURVEY_LINK, title="Kode QR survei")
    root = ET.fromstring(svg)

    assert {element.tag.removeprefix(SVG_NS) for element in root.iter()} == {"svg", "title", "g", "path"}
    attributes = [value for element in root.iter() for value in element.attrib.values()]
    assert not [value for value in attributes if "http" in value or "url(" in value or ":" in value]
    assert b"href" not in svg and b"<script" not in svg.lower()
    assert b"http" not in svg.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")


def test_a_hostile_title_stays_text():
    title = 'Daftar hadir <script>alert(1)</script> & "rapat"'
    svg = qr_svg(SURVEY_LINK, title=title)

    assert ET.fromstring(svg).find(f"{SVG_NS}title").text == title
    assert b"<script" not in svg


def test_the_response_is_an_svg_image_under_a_policy_that_allows_no_script_and_no_fetch():
    response = qr_response(SURVEY_LINK)

    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'" == QR_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == qr_svg(SURVEY_LINK)


def test_the_png_data_uri_is_a_png_of_the_same_size():
    uri = qr_png_data_uri(SURVEY_LINK, scale=3)

    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    png = base64.b64decode(uri.removeprefix(prefix))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == ((29 + 8) * 3, (29 + 8) * 3)


def test_the_svg_data_uri_carries_the_same_symbol():
    uri = qr_svg_data_uri(SURVEY_LINK)

    assert uri.startswith("data:image/svg+xml")
    assert "script" not in uri.lower()


@pytest.mark.parametrize("data", ["", "x" * 3000])
def test_empty_or_too_much_data_is_refused(data):
    with pytest.raises(ValueError):
        qr_svg(data)
