"""Deadlines computed by hand (rules.md sections 5 and 11; the counting convention of complaints.deadlines).

The national rules seeded by migration 0002: pick-up 3 working days (Pantau's choice), first answer 14 calendar days
(UU 25/2009, provisional), file completion 30 calendar days (UU 25/2009, provisional), resolution 60 calendar days
after the file is complete (Perpres 76/2013). Days off from the ``holidays`` library, checked against the SKB for
2025 in core.workdays: Fri 28 Mar (joint leave, Nyepi), Mon 31 Mar and Tue 1 Apr (Idul Fitri), Wed 2, Thu 3, Fri 4
and Mon 7 Apr (joint leave), Mon 12 May (Waisak) and Tue 13 May (joint leave), Thu 25 and Fri 26 Dec (Christmas and
joint leave); 2026: Thu 1 Jan (New Year).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pantau.complaints import actions
from pantau.complaints.deadlines import RuleSpec, count_from, effective_due, is_shorter
from pantau.complaints.models import ComplaintEvent, DeadlineRule, EventKind, RuleCode
from pantau.complaints.tests.conftest import at, submit
from pantau.core.workdays import CALENDAR_DAYS, WORKING_DAYS, Calendar

D = dt.date


@pytest.fixture
def cal_2025():
    return Calendar.indonesia([2025, 2026])


# --- pure counting -----------------------------------------------------------------------------------------------

def test_working_days_across_idul_fitri_2025_and_its_joint_leave_days(cal_2025):
    # received Wed 26 Mar: day 1 Thu 27 Mar; Fri 28 (joint leave), the weekend, Mon 31 Mar - Fri 4 Apr (Idul Fitri
    # and joint leave), the weekend and Mon 7 Apr (joint leave) are off; day 2 Tue 8 Apr, day 3 Wed 9 Apr
    assert count_from(D(2025, 3, 26), 3, WORKING_DAYS, cal_2025) == D(2025, 4, 9)


def test_calendar_days_from_a_working_day_count_from_the_next_calendar_day(cal_2025):
    # Wed 26 Mar 2025 is a working day: day 1 is Thu 27 Mar, day 14 is Wed 9 Apr (26 + 14)
    assert count_from(D(2025, 3, 26), 14, CALENDAR_DAYS, cal_2025) == D(2025, 4, 9)


def test_calendar_days_from_a_joint_leave_day_count_from_the_next_working_day(cal_2025):
    # Wed 2 Apr 2025 is a joint leave day: the next working day is Tue 8 Apr (day 1); day 14 is 8 Apr + 13 = Mon 21 Apr
    assert count_from(D(2025, 4, 2), 14, CALENDAR_DAYS, cal_2025) == D(2025, 4, 21)


def test_a_receipt_on_a_saturday_before_waisak_counts_from_wednesday(cal_2025):
    # Sat 10 May 2025; Sun 11, Mon 12 (Waisak) and Tue 13 (joint leave) are off: day 1 is Wed 14 May
    assert count_from(D(2025, 5, 10), 3, WORKING_DAYS, cal_2025) == D(2025, 5, 16)  # Wed 14, Thu 15, Fri 16
    assert count_from(D(2025, 5, 10), 14, CALENDAR_DAYS, cal_2025) == D(2025, 5, 27)  # 14 May + 13 days


def test_a_calendar_day_deadline_on_a_sunday_stays_there(cal_2025):
    # Sat 19 Jul 2025: day 1 is Mon 21 Jul, day 14 is Sun 3 Aug; no roll-over (UNCERTAIN, core.workdays)
    assert count_from(D(2025, 7, 19), 14, CALENDAR_DAYS, cal_2025) == D(2025, 8, 3)


def test_counts_cross_the_year_end(cal_2025):
    # Mon 29 Dec 2025: day 1 Tue 30, day 2 Wed 31, Thu 1 Jan 2026 is New Year, day 3 Fri 2 Jan 2026
    assert count_from(D(2025, 12, 29), 3, WORKING_DAYS, cal_2025) == D(2026, 1, 2)
    # 60 calendar days: 2 left in December, 31 in January, 27 in February: Fri 27 Feb 2026
    assert count_from(D(2025, 12, 29), 60, CALENDAR_DAYS, cal_2025) == D(2026, 2, 27)


def test_a_unit_rule_applies_only_where_it_is_earlier(cal_2025):
    national = RuleSpec("first_response", 14, CALENDAR_DAYS)
    # 2 working days from Wed 26 Mar 2025: Thu 27 Mar, Tue 8 Apr: earlier than 9 Apr, so it applies
    assert effective_due(D(2025, 3, 26), national, RuleSpec("first_response", 2, WORKING_DAYS), cal_2025) == D(
        2025, 4, 8)
    # 5 working days end Fri 11 Apr (27 Mar, 8, 9, 10, 11 Apr): later than the statute's 9 Apr, which stays
    assert effective_due(D(2025, 3, 26), national, RuleSpec("first_response", 5, WORKING_DAYS), cal_2025) == D(
        2025, 4, 9)


def test_whether_a_unit_rule_is_shorter():
    national = RuleSpec("resolution", 60, CALENDAR_DAYS)
    assert is_shorter(RuleSpec("resolution", 30, CALENDAR_DAYS), national) is True
    assert is_shorter(RuleSpec("resolution", 60, CALENDAR_DAYS), national) is False
    assert is_shorter(RuleSpec("resolution", 60, WORKING_DAYS), national) is False  # never earlier
    assert is_shorter(RuleSpec("resolution", 20, WORKING_DAYS), national) is None  # depends on the days off


# --- complaints: stored due dates --------------------------------------------------------------------------------

def test_a_complaint_received_before_lebaran_2025_gets_its_deadlines(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 3, 26)).complaint
    # routed to the service's unit; received Wed 26 Mar 2025 10:00 WIB
    assert (complaint.unit, complaint.received_on) == (cw.dukcapil, D(2025, 3, 26))
    assert complaint.pickup_due == D(2025, 4, 9)  # 3 working days, see test_working_days_across_idul_fitri
    assert complaint.first_response_due == D(2025, 4, 9)  # 26 Mar + 14
    assert complaint.completion_due is None and complaint.resolution_due is None


def test_a_complaint_received_on_a_joint_leave_day(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 4, 2)).complaint
    # day 1 is Tue 8 Apr: pick-up 8, 9, 10 Apr; first answer 8 Apr + 13 = 21 Apr
    assert (complaint.pickup_due, complaint.first_response_due) == (D(2025, 4, 10), D(2025, 4, 21))


def test_a_complaint_received_on_a_saturday(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 5, 10, 8)).complaint
    assert (complaint.received_on, complaint.pickup_due, complaint.first_response_due) == (
        D(2025, 5, 10), D(2025, 5, 16), D(2025, 5, 27))


def test_deadlines_across_the_year_end_and_the_resolution_clock(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 12, 29)).complaint
    # pick-up Fri 2 Jan 2026; first answer 29 Dec + 14 = Mon 12 Jan 2026
    assert (complaint.pickup_due, complaint.first_response_due) == (D(2026, 1, 2), D(2026, 1, 12))
    actions.check_file(actor=cw.officer, complaint=complaint, complete=True, now=at(2025, 12, 29, 14))
    complaint.refresh_from_db()
    # file complete Mon 29 Dec 2025: resolution 60 calendar days -> Fri 27 Feb 2026; picked up, so no pick-up due
    assert (complaint.resolution_due, complaint.pickup_due, complaint.first_response_on) == (
        D(2026, 2, 27), None, D(2025, 12, 29))


def test_the_completion_window_runs_from_the_first_request(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 7, 1)).complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=False, question="Lampirkan KK.",
                       now=at(2025, 7, 3))
    complaint.refresh_from_db()
    # asked Thu 3 Jul 2025 (a working day): 30 calendar days -> Sat 2 Aug 2025
    assert (complaint.stage, complaint.completion_due, complaint.first_response_on) == (
        "incomplete", D(2025, 8, 2), D(2025, 7, 3))
    assert complaint.first_response_days == 2


A = dt.datetime(2025, 6, 19, 15, 30, tzinfo=dt.UTC)  # 22:30 WIB Thu 19 Jun, 23:30 WITA Thu 19, 00:30 WIT Fri 20
B = dt.datetime(2025, 6, 19, 16, 30, tzinfo=dt.UTC)  # 23:30 WIB Thu 19 Jun, 00:30 WITA Fri 20, 01:30 WIT Fri 20
C = dt.datetime(2025, 6, 19, 17, 30, tzinfo=dt.UTC)  # 00:30 WIB Fri 20 Jun


@pytest.mark.parametrize(("government", "unit", "instant", "received", "pickup", "first"), [
    # Thu 19 Jun: pick-up Fri 20, Mon 23, Tue 24 Jun; first answer 19 + 14 = Thu 3 Jul
    ("regency", "dukcapil", B, D(2025, 6, 19), D(2025, 6, 24), D(2025, 7, 3)),
    ("makassar", "makassar_dukcapil", A, D(2025, 6, 19), D(2025, 6, 24), D(2025, 7, 3)),
    # Fri 20 Jun: pick-up Mon 23, Tue 24, Wed 25 Jun; first answer 20 + 14 = Fri 4 Jul
    ("regency", "dukcapil", C, D(2025, 6, 20), D(2025, 6, 25), D(2025, 7, 4)),
    ("makassar", "makassar_dukcapil", B, D(2025, 6, 20), D(2025, 6, 25), D(2025, 7, 4)),
    ("jayapura", "jayapura_dukcapil", A, D(2025, 6, 20), D(2025, 6, 25), D(2025, 7, 4)),
])
def test_the_day_of_receipt_is_the_date_in_the_units_zone(cw, government, unit, instant, received, pickup, first):
    complaint = submit(getattr(cw, government), unit=getattr(cw, unit), now=instant).complaint
    assert complaint.zone == getattr(cw, unit).zone
    assert (complaint.received_on, complaint.pickup_due, complaint.first_response_due) == (received, pickup, first)


def test_the_zones_are_the_three_of_indonesia(cw):
    assert (cw.dukcapil.zone, cw.makassar_dukcapil.zone, cw.jayapura_dukcapil.zone) == (
        "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def test_overdue_uses_each_offices_own_today(cw):
    wib = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint  # first answer due 16 Jun
    wit = submit(cw.jayapura, unit=cw.jayapura_dukcapil, now=at(2025, 6, 2)).complaint  # the same
    moment = dt.datetime(2025, 6, 16, 16, 0, tzinfo=dt.UTC)  # 23:00 WIB Mon 16 Jun, 01:00 WIT Tue 17 Jun
    todays = actions.zone_todays(moment)
    overdue = set(type(wib).objects.overdue(todays))
    assert overdue == {wit}  # still 16 Jun in Jambi, already 17 Jun in Jayapura
    assert wit.is_overdue(todays[wit.zone]) and not wib.is_overdue(todays[wib.zone])


# --- revising the calendar after the deadlines were computed -----------------------------------------------------

def test_a_new_day_off_moves_open_deadlines_and_is_written_on_the_timeline(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 12, 1)).complaint
    closed = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 12, 1)).complaint
    actions.complainant_withdraw(complaint=closed, now=at(2025, 12, 1, 11))
    # Mon 1 Dec 2025: pick-up Tue 2, Wed 3, Thu 4 Dec
    assert complaint.pickup_due == D(2025, 12, 4)
    change = actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 3), kind="day_off",
                                      description="Cuti bersama tambahan (SKB)")
    complaint.refresh_from_db()
    # Wed 3 Dec is now off: Tue 2, Thu 4, Fri 5 Dec; first answer (calendar days, 1 Dec + 14 = 15 Dec) unchanged
    assert (complaint.pickup_due, complaint.first_response_due) == (D(2025, 12, 5), D(2025, 12, 15))
    assert change.recomputed == 1  # the withdrawn complaint keeps its dates
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.DEADLINES_CHANGED)
    assert event.data == {"pickup_due": ["2025-12-04", "2025-12-05"]}
    assert "Cuti bersama tambahan" in event.text


def test_withdrawing_a_joint_leave_day_moves_deadlines_earlier_and_removing_the_entry_restores_them(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 12, 23)).complaint
    # Tue 23 Dec 2025: day 1 Wed 24; Thu 25 and Fri 26 off; day 2 Mon 29, day 3 Tue 30 Dec
    assert complaint.pickup_due == D(2025, 12, 30)
    change = actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 26), kind="working_day",
                                      description="Cuti bersama 26 Desember dibatalkan")
    complaint.refresh_from_db()
    assert complaint.pickup_due == D(2025, 12, 29)  # Wed 24, Fri 26, Mon 29
    actions.remove_calendar_day(actor=cw.national_admin, day=change.day)
    complaint.refresh_from_db()
    assert complaint.pickup_due == D(2025, 12, 30)
    assert ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.DEADLINES_CHANGED).count() == 2


def test_a_local_day_off_moves_only_the_deadlines_of_that_units_subtree(cw):
    at_dukcapil = submit(cw.regency, unit=cw.dukcapil_upt, now=at(2025, 12, 1)).complaint
    at_permits = submit(cw.regency, unit=cw.dpmptsp, now=at(2025, 12, 1)).complaint
    actions.add_calendar_day(actor=cw.coordinator, date=D(2025, 12, 3), kind="day_off", unit=cw.dukcapil,
                             description="Libur lokal")
    at_dukcapil.refresh_from_db()
    at_permits.refresh_from_db()
    assert (at_dukcapil.pickup_due, at_permits.pickup_due) == (D(2025, 12, 5), D(2025, 12, 4))


def test_a_local_working_day_overrides_a_national_day_off_below_it(cw):
    actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 3), kind="day_off", description="Libur")
    actions.add_calendar_day(actor=cw.coordinator, date=D(2025, 12, 3), kind="working_day", unit=cw.dukcapil,
                             description="Dukcapil tetap buka")
    here = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 12, 1)).complaint
    there = submit(cw.regency, unit=cw.dpmptsp, now=at(2025, 12, 1)).complaint
    assert (here.pickup_due, there.pickup_due) == (D(2025, 12, 4), D(2025, 12, 5))


def test_changing_a_rule_recomputes_open_deadlines(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 3, 26)).complaint
    rule = DeadlineRule.objects.get(code=RuleCode.FIRST_RESPONSE, unit=None)
    actions.save_deadline_rule(actor=cw.national_admin, rule=rule, code=rule.code, length=10,
                               day_kind=WORKING_DAYS, source="UU 25/2009 (corrected)", provisional=True,
                               version=rule.version)
    complaint.refresh_from_db()
    # 10 working days from Wed 26 Mar 2025: 27 Mar, 8, 9, 10, 11, 14, 15, 16, 17 Apr, then Fri 18 Apr is Good
    # Friday, so day 10 is Mon 21 Apr
    assert complaint.first_response_due == D(2025, 4, 21)


def test_a_unit_rule_of_two_working_days_shortens_the_first_answer(cw):
    actions.save_deadline_rule(actor=cw.ombudsman_admin, unit=cw.dukcapil, code=RuleCode.FIRST_RESPONSE, length=2,
                               day_kind=WORKING_DAYS, source="SK Kepala Dinas: standar pelayanan pengaduan",
                               provisional=False)
    here = submit(cw.regency, unit=cw.dukcapil_upt, now=at(2025, 3, 26)).complaint  # below Dukcapil: applies
    there = submit(cw.regency, unit=cw.dpmptsp, now=at(2025, 3, 26)).complaint
    assert (here.first_response_due, there.first_response_due) == (D(2025, 4, 8), D(2025, 4, 9))


def test_a_unit_rule_is_never_received_in_another_zones_date(cw):
    # 00:30 WIT on Fri 20 Jun is Thu 19 Jun in Jakarta: the Jayapura office counts from its own Friday
    complaint = submit(cw.jayapura, unit=cw.jayapura_dukcapil, now=dt.datetime(2025, 6, 20, 0, 30,
                                                                                tzinfo=ZoneInfo("Asia/Jayapura")))
    assert complaint.complaint.received_on == D(2025, 6, 20)
