"""Working days, deadlines and office time zones (pantau.core.workdays).

Every expected date below was worked out by hand from the SKB lists quoted in the module docstring and a printed
calendar; the reasoning is in the comment of each case. Weekday anchors used: 2024-04-10 is a Wednesday, 2024-12-25
a Wednesday, 2025-01-01 a Wednesday, 2025-03-31 a Monday, 2025-08-17 a Sunday, 2023-06-29 a Thursday.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pantau.core.workdays import (
    PROVINCE_ZONES,
    ZONE_LABELS,
    Calendar,
    CalendarError,
    DeadlineRule,
    UnknownProvinceCode,
    local_date,
    local_now,
    zone_for_province,
)


@pytest.fixture(scope="module")
def cal() -> Calendar:
    """Government calendar for 2023-2026, the years checked against the SKB."""
    return Calendar.indonesia([2023, 2024, 2025, 2026])


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def days(year: int, *month_days: tuple[int, int]) -> set[date]:
    return {date(year, m, day) for m, day in month_days}


# --- The holidays library still says what the SKB says -------------------------------------------------------------

# Typed from the SKB lists as published (module docstring), national holidays then joint leave days.
SKB_DAYS_OFF = {
    2023: days(2023, (1, 1), (1, 22), (2, 18), (3, 22), (4, 7), (4, 22), (4, 23), (5, 1), (5, 18), (6, 1), (6, 4),
               (6, 29), (7, 19), (8, 17), (9, 28), (12, 25))
    # SKB 1066/2022 as amended in March (Idul Fitri joint leave moved to 19-25 Apr) and June 2023 (28 and 30 Jun).
    | days(2023, (1, 23), (3, 23), (4, 19), (4, 20), (4, 21), (4, 24), (4, 25), (6, 2), (6, 28), (6, 30), (12, 26)),
    2024: days(2024, (1, 1), (2, 8), (2, 10), (3, 11), (3, 29), (3, 31), (4, 10), (4, 11), (5, 1), (5, 9), (5, 23),
               (6, 1), (6, 17), (7, 7), (8, 17), (9, 16), (12, 25))
    | days(2024, (2, 14), (11, 27))  # Keppres 10/2024 (general election) and 33/2024 (regional elections)
    | days(2024, (2, 9), (3, 12), (4, 8), (4, 9), (4, 12), (4, 15), (5, 10), (5, 24), (6, 18), (12, 26)),
    2025: days(2025, (1, 1), (1, 27), (1, 29), (3, 29), (3, 31), (4, 1), (4, 18), (4, 20), (5, 1), (5, 12), (5, 29),
               (6, 1), (6, 6), (6, 27), (8, 17), (9, 5), (12, 25))
    # SKB 1017/2024, plus 18 Aug added by SKB 933/2025.
    | days(2025, (1, 28), (3, 28), (4, 2), (4, 3), (4, 4), (4, 7), (5, 13), (5, 30), (6, 9), (8, 18), (12, 26)),
    2026: days(2026, (1, 1), (1, 16), (2, 17), (3, 19), (3, 21), (3, 22), (4, 3), (4, 5), (5, 1), (5, 14), (5, 27),
               (5, 31), (6, 1), (6, 16), (8, 17), (8, 25), (12, 25))
    | days(2026, (2, 16), (3, 18), (3, 20), (3, 23), (3, 24), (5, 15), (5, 28), (12, 24)),
}


@pytest.mark.parametrize("year", sorted(SKB_DAYS_OFF))
def test_the_holidays_library_gives_exactly_the_skb_days_off_for_each_checked_year(year):
    assert Calendar.indonesia([year]).days_off == SKB_DAYS_OFF[year]


def test_years_not_checked_against_the_skb_are_provisional():
    assert Calendar.indonesia([2026, 2027]).provisional_years == {2027}
    assert Calendar.indonesia([2024]).provisional_years == frozenset()


# --- Working days ---------------------------------------------------------------------------------------------------

def test_weekdays_are_working_days_and_weekends_holidays_and_joint_leave_days_are_not(cal):
    assert cal.is_working_day(d("2024-04-16"))  # Tuesday after the Idul Fitri break
    assert not cal.is_working_day(d("2024-04-13"))  # Saturday
    assert not cal.is_working_day(d("2024-04-14"))  # Sunday
    assert not cal.is_working_day(d("2024-04-10"))  # Idul Fitri, national holiday
    assert not cal.is_working_day(d("2024-04-12"))  # Friday, cuti bersama


def test_a_deadline_across_idul_fitri_2024_skips_the_holidays_and_the_joint_leave_days(cal):
    # Received Fri 5 Apr 2024. Not counted. Sat 6, Sun 7 weekend; Mon 8, Tue 9 cuti bersama; Wed 10, Thu 11 Idul
    # Fitri; Fri 12 cuti bersama; Sat 13, Sun 14 weekend; Mon 15 cuti bersama. Day 1 = Tue 16, 2 = Wed 17,
    # 3 = Thu 18, 4 = Fri 19, 5 = Mon 22.
    assert cal.add_working_days(d("2024-04-05"), 1) == d("2024-04-16")
    assert cal.add_working_days(d("2024-04-05"), 5) == d("2024-04-22")


def test_without_the_2024_joint_leave_days_the_same_deadline_falls_four_working_days_earlier(cal):
    # Only the national holidays (10, 11 Apr) off: day 1 = Mon 8, 2 = Tue 9, 3 = Fri 12, 4 = Mon 15, 5 = Tue 16.
    no_joint_leave = cal.revised(working_days_added=[d("2024-04-08"), d("2024-04-09"), d("2024-04-12"),
                                                     d("2024-04-15")])
    assert no_joint_leave.add_working_days(d("2024-04-05"), 5) == d("2024-04-16")


def test_a_deadline_across_idul_fitri_2025_skips_nyepi_idul_fitri_joint_leave_and_good_friday(cal):
    # Received Thu 27 Mar 2025. Fri 28 cuti bersama Nyepi; Sat 29 Nyepi; Sun 30; Mon 31 and Tue 1 Apr Idul Fitri;
    # Wed 2, Thu 3, Fri 4 cuti bersama; Sat 5, Sun 6; Mon 7 cuti bersama. Day 1 = Tue 8, 2 = Wed 9, 3 = Thu 10,
    # 4 = Fri 11, 5 = Mon 14, 6 = Tue 15, 7 = Wed 16, 8 = Thu 17, Fri 18 Good Friday off, 9 = Mon 21, 10 = Tue 22.
    assert cal.add_working_days(d("2025-03-27"), 3) == d("2025-04-10")
    assert cal.add_working_days(d("2025-03-27"), 10) == d("2025-04-22")


def test_a_deadline_across_the_year_end_skips_christmas_its_joint_leave_day_and_new_year(cal):
    # Received Fri 20 Dec 2024. Day 1 = Mon 23, 2 = Tue 24, Wed 25 Christmas, Thu 26 cuti bersama, 3 = Fri 27,
    # 4 = Mon 30, 5 = Tue 31, Wed 1 Jan 2025 New Year, 6 = Thu 2, 7 = Fri 3, 8 = Mon 6, 9 = Tue 7, 10 = Wed 8.
    assert cal.add_working_days(d("2024-12-20"), 10) == d("2025-01-08")


def test_a_receipt_on_saturday_counts_from_monday(cal):
    # Received Sat 8 Jun 2024, an ordinary week. Day 1 = Mon 10, ..., 5 = Fri 14.
    assert cal.add_working_days(d("2024-06-08"), 1) == d("2024-06-10")
    assert cal.add_working_days(d("2024-06-08"), 5) == d("2024-06-14")


def test_a_receipt_on_saturday_counts_from_tuesday_when_monday_is_joint_leave(cal):
    # Received Sat 16 Aug 2025. Sun 17 Independence Day; Mon 18 cuti bersama (SKB 933/2025). Day 1 = Tue 19.
    assert cal.add_working_days(d("2025-08-16"), 1) == d("2025-08-19")


def test_a_receipt_on_a_holiday_does_not_count_that_day(cal):
    # Received Wed 25 Dec 2024 (Christmas). Thu 26 cuti bersama. Day 1 = Fri 27, 2 = Mon 30, 3 = Tue 31.
    assert cal.add_working_days(d("2024-12-25"), 1) == d("2024-12-27")
    assert cal.add_working_days(d("2024-12-25"), 3) == d("2024-12-31")


def test_the_day_of_receipt_may_lie_in_a_year_the_calendar_does_not_hold():
    # Received Sun 31 Dec 2023; only 2024 is held. Mon 1 Jan 2024 New Year; day 1 = Tue 2 Jan.
    assert Calendar.indonesia([2024]).add_working_days(d("2023-12-31"), 1) == d("2024-01-02")


# --- Revisions of the calendar -------------------------------------------------------------------------------------

def test_an_added_joint_leave_day_moves_a_deadline_by_one_working_day(cal):
    # As first published, SKB 1017/2024 had no 18 Aug. Received Fri 15 Aug 2025, 5 working days:
    # before: Mon 18 (1), Tue 19 (2), Wed 20 (3), Thu 21 (4), Fri 22 (5).
    # after SKB 933/2025 adds Mon 18: Tue 19 (1), Wed 20 (2), Thu 21 (3), Fri 22 (4), Mon 25 (5).
    first_published = Calendar.indonesia([2025], working_days_added=[d("2025-08-18")])
    assert first_published.add_working_days(d("2025-08-15"), 5) == d("2025-08-22")
    amended = first_published.revised(extra_days_off=[d("2025-08-18")])
    assert amended.add_working_days(d("2025-08-15"), 5) == d("2025-08-25")
    assert amended == Calendar.indonesia([2025])
    assert cal.add_working_days(d("2025-08-15"), 5) == d("2025-08-25")


def test_the_june_2023_idul_adha_amendment_moves_a_deadline_by_two_working_days():
    # Received Tue 27 Jun 2023, 3 working days. Thu 29 Idul Adha in both versions.
    # before SKB 624/2023: Wed 28 (1), Fri 30 (2), Mon 3 Jul (3).
    # after (28 and 30 off): Mon 3 Jul (1), Tue 4 (2), Wed 5 (3).
    before = Calendar.indonesia([2023], working_days_added=[d("2023-06-28"), d("2023-06-30")])
    assert before.add_working_days(d("2023-06-27"), 3) == d("2023-07-03")
    assert Calendar.indonesia([2023]).add_working_days(d("2023-06-27"), 3) == d("2023-07-05")


def test_a_moved_joint_leave_day_moves_the_deadline_with_it(cal):
    # Hypothetical: the Christmas joint leave day 2024 moved from Thu 26 to Tue 24 Dec. Received Fri 20 Dec,
    # 2 working days. before: Mon 23 (1), Tue 24 (2). after: Mon 23 (1), Tue 24 off, Wed 25 Christmas, Thu 26 (2).
    assert cal.add_working_days(d("2024-12-20"), 2) == d("2024-12-24")
    moved = cal.revised(working_days_added=[d("2024-12-26")], extra_days_off=[d("2024-12-24")])
    assert moved.add_working_days(d("2024-12-20"), 2) == d("2024-12-26")


def test_a_local_day_off_counts_like_a_national_one(cal):
    # Hypothetical local holiday on Tue 11 Jun 2024. Received Sat 8 Jun, 5 working days:
    # Mon 10 (1), Tue 11 off, Wed 12 (2), Thu 13 (3), Fri 14 (4), Mon 17 Idul Adha, Tue 18 cuti bersama, Wed 19 (5).
    local = cal.revised(extra_days_off=[d("2024-06-11")])
    assert local.add_working_days(d("2024-06-08"), 5) == d("2024-06-19")
    assert cal.add_working_days(d("2024-06-08"), 5) == d("2024-06-14")


def test_contradictory_or_impossible_corrections_are_refused(cal):
    with pytest.raises(CalendarError):
        cal.revised(extra_days_off=[d("2027-01-04")])  # outside the held years
    with pytest.raises(CalendarError):
        cal.revised(working_days_added=[d("2024-06-08")])  # a Saturday cannot become a working day
    with pytest.raises(CalendarError):
        cal.revised(extra_days_off=[d("2024-06-11")], working_days_added=[d("2024-06-11")])
    with pytest.raises(CalendarError):
        Calendar.from_days_off([], [])


# --- The calendar must hold every year a deadline reaches ----------------------------------------------------------

def test_a_deadline_reaching_a_year_the_calendar_does_not_hold_is_refused():
    only_2024 = Calendar.indonesia([2024])
    # 20 Dec 2024 + 10 working days is 8 Jan 2025 (see the year-end case): 2025 is not held.
    with pytest.raises(CalendarError, match="2025"):
        only_2024.add_working_days(d("2024-12-20"), 10)
    # 5 working days still end in 2024: Mon 23, Tue 24, Fri 27, Mon 30, Tue 31.
    assert only_2024.add_working_days(d("2024-12-20"), 5) == d("2024-12-31")
    with pytest.raises(CalendarError):
        only_2024.is_working_day(d("2025-01-02"))
    with pytest.raises(CalendarError):
        only_2024.working_days_between(d("2024-12-30"), d("2025-01-02"))


def test_dates_with_a_time_and_counts_below_one_are_refused(cal):
    with pytest.raises(TypeError):
        cal.add_working_days(datetime(2024, 4, 5, 9, 0, tzinfo=UTC), 1)
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2024, 4, 5, 9, 0, tzinfo=UTC))
    with pytest.raises(ValueError):
        cal.add_working_days(d("2024-04-05"), 0)
    with pytest.raises(ValueError):
        cal.add_calendar_days(d("2024-04-05"), 0)


# --- Calendar days ("hari") -----------------------------------------------------------------------------------------

def test_calendar_days_count_every_day_from_the_day_after_receipt(cal):
    # Received Fri 5 Apr 2024: day 1 = Sat 6, ..., day 5 = Wed 10 (Idul Fitri: not moved), against 22 Apr in working
    # days. Day 10 = Mon 15, a joint leave day: not moved either (no roll-over, module docstring).
    assert cal.add_calendar_days(d("2024-04-05"), 5) == d("2024-04-10")
    assert cal.add_working_days(d("2024-04-05"), 5) == d("2024-04-22")
    assert cal.add_calendar_days(d("2024-04-05"), 10) == d("2024-04-15")
    # 20 Dec 2024 + 14 days: 11 days to 31 Dec, 3 more to 3 Jan 2025.
    assert cal.add_calendar_days(d("2024-12-20"), 14) == d("2025-01-03")
    # 1 Jan 2024 + 60 days, a leap year: 31 days to 1 Feb, 29 more to 1 Mar.
    assert cal.add_calendar_days(d("2024-01-01"), 60) == d("2024-03-01")


# --- Working days between two dates ---------------------------------------------------------------------------------

def test_working_days_between_counts_after_the_first_date_up_to_and_including_the_second(cal):
    # (5 Apr, 22 Apr 2024]: Tue 16, Wed 17, Thu 18, Fri 19, Mon 22 (the Idul Fitri case).
    assert cal.working_days_between(d("2024-04-05"), d("2024-04-22")) == 5
    # (Mon 10, Fri 14 Jun 2024]: Tue 11, Wed 12, Thu 13, Fri 14.
    assert cal.working_days_between(d("2024-06-10"), d("2024-06-14")) == 4
    # (5 Apr, 14 Apr 2024]: weekends, cuti bersama and Idul Fitri only.
    assert cal.working_days_between(d("2024-04-05"), d("2024-04-14")) == 0
    # The year-end case: (20 Dec 2024, 8 Jan 2025] holds the 10 working days counted above.
    assert cal.working_days_between(d("2024-12-20"), d("2025-01-08")) == 10


def test_working_days_between_is_zero_for_the_same_day_and_negative_backwards(cal):
    assert cal.working_days_between(d("2024-04-22"), d("2024-04-22")) == 0
    assert cal.working_days_between(d("2024-04-22"), d("2024-04-05")) == -5


def test_days_late_is_one_for_an_answer_on_the_first_working_day_after_the_due_date(cal):
    # Due Tue 31 Dec 2024; Wed 1 Jan is New Year; answered Thu 2 Jan 2025: 1 working day late.
    assert cal.working_days_between(d("2024-12-31"), d("2025-01-02")) == 1
    assert cal.working_days_between(d("2024-12-31"), d("2024-12-31")) == 0


def test_working_days_between_undoes_add_working_days_on_every_receipt_day_of_2024(cal):
    for offset in range(366):
        received = d("2024-01-01") + timedelta(days=offset)
        for n in (1, 5, 14, 30, 60):
            assert cal.working_days_between(received, cal.add_working_days(received, n)) == n, (received, n)


# --- Deadline rules -------------------------------------------------------------------------------------------------

def test_a_working_day_rule_and_a_calendar_day_rule_give_their_own_due_dates(cal):
    five_working = DeadlineRule(code="unit_sla", length=5, unit="working_days", source="unit SLA", provisional=True)
    sixty_days = DeadlineRule(code="provider_resolution", length=60, unit="calendar_days",
                              source="Perpres 76/2013", provisional=False)
    # Same cases as above: 5 working days from 5 Apr 2024 is 22 Apr; 60 days from 1 Jan 2024 is 1 Mar.
    assert five_working.due(d("2024-04-05"), cal) == d("2024-04-22")
    assert sixty_days.due(d("2024-01-01"), cal) == d("2024-03-01")


@pytest.mark.parametrize(
    ("length", "unit", "code"),
    [(0, "working_days", "x"), (-3, "calendar_days", "x"), (5, "days", "x"), (5, "hari_kerja", "x"),
     (5, "working_days", "")],
)
def test_a_rule_with_a_bad_length_unit_or_code_is_refused(length, unit, code):
    with pytest.raises(ValueError):
        DeadlineRule(code=code, length=length, unit=unit, source="test", provisional=True)


# --- Time zones (Keppres 41/1987) -----------------------------------------------------------------------------------

def test_zone_labels_name_the_three_indonesian_zones():
    assert dict(ZONE_LABELS) == {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def test_one_instant_is_a_different_date_in_each_zone():
    instant = datetime(2024, 8, 16, 16, 30, tzinfo=UTC)
    # 16:30 UTC is 23:30 WIB (UTC+7) on 16 Aug, 00:30 WITA (UTC+8) and 01:30 WIT (UTC+9) on 17 Aug.
    assert instant.astimezone(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None) == datetime(2024, 8, 16, 23, 30)
    assert instant.astimezone(ZoneInfo("Asia/Makassar")).replace(tzinfo=None) == datetime(2024, 8, 17, 0, 30)
    assert instant.astimezone(ZoneInfo("Asia/Jayapura")).replace(tzinfo=None) == datetime(2024, 8, 17, 1, 30)
    assert local_date(instant, "Asia/Jakarta") == d("2024-08-16")
    assert local_date(instant, "Asia/Makassar") == d("2024-08-17")
    assert local_date(instant, "Asia/Jayapura") == d("2024-08-17")


def test_half_past_eleven_at_night_in_jakarta_is_already_the_next_day_in_jayapura():
    instant = datetime(2024, 8, 16, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert local_date(instant, "Asia/Jakarta") == d("2024-08-16")
    assert local_date(instant, "Asia/Jayapura") == d("2024-08-17")


def test_a_day_ends_at_local_midnight():
    # 16:59:59 UTC is 23:59:59 WIB on 16 Aug; one second later it is 17 Aug in Jakarta.
    assert local_date(datetime(2024, 8, 16, 16, 59, 59, tzinfo=UTC), "Asia/Jakarta") == d("2024-08-16")
    assert local_date(datetime(2024, 8, 16, 17, 0, 0, tzinfo=UTC), "Asia/Jakarta") == d("2024-08-17")
    # 14:59:59 UTC is 23:59:59 WIT on 16 Aug; at 15:00 UTC Jayapura is on 17 Aug while Jakarta is at 22:00 on 16 Aug.
    assert local_date(datetime(2024, 8, 16, 14, 59, 59, tzinfo=UTC), "Asia/Jayapura") == d("2024-08-16")
    assert local_date(datetime(2024, 8, 16, 15, 0, 0, tzinfo=UTC), "Asia/Jayapura") == d("2024-08-17")
    assert local_date(datetime(2024, 8, 16, 15, 0, 0, tzinfo=UTC), "Asia/Jakarta") == d("2024-08-16")


def test_a_naive_instant_has_no_local_date():
    with pytest.raises(ValueError):
        local_date(datetime(2024, 8, 16, 23, 30), "Asia/Jakarta")


@pytest.mark.parametrize(("zone", "hours"), [("Asia/Jakarta", 7), ("Asia/Makassar", 8), ("Asia/Jayapura", 9)])
def test_local_now_is_the_current_instant_in_the_zone(zone, hours):
    before = datetime.now(UTC)
    now = local_now(zone)
    after = datetime.now(UTC)
    assert now.utcoffset() == timedelta(hours=hours)
    assert str(now.tzinfo) == zone
    assert before <= now <= after


# Typed from the table of rules.md section 10, one province per line.
PROVINCE_ZONE_TABLE = {
    "11": "Asia/Jakarta",  # Aceh
    "12": "Asia/Jakarta",  # Sumatera Utara
    "13": "Asia/Jakarta",  # Sumatera Barat
    "14": "Asia/Jakarta",  # Riau
    "15": "Asia/Jakarta",  # Jambi
    "16": "Asia/Jakarta",  # Sumatera Selatan
    "17": "Asia/Jakarta",  # Bengkulu
    "18": "Asia/Jakarta",  # Lampung
    "19": "Asia/Jakarta",  # Kepulauan Bangka Belitung
    "21": "Asia/Jakarta",  # Kepulauan Riau
    "31": "Asia/Jakarta",  # DKI Jakarta
    "32": "Asia/Jakarta",  # Jawa Barat
    "33": "Asia/Jakarta",  # Jawa Tengah
    "34": "Asia/Jakarta",  # DI Yogyakarta
    "35": "Asia/Jakarta",  # Jawa Timur
    "36": "Asia/Jakarta",  # Banten
    "51": "Asia/Makassar",  # Bali
    "52": "Asia/Makassar",  # Nusa Tenggara Barat
    "53": "Asia/Makassar",  # Nusa Tenggara Timur
    "61": "Asia/Jakarta",  # Kalimantan Barat
    "62": "Asia/Jakarta",  # Kalimantan Tengah
    "63": "Asia/Makassar",  # Kalimantan Selatan
    "64": "Asia/Makassar",  # Kalimantan Timur
    "65": "Asia/Makassar",  # Kalimantan Utara
    "71": "Asia/Makassar",  # Sulawesi Utara
    "72": "Asia/Makassar",  # Sulawesi Tengah
    "73": "Asia/Makassar",  # Sulawesi Selatan
    "74": "Asia/Makassar",  # Sulawesi Tenggara
    "75": "Asia/Makassar",  # Gorontalo
    "76": "Asia/Makassar",  # Sulawesi Barat
    "81": "Asia/Jayapura",  # Maluku
    "82": "Asia/Jayapura",  # Maluku Utara
    "91": "Asia/Jayapura",  # Papua
    "92": "Asia/Jayapura",  # Papua Barat
    "93": "Asia/Jayapura",  # Papua Selatan
    "94": "Asia/Jayapura",  # Papua Tengah
    "95": "Asia/Jayapura",  # Papua Pegunungan
    "96": "Asia/Jayapura",  # Papua Barat Daya
}


@pytest.mark.parametrize(("code", "zone"), sorted(PROVINCE_ZONE_TABLE.items()))
def test_every_province_has_the_zone_of_rules_md_section_10(code, zone):
    assert zone_for_province(code) == zone


def test_the_zone_table_holds_the_38_provinces_and_no_other_code():
    assert len(PROVINCE_ZONE_TABLE) == 38
    assert set(PROVINCE_ZONES) == set(PROVINCE_ZONE_TABLE)


@pytest.mark.parametrize("code", ["00", "10", "20", "22", "37", "50", "54", "60", "66", "70", "77", "80", "83", "90",
                                  "97", "99", "1", "015", "15.04", "15.04.03.1001", "", " 15", 15, None])
def test_a_code_that_is_not_a_province_is_refused(code):
    with pytest.raises(UnknownProvinceCode):
        zone_for_province(code)
