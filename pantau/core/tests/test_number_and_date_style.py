"""One number and date style per language, pages and charts alike: Indonesian "2.200", "82,56", "31 Agustus 2024";
English "2,200", "82.56", "31 August 2024". Expected strings are written by hand."""

import datetime as dt
import re
from decimal import Decimal

import matplotlib
import pytest
from django.template import Context, Template
from django.utils import translation

from pantau.core.charts import hbar_chart, line_chart
from pantau.core.numbers import format_number


@pytest.mark.parametrize(("language", "value", "places", "expected"), [
    ("id", 2200, None, "2.200"),
    ("en", 2200, None, "2,200"),
    ("id", Decimal("82.56"), None, "82,56"),
    ("en", Decimal("82.56"), None, "82.56"),
    ("id", 1234567.5, None, "1.234.567,5"),
    ("en", 1234567.5, None, "1,234,567.5"),
    ("id", 20.0, None, "20"),
    ("id", Decimal("70"), 2, "70,00"),
    ("en", "0.2", None, "0.2"),
    ("id", None, None, ""),
    ("id", "junk", None, ""),
    ("id", float("nan"), None, ""),
])
def test_numbers_follow_the_language(language, value, places, expected):
    with translation.override(language):
        assert format_number(value, places) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("id", "2.200 | 82,56 | 31 Agustus 2024 | 31/08/2024 | 31 Agu 2024"),
    ("en", "2,200 | 82.56 | 31 August 2024 | 31/08/2024 | 31 Aug 2024"),
])
def test_templates_write_numbers_and_dates_in_one_style(language, expected):
    template = Template('{% load pantau_tags %}{{ n|number }} | {{ score }} | {{ day }} | '
                        '{{ day|date:"SHORT_DATE_FORMAT" }} | {{ day|date:"j M Y" }}')
    with translation.override(language):
        text = template.render(Context({"n": 2200, "score": Decimal("82.56"), "day": dt.date(2024, 8, 31)}))
    assert text == expected


def _texts(svg: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text element of an SVG written with ``svg.fonttype`` "none"."""
    found = re.findall(r'<text[^>]*?transform="rotate\(-?0 ([\d.]+) ([\d.]+)\)"[^>]*>([^<]*)</text>', svg.decode())
    return [(float(x), float(y), text) for x, y, text in found]


def test_chart_ticks_and_values_follow_the_language():
    with matplotlib.rc_context({"svg.fonttype": "none"}), translation.override("id"):
        line = line_chart(["2018", "2019"], [Decimal("82.56"), Decimal("90.10")], ymax=1.0)
        bars = hbar_chart(["Dukcapil"], [Decimal("40.50")], xmax=100, value_suffix=" %")
    with matplotlib.rc_context({"svg.fonttype": "none"}), translation.override("en"):
        english = line_chart(["2018", "2019"], [Decimal("82.56"), Decimal("90.10")], ymax=1.0)
    id_ticks = [t for _x, _y, t in _texts(line)]
    assert {"0", "0,2", "0,4", "0,6", "0,8", "1"} <= set(id_ticks)
    assert "0.2" not in id_ticks
    assert {"0", "0.2", "0.4", "0.6", "0.8", "1"} <= {t for _x, _y, t in _texts(english)}
    assert "40,50 %" in [t for _x, _y, t in _texts(bars)]


def test_the_trend_chart_puts_years_at_their_true_distances():
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        svg = line_chart(["2018", "2019", "2022", "2024"], [93.71, 88.5, 90.0, 82.56],
                         positions=[2018, 2019, 2022, 2024])
    x = {text: px for px, _y, text in _texts(svg) if text in {"2018", "2019", "2022", "2024"}}
    one_year = x["2019"] - x["2018"]
    assert one_year > 0
    assert x["2022"] - x["2019"] == pytest.approx(3 * one_year, rel=0.01)  # three years: three times as far
    assert x["2024"] - x["2022"] == pytest.approx(2 * one_year, rel=0.01)


def test_threshold_labels_of_the_report_card_chart_use_the_decimal_comma(db):
    from pantau.assessments.models import MethodEdition
    from pantau.assessments.views import thresholds

    with translation.override("id"):
        labels = [label for _value, label in thresholds(MethodEdition.objects.get(code="ombudsman-2022"))]
    assert labels[0].startswith("A ≥ 88,00")
    assert all("." not in label.split("≥")[1].split(" ")[1] for label in labels)
