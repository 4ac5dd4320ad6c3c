"""Report cards, the standards register and the method editions page: real published scores shown, scoped per
user (404 outside scope), login required."""

import pytest
from django.test import Client
from django.utils import translation

from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.workplans.models import Action


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_regency_report_card_shows_the_real_published_scores_zones_and_categories(demo):
    response = client_for(demo.world.coordinator).get("/report-cards/15.04/")
    assert response.status_code == 200
    html = response.content.decode()
    for score in ("93.71", "92.03", "88.34"):
        assert score in html
    assert "Kualitas Tertinggi" in html  # 2022 published opinion, category A
    assert html.count('<span class="badge">A</span>') >= 2  # 2022 published A and computed A
    assert "zone-hijau" in html and "zone-merah" not in html
    assert 'src="/report-cards/15.04/trend.svg"' in html
    assert "SAMPLE DATA" in html  # the self-assessment is marked as sample


def test_the_report_card_lists_findings_with_their_actions_and_credits(demo):
    html = client_for(demo.world.coordinator).get(f"/units/{demo.world.regency.pk}/report-card/").content.decode()
    for action in Action.objects.filter(work_plan=demo.world.plan):
        assert f'href="/actions/{action.pk}/">{action.code}</a>' in html
    assert "+14.00" in html and "+8.00" in html
    assert "82.73" in html  # Dukcapil's sample self-assessment total, beside the official results


def test_the_trend_chart_is_an_svg_image(demo):
    response = client_for(demo.world.viewer).get("/report-cards/15.04/trend.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_an_outsider_gets_404_everywhere_in_batanghari(demo):
    client = client_for(demo.world.outsider)
    for url in ("/report-cards/15.04/", "/report-cards/15.04/trend.svg",
                f"/units/{demo.world.regency.pk}/report-card/", f"/units/{demo.world.dukcapil.pk}/standards/",
                f"/units/{demo.world.regency.pk}/standards/"):
        assert client.get(url).status_code == 404, url


def test_a_unit_officer_sees_its_own_unit_but_not_the_neighbour(demo):
    client = client_for(demo.world.officer)
    assert client.get(f"/units/{demo.world.dukcapil.pk}/report-card/").status_code == 200
    assert client.get(f"/units/{demo.world.dpmptsp.pk}/standards/").status_code == 404
    assert client.get("/report-cards/15.04/").status_code == 404  # not in the government's scope


def test_pages_require_login(demo):
    response = Client().get("/report-cards/15.04/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get("/assessment-methods/").status_code == 302


def test_the_standards_register_shows_components_and_the_roll_up(demo):
    html = client_for(demo.world.coordinator).get(f"/units/{demo.world.dukcapil.pk}/standards/").content.decode()
    assert "Penerbitan KTP-el" in html and "Penerbitan Akta Kelahiran" in html
    assert html.count("comp-missing") == 2  # Akta Kelahiran lacks 2 of 14
    assert "85.71&nbsp;%" in html  # 12 of 14 = 85.71 %
    html = client_for(demo.world.coordinator).get(f"/units/{demo.world.regency.pk}/standards/").content.decode()
    assert 'id="total-services">9<' in html and 'id="total-complete">3<' in html
    assert "Per agency" in html and "Per district office" in html and "Per village" in html
    assert "Kelurahan Muara Bulian" in html


def test_the_methods_page_shows_every_edition_with_weights_and_provisional_bands(demo):
    html = client_for(demo.world.viewer).get("/assessment-methods/").content.decode()
    for text in ("Survei Kepatuhan Standar Pelayanan Publik (3 zona)", "Opini Ombudsman (Penilaian Maladministrasi",
                 "21.85", "32.37", "24.24", "21.54", "88.00", "81.00", "provisional",
                 "the official rounding rule could not yet be confirmed", "Ombudsman Regulation 61/2025"):
        assert text in html
    # provenance as sentences with numbered links, not curation notes or slugs
    for note in ("ombudsman-2015", "domain/rules.md", "UNCERTAIN", "not retrieved"):
        assert note not in html
    assert '<a href="https://langgam.id/' in html
    assert 'style="' not in html and not INLINE_SCRIPT.search(html)
