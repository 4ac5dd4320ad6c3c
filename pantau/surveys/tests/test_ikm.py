"""The IKM rules of PermenPANRB 14/2017 as pure functions (rules.md sections 3 and 8). No database.

Every expected value comes from rules.md (T1, T3, T4, table A), from a source's published result (data/skm/
published_results.csv) or from a hand calculation written next to it.
"""

import csv
from decimal import Decimal

import pytest
from django.utils import translation

from pantau.surveys import ikm
from pantau.surveys.files import read_responses
from pantau.surveys.tests.helpers import DATA_DIR, T1_TOTALS


def t1() -> dict[str, int]:
    return dict(zip(ikm.ELEMENT_CODES, T1_TOTALS, strict=True))


# -- T1: the regulation's worked example -------------------------------------------------------------------------


def test_t1_exact_weight_gives_85_00_grade_b_baik():
    result = ikm.compute_from_totals(t1(), 10)
    assert result.ikm == Decimal("85.00")
    assert (result.grade.letter, result.grade.performance) == ("B", "Baik")
    assert result.weight is ikm.Weight.EXACT


def test_t1_printed_weight_gives_84_15_still_grade_b():
    result = ikm.compute_from_totals(t1(), 10, weight="0.11")
    assert result.ikm == Decimal("84.15")
    assert result.grade.letter == "B"


def test_t1_nrr_and_converted_scores_per_element():
    result = ikm.compute_from_totals(t1(), 10)
    assert [e.nrr for e in result.elements] == [
        Decimal(v) for v in ("3.5", "3.3", "3.0", "3.8", "3.4", "3.6", "3.7", "3.1", "3.2")
    ]
    assert [e.converted for e in result.elements] == [
        Decimal(v) for v in ("87.50", "82.50", "75.00", "95.00", "85.00", "90.00", "92.50", "77.50", "80.00")
    ]
    assert [e.grade.letter for e in result.elements] == ["B", "B", "C", "A", "B", "A", "A", "B", "B"]


def test_t1_only_u3_waktu_penyelesaian_is_low():
    [low] = ikm.compute_from_totals(t1(), 10).low_elements()
    assert (low.code, low.converted, low.grade.letter, low.grade.performance) == (
        "U3", Decimal("75.00"), "C", "Kurang Baik"
    )
    assert ikm.ELEMENT_TERMS["U3"] == "Waktu penyelesaian"


# -- T3: grade boundaries, rounding first --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "letter"), [
    ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"), ("64.99", "D"),
    ("100", "A"), ("25", "D"),
])
def test_t3_grade_boundaries(value, letter):
    assert ikm.grade(Decimal(value)).letter == letter


@pytest.mark.parametrize(("value", "letter"), [
    ("88.305", "A"),   # rounds half-up to 88.31
    ("88.3049", "B"),  # rounds to 88.30
    ("76.605", "B"),   # 76.61
    ("76.6049", "C"),  # 76.60
    ("64.995", "C"),   # 65.00
    ("64.9949", "D"),  # 64.99
])
def test_grades_compare_the_score_rounded_to_two_decimals_half_up(value, letter):
    assert ikm.grade(Decimal(value)).letter == letter


def test_performance_labels_follow_table_a():
    assert [(g.letter, g.performance) for g in ikm.GRADES] == [
        ("A", "Sangat Baik"), ("B", "Baik"), ("C", "Kurang Baik"), ("D", "Tidak Baik"),
    ]


@pytest.mark.parametrize("value", ["24.99", "100.01", "0"])
def test_a_score_outside_25_to_100_is_refused(value):
    with pytest.raises(ValueError):
        ikm.grade(Decimal(value))


# -- rounding of computed values ----------------------------------------------------------------------------------


def test_ikm_rounds_an_exact_half_up_not_to_even():
    # n = 8, every element total 9: exact IKM = 25 x 81 / (9 x 8) = 28.125 -> 28.13 (banker's rounding gives 28.12)
    assert ikm.ikm([9] * 9, 8) == Decimal("28.13")
    # printed weight: 11 x 19 / (4 x 2) = 209 / 8 = 26.125 -> 26.13
    assert ikm.ikm([2, 2, 2, 2, 2, 2, 2, 2, 3], 2, "0.11") == Decimal("26.13")


def test_converted_score_and_nrr_round_half_up_from_the_exact_ratio():
    assert ikm.converted_score(9, 8) == Decimal("28.13")  # 25 x 9 / 8 = 28.125
    assert ikm.nrr(10, 3) == Decimal("3.3333")  # 3.33333...
    assert ikm.nrr(5, 3) == Decimal("1.6667")  # 1.66666...


def test_the_printed_weight_needs_the_nine_elements():
    with pytest.raises(ValueError):
        ikm.ikm([74, 72], 20, "0.11")


@pytest.mark.parametrize(("totals", "n"), [([41], 10), ([9], 10), ([10], 0), ([], 10)])
def test_impossible_totals_are_refused(totals, n):
    with pytest.raises(ValueError):
        ikm.ikm(totals, n)


# -- T4: Krejcie & Morgan sample size ------------------------------------------------------------------------------


@pytest.mark.parametrize(("population", "sample"), [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (40, 36), (50, 44), (60, 52), (70, 59), (100, 80),
    (220, 140), (250, 152), (300, 169), (340, 181), (380, 191), (1000, 278), (1200, 291), (1500, 306),
    (2000, 322), (2200, 327), (2400, 331), (2800, 338),
])
def test_t4_krejcie_morgan_table(population, sample):
    assert ikm.required_sample(population) == sample


def test_between_table_rows_the_formula_applies_to_n_itself():
    # N = 105: 3.841 x 105 x 0.25 / (0.0025 x 104 + 0.96025) = 100.82625 / 1.22025 = 82.63 -> 83 (hand calculation)
    assert ikm.required_sample(105) == 83


def test_at_large_n_the_formula_value_is_kept_not_the_printed_384():
    assert ikm.required_sample(100_000) == 383  # rules.md section 3


def test_a_population_of_one_needs_one_respondent():
    assert ikm.required_sample(1) == 1


@pytest.mark.parametrize("population", [0, -5, True])
def test_a_population_below_one_is_refused(population):
    with pytest.raises(ValueError):
        ikm.required_sample(population)


# -- validating rows ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "score"), [(1, 1), (4, 4), ("3", 3), (" 2 ", 2), (3.0, 3), (Decimal("4"), 4)])
def test_scores_are_whole_numbers_from_1_to_4(value, score):
    assert ikm.parse_score(value) == score


@pytest.mark.parametrize("value", [None, "", 0, 5, "5", -1, "3.5", 3.5, "tiga", "baik", True, float("nan")])
def test_anything_else_is_not_a_score(value):
    with pytest.raises(ValueError):
        ikm.parse_score(value)


def test_validation_returns_every_error_with_row_and_column():
    good = dict.fromkeys(ikm.ELEMENT_CODES, 3)
    rows = [
        (2, {**good, "respondent": "1"}),
        (3, {**good, "U2": 5, "U7": "baik", "respondent": "2"}),
        (4, {**good, "U9": None, "respondent": "3"}),
        (5, {**good, "respondent": "2"}),
    ]
    _, errors = ikm.validate_rows(rows)
    assert [(e.row, e.column) for e in errors] == [(3, "U2"), (3, "U7"), (4, "U9"), (5, "respondent")]


def test_identical_answers_from_different_respondents_are_not_duplicates():
    good = dict.fromkeys(ikm.ELEMENT_CODES, 3)
    _, errors = ikm.validate_rows([(2, good), (3, good), (4, {**good, "respondent": "7"})])
    assert errors == []


def test_row_errors_read_as_sentences():
    with translation.override("en"):
        assert str(ikm.RowError(3, "U2", "5 is out of range.")) == "Row 3, column U2: 5 is out of range."
        assert str(ikm.RowError(None, "", "The file is empty.")) == "The file is empty."
        with pytest.raises(ValueError, match="5 is out of range: scores go from 1 to 4."):
            ikm.parse_score(5)


# -- real data with a published result ------------------------------------------------------------------------------


def published(dataset: str) -> dict[str, str]:
    with (DATA_DIR / "published_results.csv").open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["dataset"] == dataset)


def load(name: str, elements: tuple[str, ...] = ikm.ELEMENT_CODES) -> list[dict[str, int]]:
    read = read_responses((DATA_DIR / name).read_bytes(), name, elements)
    assert read.errors == []
    return [r.scores for r in read.responses]


def test_tubaba_2023_published_ikm_100_a_is_reproduced_by_the_exact_weight():
    # TuBaBa Disdukcapil 2023 S1 published NRR 4 per item and IKM 100, A. The EXACT variant (1/9) reproduces it:
    # 25 x 36 / 9 = 100.00. The printed 0.11 variant gives 25 x 0.11 x 36 = 99.00 (still A), so the source did not
    # compute its IKM with 0.11 even though it prints weighted values 0.44 (= 4 x 0.111 rounded).
    source = published("tubaba_disdukcapil_2023_s1.csv")
    rows = load("tubaba_disdukcapil_2023_s1.csv")
    exact = ikm.compute(rows)
    assert [str(e.nrr.normalize()) for e in exact.elements] == source["nrr_per_item"].split("|")
    assert exact.ikm == Decimal(source["ikm"]) == Decimal("100")
    assert exact.grade.letter == source["mutu"][0] == "A"
    printed = ikm.compute(rows, weight="0.11")
    assert (printed.ikm, printed.grade.letter) == (Decimal("99.00"), "A")


def test_lab_responsiveness_published_ikm_91_25_is_reproduced_by_the_exact_weight():
    # "Lab" responsiveness dimension: 2 items, the source uses weight 0.50 = exactly 1/2, so the EXACT variant
    # (1/k) reproduces its sums 74/72, NRR 3.70/3.60 and IKM 91.25 "SANGAT BAIK" (grade A); 0.11 does not apply.
    source = published("scribd_lab_responsiveness.csv")
    result = ikm.compute(load("scribd_lab_responsiveness.csv", ("U1", "U2")), ("U1", "U2"))
    assert "|".join(str(e.total) for e in result.elements) == source["sum_per_item"] == "74|72"
    assert "|".join(str(e.nrr.quantize(Decimal("0.01"))) for e in result.elements) == source["nrr_per_item"]
    assert result.ikm == Decimal(source["ikm"]) == Decimal("91.25")
    assert result.grade.performance.upper() == source["mutu"] == "SANGAT BAIK"


def test_lab_empathy_reproduces_the_published_sums_only():
    # The source's IKM for this dimension is cut off; only the sums 70/73 can be checked.
    result = ikm.compute(load("scribd_lab_empathy.csv", ("U1", "U2")), ("U1", "U2"))
    assert "|".join(str(e.total) for e in result.elements) == published("scribd_lab_empathy.csv")["sum_per_item"]


def test_sekadau_2019_partial_rows_compute_without_a_check_value():
    # No published result for these 49 rows. Hand totals of the file: U1 = 138, U3 = 150, U4 = 177;
    # grand total 1389, exact IKM = 25 x 1389 / (9 x 49) = 34725 / 441 = 78.741... -> 78.74 (B).
    result = ikm.compute(load("sekadau_2019_s1_partial.csv"))
    assert result.n == 49
    totals = {e.code: e.total for e in result.elements}
    assert (totals["U1"], totals["U3"], totals["U4"], sum(totals.values())) == (138, 150, 177, 1389)
    assert (result.ikm, result.grade.letter) == (Decimal("78.74"), "B")


def test_many_periods_at_once_give_the_t1_values_and_the_grade_bounds():
    import numpy as np

    from pantau.surveys import ikm as rules

    # rules.md T1 twice (exact, then the same totals): IKM 85.00 B; U3 75.00 C; U1 NRR 3.5000; 0.11 variant 84.15.
    bulk = rules.compute_many([[35, 33, 30, 38, 34, 36, 37, 31, 32]] * 2, [10, 10])
    assert bulk.ikm.tolist() == [8500, 8500]
    assert bulk.grade.tolist() == ["B", "B"]
    assert bulk.converted[0].tolist() == [8750, 8250, 7500, 9500, 8500, 9000, 9250, 7750, 8000]
    assert bulk.nrr[0][0] == 35000
    assert rules.compute_many([[35, 33, 30, 38, 34, 36, 37, 31, 32]], [10], "0.11").ikm.tolist() == [8415]
    # rules.md T3 bounds, in hundredths
    assert rules.grade_letters(np.array([8831, 8830, 7661, 7660, 6500, 6499])).tolist() == [
        "A", "B", "B", "C", "C", "D"]
    # one element, 400 answers totalling 1413: 25 x 1413 / 400 = 88.3125 -> 88.31 -> A
    assert rules.compute_many([[1413]], [400]).ikm.tolist() == [8831]


def test_many_periods_refuse_impossible_totals():
    import pytest as _pytest

    from pantau.surveys import ikm as rules

    with _pytest.raises(ValueError):
        rules.compute_many([[9, 9]], [2])
    with _pytest.raises(ValueError):
        rules.compute_many([[1, 1]], [0])
