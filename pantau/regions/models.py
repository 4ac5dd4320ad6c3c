"""Kemendagri regions, 4 levels, addressed by their dotted code (domain/rules.md section 6)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.core.typed_input import search_key
from pantau.regions import codes


class RegionKind(models.TextChoices):
    """What a region is, told by its code (regions.codes.kind_of)."""

    PROVINCE = codes.PROVINCE, _("province")
    REGENCY = codes.REGENCY, _("regency")
    CITY = codes.CITY, _("city")
    DISTRICT = codes.DISTRICT, _("district")
    KELURAHAN = codes.KELURAHAN, _("urban village (kelurahan)")
    DESA = codes.DESA, _("village (desa)")
    DESA_ADAT = codes.DESA_ADAT, _("customary village (desa adat)")


def validate_region_code(value: str) -> None:
    """Django validator wrapping regions.codes.validate_code; raises ValidationError."""
    try:
        codes.kind_of(value)
    except codes.InvalidRegionCode as exc:
        raise ValidationError(str(exc)) from exc


class RegionQuerySet(models.QuerySet["Region"]):
    """Regions with tree helpers based on the code prefix."""

    def within(self, code: str) -> "RegionQuerySet":
        """The region ``code`` and every region below it."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "."))


class Region(models.Model):
    """One Kemendagri region: province, regency/city, district (kecamatan) or village (desa/kelurahan).

    ``code`` is the dotted Kemendagri code and the primary key; ``province_code`` (the first two digits) is kept on
    the row so national tables can be partitioned by province. ``name_folded`` is the name as searched
    (``core.typed_input.search_key``: case, apostrophe variants ' ’ ʼ ` ´ and spacing folded, "Sa’dan" -> "sa'dan"),
    kept by ``save`` and by the loader (``regions.actions.import_regions``).
    """

    code = models.CharField(_("code"), max_length=13, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"))
    kind = models.CharField(_("kind"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    name_folded = models.CharField(_("name as searched"), max_length=120, blank=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, keeping ``name_folded`` in step with ``name``."""
        self.name_folded = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)
