"""Findings API: ``GET /api/v1/findings/`` (with the actions answering each finding and the credits they earned)
and ``GET /api/v1/credits/``.

Login required; findings and credits follow the VIEW scope of their unit (of the credited action's responsible unit
for credits); 404 outside it. Read-only: findings are written by the measuring apps through
``findings.actions``, credits by ``findings.actions.close_findings``.
"""


from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from pantau.accounts.models import Permission
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination
from pantau.findings.filters import CreditFilterSet, FindingFilterSet
from pantau.findings.models import Credit, Finding
from pantau.workplans.models import Action


class CreditSerializer(serializers.ModelSerializer):
    """A credit: ``{id, finding, action, action_code, measured_on, value_before, value_after, change,
    indicator_name, indicator_unit, measurement_kind ("app.model"), measurement_id, measurement_label}``; values in
    the finding's indicator unit."""

    action_code = serializers.CharField(source="action.code", read_only=True)
    change = serializers.DecimalField(max_digits=17, decimal_places=2, read_only=True)
    indicator_name = serializers.CharField(source="finding.indicator_name", read_only=True)
    indicator_unit = serializers.CharField(source="finding.indicator_unit", read_only=True)
    measurement_kind = serializers.SerializerMethodField()

    class Meta:
        model = Credit
        fields = ["id", "finding", "action", "action_code", "measured_on", "value_before", "value_after", "change",
                  "indicator_name", "indicator_unit", "measurement_kind", "measurement_id", "measurement_label"]
        read_only_fields = fields

    def get_measurement_kind(self, credit: Credit) -> str:
        """The measurement's model as ``app_label.model`` (e.g. ``assessments.assessmentround``)."""
        kind = credit.measurement_type
        return f"{kind.app_label}.{kind.model}"


class FindingSerializer(serializers.ModelSerializer):
    """A finding: ``{id, source, source_key, unit, title, detail, detected_on, indicator_name, indicator_unit,
    baseline, target, closed_on, closing_value, is_sample, actions (ids the user may view), credits (on actions the
    user may view, see CreditSerializer)}``."""

    actions = serializers.SerializerMethodField()
    credits = CreditSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "source", "source_key", "unit", "title", "detail", "detected_on", "indicator_name",
                  "indicator_unit", "baseline", "target", "closed_on", "closing_value", "is_sample", "actions",
                  "credits"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_actions(self, finding: Finding) -> list[int]:
        """Ids of the actions answering the finding that the user may view."""
        return [action.pk for action in getattr(finding, "visible_actions", [])]


class FindingViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Findings (from assessments, standards, surveys, complaints) about units in the user's VIEW scope, newest
    first; 404 outside it. Read-only: findings are written by the modules that detect them."""

    serializer_class = FindingSerializer
    pagination_class = PantauPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilterSet

    def get_queryset(self) -> QuerySet[Finding]:
        """Findings in scope (list filters: ``findings.filters.FindingFilterSet``)."""
        visible = Action.objects.for_user(self.request.user, Permission.VIEW).order_by("id")
        credits = Credit.objects.for_user(self.request.user, Permission.VIEW).select_related(
            "action", "finding", "measurement_type")
        qs = (
            Finding.objects.for_user(self.request.user, Permission.VIEW)
            .prefetch_related(Prefetch("actions", queryset=visible, to_attr="visible_actions"),
                              Prefetch("credits", queryset=credits))
            .order_by("-detected_on", "id")
        )
        return qs


class CreditViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Credits: the measured change credited to actions the user may VIEW, oldest first; 404 outside the scope."""

    serializer_class = CreditSerializer
    pagination_class = PantauPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CreditFilterSet

    def get_queryset(self) -> QuerySet[Credit]:
        """Credits in scope (list filters: ``findings.filters.CreditFilterSet``)."""
        return (
            Credit.objects.for_user(self.request.user, Permission.VIEW)
            .select_related("action", "finding", "measurement_type")
            .order_by("measured_on", "id")
        )
