"""Findings (temuan) from every measurement and the measured change credited to the actions that answered them.

The loop of DESIGN.md: a gap found by a measurement (an assessment indicator or dimension, a service-standard
component, an SKM element, a complaint pattern) is a ``Finding``; it becomes improvement actions in a work plan
(``Finding.actions``); a later measurement of the same thing closes it, and the change measured is a ``Credit`` to
each action that answered it. A credit points at the measurement that showed the change, whatever its kind
(an assessment round, a survey result, a service-standard version), through a generic relation.
"""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import ScopedQuerySet


class FindingSource(models.TextChoices):
    """Where a finding comes from (DESIGN.md, "The loop the product closes")."""

    STANDARD = "standard", _("missing service-standard component")
    ASSESSMENT = "assessment", _("failed compliance-assessment indicator")
    SURVEY = "survey", _("low satisfaction-survey element")
    COMPLAINT = "complaint", _("complaint pattern")
    OTHER = "other", _("other")


class FindingQuerySet(ScopedQuerySet):
    """Findings, scoped per user through their unit (``accounts.scoping``)."""

    scope_unit = "unit"


class Finding(models.Model):
    """A gap found by an assessment, a standards check, a survey or complaints: the start of the improvement loop.

    ``source_key`` identifies the finding within its source (for example ``skm:12:U3`` or
    ``standard:service-4:persyaratan``) so that a later measurement can tell whether the same gap is still open.
    ``indicator_*`` pre-fill the action proposed from it (baseline = the measured value, target = the value that
    closes the gap, in ``indicator_unit``). ``closed_on`` is set when a later measurement shows the gap closed.
    ``actions`` are the improvement actions answering it (in any work plan).
    """

    source = models.CharField(_("source"), max_length=12, choices=FindingSource.choices)
    source_key = models.CharField(_("source reference"), max_length=120)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="findings"
    )
    title = models.CharField(_("finding"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    detected_on = models.DateField(_("detected on"))
    indicator_name = models.CharField(_("indicator"), max_length=300, blank=True)
    indicator_unit = models.CharField(_("indicator unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("measured value"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("value that closes it"), max_digits=16, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_value = models.DecimalField(
        _("value when closed"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    actions = models.ManyToManyField(
        "workplans.Action", verbose_name=_("actions answering it"), blank=True, related_name="findings"
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-detected_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key", "unit"], name="finding_unique_per_source")
        ]

    def __str__(self) -> str:
        return self.title


class CreditQuerySet(ScopedQuerySet):
    """Credits, scoped per user through the responsible unit of the credited action."""

    scope_unit = "action__responsible_unit"


class Credit(models.Model):
    """The measured change credited to an action: a later measurement (``measurement``: an assessment round, a
    survey result, a service-standard version...) found ``value_after`` for a finding the action answers, which had
    ``value_before`` when it was last measured open (DESIGN.md, the loop: "re-measurement -> the change credited to
    the action"). Values are in the finding's ``indicator_unit`` (points 0-100, a converted SKM score 25-100, or
    0/1 for a standard component absent/present). ``measurement_label`` says in words what measured it."""

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="credits")
    action = models.ForeignKey(
        "workplans.Action", verbose_name=_("action"), on_delete=models.CASCADE, related_name="credits"
    )
    measured_on = models.DateField(_("measured on"))
    value_before = models.DecimalField(_("value before"), max_digits=16, decimal_places=2)
    value_after = models.DecimalField(_("value after"), max_digits=16, decimal_places=2)
    measurement_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of measurement"), on_delete=models.PROTECT, related_name="+"
    )
    measurement_id = models.PositiveBigIntegerField(_("measurement id"))
    measurement = GenericForeignKey("measurement_type", "measurement_id")
    measurement_label = models.CharField(_("measured by"), max_length=300)

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement_type", "measurement_id", "finding", "action"], name="credit_unique"
            )
        ]
        indexes = [models.Index(fields=["measurement_type", "measurement_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.value_before} -> {self.value_after}"

    @property
    def change(self) -> Decimal:
        """The change measured (value_after - value_before), in the finding's indicator unit."""
        return self.value_after - self.value_before
