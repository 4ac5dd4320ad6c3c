"""Pure scoring rules of the Ombudsman compliance assessment: weighted totals and bands (zones, categories).

Plain data in, plain data out: no database. The method editions, their dimension weights and their bands are data
(``assessments.models``) and are passed in by the caller, so one code path serves every edition
(domain/rules.md sections 0.B, 0.C, 0.D and 2.6).

Units: every score is on the 0-100 scale; a weight is a percentage (Decimal, the weights of an edition sum to 100).

Rounding (domain/rules.md section 2.6): decimal arithmetic, then ROUND_HALF_UP to 2 decimals, because the Ombudsman
publishes scores with 2 decimals. The official rounding rule is UNCERTAIN; it is stated once here (``round_score``)
and every comparison uses the rounded score.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")
SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")


class ScoringError(ValueError):
    """Input the rules cannot score: a score outside 0-100, weights that do not match, no band for a score. The
    message is translated (gettext, English source strings) because callers show it to users."""


@dataclass(frozen=True)
class BandRule:
    """One band of an edition as plain data.

    ``code``: band code (``hijau``/``kuning``/``merah``/``hitam`` or a category ``A``-``E``); ``label``: the
    predikat/opinion text; ``zone``: ``hijau``/``kuning``/``merah``/``hitam``; ``lower_bound``: inclusive lower bound
    on the 2-decimal score (0-100); ``is_provisional``: True where domain/rules.md marks the bound UNCERTAIN.
    """

    code: str
    label: str
    zone: str
    lower_bound: Decimal
    is_provisional: bool = False


@dataclass(frozen=True)
class BandResult:
    """The band a score falls in: the rounded ``score`` (0-100, 2 decimals) and the band's code, label, zone and
    provisional flag."""

    score: Decimal
    code: str
    label: str
    zone: str
    is_provisional: bool


def to_decimal(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal (floats are refused: they carry binary noise). Raises ScoringError when unreadable."""
    if isinstance(value, float):
        raise ScoringError(_("floats are not accepted; pass a Decimal or a string"))
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ScoringError(_("not a number: %(value)s") % {"value": repr(value)[:60]}) from None


def round_score(value: Decimal | int | str) -> Decimal:
    """``value`` rounded half-up to 2 decimals (domain/rules.md section 2.6; UNCERTAIN official rule)."""
    return to_decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def check_score(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal; raises ScoringError unless 0 <= value <= 100."""
    number = to_decimal(value)
    if not number.is_finite() or number < SCORE_MIN or number > SCORE_MAX:
        raise ScoringError(_("score %(value)s is outside 0-100") % {"value": str(value)[:60]})
    return number


def weighted_total(scores: Mapping[str, Decimal | int | str], weights: Mapping[str, Decimal | int | str]) -> Decimal:
    """Weighted total of dimension scores: sum(weight_d * score_d) / 100, rounded half-up to 2 decimals.

    ``scores``: dimension code -> score (0-100). ``weights``: dimension code -> weight in percent; they must sum to
    100. Returns the total on 0-100 with 2 decimals. Source: domain/rules.md section 2.6 (2022-2024: Input 21.85,
    Proses 32.37, Output 24.24, Pengaduan 21.54) and table D (2025: four dimensions 70 % + public trust 30 %).
    Raises ScoringError when the dimension codes differ, a score is outside 0-100, a weight is negative, or the
    weights do not sum to 100.
    """
    if set(scores) != set(weights):
        missing = sorted(set(weights) - set(scores))
        extra = sorted(set(scores) - set(weights))
        raise ScoringError(
            _("dimension scores do not match the weights (missing: %(missing)s; unknown: %(unknown)s)")
            % {"missing": ", ".join(missing) or "-", "unknown": ", ".join(extra) or "-"}
        )
    weight_values = {code: to_decimal(w) for code, w in weights.items()}
    if any(w < 0 for w in weight_values.values()):
        raise ScoringError(_("a weight is negative"))
    if sum(weight_values.values(), Decimal(0)) != SCORE_MAX:
        raise ScoringError(_("weights sum to %(sum)s, not 100") % {"sum": sum(weight_values.values(), Decimal(0))})
    total = sum((weight_values[code] * check_score(score) for code, score in scores.items()), Decimal(0))
    return round_score(total / SCORE_MAX)


def mean_score(scores: Iterable[Decimal | int | str]) -> Decimal:
    """Plain mean of unit scores (0-100), rounded half-up to 2 decimals.

    Used for a pre-evaluation across loci (domain/rules.md section 2.2 / test vector T9: Magelang 2022,
    100, 100, 80.19, 92.92 -> 93.28). Raises ScoringError on an empty list or a score outside 0-100.
    """
    values = [check_score(s) for s in scores]
    if not values:
        raise ScoringError(_("no scores to average"))
    return round_score(sum(values, Decimal(0)) / len(values))


def band_for(score: Decimal | int | str, bands: Iterable[BandRule]) -> BandResult:
    """The band of ``score`` (0-100) among ``bands``: the band with the highest inclusive lower bound at or below the
    score rounded to 2 decimals.

    Comparing the rounded score with inclusive lower bounds closes the printed gaps (80.99 / 81.00): domain/rules.md
    tables B, C and D, and test vector T5 (81.00 hijau, 80.99 kuning, 51.00 kuning, 50.99 merah).
    Raises ScoringError for a score outside 0-100 or when no band starts at or below it (the bands must cover 0).
    """
    rounded = round_score(check_score(score))
    ordered = sorted(bands, key=lambda band: band.lower_bound, reverse=True)
    for band in ordered:
        if rounded >= band.lower_bound:
            return BandResult(
                score=rounded, code=band.code, label=band.label, zone=band.zone, is_provisional=band.is_provisional
            )
    raise ScoringError(_("no band covers the score %(score)s") % {"score": rounded})


def bands_snapshot(bands: Iterable[BandRule]) -> list[dict[str, str | bool]]:
    """``bands`` as JSON-safe plain data (bounds as strings), highest bound first: what a stored result keeps so that a
    later edit of a provisional threshold does not rewrite it."""
    return [
        {
            "code": band.code,
            "label": band.label,
            "zone": band.zone,
            "lower_bound": str(band.lower_bound),
            "is_provisional": band.is_provisional,
        }
        for band in sorted(bands, key=lambda band: band.lower_bound, reverse=True)
    ]


def bands_from_snapshot(snapshot: Iterable[Mapping[str, object]]) -> list[BandRule]:
    """The inverse of ``bands_snapshot``: BandRule objects from stored plain data. Raises ScoringError on a bad row."""
    try:
        return [
            BandRule(
                code=str(row["code"]), label=str(row["label"]), zone=str(row["zone"]),
                lower_bound=to_decimal(str(row["lower_bound"])), is_provisional=bool(row.get("is_provisional")),
            )
            for row in snapshot
        ]
    except KeyError as exc:
        raise ScoringError(_("band snapshot lacks %(key)s") % {"key": exc}) from None


def default_pass_mark(bands: Iterable[BandRule]) -> Decimal:
    """Pantau's default pass mark for an indicator or a dimension: the lowest inclusive lower bound among the green
    (``hijau``) bands of an edition (2015-2021: 81.00; 2022-2024: 78.00, category B; 2025: 78.00).

    The Ombudsman publishes no per-indicator pass mark (domain/rules.md section 2 is silent); this is Pantau's
    choice, on the reasoning that the work plan aims at the green zone. Raises ScoringError without a green band.
    """
    greens = [band.lower_bound for band in bands if band.zone == "hijau"]
    if not greens:
        raise ScoringError(_("the edition has no green band"))
    return min(greens)


def below_pass_mark(scores: Mapping[str, Decimal | int | str], pass_mark: Decimal | int | str) -> list[str]:
    """Keys of ``scores`` (indicator or dimension -> score 0-100) whose score rounded to 2 decimals is below
    ``pass_mark``, in the order given. A score equal to the pass mark passes. Raises ScoringError for a score
    outside 0-100."""
    mark = round_score(check_score(pass_mark))
    return [key for key, score in scores.items() if round_score(check_score(score)) < mark]
