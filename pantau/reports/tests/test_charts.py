"""Charts are real SVG documents with a strict policy of their own."""

from decimal import Decimal
from xml.etree import ElementTree

from pantau.reports.charts import SVG_CSP, bar_chart, line_chart, svg_response


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
