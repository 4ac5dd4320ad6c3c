"""PDF reports: their text, read back with pypdf, carries the same figures as the pages (dashboard, report card,
survey page); Indonesian first, English with ?lang=en; a plan, region or survey the user may not view is 404."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pypdf import PdfReader

from pantau.assessments.tests.conftest import demo_args
from pantau.conftest import action_data
from pantau.demo.assessments import load_demo
from pantau.surveys import actions as surveys
from pantau.surveys.tests.helpers import csv_bytes, t1_rows
from pantau.workplans import actions as wp
from pantau.workplans.quarters import Quarter, apply_as_of, quarters_between


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def text_of(content):
    """The PDF's text with runs of white space (line breaks, no-break spaces) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content)


def html(client, url):
    return re.sub(r"\s+", " ", client.get(url).content.decode().replace("&nbsp;", " "))


@pytest.fixture
def progress(world):
    """Action 1 (Dukcapil): 4 of 10 reported today and accepted, Rp 2.000.000 spent; action 2 (DPMPTSP): 10 of 10
    reported today, awaiting verification, Rp 500.000. Each plans Rp 15.000.000."""
    today = world.regency.local_today()
    first = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="1"))
    second = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
        world.dpmptsp, code="2", title="Open an online licensing desk"))
    report = wp.report_progress(actor=world.officer, action=first, report_date=today, actual_value=Decimal(4),
                                narrative="four of ten", amount_spent=2_000_000)
    wp.accept_report(actor=world.assistant, report=report)
    wp.report_progress(actor=world.other_officer, action=second, report_date=today, actual_value=Decimal(10),
                       narrative="ten of ten", amount_spent=500_000)
    world.first, world.second = first, second
    return world


# the quarterly report


def test_the_quarterly_pdf_shows_the_dashboards_progress_and_budget(progress):
    client = client_for(progress.coordinator)
    page = client.get(f"/work-plans/{progress.plan.pk}/")
    figures = page.context["summary"]
    # reported (40 + 100) / 2 = 70.00; verified (40 + 0) / 2 = 20.00; planned 2 x 15.000.000; realized: the
    # accepted report only, 2.000.000 = 6.67 % of 30.000.000
    assert (figures["progress"]["reported"], figures["progress"]["verified"]) == (Decimal("70.00"), Decimal("20.00"))
    assert (figures["budget"]["planned"], figures["budget"]["realized"]) == (30_000_000, 2_000_000)
    dashboard = html(client, f"/work-plans/{progress.plan.pk}/")
    text = pdf(client, f"/work-plans/{progress.plan.pk}/report.pdf?lang=en")
    for figure in ("70.00 %", "20.00 %", "Rp 30.000.000", "Rp 2.000.000", "6.67 %"):
        assert figure in dashboard, figure
        assert figure in text, figure
    quarter = Quarter.containing(progress.regency.local_today())
    assert f"Work plan progress report, {quarter.label}" in text
    assert "Open an online licensing desk" in text
    assert "1 accepted, 1 awaiting verification, 0 returned" in text


def test_by_default_the_pdf_is_in_indonesian(progress):
    text = pdf(client_for(progress.coordinator), f"/work-plans/{progress.plan.pk}/report.pdf")
    assert "Laporan kemajuan rencana kerja" in text
    assert "70,00 %" in text and "Rp 30.000.000" in text  # Indonesian decimal comma; rupiah with dots


def test_the_signatures_block_names_both_sides_by_position(progress):
    from pantau.agreements.models import Signatory

    Signatory.objects.create(agreement=progress.plan, unit=progress.regency, position="Bupati Batanghari",
                             capacity=Signatory.Capacity.SIGNED)
    text = pdf(client_for(progress.coordinator), f"/work-plans/{progress.plan.pk}/report.pdf?lang=en")
    assert "Bupati Batanghari Pemerintah Kabupaten Batanghari" in text
    assert "Head of the Ombudsman regional office Ombudsman RI Perwakilan Jambi" in text


def test_a_past_quarter_counts_only_the_reports_dated_in_or_before_it(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    for day, value, spent in ((dt.date(2021, 3, 1), 4, 1_000_000), (dt.date(2021, 5, 1), 8, 500_000)):
        report = wp.report_progress(actor=world.officer, action=action, report_date=day, actual_value=Decimal(value),
                                    narrative="n", amount_spent=spent)
        wp.accept_report(actor=world.assistant, report=report)
    client = client_for(world.coordinator)
    q1 = pdf(client, f"/work-plans/{world.plan.pk}/report.pdf?quarter=2021Q1&lang=en")
    q2 = pdf(client, f"/work-plans/{world.plan.pk}/report.pdf?quarter=2021Q2&lang=en")
    # Q1: 4 of 10 = 40.00 %, Rp 1.000.000 realized; Q2: 8 of 10 = 80.00 %, Rp 1.500.000
    assert "Overall progress, verified by the Ombudsman 40.00 %" in q1 and "Rp 1.000.000" in q1
    assert "Overall progress, verified by the Ombudsman 80.00 %" in q2 and "Rp 1.500.000" in q2
    assert "Quarter I 2021" in q1 and "1 January 2021 – 31 March 2021" in q1
    action.refresh_from_db()  # the stored figures are untouched
    assert (action.actual_verified, action.budget_realized) == (Decimal("8.00"), 1_500_000)


def test_apply_as_of_follows_the_stored_rule_returned_reports_do_not_count(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    kept = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 2, 1),
                              actual_value=Decimal(3), narrative="n", amount_spent=100)
    wp.accept_report(actor=world.assistant, report=kept)
    returned = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                  actual_value=Decimal(9), narrative="n", amount_spent=900)
    wp.return_report(actor=world.assistant, report=returned, reason="no evidence")
    pending = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 2),
                                 actual_value=Decimal(5), narrative="n", amount_spent=50)
    assert pending.pk
    apply_as_of([action], dt.date(2021, 3, 31))
    assert (action.actual_reported, action.actual_verified, action.budget_realized) == (
        Decimal("5.00"), Decimal("3.00"), 100)
    apply_as_of([action], dt.date(2021, 1, 31))
    assert (action.actual_reported, action.actual_verified, action.budget_realized) == (None, None, 0)


def test_an_officer_gets_only_the_actions_they_may_see(progress):
    text = pdf(client_for(progress.officer), f"/work-plans/{progress.plan.pk}/report.pdf?lang=en")
    assert "Publish the service standard" in text
    assert "Open an online licensing desk" not in text
    assert "Rp 15.000.000" in text and "Rp 30.000.000" not in text


def test_a_plan_the_user_may_not_view_is_404_and_anonymous_users_log_in(progress):
    assert client_for(progress.outsider).get(f"/work-plans/{progress.plan.pk}/report.pdf").status_code == 404
    assert client_for(progress.coordinator).get(f"/work-plans/{progress.other_plan.pk}/report.pdf").status_code == 404
    assert client_for(progress.coordinator).get("/work-plans/99999999/report.pdf").status_code == 404
    response = Client().get(f"/work-plans/{progress.plan.pk}/report.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_malformed_quarter_is_a_bad_request(progress):
    response = client_for(progress.coordinator).get(f"/work-plans/{progress.plan.pk}/report.pdf?quarter=2021Q5")
    assert response.status_code == 400


def test_the_dashboard_links_to_the_quarterly_pdf_of_every_quarter_since_signing(progress):
    page = html(client_for(progress.coordinator), f"/work-plans/{progress.plan.pk}/")
    assert f'action="/work-plans/{progress.plan.pk}/report.pdf"' in page
    assert '<option value="2020Q4">Quarter IV 2020</option>' in page  # signed 18 November 2020


@pytest.mark.parametrize(("text", "quarter"), [("2024Q3", Quarter(2024, 3)), ("2024-q1", Quarter(2024, 1))])
def test_quarters_are_read_from_text(text, quarter):
    assert Quarter.parse(text) == quarter


@pytest.mark.parametrize("text", ["2024Q0", "2024Q5", "24Q1", "Q3 2024", "", "1999Q1"])
def test_other_text_is_not_a_quarter(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_a_quarters_first_and_last_days():
    assert (Quarter(2024, 3).start, Quarter(2024, 3).end) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert Quarter(2024, 4).end == dt.date(2024, 12, 31)
    assert Quarter(2024, 1).end == dt.date(2024, 3, 31)
    assert quarters_between(dt.date(2020, 11, 18), dt.date(2021, 4, 1)) == [
        Quarter(2021, 2), Quarter(2021, 1), Quarter(2020, 4)]


def test_the_command_renders_the_quarterly_pdf_scoped_to_the_user(progress, tmp_path):
    out = io.StringIO()
    target = tmp_path / "q.pdf"
    quarter = Quarter.containing(progress.regency.local_today())
    call_command("render_report", "--work-plan", str(progress.plan.pk), "--quarter", str(quarter),
                 "--user", "officer", "--lang", "en", "-o", str(target), stdout=out)
    assert "rendered in" in out.getvalue()
    text = text_of(target.read_bytes())
    assert "Rp 15.000.000" in text and "Open an online licensing desk" not in text
    with pytest.raises(CommandError, match="may view"):
        call_command("render_report", "--work-plan", str(progress.plan.pk), "--quarter", "2021Q1",
                     "--user", "outsider", "-o", str(target))
    with pytest.raises(CommandError, match="2024Q3"):
        call_command("render_report", "--work-plan", str(progress.plan.pk), "--quarter", "Q1",
                     "--user", "officer", "-o", str(target))


# the report card and the survey report


@pytest.fixture
def card(world):
    """The issue-4 demo (Batanghari's published results) and two SKM periods in 2024: Dukcapil N = 10 with the
    T1 answers (IKM 85.00), DPMPTSP N = 10 all answering 4 (IKM 100.00)."""
    args = demo_args(world)
    load_demo(work_plan=world.plan, units=args.units, users=args.users)
    periods = []
    for unit, rows in ((world.dukcapil, t1_rows()), (world.dpmptsp, [[i + 1] + [4] * 9 for i in range(10)])):
        period = surveys.create_period(actor=world.coordinator, unit=unit, start_date=dt.date(2024, 1, 1),
                                       end_date=dt.date(2024, 6, 30), population=10, service_name="KTP-el")
        assert surveys.import_responses(actor=world.coordinator, period=period, data=csv_bytes(rows),
                                        file_name="r.csv").ok
        result = surveys.compute_result(actor=world.coordinator, period=period, today=dt.date(2024, 7, 1))
        surveys.publish_result(actor=world.assistant, result=result)  # roll-ups count published results only
        periods.append(period)
    world.periods = periods
    return world


def test_the_report_card_pdf_shows_the_published_scores_and_the_roll_up_ikm(card):
    client = client_for(card.coordinator)
    text = pdf(client, "/report-cards/15.04/report.pdf?lang=en")
    page = html(client, "/report-cards/15.04/")
    for score in ("93.71", "92.03", "88.34"):  # Batanghari 2018, 2022, 2024 (rules.md section 2.5)
        assert score in page and score in text
    # (85.00 x 10 + 100.00 x 10) / 20 = 92.50, grade A (>= 88.31, rules.md table A); the roll-up page says the same
    rollup = html(client, f"/surveys/rollup/{card.regency.pk}/?year=2024")
    assert "92.50" in rollup
    assert "2024 92.50 A" in text
    assert "Compliance report card: Pemerintah Kabupaten Batanghari" in text
    assert 'href="/report-cards/15.04/report.pdf"' in page


def test_the_survey_pdf_shows_the_pages_ikm_and_element_scores(card):
    client = client_for(card.coordinator)
    period = card.periods[0]
    page = html(client, f"/surveys/{period.pk}/")
    text = pdf(client, f"/surveys/{period.pk}/report.pdf?lang=en")
    # T1: IKM 85.00, B; U3 = 30 / 10 x 25 = 75.00, C (rules.md section 8)
    assert "IKM 85.00, grade B" in page and "IKM 85.00, grade B" in text
    assert "75.00 C" in text
    assert f'href="/surveys/{period.pk}/report.pdf"' in page


def test_report_card_and_survey_pdfs_are_404_outside_the_scope(card):
    outsider = client_for(card.outsider)
    assert outsider.get("/report-cards/15.04/report.pdf").status_code == 404
    assert outsider.get(f"/surveys/{card.periods[0].pk}/report.pdf").status_code == 404
    officer = client_for(card.other_officer)
    assert officer.get(f"/surveys/{card.periods[0].pk}/report.pdf").status_code == 404  # Dukcapil's, not DPMPTSP's
