"""Pure scoring rules: weighted totals and bands of every edition, with expected values from domain/rules.md
(tables B-D, section 2.6, test vectors T5-T9) and hand calculation. No database."""

from decimal import Decimal as D

import pytest

from pantau.assessments.scoring import (
    BandRule,
    ScoringError,
    band_for,
    bands_from_snapshot,
    bands_snapshot,
    mean_score,
    round_score,
    weighted_total,
)

# Bands as rules.md states them (written out here, not read from the data migration).
OLD_ZONES = [  # table B, 2015-2021
    BandRule("hijau", "Kepatuhan Tinggi", "hijau", D("81.00")),
    BandRule("kuning", "Kepatuhan Sedang", "kuning", D("51.00")),
    BandRule("merah", "Kepatuhan Rendah", "merah", D("0")),
]
CATEGORIES = [  # table C, 2022-2024 (bounds provisional; C at 54 as chosen in the data migration)
    BandRule("A", "Kualitas Tertinggi", "hijau", D("88"), True),
    BandRule("B", "Kualitas Tinggi", "hijau", D("78"), True),
    BandRule("C", "Kualitas Sedang", "kuning", D("54"), True),
    BandRule("D", "Kualitas Rendah", "merah", D("32"), True),
    BandRule("E", "Kualitas Terendah", "merah", D("0"), True),
]
OPINION_2025 = [  # table D
    BandRule("hijau_88", "Zona Hijau (88-100)", "hijau", D("88"), True),
    BandRule("hijau_78", "Zona Hijau (78-87,99)", "hijau", D("78"), True),
    BandRule("kuning", "Zona Kuning", "kuning", D("54"), True),
    BandRule("merah", "Zona Merah", "merah", D("32"), True),
    BandRule("hitam", "Zona Hitam", "hitam", D("0"), True),
]
WEIGHTS_2022 = {"input": D("21.85"), "proses": D("32.37"), "output": D("24.24"), "pengaduan": D("21.54")}


@pytest.mark.parametrize(
    ("score", "zone"),
    [("100", "hijau"), ("81.00", "hijau"), ("80.99", "kuning"), ("51.00", "kuning"), ("50.99", "merah"),
     ("0", "merah")],
)
def test_old_method_zones_at_every_boundary_t5(score, zone):
    result = band_for(D(score), OLD_ZONES)
    assert (result.code, result.zone, result.is_provisional) == (zone, zone, False)


@pytest.mark.parametrize(
    ("score", "category", "zone"),
    [("100", "A", "hijau"), ("88.00", "A", "hijau"), ("87.99", "B", "hijau"), ("78.00", "B", "hijau"),
     ("77.99", "C", "kuning"), ("54.00", "C", "kuning"), ("53.99", "D", "merah"), ("32.00", "D", "merah"),
     ("31.99", "E", "merah"), ("0", "E", "merah")],
)
def test_2022_categories_at_every_boundary_are_provisional(score, category, zone):
    result = band_for(D(score), CATEGORIES)
    assert (result.code, result.zone, result.is_provisional) == (category, zone, True)


@pytest.mark.parametrize(
    ("score", "band", "zone"),
    [("88.00", "hijau_88", "hijau"), ("87.99", "hijau_78", "hijau"), ("78.00", "hijau_78", "hijau"),
     ("77.99", "kuning", "kuning"), ("54.00", "kuning", "kuning"), ("53.99", "merah", "merah"),
     ("32.00", "merah", "merah"), ("31.99", "hitam", "hitam")],
)
def test_2025_zones_at_every_boundary(score, band, zone):
    result = band_for(D(score), OPINION_2025)
    assert (result.code, result.zone) == (band, zone)


def test_the_score_is_rounded_half_up_to_2_decimals_before_the_comparison():
    assert round_score("80.995") == D("81.00")
    assert band_for("80.995", OLD_ZONES).zone == "hijau"
    assert band_for("80.994", OLD_ZONES).zone == "kuning"
    assert band_for("80.994", OLD_ZONES).score == D("80.99")


def test_old_method_real_results_t6():
    assert band_for(D("54.32"), OLD_ZONES).zone == "kuning"  # Sarolangun 2019
    assert band_for(D("46.93"), OLD_ZONES).zone == "merah"  # Limapuluh Kota 2021


def test_weighted_total_of_the_2022_dimensions_t7():
    total = weighted_total({"input": 85, "proses": 95, "output": 80, "pengaduan": 70}, WEIGHTS_2022)
    assert total == D("83.79")  # (21.85*85 + 32.37*95 + 24.24*80 + 21.54*70) / 100 = 83.794
    result = band_for(total, CATEGORIES)
    assert (result.code, result.label, result.zone) == ("B", "Kualitas Tinggi", "hijau")
    second = weighted_total({"input": 90, "proses": 92, "output": 88, "pengaduan": 85}, WEIGHTS_2022)
    assert second == D("89.09")  # 8908.56 / 100 = 89.0856
    assert band_for(second, CATEGORIES).code == "A"


@pytest.mark.parametrize(
    ("score", "category", "zone"),
    [("92.03", "A", "hijau"), ("79.8", "B", "hijau"), ("73.88", "C", "kuning"), ("58.99", "C", "kuning")],
)
def test_2022_real_results_t8(score, category, zone):
    result = band_for(D(score), CATEGORIES)
    assert (result.code, result.zone) == (category, zone)


def test_mean_of_the_magelang_pre_evaluation_units_t9():
    assert mean_score(["100", "100", "80.19", "92.92"]) == D("93.28")  # 373.11 / 4 = 93.2775


def test_2025_weights_public_trust_30_percent():
    # 0.70 * 80 + 0.30 * 90 = 83.00 (hand calculation)
    total = weighted_total({"dimensi": 80, "kepercayaan": 90}, {"dimensi": D("70"), "kepercayaan": D("30")})
    assert total == D("83.00")
    assert band_for(total, OPINION_2025).code == "hijau_78"


@pytest.mark.parametrize(
    ("scores", "weights"),
    [
        ({"input": 85}, WEIGHTS_2022),  # dimensions missing
        ({"a": 50, "b": 50}, {"a": D("50"), "b": D("49.99")}),  # weights do not sum to 100
        ({"a": 101}, {"a": D("100")}),  # score above 100
        ({"a": -1}, {"a": D("100")}),  # score below 0
        ({"a": 50.5}, {"a": D("100")}),  # float refused
    ],
)
def test_weighted_total_refuses_bad_input(scores, weights):
    with pytest.raises(ScoringError):
        weighted_total(scores, weights)


def test_band_for_refuses_scores_outside_0_100_and_bands_that_do_not_cover_the_score():
    with pytest.raises(ScoringError):
        band_for("100.01", OLD_ZONES)
    with pytest.raises(ScoringError):
        band_for("50", OLD_ZONES[:2])
    with pytest.raises(ScoringError):
        mean_score([])


def test_a_band_snapshot_round_trips_as_plain_data():
    snap = bands_snapshot(CATEGORIES)
    assert snap[0] == {"code": "A", "label": "Kualitas Tertinggi", "zone": "hijau", "lower_bound": "88",
                       "is_provisional": True}
    assert bands_from_snapshot(snap) == CATEGORIES
