"""Compliance assessment API (read-only): method editions with their weights and bands, and stored results.

``GET /api/v1/assessment-editions/`` and ``GET /api/v1/compliance-results/`` (register in pantau/api_urls.py).
Login required. Results are scoped by ``ComplianceResult.objects.for_user(user, VIEW)``: published results addressed
by region code are visible to every logged-in user; results about a unit follow the unit's scope.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from pantau.accounts.models import Permission
from pantau.assessments.models import Band, ComplianceResult, Dimension, MethodEdition, Zone
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, choice_param, int_param


class DimensionSerializer(serializers.ModelSerializer):
    """``{code, name, weight (percent, string with 2 decimals), is_provisional}``."""

    class Meta:
        model = Dimension
        fields = ["code", "name", "weight", "is_provisional"]
        read_only_fields = fields


class BandSerializer(serializers.ModelSerializer):
    """``{code, label, zone, lower_bound (inclusive, 0-100, string), is_provisional, source_note}``."""

    class Meta:
        model = Band
        fields = ["code", "label", "zone", "lower_bound", "is_provisional", "source_note"]
        read_only_fields = fields


class MethodEditionSerializer(serializers.ModelSerializer):
    """An edition with ``dimensions`` and ``bands`` (highest lower bound first)."""

    dimensions = DimensionSerializer(many=True, read_only=True)
    bands = serializers.SerializerMethodField()

    class Meta:
        model = MethodEdition
        fields = ["id", "code", "name", "valid_from", "valid_to", "regulation", "rounding_rule",
                  "components_percent_until", "source_note", "dimensions", "bands"]
        read_only_fields = fields

    @extend_schema_field(BandSerializer(many=True))
    def get_bands(self, edition: MethodEdition) -> list[dict[str, object]]:
        """Bands, highest lower bound first."""
        bands = sorted(edition.bands.all(), key=lambda band: band.lower_bound, reverse=True)
        return list(BandSerializer(bands, many=True).data)


class ComplianceResultSerializer(serializers.ModelSerializer):
    """A result: ``{id, region (code or null), unit (id or null), province_code, entity_name, year, edition (code),
    value_type, score (string or null), computed_band, computed_zone, computed_provisional, bands_used,
    published_zone, published_category, published_opinion, assessment_name, source_url, note}``."""

    edition = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ComplianceResult
        fields = ["id", "region", "unit", "province_code", "entity_name", "year", "edition", "value_type", "score",
                  "computed_band", "computed_zone", "computed_provisional", "bands_used", "published_zone",
                  "published_category", "published_opinion", "assessment_name", "source_url", "note"]
        read_only_fields = fields


class MethodEditionViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Method editions (reference data for every logged-in user), oldest first."""

    serializer_class = MethodEditionSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[MethodEdition]:
        """All editions with their dimensions and bands."""
        return MethodEdition.objects.prefetch_related("dimensions", "bands").order_by("valid_from")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("region", OpenApiTypes.STR, description="dotted region code (exact)"),
            OpenApiParameter("province", OpenApiTypes.STR, description="two-digit province code"),
            OpenApiParameter("zone", OpenApiTypes.STR, enum=Zone.values, description="computed zone"),
        ]
    )
)
class ComplianceResultViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Compliance results the user may view, newest year first; 400 on a bad ``?year=`` or ``?zone=``."""

    serializer_class = ComplianceResultSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[ComplianceResult]:
        """Results in the user's VIEW scope, filtered by the query parameters."""
        qs = (
            ComplianceResult.objects.for_user(self.request.user, Permission.VIEW)
            .select_related("edition")
            .order_by("-year", "region_id", "unit_id", "id")
        )
        if self.action != "list":
            return qs
        year = int_param(self.request, "year", min_value=1990, max_value=2100)
        if year is not None:
            qs = qs.filter(year=year)
        region = self.request.query_params.get("region", "").strip()
        if region:
            qs = qs.filter(region_id=region)
        province = self.request.query_params.get("province", "").strip()
        if province:
            qs = qs.filter(province_code=province)
        zone = choice_param(self.request, "zone", Zone.values)
        if zone:
            qs = qs.filter(computed_zone=zone)
        return qs
