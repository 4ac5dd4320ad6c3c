"""Charts are real SVG documents with a strict policy of their own."""

from decimal import Decimal
from xml.etree import ElementTree

from pantau.core.charts import SVG_CSP, bar_chart, line_chart, svg_response


def test_a_bar_chart_is_an_svg_document_without_scripts():
    svg = bar_chart(["U1", "U2"], [Decimal("87.5"), Decimal("75")], colors=["A", "C"], thresholds=[(76.61, "B")])
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<script" not in svg


def test_a_trend_line_skips_missing_years():
    svg = line_chart(["2018", "2019", "2021"], [93.71, None, 88.34])
    assert ElementTree.fromstring(svg).tag.endswith("svg")


def test_the_svg_response_carries_its_own_policy():
    response = svg_response(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == SVG_CSP


def test_dollar_signs_in_labels_are_text_not_mathtext():
    svg = line_chart(["2018", "2019"], [90, 91], title="Zona $\\frac$ Merah", thresholds=[(88, "A $x")])
    assert ElementTree.fromstring(svg).tag.endswith("svg")


def test_charts_never_use_pyplot_global_state():
    import pathlib

    import pantau.core.charts as charts

    source = pathlib.Path(charts.__file__).read_text()
    assert "import matplotlib.pyplot" not in source and "from matplotlib import pyplot" not in source


def test_charts_drawn_from_many_threads_at_once_are_each_whole():
    from concurrent.futures import ThreadPoolExecutor

    def draw(i):
        return bar_chart([f"U{i}", "U2"], [i, 50], title=f"chart {i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        svgs = list(pool.map(draw, range(1, 33)))
    for i, svg in enumerate(svgs, start=1):
        text = svg.decode()
        assert text.rstrip().endswith("</svg>")
        assert f"chart {i}" in text



def test_a_horizontal_bar_chart_writes_each_label_and_value_as_text():
    import matplotlib

    from pantau.core.charts import hbar_chart

    with matplotlib.rc_context({"svg.fonttype": "none"}):  # keep text as text to read it back
        svg = hbar_chart(["Dinas Kependudukan dan Pencatatan Sipil", "DPMPTSP"], [Decimal("40.00"), 100],
                         xmax=100, value_suffix=" %", title="Verified progress")
    assert ElementTree.fromstring(svg).tag.endswith("svg")
    text = svg.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text and "40.00 %" in text and "100 %" in text
    assert "<script" not in text
