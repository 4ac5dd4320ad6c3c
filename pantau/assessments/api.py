"""Compliance assessment API: method editions with their weights and bands, stored results and assessment rounds.

``GET /api/v1/assessment-editions/``, ``GET /api/v1/compliance-results/`` and ``GET|POST /api/v1/assessment-rounds/``
(registered in pantau/api_urls.py). Login required. Results are scoped by
``ComplianceResult.objects.for_user(user, VIEW)``: published results addressed by region code are visible to every
logged-in user; results about a unit follow the unit's scope. Rounds follow the unit's VIEW scope (404
outside it). A round is created only through ``actions.record_round`` (PermissionDenied -> 403, ValidationError ->
400 through ``pantau.core.api``). A round is a draft until the Ombudsman publishes it
(``POST /api/v1/assessment-rounds/<id>/publish/``, ``actions.publish_round``): drafts are listed only to the people
who may enter that kind of round there and to the Ombudsman (``AssessmentRoundQuerySet.visible_to``), with
``is_published`` false; a detail carries the round's version as ``ETag``.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.assessments.actions import publish_round, record_round
from pantau.assessments.filters import AssessmentRoundFilterSet, ComplianceResultFilterSet
from pantau.assessments.models import (
    AssessmentRound,
    Band,
    ComplianceResult,
    Dimension,
    DimensionScore,
    IndicatorScore,
    MethodEdition,
    Zone,
)
from pantau.assessments.rules import INDICATOR_CODE_MAX, INDICATOR_NAME_MAX, MAX_INDICATORS, MAX_NOTE
from pantau.core.api import (
    IdLookupMixin,
    PantauAPIMixin,
    PantauPagination,
    SafeJSONParser,
    VersionedAPIMixin,
)
from pantau.core.api_fields import DateAPIField, DecimalAPIField
from pantau.organizations.models import Unit


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
    # "" when nothing was computed (not the 0-100 index) or nothing published: declared so that the schema's enums
    # include the blank value
    computed_zone = serializers.ChoiceField(choices=Zone.choices, allow_blank=True, read_only=True)
    published_zone = serializers.ChoiceField(choices=Zone.choices, allow_blank=True, read_only=True)

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


class ComplianceResultViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Compliance results the user may view, newest year first; 400 on a bad ``?year=`` or ``?zone=``."""

    serializer_class = ComplianceResultSerializer
    pagination_class = PantauPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplianceResultFilterSet

    def get_queryset(self) -> QuerySet[ComplianceResult]:
        """Results in the user's VIEW scope, filtered by the query parameters."""
        qs = (
            ComplianceResult.objects.for_user(self.request.user, Permission.VIEW)
            .select_related("edition")
            .order_by("-year", "region_id", "unit_id", "id")
        )
        return qs


KIND_HELP = "official | pre_evaluation | self_assessment (RoundKind; checked by record_round, 400 otherwise)"
"""Kinds are documented as text: a second enum named "kind" would collide with the agreements' in the schema."""


class DimensionScoreSerializer(serializers.ModelSerializer):
    """``{dimension (code), score (string, 2 decimals)}``."""

    dimension = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DimensionScore
        fields = ["dimension", "score"]
        read_only_fields = fields


class IndicatorScoreSerializer(serializers.ModelSerializer):
    """``{dimension (code), code, name, score}``."""

    dimension = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = ["dimension", "code", "name", "score"]
        read_only_fields = fields


class AssessmentRoundSerializer(serializers.ModelSerializer):
    """A round with its scores and the computed total, band and zone (and the snapshot of the bounds used),
    ``is_published`` / ``published_at`` (null for a draft) and ``version``."""

    edition = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    computed_zone = serializers.ChoiceField(choices=Zone.choices, allow_blank=True, read_only=True)
    dimension_scores = DimensionScoreSerializer(many=True, read_only=True)
    indicator_scores = IndicatorScoreSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentRound
        fields = ["id", "edition", "year", "kind", "unit", "region", "province_code", "assessed_on", "title",
                  "total", "computed_band", "computed_zone", "computed_provisional", "bands_used", "pass_mark",
                  "is_sample", "note", "is_published", "published_at", "version", "dimension_scores",
                  "indicator_scores"]
        read_only_fields = fields


class IndicatorInputSerializer(serializers.Serializer):
    """One indicator score of a new round."""

    dimension = serializers.CharField(max_length=40)
    code = serializers.SlugField(max_length=INDICATOR_CODE_MAX)
    name = serializers.CharField(max_length=INDICATOR_NAME_MAX, required=False, allow_blank=True, default="")
    score = DecimalAPIField(places=2, min_value=0, max_value=100)


class AssessmentRoundWriteSerializer(serializers.Serializer):
    """Input of ``POST /assessment-rounds/``: types only; ``record_round`` checks the rest (dimensions of the
    edition, 0-100, year inside the edition, date, unit kind, permission). Indicator codes are unique per dimension
    (case-insensitive) and at most ``MAX_INDICATORS`` per round."""

    edition = serializers.SlugRelatedField(slug_field="code", queryset=MethodEdition.objects.all())
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    kind = serializers.CharField(max_length=16, help_text=KIND_HELP)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    assessed_on = DateAPIField()
    dimension_scores = serializers.DictField(child=DecimalAPIField(places=2, min_value=0, max_value=100),
                                             allow_empty=False)
    indicator_scores = IndicatorInputSerializer(many=True, required=False)
    pass_mark = DecimalAPIField(places=2, min_value=0, max_value=100, required=False, allow_null=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["unit"].queryset = units_for(user, Permission.VIEW)  # type: ignore[attr-defined]

    def validate_indicator_scores(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """At most ``MAX_INDICATORS`` items; each (dimension, code) once (codes compared case-insensitively)."""
        if len(value) > MAX_INDICATORS:
            raise serializers.ValidationError(
                _("At most %(limit)d indicator scores per round.") % {"limit": MAX_INDICATORS})
        seen: set[tuple[str, str]] = set()
        for item in value:
            key = (item["dimension"], item["code"].casefold())
            if key in seen:
                raise serializers.ValidationError(
                    _("Indicator %(code)s appears twice in the dimension %(dimension)s.")
                    % {"code": item["code"], "dimension": item["dimension"]})
            seen.add(key)
        return value


@extend_schema_view(
    create=extend_schema(request=AssessmentRoundWriteSerializer, responses={201: AssessmentRoundSerializer,
                                                                           200: AssessmentRoundSerializer}),
)
class AssessmentRoundViewSet(
    IdLookupMixin, PantauAPIMixin, VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):
    """Assessment rounds in the user's VIEW scope (404 outside it), newest first.

    ``POST`` records a round about a unit through ``actions.record_round`` (``unit`` must be visible, else 400;
    permission per kind, else 403; bad scores 400); 201 with the round, or 200 with the stored round when the same
    round (kind, unit, date) was already recorded. ``POST /assessment-rounds/<id>/publish/`` publishes a draft
    (403 without PUBLISH_RESULTS, 400 when already published).
    """

    serializer_class = AssessmentRoundSerializer
    pagination_class = PantauPagination
    parser_classes = [SafeJSONParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssessmentRoundFilterSet

    def get_queryset(self) -> QuerySet[AssessmentRound]:
        """Rounds in the user's VIEW scope with their scores, filtered by ``?year=``, ``?unit=``, ``?kind=``."""
        qs = (
            AssessmentRound.objects.visible_to(self.request.user)
            .select_related("edition")
            .prefetch_related("dimension_scores__dimension", "indicator_scores__dimension")
            .order_by("-year", "-assessed_on", "id")
        )
        return qs

    def get_serializer_class(self) -> Any:
        """The write serializer for create, the read serializer otherwise."""
        return AssessmentRoundWriteSerializer if self.action == "create" else AssessmentRoundSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``record_round``."""
        serializer = AssessmentRoundWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        indicators: dict[str, dict[str, tuple[str, Any]]] = {}
        for item in data.get("indicator_scores", []):
            indicators.setdefault(item["dimension"], {})[item["code"]] = (item["name"] or item["code"], item["score"])
        outcome = record_round(
            actor=request.user, edition=data["edition"], year=data.get("year") or data["assessed_on"].year,
            kind=data["kind"], assessed_on=data["assessed_on"], unit=data["unit"],
            dimension_scores=data["dimension_scores"], indicator_scores=indicators,
            pass_mark=data.get("pass_mark"), title=data["title"], note=data["note"],
        )
        stored = self.get_queryset().get(pk=outcome.round.pk)
        return Response(AssessmentRoundSerializer(stored).data,
                        status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: AssessmentRoundSerializer})
    @drf_action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the round; 200 with it and its new ``ETag``."""
        assessment = publish_round(actor=request.user, assessment=self.get_object())
        stored = self.get_queryset().get(pk=assessment.pk)
        return self.with_etag(Response(AssessmentRoundSerializer(stored).data), stored.version)
