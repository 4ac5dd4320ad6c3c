"""Admin for method editions (bands and weights editable, audited) and stored compliance results.

An Ombudsman admin corrects provisional bounds here (domain/rules.md: UNCERTAIN values are data an administrator
can correct). Stored results keep their own snapshot of the bands (``bands_used``), so an edit never rewrites them.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from pantau.assessments import actions as write
from pantau.assessments.models import (
    AssessmentRound,
    Band,
    ComplianceResult,
    Dimension,
    DimensionScore,
    IndicatorScore,
    MethodEdition,
)
from pantau.audit.admin_mixins import AuditedAdminMixin, WritePathAdminMixin


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
    """Dimension weights (percent), read-only: the weights of an edition must sum to 100 (rules.md tables C and D),
    which one-at-a-time edits cannot keep; a corrected set of weights comes as a data migration."""

    list_display = ("edition", "code", "name", "weight", "is_provisional")
    list_filter = ("edition", "is_provisional")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """Every field is read-only."""
        return [f.name for f in Dimension._meta.fields]


class BandForm(forms.ModelForm):
    """A band's bound may move only between its neighbours' bounds, and the lowest band keeps 0, so that every score
    0-100 still falls in exactly one band, in order (rules.md tables B-D)."""

    class Meta:
        model = Band
        fields = ["label", "lower_bound", "is_provisional", "source_note"]

    def clean_lower_bound(self) -> Decimal:
        """Raise ValidationError when the bound leaves 0-100 or passes a neighbour; the lowest band stays at 0."""
        value = self.cleaned_data["lower_bound"]
        band = self.instance
        others = list(Band.objects.filter(edition_id=band.edition_id).exclude(pk=band.pk).order_by("lower_bound"))
        below = [b.lower_bound for b in others if b.lower_bound < band.lower_bound]
        above = [b.lower_bound for b in others if b.lower_bound > band.lower_bound]
        if not below and value != 0:
            raise forms.ValidationError(_("The lowest band must start at 0."))
        if not 0 <= value <= 100:
            raise forms.ValidationError(_("A bound lies between 0 and 100."))
        if below and value <= below[-1] or above and value >= above[0]:
            raise forms.ValidationError(_("A bound must stay between the bounds of the bands below and above."))
        return value


@admin.register(Band)
class BandAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Bands: an Ombudsman admin may correct provisional bounds and labels (edition, code and zone are fixed); every
    change is audited. Stored results keep their snapshot until ``pantau reband_results`` re-bands them."""

    form = BandForm
    list_display = ("edition", "code", "label", "zone", "lower_bound", "is_provisional")
    list_filter = ("edition", "zone", "is_provisional")
    readonly_fields = ("edition", "code", "zone")


@admin.register(ComplianceResult)
class ComplianceResultAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Stored results; the computed band and its snapshot are read-only (set by the importer)."""

    list_display = ("year", "region", "unit", "entity_name", "score", "published_zone", "published_category",
                    "computed_band", "computed_zone", "value_type")
    list_filter = ("year", "edition", "published_zone", "computed_zone", "value_type")
    search_fields = ("entity_name", "region__code", "region__name")
    raw_id_fields = ("region", "unit")
    readonly_fields = ("computed_band", "computed_zone", "computed_provisional", "bands_used")


class DimensionScoreInline(admin.TabularInline):
    """A round's dimension scores (read only: the total and band were computed from them)."""

    model = DimensionScore
    extra = 0
    fields = ("dimension", "score")
    readonly_fields = fields
    can_delete = False


class IndicatorScoreInline(admin.TabularInline):
    """A round's indicator scores (read only)."""

    model = IndicatorScore
    extra = 0
    fields = ("dimension", "code", "name", "score")
    readonly_fields = fields
    can_delete = False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(WritePathAdminMixin, admin.ModelAdmin):
    """Assessment rounds. Record new rounds through the entry page or the Excel import (``actions.record_round``
    computes the total, band and findings); here only the title, note and sample flag may be corrected, through
    ``actions.update_round`` (version, audit). Publishing is done on the report card (``actions.publish_round``)."""

    list_display = ("assessed_on", "kind", "unit", "region", "edition", "total", "computed_band", "computed_zone",
                    "is_sample")
    list_filter = ("kind", "edition", "year", "computed_zone", "is_sample")
    search_fields = ("unit__name", "region__code", "title")
    raw_id_fields = ("unit", "region")
    readonly_fields = ("edition", "year", "kind", "unit", "region", "province_code", "assessed_on", "total",
                       "computed_band", "computed_zone", "computed_provisional", "bands_used", "pass_mark",
                       "published_at", "published_by")
    inlines = [DimensionScoreInline, IndicatorScoreInline]

    def has_add_permission(self, request: Any) -> bool:
        """Rounds are added through ``record_round`` (entry page, import, API), never here."""
        return False

    def save_through(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """``update_round`` with the corrected title, note and sample flag."""
        data = {k: v for k, v in form.cleaned_data.items() if k in write.ROUND_FIELDS}
        write.update_round(actor=request.user, assessment=AssessmentRound.objects.get(pk=obj.pk), data=data,
                           expected_version=self.expected_version(form))

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The score inlines are read-only: nothing more to save."""
