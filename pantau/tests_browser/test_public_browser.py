"""Through a real browser at phone width (375 px): a citizen opens the public page of a regency without logging in,
reads it without scrolling sideways, sees the sample rows labelled, switches to English and prints it; the page with
everything it loads weighs under 100 KB (issue 14 items 4 and 5).

Same set-up as test_browser.py: Debian's chromium driven by the PyPI ``playwright`` package, never
``playwright install``; live server and Playwright share this process.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from pantau.agreements.models import Signatory
from pantau.conftest import action_data
from pantau.tests_browser.conftest import PHONE, SHOTS
from pantau.workplans import actions as wp

WEIGHT = """() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return entries.map(e => [e.name, e.initiatorType, e.decodedBodySize]);
}"""
"""Every file the page loaded (the document and its resources) with its size in bytes as decoded."""


@pytest.fixture
def regency(transactional_db, world):
    """Batanghari with a signed plan: a verified action with a long title, a sample action, a parent with two
    sub-actions (one verified at 50 %), and the plan's signatories."""
    cache.clear()
    Signatory.objects.create(agreement=world.plan, unit=world.regency, position="Sekretaris Daerah",
                             capacity=Signatory.Capacity.SIGNED)
    long_title = ("Standar pelayanan penerbitan KTP-el, Kartu Keluarga dan akta kelahiran ditetapkan, dipublikasikan "
                  "di ruang tunggu dan di laman resmi, dan dievaluasi setiap semester")
    specs = [("1", long_title, None, False), ("2", "Aksi ilustrasi antrean daring", None, True),
             ("3", "Pengaduan dikelola di setiap kecamatan", None, False)]
    made = {}
    for code, title, parent, sample in specs:
        made[code] = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
            world.dukcapil, code=code, title=title, parent=parent, is_sample=sample, target=Decimal(100),
            indicator_unit="persen", budget_planned=1_250_000_000))
    for code in ("3.1", "3.2"):
        made[code] = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
            world.mersam, code=code, title=f"Unit pengaduan {code}", parent=made["3"], target=Decimal(100)))
    for code, value in (("1", "40"), ("3.1", "50")):
        report = wp.report_progress(actor=world.officer if code == "1" else world.district_officer, action=made[code],
                                    report_date=dt.date(2021, 3, 1), actual_value=Decimal(value), narrative="n",
                                    amount_spent=125_000_000)
        wp.accept_report(actor=world.assistant, report=report)
    yield world
    cache.clear()


def test_a_citizen_reads_a_regency_page_on_a_phone(live_server, regency, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{live_server.url}/publik/15.04/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Kabupaten Batanghari"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    loaded = page.evaluate(WEIGHT)
    assert sum(size for _name, _kind, size in loaded) < 100_000, loaded
    # no script, no image; the browser also fetches the favicon (issue 15), a small icon counted in the weight
    assert sorted(kind for name, kind, _size in loaded if "/favicon." not in name) == ["link", "link", "navigation"]
    assert [name for name, kind, _size in loaded if kind == "other"] == [f"{live_server.url}/static/pantau/favicon.svg"]
    # on a phone each action is a card: the row is a block and each cell says what it is
    row = page.locator(f"#aksi-{regency.plan.actions.get(code='1').pk}")
    assert row.evaluate("r => getComputedStyle(r).display") == "flex"  # a card whose short cells share a line
    label = row.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Action and indicator: "'
    assert page.locator(f"#aksi-{regency.plan.actions.get(code='2').pk} .badge.sample").is_visible()
    # the plan's verified roll-up: (40 + 0 + (50 + 0) / 2) / 3 = 21.67 %
    assert page.locator(f"#plan-{regency.plan.pk}-verified").inner_text().replace("\u00a0", " ") == "21.67 %"
    page.screenshot(path=SHOTS / "pantau-public-phone.png", full_page=True)

    with page.expect_navigation():
        page.tap("form.lang button[value=id]")
    assert page.url == f"{live_server.url}/publik/15.04/"
    assert page.locator("#verified-rule").inner_text().startswith("Hanya kemajuan yang diverifikasi Ombudsman")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.emulate_media(media="print")
    assert not page.locator(".downloads").is_visible()
    assert page.locator("#verified-rule").is_visible()
    context.close()
    assert not problems, problems


def test_the_national_index_fits_a_phone(live_server, regency, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/publik/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("a[href='/publik/15.04/']")
    page.wait_for_url(f"{live_server.url}/publik/15.04/")
    assert page.locator("h1").inner_text() == "Kabupaten Batanghari"
    context.close()
