"""Survey periods and IKM results over the REST API (login required; scoped to the user's VIEW units).

``GET /api/v1/survey-periods/`` (``?unit=<id>``), ``POST /api/v1/survey-periods/`` and
``PATCH /api/v1/survey-periods/<id>/`` (``surveys.actions.create_period`` / ``update_period``: MANAGE_SURVEYS on the
unit, else 403; a period detail and a PATCH answer carry its version as ``ETag``, a stale ``If-Match`` is 412), and
``GET /api/v1/ikm-results/`` (``?period=<id>``); results are drafts until published
(``POST /api/v1/ikm-results/<id>/publish/``, the Ombudsman's PUBLISH_RESULTS): a draft is listed only to the people
who computed it (MANAGE_SURVEYS) and the Ombudsman, with ``is_published`` false. Scores are
decimal strings: NRR on the 1-4 scale (4 decimals), converted scores and the IKM on the 25-100 scale (2 decimals);
each result names its weight variant ("exact" or "0.11") and rounding rule (rules.md section 3). Every write goes
through ``pantau.surveys.actions`` (as from the staff pages and the CLI).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, VersionedAPIMixin, int_param
from pantau.core.api_fields import DateAPIField
from pantau.organizations.models import Unit
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


class SurveyPeriodWriteSerializer(serializers.Serializer):
    """Input of ``POST /survey-periods/`` (``unit`` required, on create only) and ``PATCH``: ``{unit, service_name,
    start_date, end_date (YYYY-MM-DD), population (whole number >= 1 or null), public_form, note}``."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False)
    service_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = DateAPIField()
    end_date = DateAPIField()
    population = serializers.IntegerField(min_value=1, max_value=100_000_000, required=False, allow_null=True)
    public_form = serializers.BooleanField(required=False)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        self.fields["unit"].queryset = units_for(user, Permission.VIEW)  # type: ignore[attr-defined]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("unit", OpenApiTypes.INT)]),
    create=extend_schema(request=SurveyPeriodWriteSerializer, responses={201: SurveyPeriodSerializer}),
    partial_update=extend_schema(request=SurveyPeriodWriteSerializer, responses={200: SurveyPeriodSerializer}),
)
class SurveyPeriodViewSet(
    IdLookupMixin, PantauAPIMixin, VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """Survey periods of units the user may view; create and change them with MANAGE_SURVEYS on the unit. A detail
    and a PATCH answer carry the version as ``ETag``; a PATCH with a stale ``If-Match`` is 412."""

    serializer_class = SurveyPeriodSerializer
    pagination_class = PantauPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        """The write serializer for writes, the read serializer otherwise."""
        return SurveyPeriodWriteSerializer if self.action in ("create", "partial_update") else SurveyPeriodSerializer

    def _reloaded(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        period = SurveyPeriod.objects.select_related("unit").get(pk=pk)
        return self.with_etag(Response(SurveyPeriodSerializer(period).data, status=code), period.version)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``create_period``; 201 with the period."""
        serializer = SurveyPeriodWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("This field is required.")]})
        period = services.create_period(actor=request.user, unit=unit, **data)
        return self._reloaded(period.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH: ``update_period`` with the given fields (``If-Match``: the version read; 412 when stale); 200
        with the period and its new ``ETag``."""
        period = self.get_object()
        expected = self.expected_version(request, period)
        serializer = SurveyPeriodWriteSerializer(data=request.data, partial=True,
                                                 context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("unit", None)
        services.update_period(actor=request.user, period=period, data=data, expected_version=expected)
        return self._reloaded(period.pk)

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
