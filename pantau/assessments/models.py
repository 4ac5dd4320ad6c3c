"""Ombudsman compliance assessment: method editions as data (dimensions, weights, bands) and stored results.

The thresholds and weights of each edition come from domain/rules.md tables B, C and D (sections 0.B-0.D and 2),
loaded by the data migration ``0002_method_editions``. Values rules.md marks UNCERTAIN are ``Band.is_provisional``
and may be corrected by an Ombudsman admin in the Django admin (audited). A stored ``ComplianceResult`` keeps a
snapshot of the bands used, so such a correction does not rewrite history.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import provinces_with, scope, unit_model
from pantau.assessments import scoring

SCORE_VALIDATORS = [MinValueValidator(scoring.SCORE_MIN), MaxValueValidator(scoring.SCORE_MAX)]


class Zone(models.TextChoices):
    """Compliance zones (zona), domain/rules.md tables B-D. ``hitam`` exists only from the 2025 edition."""

    HIJAU = "hijau", _("green")
    KUNING = "kuning", _("yellow")
    MERAH = "merah", _("red")
    HITAM = "hitam", _("black")


class ValueType(models.TextChoices):
    """What a stored score measures; only ``index`` scores are banded."""

    INDEX = "index", _("compliance index (0-100)")
    COMPONENTS_PERCENT = "components_percent", _("percent of service-standard components fulfilled")
    NONE = "none", _("no score published")


class MethodEditionQuerySet(models.QuerySet["MethodEdition"]):
    """Method editions."""

    def for_year(self, year: int) -> "MethodEdition | None":
        """The edition valid in assessment ``year`` (valid_from <= year <= valid_to, open end allowed), or None."""
        return (
            self.filter(valid_from__lte=year)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year))
            .order_by("-valid_from")
            .first()
        )


class MethodEdition(models.Model):
    """One edition of the Ombudsman assessment method, valid for assessment years ``valid_from``..``valid_to``.

    ``components_percent_until``: assessment years up to and including this one published the percent of
    service-standard components fulfilled instead of the 0-100 index (data/README, ombudsman/ caveats: 2015); such
    scores are stored but never banded. Sources: domain/rules.md tables B, C, D.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.PositiveSmallIntegerField(_("valid from (assessment year)"))
    valid_to = models.PositiveSmallIntegerField(_("valid to (assessment year)"), null=True, blank=True)
    regulation = models.CharField(_("regulation cited"), max_length=300, blank=True)
    rounding_rule = models.TextField(_("rounding rule"), blank=True)
    components_percent_until = models.PositiveSmallIntegerField(
        _("percent-of-components scores until (year)"), null=True, blank=True,
        help_text=_("Scores published up to this year are a percentage of components fulfilled, not the index."),
    )
    source_note = models.TextField(_("source"), blank=True)

    objects = MethodEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("method edition")
        verbose_name_plural = _("method editions")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.code

    def band_rules(self) -> list[scoring.BandRule]:
        """This edition's bands as ``scoring.BandRule`` plain data, highest lower bound first."""
        return [
            scoring.BandRule(
                code=band.code, label=band.label, zone=band.zone, lower_bound=band.lower_bound,
                is_provisional=band.is_provisional,
            )
            for band in self.bands.order_by("-lower_bound")
        ]

    def weights(self) -> dict[str, Decimal]:
        """This edition's dimension weights: dimension code -> weight in percent (Decimal)."""
        return {dim.code: dim.weight for dim in self.dimensions.all()}


class Dimension(models.Model):
    """A weighted dimension of an edition (for example Input 21.85 %). Weights of an edition sum to 100 (percent).

    Source: domain/rules.md table C (2022-2024) and table D (2025: four dimensions together 70 %, public trust 30 %).
    """

    edition = models.ForeignKey(
        MethodEdition, verbose_name=_("method edition"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    is_provisional = models.BooleanField(_("provisional"), default=False)
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["edition", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="dimension_unique_code")]

    def __str__(self) -> str:
        return f"{self.edition.code} {self.code}"


class Band(models.Model):
    """A zone or category of an edition: scores (2 decimals, 0-100) from ``lower_bound`` (inclusive) up to the next
    band's lower bound fall in it. ``is_provisional`` marks bounds domain/rules.md gives as UNCERTAIN."""

    edition = models.ForeignKey(
        MethodEdition, verbose_name=_("method edition"), on_delete=models.CASCADE, related_name="bands"
    )
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label (predikat / opinion)"), max_length=200)
    zone = models.CharField(_("zone"), max_length=8, choices=Zone.choices)
    lower_bound = models.DecimalField(
        _("lower bound (inclusive)"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    is_provisional = models.BooleanField(_("provisional"), default=False)
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["edition", "-lower_bound"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="band_unique_code"),
            models.UniqueConstraint(fields=["edition", "lower_bound"], name="band_unique_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.code} {self.code} >= {self.lower_bound}"


class BandedScore(models.Model):
    """The band a score fell in, with the bounds used: every stored score records what produced its band
    (DESIGN.md, "Every stored score records the method edition that produced it"); ``bands_used`` is a snapshot, so
    a later correction of a provisional bound does not rewrite history (rules.md section 9)."""

    computed_band = models.CharField(_("computed band"), max_length=20, blank=True)
    computed_zone = models.CharField(_("computed zone"), max_length=8, choices=Zone.choices, blank=True)
    computed_provisional = models.BooleanField(_("computed with provisional bounds"), default=False)
    bands_used = models.JSONField(_("bands used"), default=list, blank=True)

    class Meta:
        abstract = True


class ComplianceResultQuerySet(models.QuerySet["ComplianceResult"]):
    """Compliance results, scoped per user."""

    def for_user(self, user: object, permission: str) -> "ComplianceResultQuerySet":
        """Results a user may see: those about a unit in the user's scope for ``permission`` (like
        ``workplans.models.ActionQuerySet.for_user``), plus results addressed by region code, which are published
        public data and visible to every logged-in user (also once linked to the region's government unit).
        Anonymous users see none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = scope(user, permission).q("unit__")
        return self if q is None else self.filter(Q(region__isnull=False) | q)


class ComplianceResult(BandedScore):
    """One compliance result of an entity (a region's government by region code, and/or a unit) in an assessment
    year, as published and as Pantau computes it.

    ``score`` is 0-100 with 2 decimals (null when only a zone or opinion was published). ``computed_band`` /
    ``computed_zone`` come from ``edition`` (the edition valid that year); ``bands_used`` is the snapshot of that
    edition's bands at computation time (``scoring.bands_snapshot``). ``published_*`` are the source's own words.
    ``province_code`` is kept for national partitioning (DESIGN.md).
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="compliance_results",
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="compliance_results",
    )
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    entity_name = models.CharField(_("entity as published"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("assessment year"))
    edition = models.ForeignKey(
        MethodEdition, verbose_name=_("method edition"), on_delete=models.PROTECT, related_name="results"
    )
    value_type = models.CharField(_("value type"), max_length=20, choices=ValueType.choices, default=ValueType.INDEX)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    published_zone = models.CharField(_("published zone"), max_length=8, choices=Zone.choices, blank=True)
    published_category = models.CharField(_("published category"), max_length=20, blank=True)
    published_opinion = models.CharField(_("published opinion"), max_length=300, blank=True)
    assessment_name = models.CharField(_("assessment"), max_length=300, blank=True)
    source_url = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ComplianceResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance result")
        verbose_name_plural = _("compliance results")
        ordering = ["-year", "region_id", "unit_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(unit__isnull=False), name="compliance_result_has_entity"
            ),
            models.UniqueConstraint(
                fields=["year", "region"], condition=Q(unit__isnull=True), name="compliance_result_unique_region_year"
            ),
            models.UniqueConstraint(
                fields=["year", "unit"], condition=Q(unit__isnull=False), name="compliance_result_unique_unit_year"
            ),
        ]
        indexes = [models.Index(fields=["province_code", "year"])]

    def __str__(self) -> str:
        entity = self.entity_name or self.region_id or str(self.unit)
        return f"{entity} {self.year}"

    @property
    def source_urls(self) -> list[str]:
        """The source addresses (the data files separate several with ``;``)."""
        return [url.strip() for url in self.source_url.split(";") if url.strip()]


class RoundKind(models.TextChoices):
    """Who ran an assessment round: the Ombudsman's official assessment, the regional office's pre-evaluation
    (domain/rules.md section 7, "Pre-evaluation runs by the Perwakilan"), or the government's own self-assessment
    against the Ombudsman instrument (section 7, "pendampingan awal": the Pemda self-assesses so that gaps are fixed
    before the survey)."""

    OFFICIAL = "official", _("official assessment")
    PRE_EVALUATION = "pre_evaluation", _("pre-evaluation")
    SELF_ASSESSMENT = "self_assessment", _("self-assessment")


class AssessmentRoundQuerySet(models.QuerySet["AssessmentRound"]):
    """Assessment rounds, scoped per user."""

    def for_user(self, user: object, permission: str) -> "AssessmentRoundQuerySet":
        """Rounds about a unit in the user's scope for ``permission``; rounds addressed only by region follow the
        government units of that region. Anonymous users see none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        allowed = scope(user, permission)
        q = allowed.q("unit__")
        if q is None:
            return self
        units = allowed.filter(unit_model().objects.all(), "")
        return self.filter(q | Q(unit__isnull=True, region__in=units.values("region_id")))

    def published(self) -> "AssessmentRoundQuerySet":
        """Published rounds only: what viewers, report-card means and roll-ups count."""
        return self.filter(published_at__isnull=False)

    def visible_to(self, user: Any) -> "AssessmentRoundQuerySet":
        """Rounds ``user`` may VIEW (``for_user``), drafts only for the people who may enter that kind of round
        there (``rules.RECORD_PERMISSION``: who entered it) and the Ombudsman (PUBLISH_RESULTS); everyone else sees
        published rounds only (DESIGN.md, "Figures are drafts until published"). A round addressed by region only
        follows the province where the user acts for the Ombudsman office."""
        from pantau.assessments.rules import RECORD_PERMISSION

        def where(permission: str) -> Q:
            q = scope(user, permission).q("unit__")
            if q is None:
                return Q(pk__isnull=False)
            provinces = provinces_with(user, permission) or set()
            return q | Q(unit__isnull=True, province_code__in=sorted(provinces))

        drafts = where(Permission.PUBLISH_RESULTS)
        for kind, permission in RECORD_PERMISSION.items():
            drafts |= Q(kind=kind) & where(permission)
        return self.for_user(user, Permission.VIEW).filter(Q(published_at__isnull=False) | drafts)


class AssessmentRound(BandedScore):
    """One assessment of a unit (or of a region's government) with the instrument of a method edition: the scores
    per dimension (and optionally per indicator), the weighted total computed with ``scoring.weighted_total`` and
    its band with a snapshot of the bounds used (``bands_used``), as ``ComplianceResult`` does.

    ``pass_mark`` (0-100): an indicator or dimension scored below it becomes a finding. The Ombudsman publishes no
    per-indicator pass mark (domain/rules.md section 2 is silent): Pantau's choice is the lowest lower bound of the
    edition's green (hijau) bands (2022-2024: 78.00, category B), stored on the round so that a later change of the
    default does not rewrite it. ``is_sample`` marks illustrative rounds of the demo.

    A draft until an Ombudsman user publishes it (``published_at``/``published_by``,
    ``assessments.actions.publish_round``): only published rounds reach viewers, report-card means and roll-ups
    (DESIGN.md, "Figures are drafts until published"). ``version`` counts saves (``core.concurrency``).
    """

    edition = models.ForeignKey(
        MethodEdition, verbose_name=_("method edition"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("assessment year"))
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assessment_rounds",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assessment_rounds",
    )
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    assessed_on = models.DateField(_("assessed on"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    total = models.DecimalField(
        _("total"), max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    is_sample = models.BooleanField(_("sample data"), default=False)
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "-assessed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(unit__isnull=False), name="assessment_round_has_entity"
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "assessed_on"], condition=Q(unit__isnull=False),
                name="assessment_round_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["kind", "region", "assessed_on"], condition=Q(unit__isnull=True),
                name="assessment_round_unique_region",
            ),
        ]
        indexes = [models.Index(fields=["province_code", "year"])]

    def __str__(self) -> str:
        entity = str(self.unit) if self.unit_id else str(self.region_id)
        return f"{self.get_kind_display()} {entity} {self.assessed_on}"

    @property
    def is_published(self) -> bool:
        """True once published."""
        return self.published_at is not None


class DimensionScore(models.Model):
    """A round's score (0-100, 2 decimals) on one dimension of its edition."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("assessment round"), on_delete=models.CASCADE, related_name="dimension_scores"
    )
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    province_code = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    """The round's province (``AssessmentRound.province_code``), for distribution by province (docs/scale.md)."""

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["round", "dimension_id"]
        constraints = [models.UniqueConstraint(fields=["round", "dimension"], name="dimension_score_unique")]

    def __str__(self) -> str:
        return f"{self.dimension.code} {self.score}"


class IndicatorScore(models.Model):
    """A round's score (0-100) on one indicator inside a dimension. The official indicator lists are not known in
    full (domain/rules.md section 9, item 2), so indicators are named by the assessor (``code``, ``name``)."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("assessment round"), on_delete=models.CASCADE, related_name="indicator_scores"
    )
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("indicator"), max_length=300)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    province_code = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    """The round's province (``AssessmentRound.province_code``), for distribution by province (docs/scale.md)."""

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["round", "dimension_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "dimension", "code"], name="indicator_score_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.score}"
