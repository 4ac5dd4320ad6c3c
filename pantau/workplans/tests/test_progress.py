"""Indicator progress, roll-up and derived status: pure rules, expected values computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from pantau.workplans import progress as rules
from pantau.workplans.progress import (
    Status,
    StatusInput,
    WeightError,
    derive_status,
    effective_weights,
    elapsed_share,
    indicator_progress,
    rollup,
    weights_mixed,
)

D = Decimal


def test_rising_indicator_progress_is_the_share_of_the_gap_closed():
    # (4 - 0) / (10 - 0) = 40 %
    assert indicator_progress(D(0), D(10), D(4)) == D("40.00")
    # (6 - 2) / (12 - 2) = 40 %
    assert indicator_progress(D(2), D(12), D(6)) == D("40.00")


def test_falling_indicator_progress_counts_the_fall():
    # days to resolve a complaint 30 -> 14; at 22 days: (22 - 30) / (14 - 30) = -8 / -16 = 50 %
    assert indicator_progress(D(30), D(14), D(22)) == D("50.00")


def test_progress_is_clipped_to_0_and_100():
    assert indicator_progress(D(0), D(10), D(15)) == D("100.00")
    assert indicator_progress(D(10), D(20), D(5)) == D("0.00")


def test_nothing_reported_is_zero_progress():
    assert indicator_progress(D(0), D(10), None) == D("0.00")


def test_progress_rounds_half_up_to_two_decimals():
    # 1/3 = 33.333.. -> 33.33; 2/3 = 66.666.. -> 66.67
    assert indicator_progress(D(0), D(3), D(1)) == D("33.33")
    assert indicator_progress(D(0), D(3), D(2)) == D("66.67")
    # 1/8 = 12.5 %, 1/16 = 6.25 %, 1/80 = 1.25 %: 0.125 % would be the half case at 3 decimals;
    # (1 / 800) = 0.125 % -> 0.13 with half-up (banker's rounding would give 0.12)
    assert indicator_progress(D(0), D(800), D(1)) == D("0.13")


def test_target_equal_to_baseline_is_refused():
    with pytest.raises(ValueError):
        indicator_progress(D(5), D(5), D(5))


def test_unset_weights_are_equal():
    assert effective_weights([None, None, None]) == [D(1), D(1), D(1)]


def test_set_weights_are_used_as_they_are():
    assert effective_weights([D(3), D(2), D(1)]) == [D(3), D(2), D(1)]


def test_a_mix_of_set_and_unset_weights_counts_every_sibling_equally():
    # the write path refuses a mix; one left from before the rule never gets an invented weight (docs/status.md)
    assert weights_mixed([D(3), None, D(1)])
    assert effective_weights([D(3), None, D(1)]) == [D(1), D(1), D(1)]
    # (100 + 0 + 50) / 3 = 50, not the old mean-fill (3*100 + 2*0 + 1*50) / 6 = 58.33
    assert rollup([(D(3), D(100)), (None, D(0)), (D(1), D(50))]) == D("50.00")


def test_negative_or_zero_weights_are_refused():
    with pytest.raises(WeightError):
        effective_weights([D(-1), None])
    with pytest.raises(WeightError):
        effective_weights([D(0), D(2)])
    with pytest.raises(WeightError):
        rollup([(D(0), D(50)), (D(0), D(10))])


def test_scaling_every_weight_changes_nothing():
    items = [(D(3), D("100")), (D(2), D("33.33")), (D(1), D("0.01")), (D(7), D("66.67"))]
    # (300 + 66.66 + 0.01 + 466.69) / 13 = 833.36 / 13 = 64.1046... -> 64.10
    assert rollup(items) == D("64.10")
    for factor in (D("0.01"), D("0.5"), D(10), D(1000), D("3.7")):
        assert rollup([(w * factor, p) for w, p in items]) == D("64.10")


def test_rollup_is_the_weighted_mean():
    # (3*100 + 2*75 + 1*0) / 6 = 450 / 6 = 75
    assert rollup([(D(3), D(100)), (D(2), D(75)), (D(1), D(0))]) == D("75.00")
    # equal weights: (40 + 100) / 2 = 70
    assert rollup([(None, D(40)), (None, D(100))]) == D("70.00")


def test_rollup_of_nothing_is_zero():
    assert rollup([]) == D("0.00")


def test_elapsed_share_counts_calendar_days():
    start, due = dt.date(2021, 1, 1), dt.date(2021, 1, 11)  # 10 days
    assert elapsed_share(start, due, dt.date(2021, 1, 6)) == D(50)
    assert elapsed_share(start, due, dt.date(2020, 12, 31)) == D(0)
    assert elapsed_share(start, due, dt.date(2021, 2, 1)) == D(100)


def status(today, *, reported="0", verified="0", has_reports=False, cancelled=False):
    return derive_status(
        StatusInput(
            today=today, start=dt.date(2021, 1, 1), due=dt.date(2021, 1, 11),  # a 10-day action
            cancelled=cancelled, reported_progress=D(reported), verified_progress=D(verified),
            has_reports=has_reports,
        )
    )


def test_cancelled_wins_over_everything():
    assert status(dt.date(2021, 3, 1), reported="100", verified="100", cancelled=True) == Status.CANCELLED


def test_verified_when_accepted_progress_reaches_100():
    assert status(dt.date(2021, 3, 1), reported="100", verified="100", has_reports=True) == Status.VERIFIED


def test_done_when_reported_100_but_not_yet_verified():
    assert status(dt.date(2021, 3, 1), reported="100", verified="40", has_reports=True) == Status.DONE


def test_overdue_after_the_due_date():
    assert status(dt.date(2021, 1, 12), reported="90", has_reports=True) == Status.OVERDUE


def test_on_the_due_date_it_is_not_yet_overdue():
    # elapsed 100 %, reported 80 %: lag 20 <= 25 -> on track
    assert status(dt.date(2021, 1, 11), reported="80", has_reports=True) == Status.ON_TRACK


def test_not_started_before_the_start_date():
    assert status(dt.date(2020, 12, 1)) == Status.NOT_STARTED


def test_not_started_while_nothing_reported_and_lag_within_25_points():
    # day 2 of 10: elapsed 20 % - 0 = 20 <= 25
    assert status(dt.date(2021, 1, 3)) == Status.NOT_STARTED


def test_at_risk_when_lag_exceeds_25_points():
    # day 3 of 10 with nothing reported: elapsed 30 % - 0 = 30 > 25
    assert status(dt.date(2021, 1, 4)) == Status.AT_RISK
    # day 6: elapsed 60 %, reported 34 %: lag 26 > 25
    assert status(dt.date(2021, 1, 7), reported="34", has_reports=True) == Status.AT_RISK


def test_on_track_at_exactly_25_points_of_lag():
    # day 6: elapsed 60 %, reported 35 %: lag 25, not more than 25
    assert status(dt.date(2021, 1, 7), reported="35", has_reports=True) == Status.ON_TRACK


# --- plausibility of a progress report (what needs an explicit confirmation) -----------------------------------


def unusual(actual, *, baseline="25", target="100", unit="persen", budget=15_000_000, spent=0,
            start=dt.date(2021, 1, 1), on=dt.date(2021, 3, 1)):
    return [(w.field, w.code) for w in rules.plausibility_warnings(
        baseline=Decimal(baseline), target=Decimal(target), unit=unit, budget_planned=budget, start=start,
        report_date=on, actual_value=Decimal(actual), amount_spent=spent)]


@pytest.mark.parametrize(("actual", "expected"), [
    # baseline 25, target 100, distance 75: plausible from 25 - 75 = -50 to 100 + 75 = 175
    ("70.5", []), ("175", [("actual_value", "percent_range")]), ("-50", [("actual_value", "percent_range")]),
    ("175.01", [("actual_value", "far_from_range"), ("actual_value", "percent_range")]),
    ("705", [("actual_value", "far_from_range"), ("actual_value", "percent_range")]),
    ("-50.01", [("actual_value", "far_from_range"), ("actual_value", "percent_range")]),
    ("100", []), ("0", []), ("100.01", [("actual_value", "percent_range")]),
])
def test_an_actual_value_far_outside_the_range_or_outside_0_100_for_a_percent_unit_is_unusual(actual, expected):
    assert unusual(actual) == expected


def test_a_falling_indicator_has_the_same_band_around_it():
    # baseline 30 days, target 14 days: distance 16, plausible from 14 - 16 = -2 to 30 + 16 = 46
    assert unusual("46", baseline="30", target="14", unit="days") == []
    assert unusual("46.01", baseline="30", target="14", unit="days") == [("actual_value", "far_from_range")]
    assert unusual("-2.01", baseline="30", target="14", unit="days") == [("actual_value", "far_from_range")]


def test_money_without_budget_and_a_date_before_the_start_are_unusual():
    assert unusual("50", budget=0, spent=1) == [("amount_spent", "spent_without_budget")]
    assert unusual("50", budget=0, spent=0) == []
    assert unusual("50", on=dt.date(2020, 12, 31)) == [("report_date", "before_start")]
    assert unusual("50", on=dt.date(2021, 1, 1)) == []


@pytest.mark.parametrize(("unit", "percent"), [
    ("%", True), ("persen", True), ("Persentase", True), ("percent", True), ("% layanan", True),
    ("persen layanan", True), ("layanan", False), ("hari", False), ("days", False), ("person", False),
])
def test_percent_units(unit, percent):
    assert rules.is_percent_unit(unit) is percent
