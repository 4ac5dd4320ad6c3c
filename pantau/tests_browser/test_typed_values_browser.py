"""Through Debian's chromium in an Indonesian locale (where ``type="number"`` turned "70,5" into 705): a coordinator
types "450.000" as a planned budget and "70,5" as a new actual value in the real forms; the page shows each value
as it will be read while typing, and the database holds 450000 and Decimal("70.50")."""

from decimal import Decimal

import pytest

from pantau.tests_browser.conftest import DESKTOP
from pantau.workplans.models import Action, ProgressReport


@pytest.fixture
def seeded(transactional_db, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "id"  # the product's default (the test suite's is English)
    return world


def test_450_000_and_70_5_typed_in_chromium_are_stored_as_meant(live_server, seeded, browser):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base + "/")

    # A new action, typed as an Indonesian official types it (the interface is Indonesian by default)
    page.goto(f"{base}/work-plans/{seeded.plan.pk}/actions/new/")
    page.fill("#id_code", "7")
    page.fill("#id_title", "Terbitkan standar pelayanan setiap layanan")
    page.locator("#id_start_date").press_sequentially("1 Februari 2021")
    page.locator("#id_due_date").press_sequentially("31/12/2021")
    page.select_option("#id_responsible_unit", str(seeded.dukcapil.pk))
    page.fill("#id_pic_position", "Kepala Dinas")
    page.locator("#id_budget_planned").press_sequentially("450.000")
    page.select_option("#id_budget_source", "APBD")
    page.fill("#id_indicator_name", "Layanan dengan standar terbit")
    page.fill("#id_indicator_unit", "persen")
    page.locator("#id_baseline").press_sequentially("25")
    page.locator("#id_target").press_sequentially("100")
    # typed-input.js shows each value as Pantau will read it, before saving
    assert page.locator("#id_budget_planned-read-as").inner_text() == "Dibaca sebagai: Rp 450.000"
    assert page.locator("#id_start_date-read-as").inner_text() == "Dibaca sebagai: 1 Februari 2021"
    assert page.locator("#id_due_date-read-as").inner_text() == "Dibaca sebagai: 31 Desember 2021"
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(lambda url: "/actions/" in url and url.endswith("/") and "/new/" not in url)
    action = Action.objects.get(code="7")
    assert page.url == f"{base}/actions/{action.pk}/"
    assert action.budget_planned == 450_000
    assert "rencana anggaran Rp 450.000" in page.locator("ul.messages").inner_text()

    # A progress report with a decimal comma
    page.goto(f"{base}/actions/{action.pk}/report/")
    page.locator("#id_report_date").fill("")
    page.locator("#id_report_date").press_sequentially("1 Maret 2021")
    page.locator("#id_actual_value").press_sequentially("70,5")
    page.fill("#id_narrative", "Standar diterbitkan di papan informasi")
    page.locator("#id_amount_spent").fill("")
    page.locator("#id_amount_spent").press_sequentially("450.000")
    assert page.locator("#id_actual_value-read-as").inner_text() == "Dibaca sebagai: 70,50"
    assert page.locator("#id_amount_spent-read-as").inner_text() == "Dibaca sebagai: Rp 450.000"
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/actions/{action.pk}/")

    report = ProgressReport.objects.get(action=action)
    assert (report.actual_value, report.amount_spent) == (Decimal("70.50"), 450_000)
    # (70.5 - 25) / (100 - 25) = 60.67 %, shown with a decimal comma
    assert page.locator("#reported-progress").inner_text().replace("\u00a0", " ") == "60,67 %"
    # the script is a file served by Pantau: no Content-Security-Policy refusal, no script error
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not [p for p in problems if "Failed to load resource" not in p], problems
    context.close()
