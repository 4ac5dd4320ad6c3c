"""The write path of meetings: schedule in the host unit's zone, mode rules, attendance by mode (public sign-in within
its window, staff entry), minutes, decisions that create or change actions in one step, calendar feeds. Every change
audited; every refusal changes nothing."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.meetings import actions as write
from pantau.meetings import attendance as reading
from pantau.meetings.models import (
    Attendance,
    AttendanceMode,
    CalendarFeed,
    Decision,
    DecisionKind,
    DecisionStatus,
    Meeting,
    MeetingKind,
    MeetingMode,
)
from pantau.workplans import actions as wp
from pantau.workplans.models import Action

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def hybrid(world, **overrides):
    data = {"kind": MeetingKind.COORDINATION, "title": "Rapat koordinasi", "date": dt.date(2021, 3, 2),
            "mode": MeetingMode.HYBRID, "place": "Ruang Pola", "online_link": "https://meet.example.org/abc",
            "room_capacity": 2}
    data.update(overrides)
    return data


def open_meeting(world, **overrides):
    """A hybrid meeting happening now (sign-in open)."""
    now = dt.datetime.now(WIB).replace(second=0, microsecond=0)
    data = hybrid(world, date=now.date(), starts_at=now - dt.timedelta(minutes=30),
                  ends_at=now + dt.timedelta(hours=1))
    data.update(overrides)
    return write.create_meeting(actor=world.coordinator, agreement=world.plan, data=data,
                                invited_units=[world.dukcapil, world.dpmptsp])


def test_a_meeting_gets_a_secret_sign_in_token_its_invited_units_and_an_audit_entry(world):
    meeting = write.create_meeting(actor=world.assistant, agreement=world.plan, data=hybrid(world),
                                   invited_units=[world.dukcapil])
    assert len(meeting.sign_in_token) >= 32
    assert list(meeting.invited_units.all()) == [world.dukcapil]
    entry = AuditEntry.objects.for_object(meeting).get()
    assert (entry.action, entry.actor, entry.after["invited_units"]) == (
        AuditAction.CREATE, world.assistant, [world.dukcapil.pk])
    assert "sign_in_token" not in entry.after  # the history is shown to every viewer; the link stays secret


def test_times_are_read_in_the_host_units_zone_and_the_date_follows_the_local_start(world):
    world.dukcapil.time_zone = "Asia/Makassar"  # a host in WITA (rules.md section 10), for the test's sake
    world.dukcapil.save()
    # 23:30 WIB on 2 March is 00:30 WITA on 3 March
    start = dt.datetime(2021, 3, 2, 23, 30, tzinfo=WIB)
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(
        world, host_unit=world.dukcapil, starts_at=start, ends_at=start + dt.timedelta(hours=2)))
    assert (meeting.zone, meeting.zone_abbreviation, meeting.date) == ("Asia/Makassar", "WITA", dt.date(2021, 3, 3))
    assert meeting.local_start.isoformat() == "2021-03-03T00:30:00+08:00"
    without_host = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(
        world, starts_at=start))
    assert (without_host.zone, without_host.date) == ("Asia/Jakarta", dt.date(2021, 3, 2))  # Jambi, WIB


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"place": ""}, "place"),  # a hybrid meeting has a room
        ({"mode": MeetingMode.IN_PERSON}, "online_link"),  # an in-person meeting has no link
        ({"mode": MeetingMode.ONLINE, "place": ""}, "room_capacity"),  # nor an online one a room
        ({"starts_at": dt.datetime(2021, 3, 2, 9, tzinfo=WIB), "ends_at": dt.datetime(2021, 3, 2, 8, tzinfo=WIB)},
         "ends_at"),
        ({"host_unit": "other_regency"}, "host_unit"),  # not a unit of the parties
        ({"date": dt.date(1921, 3, 2)}, "date"),
    ],
)
def test_a_meeting_that_contradicts_its_mode_or_parties_is_refused_and_nothing_is_saved(world, overrides, field):
    data = hybrid(world, **{k: getattr(world, v) if k == "host_unit" else v for k, v in overrides.items()})
    with pytest.raises(ValidationError) as exc:
        write.create_meeting(actor=world.coordinator, agreement=world.plan, data=data)
    assert field in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_invited_units_must_belong_to_the_parties(world):
    with pytest.raises(ValidationError) as exc:
        write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(world),
                             invited_units=[world.other_regency])
    assert exc.value.message_dict["invited_units"] == ["Not a unit of the parties: Pemerintah Kabupaten Muaro Jambi"]


@pytest.mark.parametrize("persona", ["officer", "viewer", "outsider"])
def test_who_holds_no_manage_meetings_on_a_party_may_not_plan_or_change_a_meeting(world, persona):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(world))
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        write.create_meeting(actor=user, agreement=world.plan, data=hybrid(world))
    with pytest.raises(PermissionDenied):
        write.update_meeting(actor=user, meeting=meeting, data={"title": "changed"})
    with pytest.raises(PermissionDenied):
        write.record_minutes(actor=user, meeting=meeting, minutes="x")
    meeting.refresh_from_db()
    assert (Meeting.objects.count(), meeting.title, meeting.minutes) == (1, "Rapat koordinasi", "")


def test_an_invited_agency_sees_the_meeting_of_a_plan_it_has_no_action_in(world):
    meeting = open_meeting(world)
    assert list(Meeting.objects.for_user(world.officer, "view")) == [meeting]  # Dukcapil is invited
    assert list(Meeting.objects.for_user(world.outsider, "view")) == []


def test_the_public_sign_in_is_open_only_in_its_window(world):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(
        world, starts_at=dt.datetime(2021, 3, 2, 9, tzinfo=WIB), ends_at=dt.datetime(2021, 3, 2, 12, tzinfo=WIB)))
    # opens 2 hours before the start, closes 1 hour after the end (SIGN_IN_OPENS_BEFORE, SIGN_IN_GRACE_AFTER)
    assert meeting.sign_in_state(dt.datetime(2021, 3, 2, 6, 59, tzinfo=WIB)) == "not_yet"
    assert meeting.sign_in_state(dt.datetime(2021, 3, 2, 7, 0, tzinfo=WIB)) == "open"
    assert meeting.sign_in_state(dt.datetime(2021, 3, 2, 12, 59, tzinfo=WIB)) == "open"
    assert meeting.sign_in_state(dt.datetime(2021, 3, 2, 13, 0, tzinfo=WIB)) == "closed"
    all_day = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(world))
    # no hour given: the whole local day of 2 March (WIB)
    assert all_day.sign_in_state(dt.datetime(2021, 3, 1, 23, 59, tzinfo=WIB)) == "not_yet"
    assert all_day.sign_in_state(dt.datetime(2021, 3, 2, 0, 0, tzinfo=WIB)) == "open"
    assert all_day.sign_in_state(dt.datetime(2021, 3, 3, 0, 0, tzinfo=WIB)) == "closed"
    with pytest.raises(ValidationError) as exc:
        write.sign_in(meeting=meeting, name="Siti", position="Staf", mode=AttendanceMode.ONLINE, unit=world.dukcapil)
    assert exc.value.message_dict["meeting"] == ["The sign-in for this meeting is closed."]
    assert not Attendance.objects.exists()


def test_signing_in_twice_counts_once_and_staff_may_close_the_sign_in(world):
    meeting = open_meeting(world)
    row, created = write.sign_in(meeting=meeting, name=" Siti  Rahma ", position="Sekretaris Dinas",
                                 mode=AttendanceMode.IN_PERSON, unit=world.dukcapil, via="qr")
    again, created_again = write.sign_in(meeting=meeting, name="siti rahma", position="Sekretaris",
                                         mode=AttendanceMode.IN_PERSON, unit=world.dukcapil, via="qr")
    assert (created, created_again, again.pk, row.name, row.source) == (True, False, row.pk, "Siti Rahma", "qr")
    assert AuditEntry.objects.for_object(row).get().note == "public sign-in"
    write.close_sign_in(actor=world.assistant, meeting=meeting)
    with pytest.raises(ValidationError):
        write.sign_in(meeting=meeting, name="Budi", position="Staf", mode=AttendanceMode.ONLINE, unit_name="BPS")
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " "}, "name"),
        ({"position": ""}, "position"),
        ({"unit": None, "unit_name": ""}, "unit"),
        ({"unit": "other_regency"}, "unit"),
    ],
)
def test_a_sign_in_missing_who_or_where_is_refused(world, kwargs, field):
    meeting = open_meeting(world)
    args = {"name": "Budi", "position": "Staf", "mode": AttendanceMode.ONLINE, "unit": world.dpmptsp}
    args.update({k: getattr(world, v) if k == "unit" and v else v for k, v in kwargs.items()})
    with pytest.raises(ValidationError) as exc:
        write.sign_in(meeting=meeting, **args)
    assert field in exc.value.message_dict
    assert not Attendance.objects.exists()


def test_an_in_person_meeting_takes_no_online_attendance(world):
    meeting = open_meeting(world, mode=MeetingMode.IN_PERSON, online_link="")
    with pytest.raises(ValidationError) as exc:
        write.sign_in(meeting=meeting, name="Budi", position="Staf", mode=AttendanceMode.ONLINE, unit=world.dpmptsp)
    assert "mode" in exc.value.message_dict


def test_counts_by_mode_and_unit_and_a_warning_above_the_room_capacity(world):
    meeting = open_meeting(world)  # room for 2
    for name, unit, mode in [("A", world.dukcapil, "in_person"), ("B", world.dukcapil, "in_person"),
                             ("C", world.dpmptsp, "in_person"), ("D", world.dpmptsp, "online")]:
        write.sign_in(meeting=meeting, name=name, position="Staf", mode=mode, unit=unit)
    write.record_attendance(actor=world.coordinator, meeting=meeting, name="E", position="Peneliti",
                            mode="online", unit_name="Universitas Jambi")
    counts = reading.counts(meeting)
    assert (counts.in_person, counts.online, counts.total, counts.over_capacity) == (3, 2, 5, 1)
    assert [(u.label, u.in_person, u.online) for u in counts.by_unit] == [
        ("Dinas Kependudukan dan Pencatatan Sipil", 2, 0), ("Dinas Penanaman Modal dan PTSP", 1, 1),
        ("Universitas Jambi", 0, 1)]


def test_staff_entry_refuses_a_duplicate_and_removing_a_row_is_audited(world):
    meeting = open_meeting(world)
    row = write.record_attendance(actor=world.assistant, meeting=meeting, name="Budi", position="Staf",
                                  mode="online", unit=world.dpmptsp)
    with pytest.raises(ValidationError):
        write.record_attendance(actor=world.assistant, meeting=meeting, name="BUDI", position="Staf",
                                mode="in_person", unit=world.dpmptsp)
    with pytest.raises(PermissionDenied):
        write.remove_attendance(actor=world.officer, attendance=row)
    write.remove_attendance(actor=world.assistant, attendance=row)
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_repr="Budi (Staf)").count() == 1


def test_a_due_date_before_the_meeting_does_not_prefill_the_action_form(world):
    meeting = write.create_meeting(actor=world.coordinator, agreement=world.plan, data=hybrid(world))
    decision = write.record_decision(actor=world.coordinator, meeting=meeting, text="x",
                                     kind=DecisionKind.CREATE_ACTION, due_date=dt.date(2021, 3, 1))
    assert write.action_initial(decision, world.plan)["due_date"] is None


def test_names_are_masked_as_initials():
    assert reading.mask_name("Siti  Rahma binti Ali") == "S. R. B. A."


def test_a_decision_creates_its_action_in_one_step_linked_both_ways(world):
    meeting = open_meeting(world)
    due = meeting.date + dt.timedelta(days=180)
    decision = write.record_decision(actor=world.assistant, meeting=meeting, text="Dukcapil membuka layanan antrean "
                                     "daring", kind=DecisionKind.CREATE_ACTION, responsible_unit=world.dukcapil,
                                     due_date=due)
    assert (decision.number, decision.status) == (1, DecisionStatus.OPEN)
    initial = write.action_initial(decision, world.plan)
    assert (initial["code"], initial["title"], initial["responsible_unit"], initial["due_date"]) == (
        "1", "Dukcapil membuka layanan antrean daring", world.dukcapil, due)
    assert initial["start_date"] == meeting.date
    action = write.apply_decision(actor=world.coordinator, decision=decision, data=action_data(
        world.dukcapil, code=initial["code"], title=initial["title"], start_date=meeting.date, due_date=due,
        finding=initial["finding"]))
    decision.refresh_from_db()
    assert (decision.action, decision.status, decision.applied_by) == (action, DecisionStatus.APPLIED,
                                                                      world.coordinator)
    assert list(action.decisions.all()) == [decision]
    assert AuditEntry.objects.for_object(action).get().action == AuditAction.CREATE
    assert AuditEntry.objects.for_object(decision).filter(note="applied to action 1").count() == 1


def test_an_assistant_records_decisions_but_may_not_create_actions_and_nothing_changes(world):
    meeting = open_meeting(world)
    decision = write.record_decision(actor=world.assistant, meeting=meeting, text="Buat SOP",
                                     kind=DecisionKind.CREATE_ACTION)
    with pytest.raises(PermissionDenied):  # the Ombudsman verifies; it does not plan the government's actions
        write.apply_decision(actor=world.assistant, decision=decision, data=action_data(world.dukcapil))
    decision.refresh_from_db()
    assert (decision.status, decision.action, Action.objects.count()) == (DecisionStatus.OPEN, None, 0)


def test_a_decision_that_changes_an_action_records_what_changed(world):
    meeting = open_meeting(world)
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    decision = write.record_decision(actor=world.coordinator, meeting=meeting, text="Target dinaikkan menjadi 12",
                                     kind=DecisionKind.CHANGE_ACTION, action=action)
    write.apply_decision(actor=world.coordinator, decision=decision, data={"target": Decimal("12")})
    decision.refresh_from_db()
    assert decision.changes == {"target": ["10.00", "12"]}
    assert decision.change_rows() == [("target", "10.00", "12")]
    action.refresh_from_db()
    assert action.target == Decimal("12")
    with pytest.raises(ValidationError):  # applied once; it no longer awaits an action
        write.apply_decision(actor=world.coordinator, decision=decision, data={"target": Decimal("14")})


def test_a_change_decision_names_an_action_of_the_meetings_plan(world):
    meeting = open_meeting(world)
    with pytest.raises(ValidationError) as exc:
        write.record_decision(actor=world.coordinator, meeting=meeting, text="x", kind=DecisionKind.CHANGE_ACTION)
    assert "action" in exc.value.message_dict
    assert not Decision.objects.exists()


def test_one_step_decide_rolls_back_the_decision_when_the_action_is_refused(world):
    meeting = open_meeting(world)
    with pytest.raises(ValidationError):
        write.decide(actor=world.coordinator, meeting=meeting, text="x", kind=DecisionKind.CREATE_ACTION,
                     action_data=action_data(world.dukcapil, target=Decimal("0")))  # target equals baseline
    assert (Decision.objects.count(), Action.objects.count()) == (0, 0)
    decision = write.decide(actor=world.coordinator, meeting=meeting, text="SOP", kind=DecisionKind.CREATE_ACTION,
                            action_data=action_data(world.dukcapil))
    assert (decision.status, decision.action.code, decision.responsible_unit) == ("applied", "1", world.dukcapil)


def test_a_dropped_decision_keeps_its_reason_and_a_note_needs_no_action(world):
    meeting = open_meeting(world)
    note = write.record_decision(actor=world.assistant, meeting=meeting, text="Rapat berikut April",
                                 kind=DecisionKind.NOTE)
    assert note.status == DecisionStatus.NOTED
    decision = write.record_decision(actor=world.assistant, meeting=meeting, text="x",
                                     kind=DecisionKind.CREATE_ACTION)
    with pytest.raises(ValidationError):
        write.drop_decision(actor=world.assistant, decision=decision, reason=" ")
    write.drop_decision(actor=world.assistant, decision=decision, reason="Sudah tercakup aksi 1")
    decision.refresh_from_db()
    assert (decision.number, decision.status, decision.drop_reason) == (2, "dropped", "Sudah tercakup aksi 1")


def test_minutes_are_replaced_and_audited(world):
    meeting = open_meeting(world)
    write.record_minutes(actor=world.assistant, meeting=meeting, minutes="  Notulen rapat  ")
    meeting.refresh_from_db()
    assert meeting.minutes == "Notulen rapat"
    assert AuditEntry.objects.for_object(meeting).filter(note="minutes").count() == 1


def test_a_calendar_token_is_stored_only_as_a_digest_and_a_new_one_replaces_it(world):
    token = write.issue_calendar_token(actor=world.officer)
    feed = CalendarFeed.objects.get(user=world.officer)
    assert feed.token_digest == write.token_digest(token) and token not in feed.token_digest
    assert write.feed_owner(token) == world.officer
    newer = write.issue_calendar_token(actor=world.officer)
    assert (write.feed_owner(token), write.feed_owner(newer)) == (None, world.officer)
    world.officer.is_active = False
    world.officer.save()
    assert write.feed_owner(newer) is None
    assert write.revoke_calendar_feed(actor=world.officer) is True
    assert not CalendarFeed.objects.exists()
