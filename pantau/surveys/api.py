"""Survey periods and IKM results over the REST API (login required; scoped to the user's VIEW units).

``GET /api/v1/survey-periods/`` (``?unit=<id>``) and ``GET /api/v1/ikm-results/`` (``?period=<id>``); results are
drafts until published (``POST /api/v1/ikm-results/<id>/publish/``, the Ombudsman's PUBLISH_RESULTS): a draft is
listed only to the people who computed it (MANAGE_SURVEYS) and the Ombudsman, with ``is_published`` false. Scores are
decimal strings: NRR on the 1-4 scale (4 decimals), converted scores and the IKM on the 25-100 scale (2 decimals);
each result names its weight variant ("exact" or "0.11") and rounding rule (rules.md section 3). Writes go through
``pantau.surveys.actions`` from the staff pages and the CLI.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, VersionedAPIMixin, int_param
from pantau.surveys import actions as services
from pantau.surveys.models import IkmResult, SurveyPeriod


class SurveyPeriodSerializer(serializers.ModelSerializer):
    """A period: ``{id, unit, unit_name, service_name, start_date, end_date, population (or null), public_form,
    is_sample, province_code, version}``."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = SurveyPeriod
        fields = ["id", "unit", "unit_name", "service_name", "start_date", "end_date", "population", "public_form",
                  "is_sample", "province_code", "version"]
        read_only_fields = fields


class IkmResultSerializer(serializers.ModelSerializer):
    """A stored result: ``{id, period, ikm, grade, performance, weight_variant, rounding_rule, n_responses,
    population, required_sample, is_adequate, computed_at, is_published, published_at, elements: [{code, term, nrr,
    converted, grade}]}``."""

    performance = serializers.SerializerMethodField()
    elements = serializers.SerializerMethodField()

    class Meta:
        model = IkmResult
        fields = ["id", "period", "ikm", "grade", "performance", "weight_variant", "rounding_rule", "n_responses",
                  "population", "required_sample", "is_adequate", "computed_at", "is_published", "published_at",
                  "elements"]
        read_only_fields = fields

    def get_performance(self, obj: IkmResult) -> str:
        """The grade's performance label in the active language."""
        return str(obj.performance)

    def get_elements(self, obj: IkmResult) -> list[dict[str, Any]]:
        """Per element: code, the regulation's term, NRR, converted score, grade letter."""
        return [
            {"code": row["code"], "term": row["term"], "nrr": str(row["nrr"]), "converted": str(row["converted"]),
             "grade": row["grade"]}
            for row in obj.element_rows()
        ]


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("unit", OpenApiTypes.INT)]))
class SurveyPeriodViewSet(IdLookupMixin, PantauAPIMixin, VersionedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Survey periods of units the user may view; a detail carries its version as ``ETag``."""

    serializer_class = SurveyPeriodSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[SurveyPeriod]:
        """Periods in the user's VIEW scope, newest first."""
        qs = SurveyPeriod.objects.for_user(self.request.user, Permission.VIEW).select_related("unit")
        unit = int_param(self.request, "unit") if self.action == "list" else None
        if unit is not None:
            qs = qs.filter(unit_id=unit)
        return qs.order_by("-start_date", "id")


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("period", OpenApiTypes.INT)]))
class IkmResultViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Stored IKM results of periods the user may view, newest first (drafts: see the module docstring).

    - ``POST /ikm-results/<id>/publish/``: publish a draft (``surveys.actions.publish_result``); 403 without
      PUBLISH_RESULTS on the unit, 400 when already published."""

    serializer_class = IkmResultSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[IkmResult]:
        """Results in the user's VIEW scope, drafts only for who may see them (``IkmResultQuerySet.visible_to``)."""
        qs = IkmResult.objects.visible_to(self.request.user).select_related("period__unit")
        period = int_param(self.request, "period") if self.action == "list" else None
        if period is not None:
            qs = qs.filter(period_id=period)
        return qs.order_by("-computed_at", "-id")

    @extend_schema(request=None, responses={200: IkmResultSerializer})
    @drf_action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the result; 200 with it."""
        result = services.publish_result(actor=request.user, result=self.get_object())
        return Response(IkmResultSerializer(result, context=self.get_serializer_context()).data)


__all__ = ["IkmResultViewSet", "SurveyPeriodViewSet"]
