"""Storing published compliance results and comparing them with the band Pantau computes (issue 4).

``import_results`` reads the CSV layout of data/ombudsman/kepatuhan_jambi.csv (columns ``year, entity,
entity_code, score, zone, category, opinion, assessment, source_url, note``; an optional ``value_type`` column;
the Indonesian headers "Tahun", "Entitas", "Kode Wilayah", "Nilai", "Zona", "Kategori", "Opini", "Penilaian",
"Sumber", "Catatan", "Jenis Nilai" are read too), as CSV or as an Excel workbook (sheet "Hasil Kepatuhan" or
"Results"), through ``core.spreadsheets.read_table``; all or nothing, it stores one ``ComplianceResult`` per row
idempotently (key: year + region code). Each row's band is computed with the edition valid that year
(``MethodEdition.for_year``) through ``scoring.band_for``.

Region codes are normalised (``core.typed_input.read_region_code``: stray spaces, undotted digits such as 1504, a
code Excel turned into a number) and checked against the row's ``entity`` name (``regions.names.same_region_name``:
apostrophe variants, spacing and kind prefixes such as "Kabupaten" or "Provinsi" folded); a code whose region has
another name is refused naming both, so that a row for a re-coded region (after a split, pemekaran) is never stored
under the wrong regency.

Scores that are not the 0-100 index (2015: percent of service-standard components fulfilled, data/ombudsman
README) are stored but not banded; their comparison is "not comparable".
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pantau.assessments import scoring
from pantau.assessments.models import MethodEdition, ValueType, Zone
from pantau.core.spreadsheets import (
    CellError,
    Column,
    RowError,
    cell_decimal,
    cell_region_code,
    cell_text,
    cell_whole_number,
    read_table,
    without_repeats,
)
from pantau.regions import codes
from pantau.regions.models import Region
from pantau.regions.names import same_region_name

COLUMNS: tuple[Column, ...] = (
    Column("year", "Tahun", "Year", required=True),
    Column("entity", "Entitas", "Entity", required=True),
    Column("entity_code", "Kode Wilayah", "Region code", required=True),
    Column("score", "Nilai", "Score", required=True),
    Column("zone", "Zona", "Zone", required=True),
    Column("category", "Kategori", "Category", required=True),
    Column("opinion", "Opini", "Opinion", required=True),
    Column("assessment", "Penilaian", "Assessment", required=True),
    Column("source_url", "Sumber", "Source", required=True),
    Column("note", "Catatan", "Note", required=True),
    Column("value_type", "Jenis Nilai", "Value type"),
)
"""The columns of a results file (the English keys are the header of data/ombudsman/kepatuhan_jambi.csv)."""

REQUIRED_COLUMNS = tuple(column.key for column in COLUMNS if column.required)
SHEET_NAMES = ("Hasil Kepatuhan", "Results")
"""Names under which a results workbook's sheet is found."""
MAX_DATA_ROWS = 20000
"""Rows beyond this many are refused (every province and regency/city over a few decades is far fewer)."""


class Status:
    """How a row's published band compares with the computed one."""

    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_COMPARABLE = "not_comparable"  # the score is not the 0-100 index (e.g. 2015 percent of components)
    NO_SCORE = "no_score"  # only a zone or an opinion was published
    NOTHING_PUBLISHED = "nothing_published"  # a score without a published zone or category


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
    source: str = ""
    """Which sheet and rows were read ("Rows 2 to 45 (44 rows read).")."""

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


def parse_results(content: str | bytes, file_name: str = "results.csv") -> tuple[list[ParsedResult], list[RowError]]:
    """Validate every row of a results file (CSV text or bytes, or an .xlsx workbook's bytes); returns the parsed
    rows and every error found."""
    parsed, errors, _source = read_results(content, file_name)
    return parsed, errors


def read_results(content: str | bytes, file_name: str = "results.csv") -> tuple[list[ParsedResult], list[RowError],
                                                                               str]:
    """``parse_results`` plus which sheet and rows were read (``core.spreadsheets.Table.describe``)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    table = read_table(data, columns=COLUMNS, sheet_names=SHEET_NAMES, file_name=file_name, allow_csv=True,
                       max_data_rows=MAX_DATA_ROWS)
    if table.errors and not table.rows:
        return [], table.errors, table.describe()
    errors: list[RowError] = []
    editions: dict[int, MethodEdition | None] = {}
    regions = {region.code: region for region in Region.objects.filter(level__lte=2)}
    parsed: list[ParsedResult] = []
    seen: dict[tuple[int, str], int] = {}
    for line in table.rows:
        number = line.number
        values = {key: cell_text(value) for key, value in line.cells.items()}
        row_errors: list[RowError] = []

        def read(key: str, reader: Any, row_errors: list[RowError] = row_errors, line: Any = line) -> Any:
            value = line.cells.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            try:
                return reader(value)
            except CellError as exc:
                row_errors.append(RowError(line.number, key, str(exc)))
                return None

        year = read("year", lambda v: cell_whole_number(v, min_value=1990, max_value=2100)) or 0
        if not year and not any(e.column == "year" for e in row_errors):
            row_errors.append(RowError(number, "year", _("A value is required.")))
        edition = None
        if year:
            if year not in editions:
                editions[year] = MethodEdition.objects.for_year(year)
            edition = editions[year]
            if edition is None:
                row_errors.append(
                    RowError(number, "year", _("no method edition covers the year %(year)s") % {"year": year})
                )
        code = read("entity_code", cell_region_code) or ""
        region = regions.get(code)
        if code:
            values["entity_code"] = code
            try:
                kind = codes.kind_of(code)
            except codes.InvalidRegionCode:
                row_errors.append(RowError(number, "entity_code", _("not a region code: %(value)s")
                                           % {"value": code}))
            else:
                if region is None:
                    row_errors.append(RowError(
                        number, "entity_code",
                        _("region %(code)s is not loaded (province or regency/city expected; run import_regions)")
                        % {"code": code},
                    ))
                elif values["entity"] and not same_region_name(values["entity"], region.name, kind):
                    row_errors.append(RowError(number, "entity_code", _(
                        "the code %(code)s is %(region)s, not “%(entity)s”: check the code and the name (after a "
                        "split, pemekaran, a region may have a new code)")
                        % {"code": code, "region": region.name, "entity": values["entity"][:80]}))
        elif not any(e.column == "entity_code" for e in row_errors):
            row_errors.append(RowError(number, "entity_code", _("A value is required.")))
        score: Decimal | None = read("score", lambda v: cell_decimal(v, places=2, min_value=scoring.SCORE_MIN,
                                                                     max_value=scoring.SCORE_MAX))
        zone = values["zone"].lower()
        if zone and zone not in Zone.values:
            row_errors.append(RowError(number, "zone", _("unknown zone: %(value)s") % {"value": values["zone"]}))
        category = values["category"]
        if category and edition is not None and not edition.bands.filter(code=category).exists():
            row_errors.append(RowError(
                number, "category",
                _("%(category)s is not a band of the edition %(edition)s") % {"category": category,
                                                                              "edition": edition.name},
            ))
        value_type = values.get("value_type", "")
        if value_type and value_type not in ValueType.values:
            message = _("unknown value type: %(value)s") % {"value": value_type}
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
        if code and (year, code) in seen:
            message = _("duplicate of row %(row)s (same year and entity)") % {"row": seen[(year, code)]}
            row_errors.append(RowError(number, "entity_code", message))
        seen.setdefault((year, code), number)
        if row_errors or line.bad:
            errors.extend(row_errors)
            continue
        assert edition is not None and region is not None
        values["zone"] = zone
        parsed.append(ParsedResult(number, year, region, edition, score, value_type, values))
    return parsed, without_repeats(table.errors + errors), table.describe()


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


