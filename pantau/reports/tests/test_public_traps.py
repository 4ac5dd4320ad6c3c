"""No public page or file shows a draft, an unverified figure or personal data (issue 14 item 5).

Every public response (each page and each download, national and per region, in Bahasa Indonesia and in English)
is searched for the traps seeded by ``pw`` (reports/tests/conftest.py: a draft round at 12.34, a draft IKM at
43.21, a claim of 77.77 not yet verified, a returned report of 31.41, the realised money of an unverified report,
an officer "Zaenab Trapname" with e-mail and phone, a complainant with the planted NIK 3201012345678901, a draft
plan), while the published and verified figures do appear.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from pantau.reports.opendata import DATASETS
from pantau.reports.tests.conftest import trap_hits

PAGES = ["/publik/", "/publik/15.04/", "/publik/15.04/?halaman=2", "/publik/15/", "/publik/15.05/", "/publik/data/"]
FILES = [f"/publik/{scope}data/{slug}.{fmt}" for scope in ("", "15.04/", "15/", "15.05/") for slug in DATASETS
         for fmt in ("csv", "json")]


def public_responses(client: Client) -> dict[tuple[str, str], str]:
    """Every public page and file in both languages: ``{(url, language): body}`` (all answered 200)."""
    bodies = {}
    for language in ("id", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in PAGES + FILES:
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[(url, language)] = response.content.decode("utf-8-sig")
    return bodies


def test_no_public_page_or_file_holds_a_draft_an_unverified_figure_or_personal_data(pw, client):
    bodies = public_responses(client)
    assert len(bodies) == 2 * (len(PAGES) + len(FILES))
    assert {where: trap_hits(body) for where, body in bodies.items() if trap_hits(body)} == {}


def test_the_traps_are_real_staff_pages_show_them_to_who_may_see_them(pw, client):
    """The search finds the traps where they legitimately are, so their absence above means something."""
    client.force_login(pw.coordinator)
    page = client.get(f"/actions/{pw.verified.pk}/").content.decode()
    assert {"77.77", "Zaenab", "Trapname"} <= set(trap_hits(page))
    client.force_login(pw.superuser)
    rounds = client.get("/api/v1/assessment-rounds/").content.decode()
    ikm = client.get("/api/v1/ikm-results/").content.decode()
    assert "12.34" in trap_hits(rounds) and "43.21" in trap_hits(ikm)
    pw.verified.refresh_from_db()
    assert (str(pw.verified.actual_reported), str(pw.verified.actual_verified)) == ("77.77", "10.00")


def test_the_published_and_verified_figures_do_appear(pw, client):
    bodies = public_responses(client)
    page_id, page_en = bodies[("/publik/15.04/", "id")], bodies[("/publik/15.04/", "en")]
    # verified value and progress of action 1 (10 of 0 -> 100), the parent's roll-up (50 + 0) / 2, the realised
    # money of the accepted report, the published results: 92.03 (Ombudsman 2022), 56.78 (round), 85.00 (IKM, T1)
    for figure in ("10,00", "25,00", "Rp 2.500.000", "92,03", "56,78", "85,00"):
        assert figure in page_id, figure
    for figure in ("10.00", "25.00", "Rp 2.500.000", "92.03", "56.78", "85.00"):
        assert figure in page_en, figure
    actions_csv = bodies[("/publik/15.04/data/aksi.csv", "id")]
    assert ",10.00,10.00," in actions_csv  # actual_verified, verified_progress of action 1
    assert "2500000" in actions_csv
    assert "92.03" in bodies[("/publik/15.04/data/kepatuhan.csv", "id")]
    assert "56.78" in bodies[("/publik/15.04/data/kepatuhan.json", "id")]
    assert '"ikm":"85.00"' in bodies[("/publik/data/ikm.json", "id")]
    assert "diverifikasi Ombudsman" in page_id and "verified by the Ombudsman" in page_en
    assert "Sekretaris Daerah" in page_id and "Kepala Perwakilan" in page_id


def test_people_appear_by_position_only(pw, client):
    page = client.get("/publik/15.04/").content.decode()
    signatories = re.search(r"<dd><ul class=\"plain\">(.*?)</ul></dd>", page).group(1)
    assert "Sekretaris Daerah, Pemerintah Kabupaten Batanghari" in signatories
    assert "Kepala Perwakilan, Ombudsman RI Perwakilan Jambi" in signatories
    # the person in charge is a free-text field that may hold a name: not published at all
    assert "Kepala Seksi" not in page


@pytest.mark.parametrize("url", ["/publik/15.04/", "/publik/15.04/data/kepatuhan.json"])
def test_only_web_links_are_published_as_sources(pw, client, url):
    body = client.get(url).content.decode()
    assert "https://example.org/kepatuhan-2022" in body
    if url.endswith("/"):
        assert "javascript:" not in body
