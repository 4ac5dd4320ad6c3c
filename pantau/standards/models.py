"""Services per unit and their service standards, one row per component (UU 25/2009 art. 21-22; PermenPANRB
15/2014; domain/rules.md section 1).

Completeness is computed per component by ``standards.completeness`` (pure) and rolled up by
``standards.services``; missing components become findings through ``findings.actions.record_finding``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import ScopedQuerySet
from pantau.standards.completeness import is_present
from pantau.standards.components import ComponentCode


class ServiceQuerySet(ScopedQuerySet):
    """Services, scoped per user through their unit."""

    scope_unit = "unit"


class Service(models.Model):
    """A service (jenis/produk layanan) a unit delivers, for example "Izin Praktik Dokter Hewan". ``is_sample``
    marks illustrative services of the demo. ``version`` counts saves of the service and of its standard (a new
    standard version is an edit of the service's standard; ``core.concurrency``)."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_in_unit")]

    def __str__(self) -> str:
        return self.name

    def current_standard(self) -> "ServiceStandard | None":
        """The standard in force: the latest by adoption date (unadopted drafts last), then by id; None if none."""
        return self.standards.order_by(models.F("adopted_on").desc(nulls_last=True), "-id").first()


class ServiceStandard(models.Model):
    """One version of a service's standard (standar pelayanan) with its adoption decree, publication and maklumat.

    The 14 components are ``components`` (one ``StandardComponent`` per component; a missing row means "not
    available"). The maklumat pelayanan is the provider's published pledge (domain/rules.md section 1.3; its
    wording is not hard-coded, UNCERTAIN).
    """

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="standards")
    title = models.CharField(_("title"), max_length=300, blank=True)
    decree_number = models.CharField(_("adoption decree number"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    publication_media = models.TextField(_("publication media"), blank=True, help_text=_("One medium per line."))
    maklumat_text = models.TextField(_("maklumat text"), blank=True)
    maklumat_adopted = models.BooleanField(_("maklumat adopted"), default=False)
    maklumat_published = models.BooleanField(_("maklumat published"), default=False)
    source_url = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["service", "-adopted_on", "-id"]

    def __str__(self) -> str:
        return self.title or str(self.service)

    @property
    def is_adopted(self) -> bool:
        """True when a decree number or an adoption date is recorded (menetapkan, domain/rules.md section 1.3)."""
        return bool(self.decree_number or self.adopted_on)


class StandardComponent(models.Model):
    """One of the 14 components of a standard.

    ``content`` is the component as the source gives it (text, list or object); null means "not available" and is
    NOT the same as an explicitly empty value, though neither counts as present. ``is_published`` says whether the
    component is published to users (required for the 6 service-delivery components, domain/rules.md section 1.2).
    """

    standard = models.ForeignKey(
        ServiceStandard, verbose_name=_("service standard"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.CharField(_("component"), max_length=40, choices=ComponentCode.choices)
    content = models.JSONField(_("content"), null=True, blank=True)
    is_published = models.BooleanField(_("published to users"), default=False)

    class Meta:
        verbose_name = _("standard component")
        verbose_name_plural = _("standard components")
        ordering = ["standard", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="component_unique_per_standard")]

    def __str__(self) -> str:
        return f"{self.standard} - {self.get_code_display()}"

    @property
    def is_present(self) -> bool:
        """True when the content is available and not empty (``completeness.is_present``)."""
        return is_present(self.content)
