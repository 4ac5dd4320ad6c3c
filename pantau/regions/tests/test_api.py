"""The public regions endpoints and the OpenAPI schema of /api/v1/."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from pantau.conftest import make_region

BATANGHARI_DISTRICTS = [
    ("15.04.01", "Mersam"), ("15.04.02", "Muara Tembesi"), ("15.04.03", "Muara Bulian"),
    ("15.04.04", "Batin XXIV"), ("15.04.05", "Pemayung"), ("15.04.06", "Maro Sebo Ulu"),
    ("15.04.07", "Bajubang"), ("15.04.08", "Maro Sebo Ilir"),
]


@pytest.fixture
def batanghari(world):
    """The world's regions plus the six Batanghari districts it lacks (Mersam and Muara Tembesi exist)."""
    for code, name in BATANGHARI_DISTRICTS[2:]:
        make_region(code, name)
    return world


def test_anyone_reads_a_regency_by_its_dotted_code_with_its_eight_districts(batanghari):
    response = APIClient().get("/api/v1/regions/15.04/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "15.04"
    assert body["name"] == "Kabupaten Batanghari"
    assert body["level"] == 2
    assert body["kind"] == "regency"
    assert body["parent"] == "15"
    assert body["children"] == [{"code": code, "name": name, "kind": "district"} for code, name in BATANGHARI_DISTRICTS]


def test_a_village_is_addressed_by_its_four_part_code(world):
    response = APIClient().get("/api/v1/regions/15.04.01.2001/")

    assert response.status_code == 200
    assert response.json()["kind"] == "desa"
    assert response.json()["children"] == []


@pytest.mark.parametrize(
    "code", ["15.99", "16", "15.04.09", "15.04.01.2999", "15.4", "1", "abc", "15.04.01.2001.1", "15..04", "15.0001"]
)
def test_an_unknown_or_malformed_code_is_not_found(world, code):
    assert APIClient().get(f"/api/v1/regions/{code}/").status_code == 404


def test_the_region_list_filters_by_level_parent_and_name(batanghari):
    client = APIClient()

    def codes(query):
        response = client.get("/api/v1/regions/" + query)
        assert response.status_code == 200
        return [row["code"] for row in response.json()["results"]]

    assert codes("?level=2") == ["15.04", "15.05"]
    assert codes("?parent=15.04") == [code for code, _ in BATANGHARI_DISTRICTS]
    assert codes("?q=maro sebo") == ["15.04.06", "15.04.08"]
    assert codes("?parent=15.04&q=muara") == ["15.04.02", "15.04.03"]
    assert codes("?kind=desa") == ["15.04.01.2001"]
    assert codes("?parent=nonsense") == []


def test_the_region_list_is_paginated(batanghari):
    body = APIClient().get("/api/v1/regions/?limit=3&offset=3").json()

    assert body["count"] == 12  # 6 regions of the world + 6 more districts
    # in code order: 15, 15.04, 15.04.01, then these three
    assert [row["code"] for row in body["results"]] == ["15.04.01.2001", "15.04.02", "15.04.03"]


@pytest.mark.parametrize("query", ["?level=abc", "?level=5", "?level=0", "?kind=planet"])
def test_junk_filters_are_a_400_naming_the_parameter(world, query):
    response = APIClient().get("/api/v1/regions/" + query)

    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()


def test_regions_are_read_only(world):
    client = APIClient()
    assert client.post("/api/v1/regions/", {"code": "15.06", "name": "X"}, format="json").status_code in (403, 405)
    client.force_authenticate(world.superuser)
    assert client.post("/api/v1/regions/", {"code": "15.06", "name": "X"}, format="json").status_code == 405
    assert client.delete("/api/v1/regions/15.04/").status_code == 405


def test_the_schema_endpoint_serves_a_valid_openapi_document(db):
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/regions/{code}/" in schema["paths"]
    assert "/api/v1/progress-reports/{id}/return/" in schema["paths"]
    assert schema["components"]["schemas"]["Action"]["properties"]["budget_planned"]["type"] == "integer"


def test_the_schema_is_valid_and_has_no_warnings_with_the_settings_enum_names(db):
    # Spectacular caches its settings and enum names and counts warnings globally: reset them around the check.
    reset_generator_stats()
    _load_enum_name_overrides.cache_clear()
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        warnings = bool(GENERATOR_STATS)
    finally:
        _load_enum_name_overrides.cache_clear()
        reset_generator_stats()

    validate_schema(schema)
    assert not warnings
    assert {"ActionStatusEnum", "ReportStatusEnum", "RegionKindEnum"} <= set(schema["components"]["schemas"])
