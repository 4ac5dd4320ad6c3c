"""The complaints API (scoped, masked) and the read-only Open311 GeoReport v2 feed."""

import datetime as dt

from pantau.complaints import actions
from pantau.complaints.models import Complaint
from pantau.complaints.tests.conftest import at, submit


def test_the_list_is_scoped_and_filtered(client, cw):
    submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2))
    submit(cw.regency, unit=cw.dpmptsp, now=at(2025, 6, 2))
    client.force_login(cw.officer)
    data = client.get("/api/v1/complaints/").json()
    assert [r["unit"] for r in data["results"]] == [cw.dukcapil.pk]
    client.force_login(cw.coordinator)
    assert client.get(f"/api/v1/complaints/?unit={cw.dpmptsp.pk}").json()["count"] == 1
    assert client.get("/api/v1/complaints/?stage=open").json()["count"] == 2
    assert client.get("/api/v1/complaints/?overdue=true").json()["count"] == 2  # first answers due 16 Jun 2025
    assert client.get("/api/v1/complaints/?stage=lost").status_code == 400
    client.force_login(cw.outsider)
    assert client.get("/api/v1/complaints/").json()["count"] == 0


def test_staff_entry_over_the_api_returns_the_code_once(client, cw):
    client.force_login(cw.officer)
    response = client.post("/api/v1/complaints/", {
        "channel": "sp4n_lapor", "external_ticket": "LPR-9", "service": cw.ktp.pk, "subject": "Lambat",
        "description": "Sudah lama", "name": "Siti", "received_on": "2025-06-02",
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert actions.find_by_code(body["tracking_code"]).pk == body["id"]
    assert body["received_on"] == "2025-06-02" and body["first_response_due"] == "2025-06-16"
    assert "tracking_code" not in client.get(f"/api/v1/complaints/{body['id']}/").json()
    bad = client.post("/api/v1/complaints/", {"channel": "sp4n_lapor", "service": cw.ktp.pk, "subject": "x",
                                              "description": "y", "name": "z"}, content_type="application/json")
    assert bad.status_code == 400 and "external_ticket" in bad.json()
    denied = client.post("/api/v1/complaints/", {"channel": "phone", "service": cw.permit.pk, "subject": "x",
                                                 "description": "y", "name": "z"}, content_type="application/json")
    assert denied.status_code == 400 and "service" in denied.json()  # outside the officer's view: not found
    client.force_login(cw.viewer)
    refused = client.post("/api/v1/complaints/", {"channel": "phone", "service": cw.ktp.pk, "subject": "x",
                                                  "description": "y", "name": "z"}, content_type="application/json")
    assert refused.status_code == 403 and Complaint.objects.count() == 1


def test_steps_over_the_api(client, cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    client.force_login(cw.officer)
    url = f"/api/v1/complaints/{complaint.pk}/step/"
    assert client.post(url, {"step": "check", "complete": True, "version": 1},
                       content_type="application/json").json()["stage"] == "in_progress"
    stale = client.post(url, {"step": "answer", "text": "OK", "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and "version" in stale.json()
    assert client.post(url, {"step": "answer", "text": "OK", "version": 2},
                       content_type="application/json").json()["stage"] == "answered"
    client.force_login(cw.viewer)
    assert client.post(url, {"step": "note", "text": "x"}, content_type="application/json").status_code == 403


def test_complaint_services_count_complaints(client, cw):
    submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2))
    client.force_login(cw.coordinator)
    rows = {r["name"]: (r["complaints"], r["open_complaints"]) for r in
            client.get("/api/v1/complaint-services/").json()["results"]}
    assert rows == {"Penerbitan KTP-el": (1, 1), "Persetujuan Bangunan Gedung": (0, 0)}


def test_the_schema_builds(client, cw):
    client.force_login(cw.coordinator)
    assert client.get("/api/v1/schema/").status_code == 200


# --- Open311 -----------------------------------------------------------------------------------------------------

def test_open311_services_and_requests_follow_georeport_v2(client, cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2), component="biaya_tarif").complaint
    services = client.get("/open311/v2/services.json").json()
    assert {"service_code": f"S{cw.ktp.pk}", "service_name": "Penerbitan KTP-el", "description": "",
            "metadata": False, "type": "realtime", "keywords": "pengaduan",
            "group": "Dinas Kependudukan dan Pencatatan Sipil"} in services
    assert services[-1]["service_code"] == "other"
    [request] = client.get(f"/open311/v2/requests/{complaint.pk}.json").json()
    assert set(request) == {"service_request_id", "status", "status_notes", "service_name", "service_code",
                            "description", "agency_responsible", "service_notice", "requested_datetime",
                            "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
                            "long", "media_url"}
    assert (request["service_request_id"], request["status"], request["service_code"]) == (
        str(complaint.pk), "open", f"S{cw.ktp.pk}")
    assert request["requested_datetime"] == "2025-06-02T10:00:00+07:00"
    assert request["expected_datetime"] == "2025-06-16T23:59:59+07:00"  # first answer due, end of the day WIB
    assert request["description"] == "cost / tariff" and request["agency_responsible"] == cw.dukcapil.name
    assert (request["lat"], request["address"], request["media_url"]) == (None, "", "")


def test_open311_request_filters(client, cw):
    open_one = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2)).complaint
    closed = submit(cw.regency, unit=cw.mersam, now=at(2025, 6, 3)).complaint
    actions.complainant_withdraw(complaint=closed, now=at(2025, 6, 4))
    submit(cw.makassar, unit=cw.makassar_dukcapil, now=at(2025, 6, 3))
    span = "start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T00:00:00Z"

    def ids(query):
        return [r["service_request_id"] for r in client.get(f"/open311/v2/requests.json?{query}").json()]

    assert len(ids(span)) == 3
    assert ids(f"{span}&status=closed") == [str(closed.pk)]
    assert ids(f"{span}&service_code=S{cw.ktp.pk}") == [str(open_one.pk)]
    assert len(ids(f"{span}&jurisdiction_id=15.04")) == 2
    assert ids(f"service_request_id={open_one.pk},{closed.pk}") == [str(closed.pk), str(open_one.pk)]
    assert ids("") == []  # the default window is the last 90 days before now (December 2026)


def test_open311_errors_are_arrays_with_codes(client, cw):
    too_long = client.get("/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z")
    assert too_long.status_code == 400 and too_long.json()[0]["code"] == 400
    assert client.get("/open311/v2/requests.json?status=lost").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    assert client.get("/open311/v2/requests.json?jurisdiction_id=99.99").status_code == 400
    missing = client.get("/open311/v2/requests/999.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert client.get("/open311/v2/discovery.json").json()["endpoints"][0]["specification"] == (
        "http://wiki.open311.org/GeoReport_v2")


def test_open311_marks_sample_data(client, cw):
    complaint = actions.enter_complaint(actor=cw.officer, channel="other", unit=cw.dukcapil, subject="x",
                                        description="y", name="Contoh", is_sample=True,
                                        now=dt.datetime(2025, 6, 2, 3, tzinfo=dt.UTC)).complaint
    [request] = client.get(f"/open311/v2/requests/{complaint.pk}.json").json()
    assert request["service_notice"] == "Sample data, not a real complaint"


def test_reassigning_away_from_ones_own_units_over_the_api_answers_200_not_500(client, cw):
    """Found by the adversarial trial: the step was saved, then the answer failed with a 500 because the complaint
    was no longer the officer's to read, and a client would retry."""
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    client.force_login(cw.officer)
    response = client.post(f"/api/v1/complaints/{complaint.pk}/step/",
                           {"step": "reassign", "unit": cw.dpmptsp.pk, "text": "Urusan perizinan", "version": 1},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["id"] == complaint.pk and "name" not in response.json()
    complaint.refresh_from_db()
    assert complaint.unit == cw.dpmptsp
