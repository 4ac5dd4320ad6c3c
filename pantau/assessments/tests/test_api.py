"""The read-only assessment API (views called directly; the lead registers the routes in pantau/api_urls.py)."""

from decimal import Decimal as D

from rest_framework.test import APIRequestFactory, force_authenticate

from pantau.assessments.api import ComplianceResultViewSet, MethodEditionViewSet
from pantau.assessments.models import ComplianceResult, MethodEdition

factory = APIRequestFactory()


def get(viewset, user, params=""):
    request = factory.get("/api/v1/x/" + params)
    if user is not None:
        force_authenticate(request, user=user)
    return viewset.as_view({"get": "list"})(request)


def test_editions_list_their_weights_and_bands(world):
    response = get(MethodEditionViewSet, world.viewer)
    assert response.status_code == 200
    codes = [edition["code"] for edition in response.data["results"]]
    assert codes == ["ombudsman-2015", "ombudsman-2022", "ombudsman-2025"]
    e2022 = response.data["results"][1]
    assert [d["weight"] for d in e2022["dimensions"]] == ["21.85", "32.37", "24.24", "21.54"]
    assert [(b["code"], b["lower_bound"], b["is_provisional"]) for b in e2022["bands"]][:2] == [
        ("A", "88.00", True), ("B", "78.00", True)
    ]


def test_results_are_listed_for_logged_in_users_only_and_filter_by_year_and_zone(world):
    edition = MethodEdition.objects.get(code="ombudsman-2022")
    ComplianceResult.objects.create(region_id="15.04", province_code="15", year=2022, edition=edition,
                                    score=D("92.03"), computed_band="A", computed_zone="hijau")
    ComplianceResult.objects.create(unit=world.dukcapil, province_code="15", year=2022, edition=edition,
                                    score=D("70.00"), computed_band="C", computed_zone="kuning")
    assert get(ComplianceResultViewSet, None).status_code in (401, 403)
    outsider = get(ComplianceResultViewSet, world.outsider)
    assert [(r["region"], r["score"], r["edition"]) for r in outsider.data["results"]] == [
        ("15.04", "92.03", "ombudsman-2022")
    ]
    officer = get(ComplianceResultViewSet, world.officer, "?zone=kuning")
    assert [r["unit"] for r in officer.data["results"]] == [world.dukcapil.pk]
    assert get(ComplianceResultViewSet, world.officer, "?year=2021").data["count"] == 0
    assert get(ComplianceResultViewSet, world.officer, "?year=abc").status_code == 400
