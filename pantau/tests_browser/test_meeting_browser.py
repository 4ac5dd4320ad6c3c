"""Through a real browser: the coordinator plans a hybrid meeting, one participant signs in on a phone through the
QR link shown in the room and one online through the link, the coordinator writes the minutes with a decision that
creates an action, and finds that action in the work plan with its link back to the meeting.

Same set-up as test_browser.py: Debian's chromium driven by the PyPI ``playwright`` package, never
``playwright install``; live server and Playwright share this process.
"""

import datetime as dt
import zoneinfo

import pytest

from pantau.meetings.models import Attendance, Decision, Meeting
from pantau.tests_browser.conftest import DESKTOP, PHONE, SHOTS
from pantau.workplans.models import Action


@pytest.fixture
def seeded(transactional_db, world):
    return world


def _log_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base_url + "/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()


def _watch(page, problems):
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))


def _sign_in_on_a_phone(browser, url, *, name, position, unit=None, institution=None, problems):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    _watch(page, problems)
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_name", name)
    page.fill("#id_position", position)
    if unit is not None:
        page.select_option("#id_unit", str(unit))
    if institution is not None:
        page.fill("#id_unit_name", institution)
    checked = page.eval_on_selector("input[name=mode]:checked", "e => e.value")
    page.screenshot(path=SHOTS / f"pantau-sign-in-{checked}.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#signed-in")
    context.close()
    return checked


def test_a_hybrid_meeting_from_sign_in_to_a_decision_that_becomes_an_action(live_server, seeded, browser):
    world, base = seeded, live_server.url
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _watch(page, problems)
    _log_in(page, base)

    # 1. plan a hybrid meeting today (no hour given: the sign-in is open the whole local day)
    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()  # Jambi keeps WIB (rules.md section 10)
    page.goto(f"{base}/agreements/{world.plan.pk}/")
    page.click(f"a[href='/agreements/{world.plan.pk}/meetings/new/']")
    page.select_option("#id_kind", "coordination")
    page.fill("#id_title", "Rapat koordinasi antrean KTP-el")
    page.check("input[name=mode][value=hybrid]")
    page.fill("#id_date", today.strftime("%d/%m/%Y"))
    page.fill("#id_place", "Ruang Pola Kantor Bupati")
    page.fill("#id_online_link", "https://meet.example.org/rapat")
    page.fill("#id_room_capacity", "20")
    page.select_option("#id_invited_units", [str(world.dukcapil.pk), str(world.dpmptsp.pk)])
    page.click("main form button[type=submit]")
    page.wait_for_selector("#meeting-title")
    meeting = Meeting.objects.get()
    assert page.locator("#meeting-title").inner_text().startswith("Rapat koordinasi antrean KTP-el")

    # 2. the room page shows the QR code; its link and the online link are what participants open
    page.click(f"a[href='/meetings/{meeting.pk}/room/']")
    assert page.evaluate("document.querySelector('#room-qr').naturalWidth") > 0
    room_link = page.get_attribute("#room-link", "href")
    online_link = page.get_attribute("#online-link", "href")
    assert room_link.endswith("?via=qr") and online_link.endswith("?via=link")

    # 3. one participant in the room (QR link), one online (the link), each on a phone and without an account
    in_room = _sign_in_on_a_phone(browser, room_link, name="Siti Rahma", position="Sekretaris Dinas",
                                  unit=world.dukcapil.pk, problems=problems)
    online = _sign_in_on_a_phone(browser, online_link, name="Budi Santoso", position="Peneliti",
                                 institution="Universitas Jambi", problems=problems)
    assert (in_room, online) == ("in_person", "online")
    assert sorted(Attendance.objects.values_list("name", "mode", "source")) == [
        ("Budi Santoso", "online", "link"), ("Siti Rahma", "in_person", "qr")]
    page.goto(f"{base}/meetings/{meeting.pk}/")
    assert (page.inner_text("#count-in-person"), page.inner_text("#count-online"),
            page.inner_text("#count-total")) == ("1", "1", "2")

    # 4. minutes with a decision that creates an action, through the pre-filled action form
    page.click(f"a[href='/meetings/{meeting.pk}/minutes/']")
    page.fill("#id_minutes", "Antrean KTP-el di Dukcapil masih panjang pada pagi hari.")
    page.click("button[name=save_minutes]")
    page.wait_for_load_state()
    page.fill("#id_text", "Dukcapil membuka antrean daring untuk KTP-el")
    page.check("input[name=kind][value=create]")
    page.select_option("#id_responsible_unit", str(world.dukcapil.pk))
    page.fill("#id_due_date", f"31/12/{today.year + 1}")
    page.click("button[name=add_decision]")
    page.wait_for_load_state()
    decision = Decision.objects.get()
    page.click(f"a[href='/decisions/{decision.pk}/action/']")
    assert page.input_value("#id_title") == "Dukcapil membuka antrean daring untuk KTP-el"
    page.fill("#id_pic_position", "Kepala Dinas Kependudukan dan Pencatatan Sipil")
    page.fill("#id_budget_planned", "15000000")
    page.select_option("#id_budget_source", "APBD")
    page.fill("#id_indicator_name", "Layanan dengan antrean daring")
    page.fill("#id_indicator_unit", "layanan")
    page.fill("#id_baseline", "0")
    page.fill("#id_target", "5")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#action-decisions")
    action = Action.objects.get()
    decision.refresh_from_db()
    assert (decision.action, decision.status, action.responsible_unit) == (action, "applied", world.dukcapil)

    # 5. the action is in the plan, and its page links back to the meeting
    page.goto(f"{base}/work-plans/{world.plan.pk}/actions/")
    page.click(f"a[href='/actions/{action.pk}/']")
    page.wait_for_selector("#action-decisions")
    page.screenshot(path=SHOTS / "pantau-action-from-decision.png", full_page=True)
    page.click(f"#action-decisions a[href^='/meetings/{meeting.pk}/']")
    page.wait_for_selector("#meeting-title")
    assert page.locator(f"#decision-1 a[href='/actions/{action.pk}/']").count() == 1
    context.close()

    # 6. the organiser's pages fit a phone's width
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    _watch(page, problems)
    _log_in(page, base)
    for path in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/attendance/", f"/meetings/{meeting.pk}/minutes/",
                 f"/meetings/{meeting.pk}/room/", f"/agreements/{world.plan.pk}/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.screenshot(path=SHOTS / "pantau-meeting-phone.png", full_page=True)
    phone.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
