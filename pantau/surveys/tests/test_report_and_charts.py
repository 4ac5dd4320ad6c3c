"""The XLSX report read back against rules.md T1, the element and trend charts, and who may fetch them."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.surveys import actions as services
from pantau.surveys import report
from pantau.surveys.tests.helpers import csv_bytes, t1_rows

T1_NRR = [3.5, 3.3, 3.0, 3.8, 3.4, 3.6, 3.7, 3.1, 3.2]
"""rules.md section 3 worked example: totals / 10."""


def _t1_period(world, weight="exact", population=None, start=dt.date(2024, 1, 1)):
    period = services.create_period(actor=world.coordinator, unit=world.dukcapil, service_name="KTP-el",
                                    start_date=start, end_date=start + dt.timedelta(days=180),
                                    population=population)
    services.import_responses(actor=world.coordinator, period=period, data=csv_bytes(t1_rows()), file_name="t1.csv")
    result = services.compute_result(actor=world.coordinator, period=period, weight=weight,
                                     today=dt.date(2024, 8, 1))
    services.publish_result(actor=world.assistant, result=result)  # viewers and trends see published results only
    return period


def _sheet(client, period):
    response = client.get(reverse("surveys:period_report", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(response.content))
    return wb[report.SHEET_IKM], wb[report.SHEET_RESPONSES]


def _row(ws, row):
    return [ws.cell(row=row, column=c).value for c in range(2, 2 + 9)]


def test_the_report_reproduces_the_t1_example_with_the_exact_weight(client, world):
    period = _t1_period(world, population=10)
    client.force_login(world.officer)
    ws, responses = _sheet(client, period)
    assert _row(ws, report.TABLE_HEADER_ROW) == [f"U{i}" for i in range(1, 10)]
    assert _row(ws, report.ROW_TOTAL) == [35, 33, 30, 38, 34, 36, 37, 31, 32]
    assert ws.cell(row=report.ROW_TOTAL, column=report.SUM_COLUMN).value == 306
    assert _row(ws, report.ROW_NRR) == T1_NRR
    assert _row(ws, report.ROW_WEIGHT) == [0.1111] * 9
    # NRR / 9 to 4 decimals: 3.5 / 9 = 0.38888 -> 0.3889; 3.0 / 9 = 0.3333; sum = 30.6 / 9 = 3.4
    assert _row(ws, report.ROW_WEIGHTED) == [0.3889, 0.3667, 0.3333, 0.4222, 0.3778, 0.4, 0.4111, 0.3444, 0.3556]
    assert ws.cell(row=report.ROW_WEIGHTED, column=report.SUM_COLUMN).value == 3.4
    assert _row(ws, report.ROW_CONVERTED) == [87.5, 82.5, 75.0, 95.0, 85.0, 90.0, 92.5, 77.5, 80.0]
    assert _row(ws, report.ROW_GRADE) == ["B", "B", "C", "A", "B", "A", "A", "B", "B"]
    assert ws.cell(row=report.ROW_IKM, column=2).value == 85.0
    assert ws.cell(row=report.ROW_IKM_GRADE, column=2).value == "B (Baik)"
    assert "1/9" in ws.cell(row=report.ROW_VARIANT, column=2).value
    assert "half-up" in ws.cell(row=report.ROW_ROUNDING, column=2).value
    rows = list(responses.iter_rows(values_only=True))
    assert len(rows) == 1 + 10 + 1
    assert rows[-1][2:] == (35, 33, 30, 38, 34, 36, 37, 31, 32)
    assert rows[1][1] == "1"  # questionnaire number from the file


def test_the_report_states_the_printed_weight_variant(client, world):
    period = _t1_period(world, weight="0.11")
    client.force_login(world.coordinator)
    ws, _ = _sheet(client, period)
    assert _row(ws, report.ROW_WEIGHT) == [0.11] * 9
    # 3.5 x 0.11 = 0.385; sum 30.6 x 0.11 = 3.366; IKM 3.366 x 25 = 84.15 (rules.md T1, 0.11 variant)
    assert _row(ws, report.ROW_WEIGHTED)[:3] == [0.385, 0.363, 0.33]
    assert ws.cell(row=report.ROW_WEIGHTED, column=report.SUM_COLUMN).value == 3.366
    assert ws.cell(row=report.ROW_IKM, column=2).value == 84.15
    assert "0.11" in ws.cell(row=report.ROW_VARIANT, column=2).value


def test_the_report_warns_when_responses_changed_after_the_computation(client, world):
    period = _t1_period(world)
    services.import_responses(actor=world.coordinator, period=period, data=csv_bytes([[11, *[4] * 9]]),
                              file_name="late.csv")
    client.force_login(world.coordinator)
    ws, _ = _sheet(client, period)
    assert ws.cell(row=report.ROW_TOTAL, column=2).value == 39
    assert "WARNING" in ws.cell(row=report.ROW_STORED, column=2).value


def test_others_cannot_download_the_report_or_the_charts(client, world):
    period = _t1_period(world)
    for persona in (world.other_officer, world.outsider):
        client.force_login(persona)
        for name in ("period_report", "chart_elements", "chart_trend"):
            assert client.get(reverse(f"surveys:{name}", args=[period.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("surveys:period_report", args=[period.pk])).status_code == 302


def test_a_period_without_responses_has_no_report_and_no_element_chart(client, world):
    period = services.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 6, 30))
    client.force_login(world.coordinator)
    assert client.get(reverse("surveys:period_report", args=[period.pk])).status_code == 404
    assert client.get(reverse("surveys:chart_elements", args=[period.pk])).status_code == 404


def test_the_element_chart_is_an_svg_coloured_by_grade(client, world):
    period = _t1_period(world, population=10)
    client.force_login(world.viewer)
    response = client.get(reverse("surveys:chart_elements", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    svg = response.content.decode()
    assert "<script" not in svg
    # T1 has grades A, B and C: the reports.charts palette colours
    assert "#1b7f3b" in svg and "#6aa84f" in svg and "#d4a017" in svg


def test_a_period_below_the_minimum_sample_is_charted_without_grade_colours(client, world):
    period = _t1_period(world, population=100)  # N = 100 needs 80 respondents; T1 has 10
    client.force_login(world.coordinator)
    svg = client.get(reverse("surveys:chart_elements", args=[period.pk])).content.decode()
    assert "#d4a017" not in svg and "#1b7f3b" not in svg
    page = client.get(reverse("surveys:period_detail", args=[period.pk])).content.decode()
    assert "grade grade-" not in page
    assert "The sample is too small." in page or "terlalu kecil" in page


def test_the_detail_page_embeds_the_charts_and_the_trend_of_two_periods(client, world):
    first = _t1_period(world, start=dt.date(2024, 1, 1))
    second = _t1_period(world, start=dt.date(2024, 7, 1))
    client.force_login(world.coordinator)
    page = client.get(reverse("surveys:period_detail", args=[second.pk]))
    html = page.content.decode()
    assert f'src="{reverse("surveys:chart_elements", args=[second.pk])}"' in html
    assert f'src="{reverse("surveys:chart_trend", args=[second.pk])}"' in html
    assert f'href="{reverse("surveys:period_report", args=[second.pk])}"' in html
    assert [p.pk for p in page.context["trend"]] == [first.pk, second.pk]
    assert not INLINE_SCRIPT.search(html) and "style=" not in html
    trend = client.get(reverse("surveys:chart_trend", args=[second.pk]))
    assert trend.status_code == 200 and trend["Content-Type"] == "image/svg+xml"
