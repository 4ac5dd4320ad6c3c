"""One tree of units: Ombudsman offices, regional governments, agencies, service units, districts, villages.

Kinds follow DESIGN.md; the agency typology (sekretariat, dinas, badan, inspektorat, kecamatan) is PP 18/2016,
recalled in domain/rules.md section 6 (UNCERTAIN there, so it is a plain choice, not a rule Pantau enforces).
"""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import ScopedQuerySet
from pantau.core.workdays import WIB, WIT, WITA, UnknownProvinceCode, local_date, zone_for_province


class UnitKind(models.TextChoices):
    """Kinds of unit in the tree."""

    OMBUDSMAN_OFFICE = "ombudsman_office", _("Ombudsman office")
    REGIONAL_GOVERNMENT = "regional_government", _("regional government")
    AGENCY = "agency", _("agency (OPD)")
    SERVICE_UNIT = "service_unit", _("service unit")
    DISTRICT_OFFICE = "district_office", _("district office (kecamatan)")
    VILLAGE_GOVERNMENT = "village_government", _("village government (desa/kelurahan)")


class AgencyType(models.TextChoices):
    """Type of agency (OPD) or of a part of one."""

    SEKRETARIAT = "sekretariat", _("secretariat")
    BAGIAN = "bagian", _("bureau (bagian of the Setda)")
    DINAS = "dinas", _("office (dinas)")
    BADAN = "badan", _("agency (badan)")
    INSPEKTORAT = "inspektorat", _("inspectorate")
    OTHER = "other", _("other")


class Verification(models.TextChoices):
    """How sure we are that a unit exists as recorded."""

    VERIFIED = "verified", _("confirmed by a cited source")
    TYPICAL = "typical", _("existence not yet confirmed by a local source")


class TimeZone(models.TextChoices):
    """The three time zones of Indonesia (Keppres 41/1987; domain/rules.md section 10), by their IANA names."""

    WIB = WIB, _("WIB (western Indonesia time, UTC+7)")
    WITA = WITA, _("WITA (central Indonesia time, UTC+8)")
    WIT = WIT, _("WIT (eastern Indonesia time, UTC+9)")


ZONE_ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}
"""The short name people use for each zone."""


class UnitQuerySet(ScopedQuerySet):
    """Units with subtree helpers, scoped per user (``for_user``: the units themselves, ``accounts.scoping``)."""

    scope_unit = ""

    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        """``unit`` and every unit below it."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A unit of government or of the Ombudsman: a node of one tree (``parent``), optionally at a region.

    ``path`` is the materialised path of primary keys (``/1/5/20/``), kept by ``save``; a subtree is
    ``path__startswith``. ``province_code`` comes from the region (or the parent) for national partitioning.
    ``version`` counts saves (``core.concurrency``).
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    agency_type = models.CharField(_("agency type"), max_length=16, choices=AgencyType.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="units",
    )
    province_code = models.CharField(_("province code"), max_length=2, blank=True, db_index=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.VERIFIED
    )
    source_url = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, blank=True,
        help_text=_("Empty: the zone of the unit's province (Keppres 41/1987)."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then set ``path`` from the parent's path; a move re-paths the whole subtree in one statement.

        Refuses (ValueError) a parent inside the unit's own subtree: the path would loop. Moves with permission
        checks go through ``organizations.actions.move_unit``.
        """
        if not self.province_code:
            if self.region_id:
                self.province_code = str(self.region_id)[:2]
            elif self.parent is not None:
                self.province_code = self.parent.province_code
        if self.pk is not None and self.parent is not None and self.path and self.parent.path.startswith(self.path):
            raise ValueError("a unit cannot be placed under itself or one of its sub-units")
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if new_path != old_path:
            if old_path:
                Unit.objects.filter(path__startswith=old_path).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=models.CharField())
                )
            else:
                Unit.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path

    @property
    def zone(self) -> str:
        """The unit's IANA time zone: its own ``time_zone``, else its province's (rules.md section 10), else the
        Ombudsman's national offices' (Jakarta, WIB)."""
        if self.time_zone:
            return self.time_zone
        try:
            return zone_for_province(self.province_code)
        except UnknownProvinceCode:
            return WIB

    @property
    def zone_abbreviation(self) -> str:
        """WIB, WITA or WIT."""
        return ZONE_ABBREVIATIONS.get(self.zone, self.zone)

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        """Today's date in the unit's own zone (``now``: an aware instant, default the current time)."""
        return local_date(now or timezone.now(), self.zone)

    def ancestors(self) -> "UnitQuerySet":
        """Units above this one, root first."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        return Unit.objects.filter(pk__in=ids).order_by("path")

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is ``other`` or below it."""
        return self.path.startswith(other.path)
