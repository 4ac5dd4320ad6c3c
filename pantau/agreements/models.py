"""MoUs (Nota Kesepakatan), the work plans (Rencana Kerja Pelayanan Publik) signed under them, and cooperation
agreements (Perjanjian Kerja Sama, PKS) with single agencies under a work plan.

Layering per domain/rules.md section 7: an MoU between Ombudsman RI and the regional head, then a work plan signed by
the Ombudsman regional office and the regional government, optionally cooperation agreements with single agencies
(Tanjabbar 2022: PKS with 13 OPDs). Addenda are versions of an agreement (``AgreementVersion``) that record what they
changed; signed documents are checked uploads (``AgreementDocument``).
"""

import datetime as dt
from typing import Any

from django.conf import settings
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
    """Between the Ombudsman office and one agency (a unit of kind agency), under a work plan."""


class AgreementStatus(models.TextChoices):
    """Derived lifecycle status of an agreement (see ``Agreement.status_on``): draft, signed (not yet in force),
    active (in force), extended (in force beyond its original end through an addendum), ended (period over) or
    terminated (ended early)."""

    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed, not yet in force")
    ACTIVE = "active", _("in force")
    EXTENDED = "extended", _("extended by addendum")
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
    """An MoU or a work plan between an Ombudsman office and a regional government, or a cooperation agreement
    (PKS) between an Ombudsman office and one agency.

    ``parent`` links a work plan to its MoU and a PKS to its work plan. Dates are calendar dates in the signing
    place's time zone. The signing date may be unknown (null) where the source does not give it, as for Batanghari's
    MoU. ``original_period_end`` is the period end before the first addendum that extended it (null: never
    extended). ``version`` counts saves of the record (``core.concurrency``; not an addendum's number, which is
    ``AgreementVersion.number``).
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
    original_period_end = models.DateField(_("original period end"), null=True, blank=True, editable=False)
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
        """Derived status on ``today``: terminated (on or after ``terminated_on``), draft (not signed), signed (before
        the period starts), ended (past the period end), extended (past the original end, within the period an
        addendum extended), else in force."""
        if self.terminated_on and self.terminated_on <= today:
            return AgreementStatus.TERMINATED
        if not self.is_signed:
            return AgreementStatus.DRAFT
        if self.period_start and today < self.period_start:
            return AgreementStatus.SIGNED
        if self.period_end and self.period_end < today:
            return AgreementStatus.EXPIRED
        if self.original_period_end and self.original_period_end < today:
            return AgreementStatus.EXTENDED
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


class AgreementVersion(models.Model):
    """An addendum (adendum): a signed change to an agreement, kept as a numbered version (1 = first addendum; the
    agreement as first signed is version 0 and has no row).

    ``changes`` is ``{field: [before, after]}`` of the agreement's fields the addendum changed (dates as ISO
    strings); ``summary`` says in words what changed. ``is_extension`` is True when it moved the period end later.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("addendum number"))
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signing date"))
    summary = models.TextField(_("what changed"))
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    is_extension = models.BooleanField(_("extends the period"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreementversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} - {self.title}"

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """``changes`` as (translated field label, before, after) rows, for people."""
        labels = {f.attname: str(f.verbose_name) for f in Agreement._meta.concrete_fields}
        return [(labels.get(name, name), pair[0], pair[1]) for name, pair in (self.changes or {}).items()]


class DocumentKind(models.TextChoices):
    """What an agreement document is."""

    SIGNED = "signed", _("signed agreement")
    DRAFT = "draft", _("draft")
    ADDENDUM = "addendum", _("signed addendum")
    ANNEX = "annex", _("annex")


class AgreementDocument(models.Model):
    """A document of an agreement (the signed text, a draft, an annex, a signed addendum), checked on upload by
    ``core.uploads.validate_document`` and served only through a permission-checked page."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    version = models.ForeignKey(
        AgreementVersion, verbose_name=_("addendum"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, validators=[validate_document])
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
