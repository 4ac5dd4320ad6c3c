"""Community satisfaction surveys (SKM, PermenPANRB 14/2017): periods per unit and service, responses with the nine
element scores U1-U9 (1-4), and the stored IKM results (rules.md section 3).

Responses are the large fact table (tens of millions of rows a year nationally): each row carries the province code
of its unit so the table can be partitioned or sharded by province (DESIGN.md, "National scale").
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import ScopedQuerySet, scope
from pantau.surveys import ikm
from pantau.surveys.choices import Education, GradeLetter, Occupation, ResponseSource, Sex, WeightVariant


class SurveyPeriodQuerySet(ScopedQuerySet):
    """Survey periods, scoped per user through their unit (``accounts.scoping``)."""

    scope_unit = "unit"


class SurveyPeriod(models.Model):
    """One SKM round of a unit, optionally for one service (jenis layanan), over a date range.

    ``population`` is the number of service users in the previous period, the N of the Krejcie & Morgan sample size
    (rules.md section 3). ``province_code`` is copied from the unit for national partitioning. With ``public_form``
    the public questionnaire accepts answers from ``start_date`` to ``end_date`` (inclusive, dates in the unit's own
    time zone). ``version`` counts saves (``core.concurrency``).
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="survey_periods"
    )
    service_name = models.CharField(_("service"), max_length=200, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    population = models.PositiveIntegerField(_("service users (population)"), null=True, blank=True)
    public_form = models.BooleanField(_("public form open"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    province_code = models.CharField(_("province code"), max_length=2, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SurveyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="surveyperiod_dates"),
        ]

    def __str__(self) -> str:
        service = f" - {self.service_name}" if self.service_name else ""
        start, end = date_format(self.start_date, "SHORT_DATE_FORMAT"), date_format(self.end_date, "SHORT_DATE_FORMAT")
        return f"{self.unit}{service} ({start} – {end})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, copying the unit's province code."""
        if not self.province_code and self.unit_id:
            self.province_code = self.unit.province_code
        super().save(*args, **kwargs)

    def accepts_public_answers(self, today: Any = None) -> bool:
        """True when the public form is open and ``today`` (default: today in the unit's own time zone) lies in the
        period."""
        today = today or self.unit.local_today()
        return self.public_form and self.start_date <= today <= self.end_date


class ResponseQuerySet(ScopedQuerySet):
    """Responses, scoped per user through their period's unit."""

    scope_unit = "period__unit"


def _score_field(code: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(code, help_text=str(ikm.ELEMENT_TERMS[code]))


def _score_check(code: str) -> models.CheckConstraint:
    field = code.lower()
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": ikm.MIN_SCORE, f"{field}__lte": ikm.MAX_SCORE}),
        name=f"response_{field}_1_to_4",
    )


class Response(models.Model):
    """One respondent's answers: U1-U9 on the 1-4 scale (checked by the database), and an optional profile
    (age, sex, education, occupation, service received) as the questionnaire asks it. No name, no IP address.
    ``respondent_ref`` is the paper questionnaire's number when imported (unique within the period)."""

    period = models.ForeignKey(
        SurveyPeriod, verbose_name=_("survey period"), on_delete=models.CASCADE, related_name="responses"
    )
    u1 = _score_field("U1")
    u2 = _score_field("U2")
    u3 = _score_field("U3")
    u4 = _score_field("U4")
    u5 = _score_field("U5")
    u6 = _score_field("U6")
    u7 = _score_field("U7")
    u8 = _score_field("U8")
    u9 = _score_field("U9")
    respondent_ref = models.CharField(_("questionnaire number"), max_length=40, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("education"), max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation.choices, blank=True)
    service_received = models.CharField(_("service received"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=12, choices=ResponseSource.choices)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["period", "id"]
        indexes = [models.Index(fields=["province_code", "period"], name="response_province_period")]
        constraints = [
            *[_score_check(code) for code in ikm.ELEMENT_CODES],
            models.UniqueConstraint(
                fields=["period", "respondent_ref"], condition=~Q(respondent_ref=""),
                name="response_unique_respondent_in_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.respondent_ref or self.pk}"

    def scores(self) -> dict[str, int]:
        """The nine scores keyed by element code."""
        return {code: getattr(self, code.lower()) for code in ikm.ELEMENT_CODES}


class IkmResultQuerySet(ScopedQuerySet):
    """IKM results, scoped per user through their period's unit."""

    scope_unit = "period__unit"

    def published(self) -> "IkmResultQuerySet":
        """Published results only: what viewers, report cards, dashboards and roll-ups show."""
        return self.filter(published_at__isnull=False)

    def visible_to(self, user: Any) -> "IkmResultQuerySet":
        """Results ``user`` may VIEW, drafts only for the people who computed them (MANAGE_SURVEYS on the unit)
        and the Ombudsman (PUBLISH_RESULTS); everyone else sees published results only (DESIGN.md, "Figures are
        drafts until published")."""
        drafts = Q(pk__in=[])
        for permission in (Permission.MANAGE_SURVEYS, Permission.PUBLISH_RESULTS):
            q = scope(user, permission).q("period__unit__")
            drafts |= Q(pk__isnull=False) if q is None else q
        return self.for_user(user, Permission.VIEW).filter(Q(published_at__isnull=False) | drafts)


def _nrr_field(code: str) -> models.DecimalField:
    return models.DecimalField(f"NRR {code}", max_digits=5, decimal_places=4)


def _converted_field(code: str) -> models.DecimalField:
    return models.DecimalField(format_lazy("{} {}", code, _("converted score")), max_digits=5, decimal_places=2)


class IkmResult(models.Model):
    """The IKM of a period as computed at ``computed_at`` (a period may be recomputed; the latest counts).

    Per element: NRR (1-4, 4 decimals) and converted score (25-100, 2 decimals); the IKM (25-100, 2 decimals), its
    grade (A-D), the weight variant and rounding rule that produced it (rules.md section 3), the number of
    responses, the Krejcie & Morgan required sample for the period's population and whether it was reached
    (None when the population is unknown). A draft until an Ombudsman user publishes it (``published_at``/
    ``published_by``, ``surveys.actions.publish_result``): only published results reach viewers and roll-ups
    (DESIGN.md, "Figures are drafts until published").
    """

    period = models.ForeignKey(
        SurveyPeriod, verbose_name=_("survey period"), on_delete=models.CASCADE, related_name="results"
    )
    nrr_u1 = _nrr_field("U1")
    nrr_u2 = _nrr_field("U2")
    nrr_u3 = _nrr_field("U3")
    nrr_u4 = _nrr_field("U4")
    nrr_u5 = _nrr_field("U5")
    nrr_u6 = _nrr_field("U6")
    nrr_u7 = _nrr_field("U7")
    nrr_u8 = _nrr_field("U8")
    nrr_u9 = _nrr_field("U9")
    converted_u1 = _converted_field("U1")
    converted_u2 = _converted_field("U2")
    converted_u3 = _converted_field("U3")
    converted_u4 = _converted_field("U4")
    converted_u5 = _converted_field("U5")
    converted_u6 = _converted_field("U6")
    converted_u7 = _converted_field("U7")
    converted_u8 = _converted_field("U8")
    converted_u9 = _converted_field("U9")
    ikm = models.DecimalField(_("IKM"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=GradeLetter.choices)
    weight_variant = models.CharField(_("element weight"), max_length=5, choices=WeightVariant.choices)
    rounding_rule = models.TextField(_("rounding rule"))
    n_responses = models.PositiveIntegerField(_("responses"))
    population = models.PositiveIntegerField(_("service users (population)"), null=True, blank=True)
    required_sample = models.PositiveIntegerField(_("required sample"), null=True, blank=True)
    is_adequate = models.BooleanField(_("sample adequate"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("computed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IkmResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("IKM result")
        verbose_name_plural = _("IKM results")
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period}: {self.ikm} {self.grade}"

    @property
    def is_published(self) -> bool:
        """True once published."""
        return self.published_at is not None

    @property
    def performance(self) -> Any:
        """The performance label of the grade (translated)."""
        return ikm.PERFORMANCE_LABELS.get(self.grade, "")

    def element_rows(self) -> list[dict[str, Any]]:
        """Per element: code, regulation term, label, NRR, converted score and its grade letter."""
        rows = []
        for code in ikm.ELEMENT_CODES:
            converted = getattr(self, f"converted_{code.lower()}")
            rows.append({
                "code": code, "term": ikm.ELEMENT_TERMS[code], "label": ikm.ELEMENT_LABELS[code],
                "nrr": getattr(self, f"nrr_{code.lower()}"), "converted": converted,
                "grade": ikm.grade(converted).letter,
            })
        return rows
