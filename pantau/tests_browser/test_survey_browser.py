"""Through a real browser on a phone-width screen: a member of the public answers the satisfaction survey (no
login) and the response is stored; the staff results page then shows its charts as images.

Same set-up as test_browser.py: Debian's chromium driven by the PyPI ``playwright`` package, never
``playwright install``; live server and Playwright share this process, so Django's async-safety check is relaxed for
this module's tests.
"""

import datetime as dt

import pytest

from pantau.surveys import actions as services
from pantau.surveys.models import Response
from pantau.tests_browser.conftest import PHONE, SHOTS


@pytest.fixture
def open_period(transactional_db, world):
    """A Dukcapil period whose public form is open today."""
    today = dt.date.today()
    return services.create_period(
        actor=world.coordinator, unit=world.dukcapil, service_name="KTP-el", population=10,
        start_date=today - dt.timedelta(days=7), end_date=today + dt.timedelta(days=7), public_form=True,
    )


# Answer per element: index of the radio button (0 = score 1 ... 3 = score 4).
ANSWERS = {"U1": 3, "U2": 2, "U3": 0, "U4": 3, "U5": 2, "U6": 2, "U7": 3, "U8": 1, "U9": 2}


def test_a_member_of_the_public_answers_on_a_phone_and_the_answer_is_stored(live_server, open_period, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{live_server.url}/skm/{open_period.pk}/")
    assert page.locator("h1").inner_text().startswith("Dinas Kependudukan dan Pencatatan Sipil")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for code, index in ANSWERS.items():
        page.tap(f"label[for=id_{code}_{index}]")
    page.fill("#id_age", "34")
    page.select_option("#id_sex", "P")
    page.fill("#id_comment", "Antrean panjang di pagi hari")
    page.screenshot(path=SHOTS / "pantau-skm-phone.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/skm/{open_period.pk}/thanks/")

    response = Response.objects.get(period=open_period)
    assert [response.scores()[code] for code in ANSWERS] == [index + 1 for index in ANSWERS.values()]
    assert (response.age, response.sex, response.comment, response.source) == (
        34, "P", "Antrean panjang di pagi hari", "public_form")
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_a_forgotten_question_keeps_the_other_answers_and_saves_nothing(live_server, open_period, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/skm/{open_period.pk}/")
    for code, index in ANSWERS.items():
        if code != "U9":
            page.tap(f"label[for=id_{code}_{index}]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[role=alert]").count() == 1
    assert page.is_checked("#id_U3_0")
    assert Response.objects.filter(period=open_period).count() == 0
    context.close()


def test_the_coordinator_sees_the_element_chart_as_an_image(live_server, open_period, browser, world):
    for scores in ([4, 4, 2, 4, 3, 3, 4, 2, 3], [3, 3, 1, 4, 3, 3, 3, 2, 3]):
        services.submit_public_response(period=open_period, scores=dict(zip(ANSWERS, scores, strict=True)))
    services.compute_result(actor=world.coordinator, period=open_period)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/surveys/{open_period.pk}/")
    image = page.locator("figure.skm-chart img")
    assert image.count() == 1
    assert page.evaluate("document.querySelector('figure.skm-chart img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
