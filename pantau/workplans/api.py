"""Work plans, improvement actions and progress reports over the REST API.

Reads start from ``for_user(user, VIEW)``; every write goes through ``pantau.workplans.actions`` (permission check,
validation, save in a transaction, audit entry), never through ``serializer.save()``. Money is whole rupiah (IDR)
as JSON integers; indicator values and progress are decimal strings (progress in percent 0-100, two decimals).
Input takes machine notation only (``core.api_fields``): money a JSON integer or plain digits ("450000"), decimals a
JSON number or a dotted string ("70.5"), dates "YYYY-MM-DD"; "450.000", "Rp 450.000", "70,5" and "31/08/2024" are
refused naming the field (a person's notation is read by the pages, not guessed by the API).
Errors: 400 with messages keyed by field, 403 when the user may view but not do it, 404 when the user may not view
the object (or the id is junk), 412 when ``If-Match`` names an outdated version of the action.

Versions (``core.api.VersionedAPIMixin``): ``GET /actions/<id>/`` and ``PATCH /actions/<id>/`` answer with the
action's version as ``ETag``; a PATCH or a cancel with ``If-Match`` is applied only while the action is still at
that version (412 otherwise, nothing changed). Without ``If-Match`` the write is applied (the client read no
version) and the version still goes up. Roll-ups carry their coverage: an action with sub-actions has
``children_reported`` of ``children_count``; a plan's summary ``top_level_reported`` of ``top_level``.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.agreements.api import AgreementSerializer, agreements_for
from pantau.agreements.models import Agreement, AgreementKind
from pantau.core.api import (
    IdLookupMixin,
    PantauAPIMixin,
    PantauPagination,
    SafeJSONParser,
    VersionedAPIMixin,
    as_api_error,
)
from pantau.core.api_fields import DateAPIField, DecimalAPIField, MoneyAPIField
from pantau.core.concurrency import StaleVersion
from pantau.organizations.models import Unit
from pantau.workplans import actions as write
from pantau.workplans import progress as rules
from pantau.workplans.filters import ActionFilterSet, ProgressReportFilterSet
from pantau.workplans.forms import INDICATOR_LIMIT
from pantau.workplans.models import MAX_MONEY, STATUS_LABELS, Action, Evidence, ProgressReport, ReportStatus
from pantau.workplans.summary import load_actions, load_actions_by_plan, overall_progress, status_counts, with_trees

STATUS_CHOICES = [(code, STATUS_LABELS[code]) for code in rules.Status.ALL]


# ---------------------------------------------------------------------------------------------------------------
# Actions


class CreditBriefSerializer(serializers.Serializer):
    """A change credited to an action: ``{finding, indicator_name, indicator_unit, measured_on, measured_by,
    value_before, value_after}`` (values in the finding's indicator unit; ``GET /api/v1/credits/`` has the rest)."""

    finding = serializers.IntegerField(source="finding_id")
    indicator_name = serializers.CharField(source="finding.indicator_name")
    indicator_unit = serializers.CharField(source="finding.indicator_unit")
    measured_on = serializers.DateField()
    measured_by = serializers.CharField(source="measurement_label")
    value_before = serializers.DecimalField(max_digits=16, decimal_places=2)
    value_after = serializers.DecimalField(max_digits=16, decimal_places=2)


class ActionSerializer(serializers.ModelSerializer):
    """An improvement action as read: ``{id, work_plan, parent, children [ids], code, title, description, finding,
    start_date, due_date, responsible_unit, responsible_unit_name, pic_position, supporting_units [ids],
    budget_planned, budget_realized (IDR, whole rupiah, integers), budget_source, budget_source_label, fiscal_year,
    indicator_name, indicator_unit, baseline, target, weight, actual_reported, actual_verified (decimal strings in
    the indicator's unit; actuals null before any report), reported_progress, verified_progress (percent 0-100 as
    strings such as "40.00"), children_count, children_reported (non-cancelled sub-actions, and how many of them
    reported: what the roll-up counts; 0 and 0 without sub-actions), status, status_label (derived today on the
    responsible unit's own local date: WIB, WITA or WIT), time_zone (WIB, WITA or WIT), can_report (whether a
    report may still be sent: not cancelled, not verified, no sub-actions), is_sample (illustrative data, not a real
    commitment), cancelled_on, cancel_reason, version (also sent as ETag), created_at, updated_at, credits (see
    CreditBriefSerializer)}``.
    """

    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    budget_source_label = serializers.CharField(source="get_budget_source_display", read_only=True)
    children = serializers.SerializerMethodField()
    reported_progress = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    verified_progress = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    children_count = serializers.SerializerMethodField()
    children_reported = serializers.SerializerMethodField()
    time_zone = serializers.CharField(source="responsible_unit.zone_abbreviation", read_only=True)
    can_report = serializers.SerializerMethodField()
    credits = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id", "work_plan", "parent", "children", "code", "title", "description", "finding", "start_date",
            "due_date", "responsible_unit", "responsible_unit_name", "pic_position", "supporting_units",
            "budget_planned", "budget_realized", "budget_source", "budget_source_label", "fiscal_year",
            "indicator_name", "indicator_unit", "baseline", "target", "weight", "actual_reported", "actual_verified",
            "reported_progress", "verified_progress", "children_count", "children_reported", "status", "status_label",
            "time_zone", "can_report", "is_sample", "cancelled_on", "cancel_reason", "version", "created_at",
            "updated_at", "credits",
        ]
        read_only_fields = fields

    def get_children_count(self, obj: Action) -> int:
        """Non-cancelled sub-actions (what the roll-up weighs)."""
        return obj.coverage().total

    def get_children_reported(self, obj: Action) -> int:
        """Of them, those that reported (``Action.has_reported``)."""
        return obj.coverage().reported

    def get_can_report(self, obj: Action) -> bool:
        """True when progress may still be reported (``workplans.actions.report_blocker``)."""
        return write.report_blocker(obj) is None

    @extend_schema_field(CreditBriefSerializer(many=True))
    def get_credits(self, obj: Action) -> list[dict[str, Any]]:
        """The measured change credited to the action by later measurements (see ``CreditBriefSerializer``)."""
        return CreditBriefSerializer(obj.credits.all(), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_children(self, obj: Action) -> list[int]:
        """Ids of the direct sub-actions (cancelled ones included)."""
        return [child.pk for child in obj.children.all()]


class ActionWriteSerializer(serializers.ModelSerializer):
    """Input for creating (POST) or changing (PATCH) an action.

    Fields: ``work_plan`` (id; on create only), ``parent`` (action id or null), ``code``, ``title``, ``description``,
    ``finding``, ``start_date``, ``due_date`` (YYYY-MM-DD), ``responsible_unit`` (unit id), ``pic_position``,
    ``supporting_units`` (unit ids), ``budget_planned`` (IDR, whole rupiah, integer >= 0), ``budget_source``,
    ``fiscal_year``, ``indicator_name``, ``indicator_unit``, ``baseline``, ``target`` (decimals, target differs from
    baseline), ``weight`` (decimal > 0 or null), ``is_sample``. Type errors are 400 keyed by field here; domain
    rules (dates, plan kind, unit inside the government, parent in the same plan) are checked by
    ``workplans.actions`` and come back the same way.
    """

    work_plan = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all())
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    supporting_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Action.objects.none(), allow_null=True, required=False)
    start_date = DateAPIField()
    due_date = DateAPIField()
    budget_planned = MoneyAPIField(required=False, max_value=MAX_MONEY)
    baseline = DecimalAPIField(places=2, min_value=-INDICATOR_LIMIT, max_value=INDICATOR_LIMIT)
    target = DecimalAPIField(places=2, min_value=-INDICATOR_LIMIT, max_value=INDICATOR_LIMIT)
    weight = DecimalAPIField(places=2, min_value=Decimal("0.01"), max_value=Decimal("999999.99"), required=False,
                             allow_null=True)

    class Meta:
        model = Action
        fields = [
            "work_plan", "parent", "code", "title", "description", "finding", "start_date", "due_date",
            "responsible_unit", "pic_position", "supporting_units", "budget_planned", "budget_source", "fiscal_year",
            "indicator_name", "indicator_unit", "baseline", "target", "weight", "is_sample",
        ]
        # Uniqueness and the other constraints are checked by the write path, inside its transaction.
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # a parent the user cannot see is an unknown id (400), never a reason to reveal or move it
        self.fields["parent"].queryset = Action.objects.for_user(  # type: ignore[attr-defined]
            getattr(request, "user", None), Permission.VIEW)

    def validate_work_plan(self, value: Agreement) -> Agreement:
        """An action stays in the work plan it was created in."""
        if self.instance is not None and value.pk != self.instance.work_plan_id:
            raise serializers.ValidationError(_("An action cannot move to another work plan."))
        return value


class CancelSerializer(serializers.Serializer):
    """Input for cancelling an action: ``{reason}`` (required, not blank)."""

    reason = serializers.CharField(max_length=2000)


def actions_for(user: Any) -> QuerySet[Action]:
    """Actions ``user`` may view, with what the action serializer reads loaded (children: ``summary.with_trees``)."""
    return (
        Action.objects.for_user(user, Permission.VIEW)
        .select_related("responsible_unit")
        .prefetch_related("supporting_units", "credits__finding")
        .order_by("work_plan_id", "sort_key", "code", "id")
    )


@extend_schema_view(
    create=extend_schema(request=ActionWriteSerializer, responses={201: ActionSerializer}),
    partial_update=extend_schema(request=ActionWriteSerializer, responses={200: ActionSerializer}),
)
class ActionViewSet(
    IdLookupMixin,
    PantauAPIMixin,
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Improvement actions the user may view (``Action.objects.for_user(user, VIEW)``); login required.

    - ``GET /actions/``: paginated ``{count, next, previous, results: [action]}``; filters ``?work_plan=<id>``,
      ``?responsible_unit=<id>`` (400 for non-numbers) and ``?status=`` (a derived status, 400 for others).
    - ``GET /actions/<id>/``: one action, its version as ``ETag``; 404 when the user may not view it.
    - ``POST /actions/``: create (``workplans.actions.create_action``; EDIT_ACTIONS on the responsible unit, else
      403); 201 with the action; 400 naming ``code`` when the code is taken, also by a concurrent request.
    - ``PATCH /actions/<id>/``: change fields (``update_action``; moving under another parent needs EDIT_ACTIONS on
      both parents, else 403); ``If-Match`` with a stale version is 412 and changes nothing; 200 with the action
      and its new ``ETag``. PUT and DELETE are not offered (405).
    - ``POST /actions/<id>/cancel/`` with ``{reason}``: cancel (``cancel_action``; ``If-Match`` as for PATCH); 400
      without a reason.
    """

    pagination_class = PantauPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilterSet

    def get_queryset(self) -> QuerySet[Action]:
        """Actions in the user's VIEW scope (list filters: ``workplans.filters.ActionFilterSet``)."""
        return actions_for(self.request.user)

    def get_serializer_class(self) -> Any:
        """The write serializer for create and update, the read serializer otherwise."""
        if self.action in ("create", "partial_update", "update"):
            return ActionWriteSerializer
        if self.action == "cancel":
            return CancelSerializer
        return ActionSerializer

    def get_object(self) -> Action:
        """The action within the user's VIEW scope (404 otherwise), with its sub-action tree loaded."""
        obj = super().get_object()
        with_trees([obj])
        return obj

    def _reloaded(self, pk: int) -> Response:
        """The action as stored after a write, in the read shape, with its version as ``ETag``."""
        obj = actions_for(self.request.user).get(pk=pk)
        with_trees([obj])
        return self.with_etag(Response(ActionSerializer(obj, context=self.get_serializer_context()).data),
                              obj.version)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of actions (filters: ``ActionFilterSet``; 400 for a bad value), trees loaded in one query."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        with_trees(page or [])
        serializer = ActionSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``create_action``; 201 with the new action."""
        serializer = ActionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        work_plan = data.pop("work_plan")
        supporting = data.pop("supporting_units", [])
        created = write.create_action(
            actor=request.user, work_plan=work_plan, data=data, supporting_units=supporting
        )
        response = self._reloaded(created.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH only: validate the given fields' types, then ``update_action``; 200 with the action."""
        instance = self.get_object()
        expected = self.expected_version(request, instance)
        serializer = ActionWriteSerializer(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("work_plan", None)
        supporting = data.pop("supporting_units", None)
        write.update_action(actor=request.user, action=instance, data=data, supporting_units=supporting,
                            expected_version=expected)
        return self._reloaded(instance.pk)

    @extend_schema(request=CancelSerializer, responses={200: ActionSerializer})
    @drf_action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the action with ``{reason}`` (``cancel_action``); 400 without a reason or when already
        cancelled, 403 without EDIT_ACTIONS, 404 when not visible."""
        instance = self.get_object()
        expected = self.expected_version(request, instance)
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            write.cancel_action(actor=request.user, action=instance, reason=serializer.validated_data["reason"],
                                expected_version=expected)
        except StaleVersion:
            raise
        except DjangoValidationError as exc:
            raise as_api_error(exc, rename={"cancel_reason": "reason"}) from exc
        return self._reloaded(instance.pk)


# ---------------------------------------------------------------------------------------------------------------
# Work plans


class WorkPlanSummarySerializer(serializers.Serializer):
    """Progress summary of a work plan over its top-level actions (sub-actions roll up into their parent):
    ``{actions (count, cancelled included), reported_progress, verified_progress (percent 0-100 strings, weighted by
    action weight, cancelled actions left out), top_level (actions the roll-up weighs), top_level_reported (of them,
    those that reported; one without a report counts as 0 %), by_status {status: count for every status},
    sample_actions (count of illustrative actions)}``."""

    actions = serializers.IntegerField()
    reported_progress = serializers.DecimalField(max_digits=5, decimal_places=2)
    verified_progress = serializers.DecimalField(max_digits=5, decimal_places=2)
    top_level = serializers.IntegerField()
    top_level_reported = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    sample_actions = serializers.IntegerField()


def work_plan_summary(actions: list[Action]) -> dict[str, Any]:
    """Summary of a plan over the actions the user may VIEW (trees loaded), computed by the dashboard's functions
    (``workplans.summary``) so the API and the pages always agree: progress is the weighted roll-up of the visible
    top-level actions, status counts cover every visible action."""
    progress = overall_progress(actions)
    return {
        "actions": len(actions),
        "reported_progress": progress["reported"],
        "verified_progress": progress["verified"],
        "top_level": progress["top_level"],
        "top_level_reported": progress["roots_reported"],
        "by_status": {row["code"]: row["count"] for row in status_counts(actions, timezone.now())},
        "sample_actions": sum(1 for a in actions if a.is_sample),
    }


class WorkPlanSerializer(AgreementSerializer):
    """A work plan: every agreement field (see AgreementSerializer; ``summary`` there is the plan's text) plus
    ``progress_summary`` (see WorkPlanSummarySerializer) over the actions the user may view, like the dashboard."""

    progress_summary = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "progress_summary"]
        read_only_fields = fields

    @extend_schema_field(WorkPlanSummarySerializer)
    def get_progress_summary(self, obj: Agreement) -> dict[str, Any]:
        """The progress summary over the plan's actions visible to the requesting user."""
        by_plan = self.context.get("actions_by_plan") or {}
        actions = by_plan.get(obj.pk)
        if actions is None:
            actions = load_actions(self.context["request"].user, obj)
        return WorkPlanSummarySerializer(work_plan_summary(actions)).data


class WorkPlanViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Work plans (agreements of kind work_plan) the user may view, each with its progress summary; login
    required, read-only.

    List: paginated ``{count, next, previous, results: [work plan]}``. Detail: 404 when not visible or not a work
    plan. Query count does not grow with the number of plans or actions (one query per level of sub-actions).
    """

    serializer_class = WorkPlanSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[Agreement]:
        """Visible work plans."""
        return agreements_for(self.request.user).filter(kind=AgreementKind.WORK_PLAN)

    def paginate_queryset(self, queryset: Any) -> Any:
        """A page of plans, with the visible actions of all of them loaded in one pass."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._actions_by_plan = load_actions_by_plan(self.request.user, [p.pk for p in page])
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        """Adds the loaded actions per plan (``actions_by_plan``) to the serializer context."""
        context = super().get_serializer_context()
        context["actions_by_plan"] = getattr(self, "_actions_by_plan", None)
        return context


# ---------------------------------------------------------------------------------------------------------------
# Progress reports


class UserBriefSerializer(serializers.Serializer):
    """A user in brief: ``{id, username, position}``."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    position = serializers.CharField()


class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file's record: ``{id, name, size (bytes), uploaded_at}``. The file is served only through
    permission-checked pages, never from a public URL."""

    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "name", "size", "uploaded_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    """A progress report as read: ``{id, action, action_code, report_date, actual_value (decimal string in the
    indicator's unit), narrative, amount_spent (IDR spent since the previous report, integer), status
    (submitted, accepted, returned), status_label, submitted_by, submitted_at, reviewed_by, reviewed_at,
    review_reason, evidence [evidence]}``; users as ``{id, username, position}`` or null."""

    action_code = serializers.CharField(source="action.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = UserBriefSerializer(read_only=True, allow_null=True)
    reviewed_by = UserBriefSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id", "action", "action_code", "report_date", "actual_value", "narrative", "amount_spent", "status",
            "status_label", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_reason",
            "evidence",
        ]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.ModelSerializer):
    """Input for a progress report (JSON, or multipart when sending evidence): ``action`` (id of an action the user
    may view), ``report_date`` (YYYY-MM-DD, not in the future), ``actual_value`` (JSON number or dotted string, the
    indicator's new value), ``narrative``, ``amount_spent`` (IDR spent since the previous report, JSON integer or
    plain digits >= 0, default 0), ``evidence`` (files: PDF, images or office documents; repeat the multipart field
    for several), ``confirm`` (true to send unusual values anyway: an actual value far outside the indicator's range
    or outside 0-100 for a percent unit, money spent without budget, a date before the action starts; without it
    such a report is a 400 naming each value and ``confirm``)."""

    action = serializers.PrimaryKeyRelatedField(queryset=Action.objects.none())
    report_date = DateAPIField()
    actual_value = DecimalAPIField(places=2, min_value=-INDICATOR_LIMIT, max_value=INDICATOR_LIMIT)
    amount_spent = MoneyAPIField(required=False, max_value=MAX_MONEY)
    evidence = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False), required=False, allow_empty=True, max_length=20
    )
    confirm = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = ProgressReport
        fields = ["action", "report_date", "actual_value", "narrative", "amount_spent", "evidence", "confirm"]
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["action"].queryset = Action.objects.for_user(user, Permission.VIEW)  # type: ignore[attr-defined]


class AcceptSerializer(serializers.Serializer):
    """Input for accepting a report: ``{note}`` (optional)."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnSerializer(serializers.Serializer):
    """Input for returning a report: ``{reason}`` (required, not blank)."""

    reason = serializers.CharField(max_length=2000)


def reports_for(user: Any) -> QuerySet[ProgressReport]:
    """Progress reports of the actions ``user`` may view, with what the serializer reads loaded."""
    return (
        ProgressReport.objects.filter(action__in=Action.objects.for_user(user, Permission.VIEW))
        .select_related("action", "action__responsible_unit", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-report_date", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("action", OpenApiTypes.INT, description="id of the action"),
            OpenApiParameter("work_plan", OpenApiTypes.INT, description="id of the work plan"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values),
        ]
    ),
    create=extend_schema(
        request={
            "multipart/form-data": ProgressReportCreateSerializer,
            "application/json": ProgressReportCreateSerializer,
        },
        responses={201: ProgressReportSerializer},
    ),
)
class ProgressReportViewSet(
    IdLookupMixin,
    PantauAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports of the actions the user may view; login required.

    - ``GET /progress-reports/``: paginated, newest first; filters ``?action=``, ``?work_plan=`` (ids, 400 for
      non-numbers), ``?status=`` (submitted, accepted, returned).
    - ``GET /progress-reports/<id>/``: one report; 404 when not visible.
    - ``POST /progress-reports/``: submit (``workplans.actions.report_progress``; REPORT_PROGRESS on the responsible
      unit, else 403); 400 keyed by field (an action not visible is an invalid ``action``); 201 with the report.
    - ``POST /progress-reports/<id>/accept/`` with optional ``{note}``, ``POST /progress-reports/<id>/return/``
      with ``{reason}`` (required): review (``accept_report`` / ``return_report``; VERIFY_PROGRESS, else 403;
      400 when already reviewed or for one's own report).
    """

    pagination_class = PantauPagination
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProgressReportFilterSet

    def get_queryset(self) -> QuerySet[ProgressReport]:
        """Reports in the user's VIEW scope (list filters: ``workplans.filters.ProgressReportFilterSet``)."""
        return reports_for(self.request.user)

    def get_serializer_class(self) -> Any:
        """Per action: create, accept and return have their own input serializers."""
        return {
            "create": ProgressReportCreateSerializer,
            "accept": AcceptSerializer,
            "return_": ReturnSerializer,
        }.get(self.action, ProgressReportSerializer)

    def _reloaded(self, pk: int) -> Response:
        """The report as stored after a write, in the read shape."""
        report = reports_for(self.request.user).get(pk=pk)
        return Response(ProgressReportSerializer(report, context=self.get_serializer_context()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``report_progress``; 201 with the report."""
        serializer = ProgressReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = write.report_progress(
            actor=request.user,
            action=data["action"],
            report_date=data["report_date"],
            actual_value=data["actual_value"],
            narrative=data["narrative"],
            amount_spent=data.get("amount_spent", 0),
            files=data.get("evidence", []),
            confirm=data.get("confirm", False),
        )
        response = self._reloaded(report.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=AcceptSerializer, responses={200: ProgressReportSerializer})
    @drf_action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the report: its actual value becomes the action's verified actual."""
        report = self.get_object()
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write.accept_report(actor=request.user, report=report, note=serializer.validated_data["note"])
        return self._reloaded(report.pk)

    @extend_schema(request=ReturnSerializer, responses={200: ProgressReportSerializer})
    @drf_action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Return the report with a reason; it stops counting as reported progress."""
        report = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            write.return_report(actor=request.user, report=report, reason=serializer.validated_data["reason"])
        except DjangoValidationError as exc:
            raise as_api_error(exc, rename={"review_reason": "reason"}) from exc
        return self._reloaded(report.pk)
