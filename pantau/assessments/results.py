"""Storing published compliance results and comparing them with the band Pantau computes (issue 4).

``import_results`` reads the CSV layout of data/ombudsman/kepatuhan_jambi.csv (columns ``year, entity,
entity_code, score, zone, category, opinion, assessment, source_url, note``; an optional ``value_type`` column),
all or nothing, and stores one ``ComplianceResult`` per row idempotently (key: year + region code). Each row's band
is computed with the edition valid that year (``MethodEdition.for_year``) through ``scoring.band_for``.

Scores that are not the 0-100 index (2015: percent of service-standard components fulfilled, data/ombudsman
README) are stored but not banded; their comparison is "not comparable".
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from pantau.assessments import scoring
from pantau.assessments.models import MethodEdition, ValueType, Zone
from pantau.regions import codes
from pantau.regions.models import Region

REQUIRED_COLUMNS = ("year", "entity", "entity_code", "score", "zone", "category", "opinion", "assessment",
                    "source_url", "note")


class Status:
    """How a row's published band compares with the computed one."""

    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_COMPARABLE = "not_comparable"  # the score is not the 0-100 index (e.g. 2015 percent of components)
    NO_SCORE = "no_score"  # only a zone or an opinion was published
    NOTHING_PUBLISHED = "nothing_published"  # a score without a published zone or category


@dataclass(frozen=True)
class RowError:
    """One problem in the input: 1-based ``row`` (the header is row 1), ``column`` (may be empty), ``message``."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowOutcome:
    """One stored row and its comparison. ``computed`` is None when the score is not banded."""

    row: int
    entity_code: str
    year: int
    score: Decimal | None
    value_type: str
    published_zone: str
    published_category: str
    computed: scoring.BandResult | None
    status: str
    created: bool
    changed: bool

    @property
    def match(self) -> bool | None:
        """True / False for a comparable row, None when there is nothing to compare."""
        if self.status == Status.MATCH:
            return True
        if self.status == Status.MISMATCH:
            return False
        return None

    def as_json(self) -> dict[str, Any]:
        """Plain data for ``--format json``: entity_code, year, score (string), published, computed, match, status."""
        return {
            "row": self.row,
            "entity_code": self.entity_code,
            "year": self.year,
            "score": None if self.score is None else str(self.score),
            "value_type": self.value_type,
            "published": {"zone": self.published_zone or None, "category": self.published_category or None},
            "computed": None if self.computed is None else {
                "band": self.computed.code, "label": self.computed.label, "zone": self.computed.zone,
                "provisional": self.computed.is_provisional,
            },
            "match": self.match,
            "status": self.status,
        }


@dataclass
class ImportReport:
    """Result of ``import_results``: either ``errors`` (nothing written) or one ``RowOutcome`` per row."""

    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the import was written."""
        return not self.errors

    def count(self, status: str) -> int:
        """Number of rows with ``status``."""
        return sum(1 for row in self.rows if row.status == status)


@dataclass(frozen=True)
class ParsedResult:
    """One valid row of a results file, ready to store (``actions.import_results``)."""

    row: int
    year: int
    region: Region
    edition: MethodEdition
    score: Decimal | None
    value_type: str
    values: dict[str, str]


def compare(computed: scoring.BandResult | None, value_type: str, score: Decimal | None,
            published_zone: str, published_category: str) -> str:
    """The ``Status`` of one result: category and zone must both agree where published (a published category is
    compared with the band code, a published zone with the band's zone)."""
    if value_type == ValueType.COMPONENTS_PERCENT:
        return Status.NOT_COMPARABLE
    if score is None or computed is None:
        return Status.NO_SCORE
    if not published_zone and not published_category:
        return Status.NOTHING_PUBLISHED
    if published_category and published_category != computed.code:
        return Status.MISMATCH
    if published_zone and published_zone != computed.zone:
        return Status.MISMATCH
    return Status.MATCH


def parse_results(text: str) -> tuple[list[ParsedResult], list[RowError]]:
    """Validate every row; returns the parsed rows and every error found."""
    errors: list[RowError] = []
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [RowError(1, "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})]
    editions: dict[int, MethodEdition | None] = {}
    regions = {region.code: region for region in Region.objects.filter(level__lte=2)}
    parsed: list[ParsedResult] = []
    seen: dict[tuple[int, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        values = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        row_errors: list[RowError] = []
        year_text = values["year"]
        year = int(year_text) if year_text.isdigit() else 0
        if not 1990 <= year <= 2100:
            row_errors.append(RowError(number, "year", _("not a year: %(value)r") % {"value": year_text}))
            year = 0
        edition = None
        if year:
            if year not in editions:
                editions[year] = MethodEdition.objects.for_year(year)
            edition = editions[year]
            if edition is None:
                row_errors.append(
                    RowError(number, "year", _("no method edition covers the year %(year)s") % {"year": year})
                )
        code = values["entity_code"]
        region = regions.get(code)
        try:
            codes.kind_of(code)
        except codes.InvalidRegionCode:
            row_errors.append(RowError(number, "entity_code", _("not a region code: %(value)r") % {"value": code}))
        else:
            if region is None:
                row_errors.append(RowError(
                    number, "entity_code",
                    _("region %(code)s is not loaded (province or regency/city expected; run import_regions)")
                    % {"code": code},
                ))
        score: Decimal | None = None
        if values["score"]:
            try:
                score = Decimal(values["score"])
                if not score.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                row_errors.append(RowError(number, "score", _("not a number: %(value)r") % {"value": values["score"]}))
            else:
                if not scoring.SCORE_MIN <= score <= scoring.SCORE_MAX:
                    row_errors.append(RowError(number, "score", _("score must be between 0 and 100")))
                elif score != score.quantize(scoring.TWO_PLACES):
                    row_errors.append(RowError(number, "score", _("score has more than 2 decimals")))
                else:
                    score = score.quantize(scoring.TWO_PLACES)  # stored as 2 decimals: 92.5 -> 92.50
        zone = values["zone"].lower()
        if zone and zone not in Zone.values:
            row_errors.append(RowError(number, "zone", _("unknown zone: %(value)r") % {"value": values["zone"]}))
        category = values["category"]
        if category and edition is not None and not edition.bands.filter(code=category).exists():
            row_errors.append(RowError(
                number, "category",
                _("%(category)r is not a band of the edition %(edition)s") % {"category": category,
                                                                              "edition": edition.code},
            ))
        value_type = values.get("value_type", "")
        if value_type and value_type not in ValueType.values:
            message = _("unknown value type: %(value)r") % {"value": value_type}
            row_errors.append(RowError(number, "value_type", message))
        if not value_type:
            if score is None:
                value_type = ValueType.NONE
            elif edition is not None and edition.components_percent_until and year <= edition.components_percent_until:
                value_type = ValueType.COMPONENTS_PERCENT
            else:
                value_type = ValueType.INDEX
        if value_type != ValueType.NONE and score is None and not any(e.column == "score" for e in row_errors):
            row_errors.append(RowError(number, "score", _("a score is required for this value type")))
        if (year, code) in seen:
            message = _("duplicate of row %(row)s (same year and entity)") % {"row": seen[(year, code)]}
            row_errors.append(RowError(number, "entity_code", message))
        seen.setdefault((year, code), number)
        if row_errors:
            errors.extend(row_errors)
            continue
        assert edition is not None and region is not None
        values["zone"] = zone
        parsed.append(ParsedResult(number, year, region, edition, score, value_type, values))
    return parsed, errors


# ----------------------------------------------------------------------------------------------------------------
# Re-banding stored results with the current bands (``pantau reband_results``)


@dataclass(frozen=True)
class BandChange:
    """A stored result whose band changes: entity (name as published, region code or unit), year, score (0-100, 2
    decimals) and the old and new band code and zone."""

    result_id: int
    entity: str
    entity_code: str
    year: int
    edition: str
    score: Decimal
    old_band: str
    old_zone: str
    new_band: str
    new_zone: str

    def as_json(self) -> dict[str, Any]:
        """Plain data: ids, entity, year, score (string), old and new band/zone."""
        return {
            "id": self.result_id, "entity": self.entity, "entity_code": self.entity_code, "year": self.year,
            "edition": self.edition, "score": str(self.score),
            "old": {"band": self.old_band or None, "zone": self.old_zone or None},
            "new": {"band": self.new_band, "zone": self.new_zone},
        }


@dataclass
class RebandReport:
    """Outcome of ``reband_results``: ``examined`` banded results (0-100 index with a score), ``updated`` rows whose
    band, zone, provisional flag or bounds snapshot changed (0 written in a dry run: see ``written``), and the
    ``changes`` of band."""

    examined: int = 0
    updated: int = 0
    written: int = 0
    changes: list[BandChange] = field(default_factory=list)


