"""Through a real browser on a phone-width screen: a member of the public files a complaint (no login), reads the
tracking code, follows the complaint and answers the unit's question; the officer sees the identity, the viewer a
mask. Same set-up as test_survey_browser.py."""

import pytest

from pantau.complaints import actions
from pantau.complaints.models import Complaint, EventKind
from pantau.standards.models import Service
from pantau.tests_browser.conftest import PHONE, SHOTS


@pytest.fixture
def service(transactional_db, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Service.objects.create(unit=world.dukcapil, name="Penerbitan KTP-el")


def _login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_a_member_of_the_public_files_and_follows_a_complaint_on_a_phone(live_server, world, service, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{live_server.url}/pengaduan/{world.regency.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.select_option("#id_service", str(service.pk))
    page.fill("#id_subject", "KTP-el belum jadi")
    page.fill("#id_description", "Sudah tiga bulan menunggu.")
    page.fill("#id_name", "Budi Santoso")
    page.fill("#id_nik", "1504014107880042")
    page.check("#id_confidential")
    page.screenshot(path=SHOTS / "pantau-complaint-phone.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/pengaduan/terkirim/")
    code = page.inner_text("#tracking-code")
    complaint = Complaint.objects.get()
    assert actions.find_by_code(code) == complaint and complaint.confidential

    actions.check_file(actor=world.officer, complaint=complaint, complete=False, question="Mohon lampirkan KK.")
    page.goto(f"{live_server.url}/pengaduan/lacak/")
    page.fill("#id_code", code.lower())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/pengaduan/lacak/status/")
    assert "Mohon lampirkan KK." in page.inner_text("main")
    assert "Budi" not in page.content() and "1504014107880042" not in page.content()
    page.fill("#id_text", "KK sudah saya kirim lewat surel.")
    page.click("form:has(input[name=do][value=reply]) button[type=submit]")
    page.wait_for_load_state()
    assert complaint.events.filter(kind=EventKind.COMPLAINANT_MESSAGE).count() == 1
    page.screenshot(path=SHOTS / "pantau-complaint-tracking-phone.png", full_page=True)
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_officer_reveals_a_confidential_identity_and_the_viewer_sees_a_mask(live_server, world, service,
                                                                              browser):
    complaint = actions.submit_complaint(government=world.regency, service=service, subject="Antrean",
                                         description="Lama sekali", name="Budi Santoso", confidential=True).complaint
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _login(page, live_server.url, "viewer")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    assert "Budi" not in page.content() and page.locator("#reveal").count() == 0
    context.close()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    assert "Budi" not in page.content()
    page.click("#reveal")
    page.wait_for_load_state()
    assert "Budi Santoso" in page.inner_text("#complainant")
    page.screenshot(path=SHOTS / "pantau-complaint-officer-phone.png", full_page=True)
    context.close()
