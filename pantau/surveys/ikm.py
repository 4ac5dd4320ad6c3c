"""The community satisfaction index (IKM) of PermenPANRB 14/2017: pure functions over plain data, no database.

Source: ``shared/domain/rules.md`` section 3 (formula, weights, sample size) and section 0.A, table A (grades).

Units and scale:
- A response scores each element (unsur) U1..U9 from 1 (tidak baik / tidak sesuai) to 4 (sangat baik).
- ``NRR_j = sum_i score_ij / n`` is the element's mean on the 1-4 scale (nilai rata-rata).
- The converted element score is ``NRR_j x 25``, on the 25-100 scale.
- ``IKM = sum_j (NRR_j x w) x 25`` on the 25-100 scale. ``w`` is a named variant (``Weight``): ``exact`` = 1/k for k
  elements (1/9 for the nine unsur; Pantau's default) or ``0.11``, the weight the regulation prints (rounded 1/9,
  which multiplies the IKM by 0.99). rules.md marks which one KemenPANRB's own tooling uses as UNCERTAIN, so every
  stored result names its variant.

Arithmetic: every input is an integer (scores, totals, counts), so each value is an exact ratio of integers. Pantau
keeps it exact and rounds ONCE, half-up, when it produces a Decimal: NRR to 4 decimals (the precision of table A's NRR
column), converted scores and the IKM to 2 decimals. A rounded NRR is never fed back into the IKM. Grades compare
the IKM rounded to 2 decimals half-up with the lower bounds 88.31 (A), 76.61 (B), 65.00 (C); below is D (table A:
the printed bands leave gaps such as 76.60 / 76.61, so rounding first is the only reading that grades every value).
"""

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.core.spreadsheets import RowError

ELEMENT_CODES: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
"""The nine SKM elements (unsur), in the regulation's order."""

ELEMENT_TERMS: dict[str, str] = {
    "U1": "Persyaratan",
    "U2": "Sistem, mekanisme dan prosedur",
    "U3": "Waktu penyelesaian",
    "U4": "Biaya/tarif",
    "U5": "Produk spesifikasi jenis pelayanan",
    "U6": "Kompetensi pelaksana",
    "U7": "Perilaku pelaksana",
    "U8": "Sarana dan prasarana",
    "U9": "Penanganan pengaduan, saran dan masukan",
}
"""The regulation's own (Indonesian) name of each element (rules.md section 3); kept verbatim, not translated."""

ELEMENT_LABELS: dict[str, Any] = {
    "U1": gettext_lazy("Requirements"),
    "U2": gettext_lazy("Systems, mechanisms and procedures"),
    "U3": gettext_lazy("Completion time"),
    "U4": gettext_lazy("Cost/tariff"),
    "U5": gettext_lazy("Product specification of the service type"),
    "U6": gettext_lazy("Competence of the staff"),
    "U7": gettext_lazy("Behaviour of the staff"),
    "U8": gettext_lazy("Facilities and infrastructure"),
    "U9": gettext_lazy("Handling of complaints, suggestions and feedback"),
}
"""Element names for the user interface (English source strings, translated by the catalogue)."""

MIN_SCORE = 1
MAX_SCORE = 4
"""The Likert scale of every element (rules.md section 3, "Scale")."""

GRADE_B_LOWER_BOUND = Decimal("76.61")
"""Lowest converted score graded B (Baik): the target that closes a low-element finding (table A)."""

ROUNDING_RULE = (
    "exact ratio of integer totals; NRR rounded to 4 decimals, converted scores and IKM to 2 decimals, half-up, "
    "once; grade from the IKM rounded to 2 decimals compared with 88.31 / 76.61 / 65.00 (PermenPANRB 14/2017, "
    "rules.md section 3 and table A)"
)
"""Stored with every result so that a later change of rule can be told apart."""


class Weight(enum.StrEnum):
    """Element weight variants (rules.md section 3, "Rounding trap")."""

    EXACT = "exact"
    """w = 1/k for k elements (1/9 for the nine unsur). Pantau's default."""
    PRINTED = "0.11"
    """w = 0.11, the rounded weight printed in the regulation; defined only for the nine unsur."""


class Grade(NamedTuple):
    """A grade (mutu) with its unit-performance label (kinerja unit) and its lower bound on the 25-100 scale."""

    letter: str
    performance: str
    lower_bound: Decimal


GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)
"""PermenPANRB 14/2017 grades, best first (rules.md table A). ``performance`` is the regulation's Indonesian term."""

PERFORMANCE_LABELS: dict[str, Any] = {
    "A": gettext_lazy("Very good"),
    "B": gettext_lazy("Good"),
    "C": gettext_lazy("Less than good"),
    "D": gettext_lazy("Not good"),
}
"""English source strings of the performance labels, for the user interface."""

KM_CHI_SQUARE = Decimal("3.841")
KM_PROPORTION = Decimal("0.5")
KM_MARGIN = Decimal("0.05")
"""Krejcie & Morgan parameters: chi-square for 1 degree of freedom at 95 %, P = 0.5, d = 0.05 (rules.md section 3)."""

_TWO = Decimal("0.01")
_FOUR = Decimal("0.0001")


# ----------------------------------------------------------------------------------------------------------------
# Exact rounding


def _round_ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """``numerator / denominator`` (both >= 0, denominator > 0) rounded half-up to ``places`` decimals, exactly."""
    if denominator <= 0 or numerator < 0:
        raise ValueError("expected a non-negative numerator and a positive denominator")
    scaled, remainder = divmod(numerator * 10**places, denominator)
    if 2 * remainder >= denominator:
        scaled += 1
    return Decimal(scaled).scaleb(-places)


def round_score(value: Decimal) -> Decimal:
    """A score rounded to 2 decimals half-up (the rounding rule of table A)."""
    return value.quantize(_TWO, rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------------------------------------------------------
# Element and index values


def nrr(total: int, n: int) -> Decimal:
    """NRR (mean score, 1-4 scale) of an element whose ``n`` answers add up to ``total``, 4 decimals half-up."""
    _check_total(total, n)
    return _round_ratio(total, n, 4)


def converted_score(total: int, n: int) -> Decimal:
    """Converted element score NRR x 25 (25-100 scale) from the exact NRR, 2 decimals half-up."""
    _check_total(total, n)
    return _round_ratio(25 * total, n, 2)


def ikm(totals: Sequence[int], n: int, weight: Weight | str = Weight.EXACT) -> Decimal:
    """IKM (25-100) from the element ``totals`` of ``n`` complete responses, 2 decimals half-up.

    ``exact``: 25 x sum(totals) / (k x n) for k elements. ``0.11``: 25 x 0.11 x sum(totals) / n = 11 x sum / (4n),
    only for the nine unsur. Raises ValueError on an empty or impossible input.
    """
    weight = Weight(weight)
    if not totals:
        raise ValueError("at least one element is needed")
    for total in totals:
        _check_total(total, n)
    grand = sum(totals)
    if weight is Weight.EXACT:
        return _round_ratio(25 * grand, len(totals) * n, 2)
    if len(totals) != len(ELEMENT_CODES):
        raise ValueError("the printed weight 0.11 applies only to the nine elements U1-U9")
    return _round_ratio(11 * grand, 4 * n, 2)


def grade(value: Decimal | int | str) -> Grade:
    """The grade of a score on the 25-100 scale (an IKM or a converted element score).

    The value is first rounded to 2 decimals half-up, then compared with the lower bounds 88.31 / 76.61 / 65.00
    (rules.md table A): 88.305 -> 88.31 -> A; 76.60 -> C; 64.99 -> D. Values outside 25-100 raise ValueError.
    """
    rounded = round_score(Decimal(value))
    if not Decimal(25) <= rounded <= Decimal(100):
        raise ValueError("an IKM or converted score lies between 25 and 100")
    for candidate in GRADES:
        if rounded >= candidate.lower_bound:
            return candidate
    raise AssertionError("unreachable: D's lower bound is the scale's minimum")  # pragma: no cover


def _check_total(total: int, n: int) -> None:
    if isinstance(total, bool) or isinstance(n, bool) or not isinstance(total, int) or not isinstance(n, int):
        raise ValueError("totals and counts are integers")
    if n <= 0:
        raise ValueError("no responses")
    if not MIN_SCORE * n <= total <= MAX_SCORE * n:
        raise ValueError(f"an element total of {n} responses lies between {MIN_SCORE * n} and {MAX_SCORE * n}")


@dataclass(frozen=True)
class ElementResult:
    """One element: its ``total`` of scores, ``nrr`` (1-4, 4 decimals), ``converted`` score (25-100, 2 decimals)
    and the ``grade`` of the converted score."""

    code: str
    total: int
    nrr: Decimal
    converted: Decimal
    grade: Grade


@dataclass(frozen=True)
class IkmComputation:
    """The IKM of ``n`` responses: per-element results, the index (25-100, 2 decimals), its grade, and the weight
    variant and rounding rule that produced it."""

    n: int
    elements: tuple[ElementResult, ...]
    ikm: Decimal
    grade: Grade
    weight: Weight
    rounding_rule: str = ROUNDING_RULE

    def low_elements(self) -> list[ElementResult]:
        """Elements graded C or D: the ones that become findings (rules.md section 3, worked example)."""
        return [e for e in self.elements if e.grade.letter in {"C", "D"}]


def compute_from_totals(
    totals: Mapping[str, int], n: int, weight: Weight | str = Weight.EXACT
) -> IkmComputation:
    """IKM and per-element results from element totals (``{"U1": 35, ...}``, in element order) of ``n`` responses.

    rules.md T1: totals 35, 33, 30, 38, 34, 36, 37, 31, 32 with n = 10 give IKM 85.00 B (0.11 variant 84.15 B) and
    U3 75.00 C.
    """
    weight = Weight(weight)
    elements = tuple(
        ElementResult(code, total, nrr(total, n), converted_score(total, n), grade(converted_score(total, n)))
        for code, total in totals.items()
    )
    index = ikm(list(totals.values()), n, weight)
    return IkmComputation(n=n, elements=elements, ikm=index, grade=grade(index), weight=weight)


def compute(
    rows: Iterable[Mapping[str, int]], elements: Sequence[str] = ELEMENT_CODES, weight: Weight | str = Weight.EXACT
) -> IkmComputation:
    """IKM of validated response rows (each maps every code in ``elements`` to an integer 1-4)."""
    totals = dict.fromkeys(elements, 0)
    n = 0
    for row in rows:
        n += 1
        for code in elements:
            totals[code] += row[code]
    return compute_from_totals(totals, n, weight)


# ----------------------------------------------------------------------------------------------------------------
# Sample size


def required_sample(population: int) -> int:
    """Minimum number of respondents for a population of ``population`` service users (Krejcie & Morgan).

    s = chi2 N P(1-P) / (d^2 (N-1) + chi2 P(1-P)) with chi2 = 3.841, P = 0.5, d = 0.05, computed in Decimal and
    rounded half-up to the nearest integer (rules.md section 3; it reproduces every tabulated value there, e.g.
    N = 100 -> 80, N = 2000 -> 322). ``population`` is the number of service users of the previous period.

    rules.md marks two cases UNCERTAIN; Pantau's choices:
    - Between table rows (e.g. N = 105) Pantau applies the formula to N itself rather than taking the next-higher
      table row. The formula is how the table was built, and it never asks for fewer than the row below.
    - At large N Pantau keeps the formula's value (383 at N = 100,000; it approaches 384.16 only as N grows without
      bound) and does not cap at the 384 printed in published tables.
    A population of at most the required size means surveying everyone (s <= N always holds). Raises ValueError
    for a population below 1.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError("the population is a whole number of at least 1")
    pq = KM_PROPORTION * (1 - KM_PROPORTION)
    size = KM_CHI_SQUARE * population * pq / (KM_MARGIN**2 * (population - 1) + KM_CHI_SQUARE * pq)
    return int(size.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ----------------------------------------------------------------------------------------------------------------
# Validating response rows




_DIGITS = re.compile(r"^[+-]?\d+$")


def _is_whole(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return False


def parse_score(value: Any) -> int:
    """An element score from a cell: an integer 1-4 given as int, whole float (Excel) or digits. Raises ValueError
    with a translated message otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(_("A score is required."))
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif _is_whole(value):
        number = int(value)
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    if number is None:
        shown = str(value) if len(str(value)) <= 20 else str(value)[:17] + "..."
        raise ValueError(_("%(value)s is not a whole number from 1 to 4.") % {"value": shown})
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(_("%(value)d is out of range: scores go from 1 to 4.") % {"value": number})
    return number


def validate_rows(
    rows: Sequence[tuple[int, Mapping[str, Any]]], elements: Sequence[str] = ELEMENT_CODES
) -> tuple[list[dict[str, int]], list[RowError]]:
    """Check every (row number, values) pair and return (scores per row, errors).

    Each code in ``elements`` is required and must be an integer 1-4. When rows carry a ``respondent`` value, a
    respondent repeated in another row is a duplicate (identical answers from different respondents are normal in
    a survey, so rows are not compared by their scores). Every problem is reported with its row and column; the
    function never stops at the first. The scores list is meaningful only when there are no errors.
    """
    errors: list[RowError] = []
    parsed: list[dict[str, int]] = []
    first_seen: dict[str, int] = {}
    for number, values in rows:
        scores: dict[str, int] = {}
        for code in elements:
            try:
                scores[code] = parse_score(values.get(code))
            except ValueError as exc:
                errors.append(RowError(number, code, str(exc)))
        respondent = str(values.get("respondent") or "").strip()
        if respondent:
            if respondent in first_seen:
                errors.append(RowError(number, "respondent", _(
                    "Respondent %(respondent)s already appears in row %(row)d (duplicate row)."
                ) % {"respondent": respondent, "row": first_seen[respondent]}))
            else:
                first_seen[respondent] = number
        parsed.append(scores)
    return parsed, errors


# ----------------------------------------------------------------------------------------------------------------
# Many periods at once (national recomputation)


@dataclass(frozen=True)
class BulkComputation:
    """IKM of many periods as integer arrays (numpy): ``converted`` (periods x elements) and ``ikm`` in hundredths
    (8500 = 85.00), ``nrr`` in ten-thousandths, ``grade`` as letters. Same rounding and bounds as ``compute``."""

    nrr: Any
    converted: Any
    ikm: Any
    grade: Any
    weight: Weight


def grade_letters(hundredths: Any) -> Any:
    """Grade letters of scores given in hundredths (table A bounds 8831 / 7661 / 6500), as a numpy array."""
    import numpy as np

    return np.select([hundredths >= 8831, hundredths >= 7661, hundredths >= 6500], ["A", "B", "C"], default="D")


def compute_many(totals: Any, n: Any, weight: Weight | str = Weight.EXACT) -> BulkComputation:
    """The IKM of many periods from an integer array of element ``totals`` (periods x k) and response counts ``n``.

    Exact integer arithmetic, rounded half-up once, so every value equals ``compute_from_totals`` for that period:
    round(p/q) = (2p + q) // (2q). Converted = 25 t / n -> (5000 t + n) // 2n hundredths; NRR -> (20000 t + n) //
    2n ten-thousandths; IKM exact = 25 G / (k n) -> (5000 G + k n) // 2kn; IKM 0.11 = 11 G / 4n -> (2200 G + 4n) //
    8n (G = sum of a period's totals). Inputs are checked like ``compute_from_totals`` (n >= 1, n <= t <= 4n).
    """
    import numpy as np

    weight = Weight(weight)
    t = np.asarray(totals, dtype=np.int64)
    count = np.asarray(n, dtype=np.int64)
    if t.ndim != 2 or count.shape != (t.shape[0],):
        raise ValueError("totals is periods x elements and n has one count per period")
    if (count <= 0).any() or (t < MIN_SCORE * count[:, None]).any() or (t > MAX_SCORE * count[:, None]).any():
        raise ValueError("every period needs responses and element totals between n and 4n")
    k = t.shape[1]
    grand = t.sum(axis=1)
    converted = (5000 * t + count[:, None]) // (2 * count[:, None])
    nrr_values = (20000 * t + count[:, None]) // (2 * count[:, None])
    if weight is Weight.EXACT:
        index = (5000 * grand + k * count) // (2 * k * count)
    else:
        if k != len(ELEMENT_CODES):
            raise ValueError("the printed weight 0.11 applies only to the nine elements U1-U9")
        index = (2200 * grand + 4 * count) // (8 * count)
    return BulkComputation(nrr_values, converted, index, grade_letters(index), weight)
