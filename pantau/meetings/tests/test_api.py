"""/api/v1/meetings/, /api/v1/decisions/ and /api/v1/calendar-feed/: scoped reads, writes through the write path,
times with their offset, masked names, one-step decisions."""

import datetime as dt
import zoneinfo

import pytest
from rest_framework.test import APIClient

from pantau.meetings import actions as write
from pantau.meetings.models import Attendance, Decision, Meeting
from pantau.workplans.models import Action

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def meeting_body(world, **overrides):
    body = {"agreement": world.plan.pk, "kind": "coordination", "title": "Rapat koordinasi", "mode": "hybrid",
            "starts_at": "2021-03-02T09:00:00+07:00", "ends_at": "2021-03-02T11:00:00+07:00",
            "place": "Ruang Pola", "online_link": "https://meet.example.org/x", "room_capacity": 30,
            "invited_units": [world.dukcapil.pk]}
    body.update(overrides)
    return body


def test_the_coordinator_creates_a_meeting_and_reads_it_in_its_zone(world):
    response = client_for(world.coordinator).post("/api/v1/meetings/", meeting_body(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["date"], body["starts_at"], body["ends_at"], body["zone_abbreviation"]) == (
        "2021-03-02", "2021-03-02T09:00:00+07:00", "2021-03-02T11:00:00+07:00", "WIB")
    assert body["invited_units"] == [world.dukcapil.pk]
    assert body["registered"] == {"in_person": 0, "online": 0, "total": 0, "over_capacity": 0}
    assert body["sign_in_links"]["room"].endswith("?via=qr")
    viewer = client_for(world.viewer).get(f"/api/v1/meetings/{body['id']}/").json()
    assert viewer["sign_in_links"] is None  # the secret links are for the organisers


def test_a_time_without_offset_is_refused(world):
    response = client_for(world.coordinator).post(
        "/api/v1/meetings/", meeting_body(world, starts_at="2021-03-02T09:00:00", ends_at=None), format="json")
    assert response.status_code == 400 and "starts_at" in response.json()
    assert not Meeting.objects.exists()


def test_a_viewer_may_not_create_and_an_outsider_does_not_see(world):
    assert client_for(world.viewer).post("/api/v1/meetings/", meeting_body(world), format="json").status_code == 403
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "signing", "title": "T", "date": dt.date(2020, 11, 18), "mode": "online"})
    assert client_for(world.outsider).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    patch = client_for(world.viewer).patch(f"/api/v1/meetings/{meeting.pk}/", {"title": "x"}, format="json")
    assert patch.status_code == 403
    assert Meeting.objects.get().title == "T"


def test_attendance_over_the_api_masks_names_for_viewers(world):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "signing", "title": "T", "date": dt.date(2020, 11, 18), "mode": "online"})
    created = client_for(world.assistant).post(f"/api/v1/meetings/{meeting.pk}/attendance/", {
        "name": "Siti Rahma", "position": "Sekretaris", "mode": "online", "unit": world.dukcapil.pk}, format="json")
    assert created.status_code == 201 and created.json()["name"] == "Siti Rahma"
    rows = client_for(world.viewer).get(f"/api/v1/meetings/{meeting.pk}/attendance/").json()
    assert [(r["name"], r["unit_label"], r["mode"]) for r in rows] == [
        ("S. R.", "Dinas Kependudukan dan Pencatatan Sipil", "online")]
    wrong = client_for(world.assistant).post(f"/api/v1/meetings/{meeting.pk}/attendance/", {
        "name": "Budi", "position": "Staf", "mode": "in_person", "unit": world.dukcapil.pk}, format="json")
    assert wrong.status_code == 400 and "mode" in wrong.json()  # an online meeting
    assert Attendance.objects.count() == 1


def action_body(world, **overrides):
    body = {"code": "9", "title": "Antrean daring", "start_date": "2021-03-02", "due_date": "2021-09-30",
            "responsible_unit": world.dukcapil.pk, "pic_position": "Kepala Dinas", "budget_planned": 15000000,
            "budget_source": "APBD", "indicator_name": "Layanan dengan antrean daring", "indicator_unit": "layanan",
            "baseline": 0, "target": 5}
    body.update(overrides)
    return body


def test_a_decision_and_its_action_in_one_request_then_the_action_links_back(world):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "mentoring", "title": "Pendampingan", "date": dt.date(2021, 3, 2), "mode": "online"})
    response = client_for(world.coordinator).post(f"/api/v1/meetings/{meeting.pk}/decisions/", {
        "text": "Dukcapil membuka antrean daring", "kind": "create", "apply": action_body(world)}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    action = Action.objects.get()
    assert (body["status"], body["action"], body["action_code"]) == ("applied", action.pk, "9")
    assert action.budget_planned == 15_000_000 and list(action.decisions.values_list("pk", flat=True)) == [body["id"]]
    money_typed = client_for(world.coordinator).post(f"/api/v1/meetings/{meeting.pk}/decisions/", {
        "text": "x", "kind": "create", "apply": action_body(world, code="10", budget_planned="15.000.000")},
        format="json")
    assert money_typed.status_code == 400  # the API takes machine notation only
    assert Decision.objects.count() == 1


def test_an_open_decision_is_applied_or_dropped_over_the_api(world):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "mentoring", "title": "Pendampingan", "date": dt.date(2021, 3, 2), "mode": "online"})
    first = write.record_decision(actor=world.assistant, meeting=meeting, text="SOP", kind="create")
    second = write.record_decision(actor=world.assistant, meeting=meeting, text="Lainnya", kind="create")
    denied = client_for(world.assistant).post(f"/api/v1/decisions/{first.pk}/apply/", action_body(world),
                                              format="json")
    assert denied.status_code == 403 and not Action.objects.exists()
    applied = client_for(world.coordinator).post(f"/api/v1/decisions/{first.pk}/apply/", action_body(world),
                                                 format="json")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    dropped = client_for(world.assistant).post(f"/api/v1/decisions/{second.pk}/drop/", {"reason": "Ganda"},
                                               format="json")
    assert dropped.status_code == 200 and dropped.json()["status"] == "dropped"
    listed = client_for(world.viewer).get(f"/api/v1/decisions/?meeting={meeting.pk}").json()
    assert [row["status"] for row in listed["results"]] == ["applied", "dropped"]


def test_the_calendar_feed_is_issued_and_revoked_over_the_api(world):
    client = client_for(world.officer)
    response = client.post("/api/v1/calendar-feed/")
    assert response.status_code == 201 and "/calendar/" in response.json()["feed_url"]
    assert client.delete("/api/v1/calendar-feed/").status_code == 204
    assert client.delete("/api/v1/calendar-feed/").status_code == 404
    assert client_for().post("/api/v1/calendar-feed/").status_code == 403


@pytest.mark.parametrize("count", [2, 8])
def test_the_meeting_list_needs_a_fixed_number_of_queries(world, count, django_assert_max_num_queries):
    for i in range(count):
        meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data={
            "kind": "coordination", "title": f"R{i}", "date": dt.date(2021, 3, 2), "mode": "online"},
            invited_units=[world.dukcapil, world.dpmptsp])
        write.record_attendance(actor=world.coordinator, meeting=meeting, name="A", position="B", mode="online",
                                unit=world.dukcapil)
    # grants, count, page (with counts annotated), invited units
    with django_assert_max_num_queries(4):
        response = client_for(world.assistant).get("/api/v1/meetings/")
    assert response.status_code == 200 and response.json()["count"] == count
    assert response.json()["results"][0]["registered"]["online"] == 1
