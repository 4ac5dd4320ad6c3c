"""MoUs (Nota Kesepakatan) and the work plans (Rencana Kerja Pelayanan Publik) signed under them.

Layering per domain/rules.md section 7: an MoU between Ombudsman RI and the regional head, then a work plan signed by
the Ombudsman regional office and the regional government, optionally cooperation agreements with single agencies.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import scope
from pantau.core.uploads import document_upload_to, validate_document


class AgreementKind(models.TextChoices):
    """Kinds of agreement."""

    MOU = "mou", _("memorandum of understanding (Nota Kesepakatan)")
    WORK_PLAN = "work_plan", _("public service work plan (Rencana Kerja)")
    COOPERATION = "cooperation", _("cooperation agreement (PKS)")


class AgreementStatus(models.TextChoices):
    """Derived status of an agreement (see ``Agreement.status``)."""

    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in force")
    EXPIRED = "expired", _("ended")
    TERMINATED = "terminated", _("terminated")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    """Agreements, scoped per user."""

    def for_user(self, user: object, permission: str) -> "AgreementQuerySet":
        """Agreements one of whose parties, or the responsible unit of one of whose actions, lies in the user's
        scope for ``permission`` (an agency officer sees the work plan that holds the agency's actions)."""
        allowed = scope(user, permission)
        if allowed.everything:
            return self
        parties = allowed.q("government__") | allowed.q("ombudsman_office__")  # type: ignore[operator]
        with_actions = self.model.objects.filter(allowed.q("actions__responsible_unit__")).values("pk")
        return self.filter(parties | Q(pk__in=with_actions))


class Agreement(models.Model):
    """An MoU or a work plan between an Ombudsman office and a regional government.

    ``parent`` links a work plan to its MoU. Dates are calendar dates in the signing place's time zone. The signing
    date may be unknown (null) where the source does not give it, as for Batanghari's MoU. ``version`` counts saves
    (``core.concurrency``).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("under agreement"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    ombudsman_office = models.ForeignKey(
        "organizations.Unit", verbose_name=_("Ombudsman party"), on_delete=models.PROTECT, related_name="+"
    )
    government = models.ForeignKey(
        "organizations.Unit", verbose_name=_("government party"), on_delete=models.PROTECT,
        related_name="agreements",
    )
    is_signed = models.BooleanField(_("signed"), default=False)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_place = models.CharField(_("signing place"), max_length=200, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to=document_upload_to, blank=True, validators=[validate_document]
    )
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.TextField(_("source"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="agreement_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, today: dt.date) -> str:
        """Derived status on ``today``: terminated, draft (not signed), ended (past period end), else in force."""
        if self.terminated_on and self.terminated_on <= today:
            return AgreementStatus.TERMINATED
        if not self.is_signed:
            return AgreementStatus.DRAFT
        if self.period_end and self.period_end < today:
            return AgreementStatus.EXPIRED
        return AgreementStatus.ACTIVE

    @property
    def status(self) -> str:
        """Status today in the government party's own time zone (WIB, WITA or WIT; domain/rules.md section 10)."""
        return self.status_on(self.government.local_today(timezone.now()))

    def get_status_display(self) -> str:
        """Translated label of ``status``."""
        return str(AgreementStatus(self.status).label)


class Signatory(models.Model):
    """A person who signed or witnessed an agreement, recorded by position (never by name in shipped data)."""

    class Capacity(models.TextChoices):
        SIGNED = "signed", _("signed")
        WITNESSED = "witnessed", _("witnessed")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    position = models.CharField(_("position"), max_length=200)
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.position} ({self.get_capacity_display()})"
