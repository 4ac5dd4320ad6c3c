"""Admin for method editions (bands and weights editable, audited) and stored compliance results.

An Ombudsman admin corrects provisional bounds here (domain/rules.md: UNCERTAIN values are data an administrator
can correct). Stored results keep their own snapshot of the bands (``bands_used``), so an edit never rewrites them.
"""

from django.contrib import admin

from pantau.assessments.models import Band, ComplianceResult, Dimension, MethodEdition
from pantau.audit.admin_mixins import AuditedAdminMixin


class DimensionInline(admin.TabularInline):
    """Dimensions and weights of an edition (read here; edit through the Dimension admin, which is audited)."""

    model = Dimension
    extra = 0
    fields = ("code", "name", "weight", "is_provisional")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class BandInline(admin.TabularInline):
    """Bands of an edition (read here; edit through the Band admin, which is audited)."""

    model = Band
    extra = 0
    fields = ("code", "label", "zone", "lower_bound", "is_provisional")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(MethodEdition)
class MethodEditionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Method editions with their dimensions and bands."""

    list_display = ("code", "name", "valid_from", "valid_to", "regulation")
    search_fields = ("code", "name", "regulation")
    inlines = [DimensionInline, BandInline]


@admin.register(Dimension)
class DimensionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Dimension weights (percent)."""

    list_display = ("edition", "code", "name", "weight", "is_provisional")
    list_filter = ("edition", "is_provisional")


@admin.register(Band)
class BandAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Bands: an Ombudsman admin may correct provisional bounds; every change is audited."""

    list_display = ("edition", "code", "label", "zone", "lower_bound", "is_provisional")
    list_filter = ("edition", "zone", "is_provisional")


@admin.register(ComplianceResult)
class ComplianceResultAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Stored results; the computed band and its snapshot are read-only (set by the importer)."""

    list_display = ("year", "region", "unit", "entity_name", "score", "published_zone", "published_category",
                    "computed_band", "computed_zone", "value_type")
    list_filter = ("year", "edition", "published_zone", "computed_zone", "value_type")
    search_fields = ("entity_name", "region__code", "region__name")
    raw_id_fields = ("region", "unit")
    readonly_fields = ("computed_band", "computed_zone", "computed_provisional", "bands_used")
