"""Through a real browser: log in, open the dashboard and an action, report progress, see the numbers move.

Chromium is Debian's (/usr/bin/chromium) driven by the PyPI ``playwright`` package; ``playwright install`` is never
run. Live server and Playwright share this process, so Django's async-safety check is relaxed for this module.
"""

import datetime as dt
import re

import pytest

from pantau.conftest import action_data
from pantau.meetings.models import Meeting, MeetingKind, MeetingMode
from pantau.tests_browser.conftest import DESKTOP, PHONE, SHOTS
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"



@pytest.fixture
def seeded(transactional_db, world, settings, tmp_path):
    """The world with a signing meeting, a Dukcapil action and a sample DPMPTSP action; media in a temp dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Meeting.objects.create(
        agreement=world.plan, kind=MeetingKind.SIGNING, title="Penandatanganan Rencana Kerja",
        date=dt.date(2020, 11, 18), place="Kantor Bupati Batanghari", mode=MeetingMode.HYBRID,
        room_capacity=None, attendance_in_person=None, attendance_online=None,
    )
    world.action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    wp.create_action(
        actor=world.coordinator, work_plan=world.plan,
        data=action_data(world.dpmptsp, code="2", title="Open an online permit desk", is_sample=True,
                         budget_planned=5_000_000),
    )
    return world


def _log_in(page, base_url):
    """Log in as the regency coordinator through the login form, then switch the interface to English."""
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base_url + "/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()


def test_a_coordinator_reports_progress_and_sees_it_on_the_action_and_the_dashboard(live_server, seeded, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    base = live_server.url

    _log_in(page, base)
    page.click(f"a[href='/work-plans/{seeded.plan.pk}/']")
    page.wait_for_url(f"{base}/work-plans/{seeded.plan.pk}/")
    assert page.locator("h1").first.inner_text() == "Rencana Kerja Pelayanan Publik 2020"
    assert page.locator(".sample-notice").count() == 1
    assert page.locator("#budget-planned").inner_text() == "Rp 20.000.000"
    assert re.search(r"0[.,]00", page.locator("#h-progress + .bars .num").first.inner_text())

    # Open the action from the overdue list (its 2021 schedule has passed), then report on it.
    page.click(f"a[href='/actions/{seeded.action.pk}/']")
    page.wait_for_url(f"{base}/actions/{seeded.action.pk}/")
    assert re.fullmatch(r"0[.,]00\s%", page.locator("#reported-progress").inner_text())
    page.click(f"a[href='/actions/{seeded.action.pk}/report/']")
    page.fill("#id_report_date", "2021-03-01")
    page.fill("#id_actual_value", "4")
    page.fill("#id_narrative", "Four service standards published on the notice board")
    page.fill("#id_amount_spent", "1500000")
    page.set_input_files("#id_evidence", [{"name": "sk.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/actions/{seeded.action.pk}/")

    assert re.fullmatch(r"40[.,]00\s%", page.locator("#reported-progress").inner_text())
    assert re.fullmatch(r"0[.,]00\s%", page.locator("#verified-progress").inner_text())
    assert page.locator("ul.evidence a").inner_text() == "sk.pdf"
    assert ProgressReport.objects.filter(action=seeded.action).count() == 1
    assert Action.objects.get(pk=seeded.action.pk).actual_reported == 4

    page.goto(f"{base}/work-plans/{seeded.plan.pk}/")
    # Two top-level actions, 40 % and 0 %: overall 20 %.
    assert re.fullmatch(r"20[.,]00\s%", page.locator("#h-progress + .bars .num").first.inner_text())
    assert "w-20" in page.locator("#h-progress + .bars .fill.reported").get_attribute("class")
    page.screenshot(path=SHOTS / "pantau-dashboard.png", full_page=True)

    phone = browser.new_context(viewport=PHONE, storage_state=context.storage_state())
    small = phone.new_page()
    small.goto(f"{base}/work-plans/{seeded.plan.pk}/")
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small.screenshot(path=SHOTS / "pantau-dashboard-phone.png", full_page=True)
    small.goto(f"{base}/actions/{seeded.action.pk}/")
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small.screenshot(path=SHOTS / "pantau-action-phone.png", full_page=True)
    phone.close()
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
