"""Through a real browser (issue 10): the parent picker is searchable (pantau/filter-select.js, no CDN, no inline
script), and two people editing the same action end with the later one on the conflict page, its input kept."""

import pytest

from pantau.conftest import action_data
from pantau.tests_browser.conftest import DESKTOP
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


@pytest.fixture
def actions(transactional_db, world):
    """Three actions of Dukcapil and one of DPMPTSP, all the coordinator's to edit."""
    world.edited = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                                    data=action_data(world.dukcapil, code="1", title="Publish the standards"))
    for code, title, unit in (("2", "Open a complaint desk", world.dukcapil),
                              ("3", "Train the front-office staff", world.dukcapil),
                              ("4", "Online permit queue", world.dpmptsp)):
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(unit, code=code,
                                                                                          title=title))
    return world


def _log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base + "/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()


def test_the_parent_picker_filters_as_one_types_and_a_stale_save_shows_the_conflict(live_server, actions, browser):
    base = live_server.url
    problems: list[str] = []
    first = browser.new_context(viewport=DESKTOP).new_page()
    # script errors only: the browser also logs the 409 answer (and a missing favicon) as failed loads
    first.on("pageerror", lambda exc: problems.append(str(exc)))
    _log_in(first, base, "coordinator")
    edit_url = f"{base}/actions/{actions.edited.pk}/edit/"
    first.goto(edit_url)

    # the search box sits above the parent select; typing "permit" leaves only action 4 (and the empty choice)
    search = first.locator("select#id_parent").locator("xpath=preceding-sibling::input[@type='search'][1]")
    search.fill("permit")
    shown = first.eval_on_selector("select#id_parent",
                                   "s => Array.from(s.options).filter(o => !o.hidden).map(o => o.text)")
    assert [text for text in shown if text.strip("-")] == ["4 Online permit queue"]

    # a second person saves the same action meanwhile
    second = browser.new_context(viewport=DESKTOP).new_page()
    _log_in(second, base, "ombudsman_admin")
    second.goto(edit_url)
    second.fill("#id_target", "90")
    second.click("form.stacked button[type=submit]")
    second.wait_for_url(f"{base}/actions/{actions.edited.pk}/")

    # the first person, on the stale form, asks for 80: refused with both values side by side, input kept
    first.fill("#id_target", "80")
    first.click("form.stacked button[type=submit]")
    first.wait_for_selector("#conflict")
    assert "Someone else saved this record after you opened it" in first.inner_text("#conflict")
    assert first.input_value("#id_target") == "80"
    assert Action.objects.get(pk=actions.edited.pk).target == 90
    assert problems == []
