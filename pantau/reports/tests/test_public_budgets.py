"""The public pages stay light and cheap (issue 14 item 4: "under 100 KB with assets, cached"): each page's weight
is its HTML plus every stylesheet, script and image it references (and what those stylesheets reference), measured
on the fullest page a regency can have; the queries of a page and a file are a fixed number whatever the number of
actions, and none once cached."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pantau.agreements.models import Agreement, AgreementKind
from pantau.assessments.actions import publish_round, record_round
from pantau.assessments.models import ComplianceResult, MethodEdition, RoundKind
from pantau.conftest import action_data
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region, RegionKind
from pantau.reports import opendata, public
from pantau.surveys.models import IkmResult, SurveyPeriod
from pantau.workplans import actions as wp

LIMIT = 100_000
"""Bytes a public page may weigh with its assets (issue 14 item 4)."""

ASSET = re.compile(r'<(?:link[^>]*\shref|script[^>]*\ssrc|img[^>]*\ssrc)="([^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def asset_bytes(url: str, seen: set[str]) -> int:
    """Bytes of a static asset (found by the staticfiles finders) and, for a stylesheet, of what it references; a
    ``data:`` URI is already counted in its document. Fails for an asset Pantau does not serve itself."""
    if url.startswith("data:") or url in seen:
        return 0
    seen.add(url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert url.startswith(prefix), f"{url} is not served by Pantau"
    found = finders.find(url[len(prefix):])
    assert found, url
    content = Path(found).read_bytes()
    total = len(content)
    if url.endswith(".css"):
        base = url.rsplit("/", 1)[0] + "/"
        for ref in CSS_URL.findall(content.decode()):
            total += asset_bytes(ref if ref.startswith(("/", "data:")) else base + ref, seen)
    return total


def page_weight(client, url: str) -> tuple[int, int]:
    """(HTML bytes, HTML + every referenced asset in bytes) of the page at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content
    seen: set[str] = set()
    assets = sum(asset_bytes(ref, seen) for ref in ASSET.findall(html.decode()))
    assert seen, "the page references its stylesheets"
    return len(html), len(html) + assets


TITLE = "Standar pelayanan penerbitan dokumen kependudukan ditetapkan, dipublikasikan dan dievaluasi berkala {n}"
INDICATOR = "Jenis layanan dengan standar pelayanan yang dipublikasikan"


@pytest.fixture
def fullest(world):
    """Batanghari at the fullest its page gets: more actions than a page shows (realistic lengths: a 100-character
    title, a 58-character indicator), ten published Ombudsman results, more published rounds and IKM results than
    the page shows."""
    for n in range(1, public.ACTIONS_PER_PAGE + 6):
        action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
            world.dukcapil, code=str(n), title=TITLE.format(n=n), indicator_name=INDICATOR, indicator_unit="layanan",
            target=Decimal(100), budget_planned=1_250_000_000, is_sample=True))
        report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                    actual_value=Decimal("37.5"), narrative="n", amount_spent=987_654_321)
        wp.accept_report(actor=world.assistant, report=report)
    edition = MethodEdition.objects.get(code="ombudsman-2022")
    for year in range(2015, 2025):
        ComplianceResult.objects.create(
            region_id="15.04", province_code="15", entity_name="Kabupaten Batanghari", year=year, edition=edition,
            score=Decimal("88.34"), published_zone="hijau", published_category="A",
            published_opinion="Kualitas Tertinggi", source_url="https://example.org/kepatuhan/batanghari-" + str(year))
    scores = dict.fromkeys(("input", "proses", "output", "pengaduan"), "90")
    for n in range(public.ROWS_SHOWN + 5):
        unit = world.dukcapil if n % 2 else world.dpmptsp
        assessment = record_round(actor=world.coordinator, edition=edition, year=2023, kind=RoundKind.SELF_ASSESSMENT,
                                  assessed_on=dt.date(2023, 1, 2) + dt.timedelta(days=n), unit=unit,
                                  dimension_scores=scores, is_sample=True).round
        publish_round(actor=world.assistant, assessment=assessment)
    template = {f"nrr_u{n}": Decimal("3.4000") for n in range(1, 10)}
    template.update({f"converted_u{n}": Decimal("85.00") for n in range(1, 10)})
    for n in range(public.ROWS_SHOWN + 5):
        period = SurveyPeriod.objects.create(
            unit=world.dukcapil_upt, service_name="Penerbitan KTP-el dan Kartu Keluarga",
            start_date=dt.date(2020, 1, 1) + dt.timedelta(days=n), end_date=dt.date(2020, 6, 30) + dt.timedelta(days=n),
            population=2200, province_code="15", is_sample=True)
        IkmResult.objects.create(
            period=period, ikm=Decimal("85.00"), grade="B", weight_variant="exact", rounding_rule="half up",
            n_responses=340, population=2200, required_sample=327, is_adequate=True,
            published_at=dt.datetime(2024, 8, 1, tzinfo=dt.UTC), **template)
    return world


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_fullest_regency_page_weighs_under_100_kb_with_its_assets(fullest, client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html, total = page_weight(client, "/publik/15.04/")
    assert total < LIMIT, (html, total)
    page = client.get("/publik/15.04/").content.decode()
    assert page.count('<tr id="aksi-') == public.ACTIONS_PER_PAGE
    assert page.count("badge sample") >= public.ACTIONS_PER_PAGE + 2 * public.ROWS_SHOWN
    html2, total2 = page_weight(client, "/publik/15.04/?halaman=2")
    assert total2 < LIMIT


def test_the_dictionary_and_a_national_index_of_every_regency_weigh_under_100_kb(world, client):
    """514 regencies and cities (the national reference size, DESIGN.md) in 38 provinces, each with a work plan."""
    regions, units = [], []
    for p in range(38):
        province = f"{11 + p}"
        regions.append(Region(code=province, name=f"Provinsi Contoh Nomor {p}", level=1, kind=RegionKind.PROVINCE,
                              province_code=province))
        for k in range(1, 15 if p < 20 else 14):
            code = f"{province}.{k:02d}"
            regions.append(Region(code=code, name=f"Kabupaten Contoh Bernama Panjang {code}", level=2,
                                  kind=RegionKind.REGENCY, parent_id=province, province_code=province))
    Region.objects.bulk_create(regions, ignore_conflicts=True)
    regencies = [r for r in regions if r.level == 2]
    assert len(regencies) == 514
    units = Unit.objects.bulk_create([
        Unit(name=f"Pemerintah {r.name}", kind=UnitKind.REGIONAL_GOVERNMENT, region_id=r.code,
             province_code=r.province_code, path="/") for r in regencies])
    Agreement.objects.bulk_create([
        Agreement(kind=AgreementKind.WORK_PLAN, title="Rencana Kerja", ombudsman_office=world.office, government=u,
                  is_signed=True) for u in units])
    index_html, index_total = page_weight(client, "/publik/")
    assert client.get("/publik/").content.decode().count('href="/publik/') >= 514
    assert index_total < LIMIT, (index_html, index_total)
    dictionary_html, dictionary_total = page_weight(client, "/publik/data/")
    assert dictionary_total < LIMIT, (dictionary_html, dictionary_total)


CACHE_QUERIES = 16
"""What the misses of the shared database cache cost a page or file (its data and, for files, the file): each read
that misses, then each write (count, existing row, insert, in a savepoint); the same whatever the page."""


def queries(client, url: str) -> int:
    """Queries of the page's own data in one GET of ``url`` with an empty cache (the cache table's own queries are
    held to ``CACHE_QUERIES`` here and not counted)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    cached = [q for q in captured.captured_queries if "pantau_cache" in q["sql"] or "SAVEPOINT" in q["sql"]]
    assert len(cached) <= CACHE_QUERIES, cached
    return len(captured.captured_queries) - len(cached)


REGION_QUERIES = 9
"""A region page or file with an empty cache: the region, the plans, their action trees, the signatories, the
governments, the Ombudsman's results, the published rounds, the published IKM results; one spare for the session."""


@pytest.mark.parametrize("url, budget", [
    ("/publik/", 3), ("/publik/data/", 1), ("/publik/15.04/", REGION_QUERIES),
    ("/publik/15.04/data/aksi.csv", REGION_QUERIES), ("/publik/data/aksi.json", 5),
    ("/publik/data/kepatuhan.csv", 4), ("/publik/data/ikm.csv", 4),
])
def test_a_page_or_file_costs_a_fixed_number_of_queries_whatever_the_number_of_actions(world, client, url, budget):
    counts = []
    for batch in (3, 30):
        for n in range(batch):
            wp.create_action(actor=world.coordinator, work_plan=world.plan,
                             data=action_data(world.dukcapil, code=f"{batch}.{n}"))
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= budget, counts
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    # served from the cache: one read of the cache table, no query of the data
    assert [q["sql"] for q in cached.captured_queries] == [
        q["sql"] for q in cached.captured_queries if q["sql"].startswith('SELECT "cache_key"')
    ]
    assert len(cached.captured_queries) <= 1


def test_the_datasets_of_a_region_cost_seven_queries(pw, django_assert_num_queries):
    with django_assert_num_queries(7):
        data = opendata.build("15.04")
    assert len(data[opendata.ACTIONS.slug]) == 7
