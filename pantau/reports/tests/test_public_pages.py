"""The public transparency pages (/publik/, no login): what a citizen sees, figures checked by hand against the
seeded world of ``pw`` (reports/tests/conftest.py), the verified-only rule, sample labels, languages, cache headers
and the language switch."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pantau.agreements.models import Agreement
from pantau.reports import opendata
from pantau.reports.tests.conftest import report
from pantau.workplans import actions as wp


@pytest.fixture(autouse=True)
def _indonesian(client):
    """A visitor who chose Bahasa Indonesia (the default of a real installation; tests default to English)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"


def row_of(page: str, action_id: int) -> str:
    """The HTML of an action's row on a region page."""
    match = re.search(rf'<tr id="aksi-{action_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, action_id
    return match.group(1)


def test_the_national_index_lists_regions_with_a_signed_work_plan_by_province(pw, client):
    response = client.get("/publik/")
    assert response.status_code == 200
    rows = opendata.index_rows()
    # Jambi: Batanghari (1 signed plan; the draft plan does not count) and Muaro Jambi (1 signed plan, no action).
    # Batanghari's actions not cancelled: 1, 2, 3, 5, 5.1, 5.2 = 6; with an accepted report: 1 and 5.1 = 2;
    # sample: 3 = 1.
    assert rows == [{"code": "15", "name": "Jambi", "plans": 2, "actions": 6, "verified_actions": 2, "regions": [
        {"code": "15.04", "name": "Kabupaten Batanghari", "plans": 1, "actions": 6, "verified_actions": 2,
         "sample_actions": 1},
        {"code": "15.05", "name": "Kabupaten Muaro Jambi", "plans": 1, "actions": 0, "verified_actions": 0,
         "sample_actions": 0},
    ]}]
    page = response.content.decode()
    assert 'href="/publik/15.04/"' in page and 'href="/publik/15.05/"' in page
    assert re.search(r'id="total-regions">2<', page) and re.search(r'id="total-actions">6<', page)
    # the sample action is labelled in the index too
    batanghari = re.search(r'href="/publik/15.04/".*', page).group(0)
    assert "CONTOH" in batanghari
    assert batanghari.endswith("<td>1<td>6<td>2")
    assert "CONTOH" not in re.search(r'href="/publik/15.05/".*', page).group(0)
    assert client.head("/publik/").status_code == 200


def test_a_regency_page_shows_the_agreement_the_plan_and_the_verified_figures(pw, client):
    page = client.get("/publik/15.04/").content.decode()
    assert "Rencana Kerja Pelayanan Publik 2020" in page and "Nota Kesepakatan" in page
    assert "18 November 2020, Kantor Bupati Batanghari" in page
    assert "Sekretaris Daerah, Pemerintah Kabupaten Batanghari" in page
    # top-level actions not cancelled: 1 (10.00 %), 2 (0), 3 (0), 5 (roll-up (50 + 0) / 2 = 25.00 %), no weights:
    # (10 + 0 + 0 + 25) / 4 = 8.75 %
    assert re.search(rf'id="plan-{pw.plan.pk}-verified">8,75&nbsp;%<', page)
    # planned: 6 actions not cancelled x Rp 15.000.000 (action_data); realised: the accepted report only
    assert f'id="plan-{pw.plan.pk}-planned">Rp 90.000.000<' in page
    assert f'id="plan-{pw.plan.pk}-realized">Rp 2.500.000<' in page
    first = row_of(page, pw.verified.pk)
    assert "Standar pelayanan KTP-el dipublikasikan" in first
    assert "Dinas Kependudukan dan Pencatatan Sipil" in first
    assert "10,00&nbsp;%" in first and "10,00 persen" in first and "0,00 → 100,00" in first
    assert "Rp 15.000.000" in first and "Rp 2.500.000" in first
    assert "25,00&nbsp;%" in row_of(page, pw.parent.pk)
    assert 'class="child"' in page  # sub-actions indented


def test_the_public_status_reads_only_dates_and_verified_progress(pw, client):
    # every action is due 31 Dec 2021: past due today unless verified complete; action 1's claim of 77.77 and a
    # newly reported 100 on action 2 change nothing until the Ombudsman accepts them
    report(pw.other_officer, pw.returned, "100", on=pw.returned.due_date)
    page = client.get("/publik/15.04/").content.decode()
    for action in (pw.verified, pw.returned, pw.sample, pw.parent):
        assert "p-past_due" in row_of(page, action.pk), action.code
    assert "p-cancelled" in row_of(page, pw.cancelled.pk)
    pending = pw.returned.reports.get(actual_value=100)
    wp.accept_report(actor=pw.assistant, report=pending)
    cache.clear()  # the page's data is cached (reports.public); a new request after expiry shows the change
    page = client.get("/publik/15.04/").content.decode()
    assert "p-verified" in row_of(page, pw.returned.pk)
    assert "selesai, diverifikasi Ombudsman" in row_of(page, pw.returned.pk)


def test_every_sample_row_is_labelled_and_no_other_row_is(pw, client):
    page = client.get("/publik/15.04/").content.decode()
    assert "CONTOH" in row_of(page, pw.sample.pk)
    for action in (pw.verified, pw.returned, pw.cancelled, pw.parent, pw.child1, pw.child2):
        assert "CONTOH" not in row_of(page, action.pk), action.code
    assert "Baris bertanda CONTOH adalah data ilustrasi" in page


def test_compliance_history_shows_published_results_and_rounds_and_the_published_ikm(pw, client):
    page = client.get("/publik/15.04/").content.decode()
    compliance = page[page.index('id="h-compliance"'):page.index('id="h-ikm"')]
    assert "2022" in compliance and "92,03" in compliance and "hijau" in compliance
    assert "56,78" in compliance and "Dinas Penanaman Modal dan PTSP" in compliance
    assert "Penilaian mandiri" in compliance or "penilaian mandiri" in compliance
    ikm = page[page.index('id="h-ikm"'):]
    assert "85,00" in ikm and "KTP-el" in ikm and "1 Jan 2024" in ikm
    assert "Perizinan" not in ikm  # the DPMPTSP period has a draft result only


def test_pages_speak_indonesian_first_and_english_on_request(pw, client):
    page = client.get("/publik/15.04/").content.decode()
    assert '<html lang="id">' in page and "Kemajuan yang diverifikasi Ombudsman" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/publik/15.04/").content.decode()
    assert '<html lang="en">' in page and "Progress verified by the Ombudsman" in page
    assert "8.75&nbsp;%" in page


@pytest.mark.parametrize("url", ["/publik/", "/publik/15.04/", "/publik/data/"])
def test_public_pages_carry_no_script_no_inline_style_no_token_and_set_no_cookie(pw, client, url):
    response = client.get(url)
    page = response.content.decode()
    assert "<script" not in page and 'style="' not in page
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies
    assert response["Cache-Control"] == f"public, max-age={settings.PANTAU_PUBLIC_CACHE_SECONDS}"
    assert "Cookie" in response["Vary"]


def test_a_logged_in_users_view_of_a_public_page_is_kept_private(pw, client):
    client.force_login(pw.viewer)
    response = client.get("/publik/15.04/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_page_is_served_from_the_cache_until_it_expires(pw, client, settings):
    client.get("/publik/15.04/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/publik/15.04/?halaman=1").status_code == 200
    # one read of the shared cache table, none of the data
    assert [q["sql"] for q in queries.captured_queries if "pantau_cache" not in q["sql"]] == []
    assert len(queries.captured_queries) == 1
    # a change is not shown while the data is cached (no invalidation: at most PANTAU_PUBLIC_CACHE_SECONDS) ...
    Agreement.objects.filter(pk=pw.plan.pk).update(signed_place="Gedung Baru")
    assert "Gedung Baru" not in client.get("/publik/15.04/").content.decode()
    # ... and without a cache (0 seconds) every request reads the database
    settings.PANTAU_PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    assert "Gedung Baru" in client.get("/publik/15.04/").content.decode()
    Agreement.objects.filter(pk=pw.plan.pk).update(signed_place="Gedung Lain")
    assert "Gedung Lain" in client.get("/publik/15.04/").content.decode()


@pytest.mark.parametrize("url", [
    "/publik/99.99/", "/publik/15.04.01/", "/publik/1504/", "/publik/15.04/data/rahasia.csv",
    "/publik/15.04/data/aksi.xlsx", "/publik/99.99/data/aksi.csv", "/publik/data/rahasia.json",
])
def test_unknown_regions_datasets_and_formats_are_404(pw, client, url):
    assert client.get(url).status_code == 404


def test_a_province_page_shows_its_own_government_only(pw, client):
    page = client.get("/publik/15/").content.decode()
    assert "<h1>Jambi</h1>" in page
    assert "Rencana Kerja Pelayanan Publik 2020" not in page
    assert "Belum ada rencana kerja pemerintah ini" in page


def test_the_actions_are_paged_past_thirty(world, client):
    for n in range(1, 33):
        wp.create_action(actor=world.coordinator, work_plan=world.plan,
                         data={**_data(world), "code": str(n), "title": f"Aksi nomor {n:02d}"})
    first = client.get("/publik/15.04/").content.decode()
    second = client.get("/publik/15.04/?halaman=2").content.decode()
    assert first.count('<tr id="aksi-') == 30 and second.count('<tr id="aksi-') == 2
    assert "Aksi nomor 32" in second and "Aksi nomor 32" not in first
    assert 'id="h-compliance"' in first and 'id="h-compliance"' not in second
    assert client.get("/publik/15.04/?halaman=junk").status_code == 200


def _data(world):
    from pantau.conftest import action_data

    return action_data(world.dukcapil)


def test_the_language_switch_sets_the_cookie_and_returns_to_a_public_page(client):
    response = client.post("/publik/bahasa/", {"language": "en", "next": "/publik/15.04/"})
    assert response.status_code == 302 and response["Location"] == "/publik/15.04/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for unsafe in ("https://evil.example/", "//evil.example/", "/admin/"):
        response = client.post("/publik/bahasa/", {"language": "id", "next": unsafe})
        assert response["Location"] == "/publik/", unsafe
    response = client.post("/publik/bahasa/", {"language": "xx", "next": "/publik/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/publik/bahasa/").status_code == 405


def test_the_landing_page_and_the_staff_dashboard_link_the_public_pages(pw, client):
    assert 'href="/publik/"' in client.get("/").content.decode()
    client.force_login(pw.coordinator)
    dashboard = client.get(f"/work-plans/{pw.plan.pk}/").content.decode()
    assert 'id="public-page" href="/publik/15.04/"' in dashboard
