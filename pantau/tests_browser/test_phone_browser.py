"""At phone width (390x844, issue 15): the dashboard, the action list, the progress-report form and the public
questionnaire never scroll sideways; the dashboard's figures are in the first screen; the unit pickers work with the
keyboard alone; the questionnaire's answers are finger-sized and its legends sit inside their cards."""

import datetime as dt

import pytest

from pantau.conftest import action_data
from pantau.meetings.models import Meeting, MeetingKind, MeetingMode
from pantau.surveys import actions as surveys
from pantau.workplans import actions as wp

PHONE_390 = {"width": 390, "height": 844}
NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def seeded(transactional_db, world):
    """The world with a signing meeting and two overdue actions (Dukcapil, DPMPTSP) of the coordinator."""
    Meeting.objects.create(
        agreement=world.plan, kind=MeetingKind.SIGNING, title="Penandatanganan Rencana Kerja",
        date=dt.date(2020, 11, 18), place="Kantor Bupati Batanghari", mode=MeetingMode.HYBRID,
        room_capacity=None, attendance_in_person=None, attendance_online=None,
    )
    world.action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dpmptsp, code="2", title="Open an online permit desk"))
    return world


def _phone(browser):
    context = browser.new_context(viewport=PHONE_390, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return context, page, problems


def _log_in(page, base, username="coordinator"):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base + "/")


def test_daily_pages_fit_a_phone_and_the_dashboard_shows_figures_first(live_server, seeded, browser):
    base = live_server.url
    context, page, problems = _phone(browser)
    _log_in(page, base)

    page.goto(f"{base}/work-plans/{seeded.plan.pk}/")
    assert page.evaluate(NO_SIDEWAYS)
    progress = page.locator("#h-progress").bounding_box()
    assert progress is not None and progress["y"] + progress["height"] <= PHONE_390["height"]
    # the agreement's details and its meetings are folded; the long breakdowns fold on a phone (fold.js)
    for folded in ("#agreement-details", "#agreement-meetings"):
        assert page.eval_on_selector(folded, "d => d.open") is False
    assert page.eval_on_selector("details:has(#h-overdue)", "d => d.open") is False
    page.click("details:has(#h-overdue) > summary")
    assert page.locator("section[aria-labelledby=h-overdue] td[data-label]").first.is_visible()
    assert page.evaluate(NO_SIDEWAYS)

    page.goto(f"{base}/work-plans/{seeded.plan.pk}/actions/")
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(f"{base}/actions/{seeded.action.pk}/report/")
    assert page.locator("#id_report_date").is_visible()
    assert page.evaluate(NO_SIDEWAYS)
    context.close()
    assert problems == []


def _focus(page, field):
    """Focus a picker's search box and wait until Tom Select has taken the focus (typing before that, on a loaded
    machine, sends the first letters nowhere)."""
    page.focus(f"#id_{field}-ts-control")
    page.locator(f"#id_{field}-ts-control").wait_for(state="visible")
    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'id_{field}-ts-control'")


def _wait_for_active(page, text):
    page.locator(".ts-dropdown .option.active", has_text=text).wait_for(state="visible")


def test_the_unit_pickers_work_with_the_keyboard_alone(live_server, seeded, browser):
    base = live_server.url
    context, page, problems = _phone(browser)
    _log_in(page, base)
    page.goto(f"{base}/work-plans/{seeded.plan.pk}/actions/new/")
    assert page.evaluate(NO_SIDEWAYS)
    # the plain select is grouped by parent (tree order), then enhanced by Tom Select
    groups = page.eval_on_selector("select#id_responsible_unit",
                                   "s => Array.from(s.querySelectorAll('optgroup')).map(g => g.label)")
    assert groups == ["Pemerintah Kabupaten Batanghari", "Dinas Kependudukan dan Pencatatan Sipil",
                      "Kecamatan Mersam"]
    _focus(page, "responsible_unit")
    page.keyboard.type("mersam", delay=40)
    _wait_for_active(page, "Kecamatan Mersam")  # Tom Select filters after a short pause (refreshThrottle)
    page.keyboard.press("Enter")
    assert page.input_value("select#id_responsible_unit") == str(seeded.mersam.pk)

    _focus(page, "supporting_units")
    page.keyboard.type("tapah", delay=40)
    _wait_for_active(page, "Pemerintah Desa Tapah Sari")
    page.keyboard.press("Enter")
    page.keyboard.type("penanaman", delay=40)
    _wait_for_active(page, "Dinas Penanaman Modal dan PTSP")
    page.keyboard.press("Enter")
    chosen = page.eval_on_selector("select#id_supporting_units",
                                   "s => Array.from(s.selectedOptions).map(o => o.value).sort()")
    assert chosen == sorted([str(seeded.tapah_sari.pk), str(seeded.dpmptsp.pk)])
    page.keyboard.press("Backspace")  # drops the last chosen unit
    chosen = page.eval_on_selector("select#id_supporting_units", "s => Array.from(s.selectedOptions).length")
    assert chosen == 1
    assert page.locator("#id_is_sample").count() == 0  # the sample flag is for admins only
    context.close()
    assert problems == []


def test_the_questionnaire_fits_a_counter_phone(live_server, transactional_db, world, browser):
    today = dt.date.today()
    period = surveys.create_period(
        actor=world.coordinator, unit=world.dukcapil, service_name="KTP-el", population=10,
        start_date=today - dt.timedelta(days=7), end_date=today + dt.timedelta(days=7), public_form=True,
    )
    context, page, problems = _phone(browser)
    page.goto(f"{live_server.url}/skm/{period.pk}/")
    assert page.evaluate(NO_SIDEWAYS)
    heights = page.eval_on_selector_all("label.choice", "ls => ls.map(l => l.getBoundingClientRect().height)")
    assert len(heights) == 9 * 4 and min(heights) >= 44
    # every legend lies inside its fieldset's box, below the top border
    inside = page.eval_on_selector_all("fieldset.question", """fs => fs.map(f => {
        const a = f.getBoundingClientRect(), b = f.querySelector('legend').getBoundingClientRect();
        return b.top >= a.top + parseFloat(getComputedStyle(f).borderTopWidth) && b.bottom <= a.bottom; })""")
    assert inside and all(inside)
    button = page.locator("form.questionnaire button[type=submit]")
    assert "primary" in button.get_attribute("class")
    assert button.bounding_box()["height"] >= 44
    page.tap("label[for=id_U1_3]")
    assert page.is_checked("#id_U1_3")
    context.close()
    assert problems == []


def test_the_api_documentation_page_runs_under_the_content_security_policy(live_server, transactional_db, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-tag")
    assert page.locator(".opblock-tag", has_text="actions").count() >= 1
    context.close()
    assert problems == []
