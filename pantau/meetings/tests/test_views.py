"""Meeting pages: planning with Indonesian dates and local times, the meeting page, the public sign-in (no account,
rate-limited, closed after the meeting), attendance with masked names, the printable daftar hadir and its PDF,
minutes with decisions that become actions, .ics files and the private feed."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pantau.conftest import action_data
from pantau.meetings import actions as write
from pantau.meetings import views
from pantau.meetings.models import Attendance, Decision, DecisionKind, Meeting, MeetingKind, MeetingMode
from pantau.workplans.models import Action

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def now_meeting(world, **overrides):
    now = dt.datetime.now(WIB).replace(second=0, microsecond=0)
    data = {"kind": MeetingKind.MENTORING, "title": "Pendampingan", "date": now.date(), "mode": MeetingMode.HYBRID,
            "place": "Ruang Pola", "online_link": "https://meet.example.org/x", "room_capacity": 1,
            "starts_at": now - dt.timedelta(minutes=10), "ends_at": now + dt.timedelta(hours=2)}
    data.update(overrides)
    return write.create_meeting(actor=world.coordinator, agreement=world.plan, data=data,
                                invited_units=[world.dukcapil])


def meeting_form(**overrides):
    data = {"kind": "mentoring", "title": "Pendampingan awal", "mode": "hybrid", "date": "2 Maret 2021",
            "start_time": "09.00", "end_time": "12.30", "host_unit": "", "place": "Ruang Pola Kantor Bupati",
            "online_link": "https://zoom.example.org/j/1", "room_capacity": "40", "participants": "",
            "attendance_in_person": "", "attendance_online": "", "source_url": ""}
    data.update(overrides)
    return data


def test_the_coordinator_plans_a_meeting_typing_dates_and_times_the_indonesian_way(world):
    client = client_for(world.coordinator)
    url = reverse("meetings:meeting_create", args=[world.plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**meeting_form(), "invited_units": [world.dukcapil.pk, world.dpmptsp.pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:meeting_detail",
                                                                           args=[meeting.pk])
    # 09.00 and 12.30 WIB (the regency's zone, Jambi) on 2 March 2021
    assert meeting.starts_at == dt.datetime(2021, 3, 2, 2, 0, tzinfo=dt.UTC)
    assert meeting.ends_at == dt.datetime(2021, 3, 2, 5, 30, tzinfo=dt.UTC)
    assert (meeting.room_capacity, sorted(u.pk for u in meeting.invited_units.all())) == (
        40, sorted([world.dukcapil.pk, world.dpmptsp.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "Tuesday, 2 March 2021, 09.00</time>–12.30 WIB" in page


def test_a_meeting_form_with_a_mode_contradiction_shows_the_write_paths_message(world):
    response = client_for(world.coordinator).post(
        reverse("meetings:meeting_create", args=[world.plan.pk]), meeting_form(place=""))
    assert response.status_code == 200
    assert "Give the place of an in-person or hybrid meeting." in response.content.decode()
    assert not Meeting.objects.exists()


def test_outsiders_get_404_and_viewers_403_on_the_meeting_forms(world):
    meeting = now_meeting(world)
    assert client_for(world.outsider).get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client_for(world.viewer).get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403
    assert client_for(world.viewer).get(reverse("meetings:meeting_create", args=[world.plan.pk])).status_code == 403
    assert client_for(world.viewer).get(reverse("meetings:meeting_room", args=[meeting.pk])).status_code == 403
    assert client_for(world.viewer).get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client_for().get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 302  # to login


def test_the_room_page_shows_the_qr_code_of_the_in_person_link(world):
    meeting = now_meeting(world)
    page = client_for(world.assistant).get(reverse("meetings:meeting_room", args=[meeting.pk])).content.decode()
    assert 'id="room-qr"' in page and "data:image/svg+xml" in page
    assert f"/hadir/{meeting.sign_in_token}/?via=qr" in page and f"/hadir/{meeting.sign_in_token}/?via=link" in page
    svg = client_for(world.assistant).get(reverse("meetings:meeting_qr", args=[meeting.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")


def sign_in_data(**overrides):
    data = {"name": "Siti Rahma", "position": "Sekretaris Dinas", "unit": "", "unit_name": "", "mode": "in_person",
            "via": "qr", "website": ""}
    data.update(overrides)
    return data


def test_a_participant_signs_in_without_an_account_through_the_qr_link(world):
    meeting = now_meeting(world)
    url = reverse("meetings:sign_in", args=[meeting.sign_in_token])
    page = client_for().get(url + "?via=qr").content.decode()
    assert 'value="in_person"' in page and "checked" in page
    response = client_for().post(url, sign_in_data(unit=world.dukcapil.pk))
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    row = Attendance.objects.get()
    assert (row.name, row.unit, row.mode, row.source) == ("Siti Rahma", world.dukcapil, "in_person", "qr")


def test_an_unknown_token_is_404_and_a_closed_sign_in_says_so_and_saves_nothing(world):
    assert client_for().get("/hadir/not-a-token/").status_code == 404
    meeting = now_meeting(world)
    write.close_sign_in(actor=world.coordinator, meeting=meeting)
    url = reverse("meetings:sign_in", args=[meeting.sign_in_token])
    assert 'id="sign-in-closed"' in client_for().get(url).content.decode()
    assert client_for().post(url, sign_in_data(unit=world.dukcapil.pk)).status_code == 409
    assert not Attendance.objects.exists()


def test_the_sign_in_is_rate_limited_per_client_and_a_bot_is_thanked_without_saving(world, monkeypatch):
    meeting = now_meeting(world)
    url = reverse("meetings:sign_in", args=[meeting.sign_in_token])
    assert client_for().post(url, sign_in_data(website="spam", unit=world.dukcapil.pk)).status_code == 302
    assert not Attendance.objects.exists()
    monkeypatch.setattr(views, "SIGN_IN_RATE_LIMIT", 2)
    client = client_for()
    assert client.post(url, sign_in_data(name="B", unit=world.dukcapil.pk)).status_code == 302  # the bot was 1
    response = client.post(url, sign_in_data(name="C", unit=world.dukcapil.pk))
    assert response.status_code == 429
    assert list(Attendance.objects.values_list("name", flat=True)) == ["B"]


def test_attendance_names_are_masked_for_a_viewer_and_full_for_the_organisers(world):
    meeting = now_meeting(world)
    write.sign_in(meeting=meeting, name="Siti Rahma", position="Sekretaris", mode="in_person", unit=world.dukcapil)
    write.sign_in(meeting=meeting, name="Budi Santoso", position="Kabid", mode="in_person", unit=world.dukcapil)
    url = reverse("meetings:attendance", args=[meeting.pk])
    viewer_page = client_for(world.viewer).get(url).content.decode()
    assert "S. R." in viewer_page and "Siti Rahma" not in viewer_page
    organiser_page = client_for(world.assistant).get(url).content.decode()
    assert "Siti Rahma" in organiser_page
    # two in person in a room for one: the warning (room capacity 1)
    detail = client_for(world.viewer).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'id="capacity-warning"' in detail and "by 1 person" in detail
    assert client_for(world.viewer).post(url, sign_in_data()).status_code == 403


def test_staff_enter_an_attendee_from_the_paper_list(world):
    meeting = now_meeting(world)
    response = client_for(world.assistant).post(reverse("meetings:attendance", args=[meeting.pk]), {
        "name": "Budi", "position": "Camat", "unit": "", "unit_name": "Kecamatan Mersam (kertas)", "mode": "online"})
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert (row.source, row.entered_by, row.unit_name) == ("staff", world.assistant, "Kecamatan Mersam (kertas)")


def test_the_daftar_hadir_prints_as_a_page_and_as_a_pdf(world):
    from pypdf import PdfReader

    meeting = now_meeting(world)
    write.sign_in(meeting=meeting, name="Siti Rahma", position="Sekretaris Dinas", mode="in_person",
                  unit=world.dukcapil)
    page = client_for(world.assistant).get(reverse("meetings:attendance_print", args=[meeting.pk])).content.decode()
    assert 'class="daftar-hadir"' in page and "Siti Rahma" in page and "Signature" in page
    response = client_for(world.assistant).get(reverse("meetings:attendance_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pendampingan" in text and "Siti Rahma" in text and "Sekretaris Dinas" in text
    masked = client_for(world.viewer).get(reverse("meetings:attendance_pdf", args=[meeting.pk]))
    masked_text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(masked.content)).pages)
    assert "Siti Rahma" not in masked_text and "S. R." in masked_text


def test_minutes_and_a_decision_become_an_action_from_a_prefilled_form(world):
    meeting = now_meeting(world)
    client = client_for(world.coordinator)
    url = reverse("meetings:minutes", args=[meeting.pk])
    client.post(url, {"save_minutes": "1", "minutes": "Dibahas antrean KTP-el."})
    due = meeting.date + dt.timedelta(days=90)
    response = client.post(url, {"add_decision": "1", "text": "Dukcapil membuka antrean daring", "kind": "create",
                                 "responsible_unit": world.dukcapil.pk, "due_date": due.strftime("%d/%m/%Y"),
                                 "action": ""})
    assert response.status_code == 302
    decision = Decision.objects.get()
    form_page = client.get(reverse("meetings:decision_action", args=[decision.pk])).content.decode()
    assert 'value="Dukcapil membuka antrean daring"' in form_page  # the decision pre-fills the title
    data = action_data(world.dukcapil, title="Dukcapil membuka antrean daring", due_date=due,
                       start_date=meeting.date)
    post = {k: ("" if v is None else v) for k, v in data.items()}
    post.update({"responsible_unit": world.dukcapil.pk, "start_date": meeting.date.isoformat(),
                 "due_date": due.isoformat(), "parent": "", "is_sample": ""})
    response = client.post(reverse("meetings:decision_action", args=[decision.pk]), post)
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workplans:action_detail",
                                                                           args=[action.pk])
    decision.refresh_from_db()
    assert (decision.action, decision.status) == (action, "applied")
    action_page = client.get(response["Location"]).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in action_page  # linked back
    assert 'id="action-decisions"' in action_page
    meeting_page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("workplans:action_detail", args=[action.pk]) in meeting_page
    assert "Dibahas antrean KTP-el." in meeting_page


def test_an_assistant_is_not_offered_the_action_form(world):
    meeting = now_meeting(world)
    decision = write.record_decision(actor=world.assistant, meeting=meeting, text="x",
                                     kind=DecisionKind.CREATE_ACTION)
    response = client_for(world.assistant).get(reverse("meetings:decision_action", args=[decision.pk]))
    assert response.status_code == 403
    page = client_for(world.assistant).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert reverse("meetings:decision_action", args=[decision.pk]) not in page


def test_a_meetings_ics_is_in_its_own_zone_and_a_meeting_without_hour_is_all_day(world):
    meeting = now_meeting(world, starts_at=dt.datetime(2021, 3, 2, 9, tzinfo=WIB),
                          ends_at=dt.datetime(2021, 3, 2, 12, tzinfo=WIB), date=dt.date(2021, 3, 2))
    text = client_for(world.viewer).get(reverse("meetings:meeting_ics", args=[meeting.pk])).content.decode()
    assert "DTSTART;TZID=Asia/Jakarta:20210302T090000" in text and "DTEND;TZID=Asia/Jakarta:20210302T120000" in text
    assert "BEGIN:VTIMEZONE" in text and f"UID:meeting-{meeting.pk}@pantau.ombudsman" in text
    all_day = now_meeting(world, starts_at=None, ends_at=None, date=dt.date(2020, 11, 18))
    text = client_for(world.viewer).get(reverse("meetings:meeting_ics", args=[all_day.pk])).content.decode()
    assert "DTSTART;VALUE=DATE:20201118" in text and "DTEND;VALUE=DATE:20201119" in text


def test_the_private_feed_holds_the_meetings_of_the_users_units_only(world):
    mine = now_meeting(world)  # invites Dukcapil
    other = write.create_meeting(actor=world.superuser, agreement=world.other_plan, data={
        "kind": "coordination", "title": "Rapat Muaro Jambi", "date": mine.date, "mode": "online"})
    client = client_for(world.officer)
    page = client.post(reverse("meetings:calendar"), {"issue": "1"}).content.decode()
    feed_path = page.split('id="feed-url"')[0].rsplit('value="', 1)[1].split('"')[0].replace("http://testserver", "")
    feed = client_for().get(feed_path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert f"UID:meeting-{mine.pk}@" in text and f"UID:meeting-{other.pk}@" not in text
    client.post(reverse("meetings:calendar"), {"revoke": "1"})
    assert client_for().get(feed_path).status_code == 404


def test_the_meeting_list_needs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(6):
        now_meeting(world, title=f"Rapat {i}")
    client = client_for(world.coordinator)
    # session, user, grants, meetings (agreements and hosts joined)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("meetings:meeting_list")).status_code == 200
