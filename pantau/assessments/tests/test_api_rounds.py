"""The assessment-round and findings API: writes through record_round, 403 / 400 mapping, 404 outside scope, and a
valid schema with the new routes."""

import io
from decimal import Decimal as D

from django.core.management import call_command
from rest_framework.test import APIClient

from pantau.assessments.models import AssessmentRound
from pantau.audit.models import AuditEntry
from pantau.findings.models import Finding


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **extra):
    return {"edition": "ombudsman-2022", "kind": "self_assessment", "unit": world.dukcapil.pk,
            "assessed_on": "2023-05-15",
            "dimension_scores": {"input": "85", "proses": "95", "output": "80", "pengaduan": "70"}, **extra}


def counts():
    return AssessmentRound.objects.count(), Finding.objects.count(), AuditEntry.objects.count()


def test_posting_a_round_records_it_once(world):
    response = api(world.coordinator).post("/api/v1/assessment-rounds/", body(world), format="json")
    assert response.status_code == 201, response.data
    assert (response.data["total"], response.data["computed_band"], response.data["computed_zone"]) == (
        "83.79", "B", "hijau")
    again = api(world.coordinator).post("/api/v1/assessment-rounds/", body(world), format="json")
    assert again.status_code == 200 and again.data["id"] == response.data["id"]
    assert AssessmentRound.objects.get().total == D("83.79")


def test_refused_and_invalid_posts_change_nothing(world):
    before = counts()
    assert api(world.officer).post("/api/v1/assessment-rounds/", body(world), format="json").status_code == 403
    assert api(world.assistant).post("/api/v1/assessment-rounds/", body(world), format="json").status_code == 403
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", body(world, dimension_scores={
        "input": "85", "proses": "95", "output": "80"}), format="json")
    assert bad.status_code == 400 and "dimension_scores" in bad.data
    bad = api(world.coordinator).post("/api/v1/assessment-rounds/", body(world, kind="other"), format="json")
    assert bad.status_code == 400 and "kind" in bad.data
    out_of_scope = api(world.outsider).post("/api/v1/assessment-rounds/", body(world, kind="official"),
                                            format="json")
    assert out_of_scope.status_code == 400 and "unit" in out_of_scope.data  # the unit is not visible to them
    assert counts() == before


def test_rounds_and_findings_are_scoped(world):
    created = api(world.coordinator).post("/api/v1/assessment-rounds/", body(world), format="json").data
    finding = Finding.objects.get()
    # a draft: the coordinator who entered it sees it, the agency officer not until the Ombudsman publishes it
    assert created["is_published"] is False
    assert api(world.officer).get(f"/api/v1/assessment-rounds/{created['id']}/").status_code == 404
    assert api(world.assistant).post(f"/api/v1/assessment-rounds/{created['id']}/publish/").status_code == 200
    assert api(world.officer).get(f"/api/v1/assessment-rounds/{created['id']}/").status_code == 200
    assert api(world.other_officer).get(f"/api/v1/assessment-rounds/{created['id']}/").status_code == 404
    assert api(world.outsider).get(f"/api/v1/assessment-rounds/{created['id']}/").status_code == 404
    assert api(world.outsider).get("/api/v1/assessment-rounds/").data["count"] == 0
    listed = api(world.officer).get("/api/v1/findings/?source=assessment&open=true").data
    assert [(f["id"], f["baseline"], f["target"]) for f in listed["results"]] == [(finding.pk, "70.00", "78.00")]
    assert api(world.outsider).get(f"/api/v1/findings/{finding.pk}/").status_code == 404
    assert api(world.outsider).get("/api/v1/findings/").data["count"] == 0
    assert api(world.officer).get("/api/v1/findings/?open=maybe").status_code == 400
    assert APIClient().get("/api/v1/findings/").status_code in (401, 403)


def test_the_schema_with_the_new_routes_is_valid_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn",
                 "--file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    text = target.read_text()
    assert "/api/v1/assessment-rounds/" in text and "/api/v1/services/{id}/standards/" in text
