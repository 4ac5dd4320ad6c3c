"""Complaints, their services and the deadline rules over the REST API (/api/v1/).

- ``GET /complaints/`` (``?unit=<id>`` subtree, ``?stage=`` or ``open``, ``?overdue=true``) and
  ``GET /complaints/<id>/``: complaints in the user's VIEW scope (404 outside it). The complainant is always masked
  here (``complainant``: initials or a mask; nothing of NIK, phone, e-mail); the ``description`` is given only to
  the complaint's handlers and the Ombudsman, null otherwise.
- ``GET /complaints/<id>/identity/``: the identity in clear for the handlers and the Ombudsman (403 otherwise);
  audited when the complainant asked for confidentiality (``actions.reveal_identity``).
- ``POST /complaints/``: staff entry (``actions.enter_complaint``); 201 with the complaint and the
  ``tracking_code``, shown this once.
- ``POST /complaints/<id>/step/`` ``{step, version, text, complete, resolved, satisfied, unit}``: one handling step
  (pick_up, check, ask, answer, outcome, close, withdraw, reassign, note, forward) through ``complaints.actions``.
- ``GET /complaint-services/``: services in the VIEW scope with their complaint counts (nothing personal).
- ``GET /deadline-rules/`` and ``PATCH /deadline-rules/<id>/`` ``{length, day_kind, source, provisional, note,
  version}``: the rules as data (``actions.save_deadline_rule``: the Ombudsman admin; audited).

Errors: 400 keyed by field, 403 when visible but not allowed, 404 outside the scope.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.complaints import actions
from pantau.complaints.access import can_see_identity, in_clear, masked
from pantau.complaints.models import (
    OPEN_STAGES,
    STAFF_CHANNELS,
    Complaint,
    DayKind,
    DeadlineRule,
    Stage,
)
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, SafeJSONParser, choice_param, int_param
from pantau.core.api_fields import DateAPIField
from pantau.organizations.models import Unit
from pantau.standards.components import ComponentCode
from pantau.standards.models import Service


class PersonSerializer(serializers.Serializer):
    """``{name, nik, phone, email}``: masked in complaint records, in clear only from ``/identity/``."""

    name = serializers.CharField()
    nik = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as read: ids and names of its government, unit and service, the stage, every step's date and
    due date (local dates of the unit's zone), ``overdue`` (today in that zone), ``complainant`` (masked) and
    ``description`` (handlers and the Ombudsman only; null for others)."""

    reference = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    service_name = serializers.SerializerMethodField()
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id", "reference", "channel", "external_ticket", "government", "unit", "unit_name", "service",
            "service_name", "component", "subject", "description", "stage", "stage_label", "outcome",
            "confidential", "received_at", "received_on", "zone", "picked_up_at", "routed_on", "escalated_on",
            "first_response_on", "file_requested_on", "file_completed_on", "answered_on", "concluded_on",
            "closed_on", "withdrawn_on", "withdrawal_reason", "pickup_due", "first_response_due", "completion_due",
            "resolution_due", "overdue", "complainant", "is_sample", "version",
        ]
        read_only_fields = fields

    def get_service_name(self, complaint: Complaint) -> str:
        """The service's name, or ""."""
        return complaint.service.name if complaint.service else ""

    def get_overdue(self, complaint: Complaint) -> bool:
        """Past a deadline the unit still has to meet, today in the complaint's zone."""
        return complaint.is_overdue(actions._today(complaint))

    @extend_schema_field(PersonSerializer)
    def get_complainant(self, complaint: Complaint) -> dict[str, str]:
        """The masked identity (``access.masked``)."""
        return masked(getattr(complaint, "identity", None), confidential=complaint.confidential)

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, complaint: Complaint) -> str | None:
        """What happened: for the handlers and the Ombudsman only."""
        user = getattr(self.context.get("request"), "user", None)
        return complaint.description if can_see_identity(user, complaint) else None


class ComplaintWriteSerializer(serializers.Serializer):
    """Input of ``POST /complaints/`` (staff entry); ``actions.enter_complaint`` checks the rest."""

    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    external_ticket = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    received_on = DateAPIField(required=False, allow_null=True, default=None)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True,
                                              default=None)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.none(), required=False, allow_null=True,
                                                 default=None)
    component = serializers.ChoiceField(choices=ComponentCode.choices, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=actions.MAX_TEXT)
    name = serializers.CharField(max_length=200)
    nik = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    confidential = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        units = units_for(user, Permission.VIEW)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.filter(unit__in=units)  # type: ignore[attr-defined]


class StepSerializer(serializers.Serializer):
    """Input of ``POST /complaints/<id>/step/``."""

    step = serializers.ChoiceField(choices=["pick_up", "check", "ask", "answer", "outcome", "close", "withdraw",
                                            "reassign", "note", "forward"])
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    text = serializers.CharField(max_length=actions.MAX_TEXT, required=False, allow_blank=True, default="")
    complete = serializers.BooleanField(required=False, allow_null=True, default=None)
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None)


def _run(user: Any, complaint: Complaint, data: dict[str, Any]) -> None:
    step, version, text = data["step"], data["version"], data["text"]
    if step == "pick_up":
        actions.pick_up(actor=user, complaint=complaint, version=version)
    elif step == "check":
        if data["complete"] is None:
            raise serializers.ValidationError({"complete": ["true or false."]})
        actions.check_file(actor=user, complaint=complaint, complete=data["complete"], question=text, version=version)
    elif step == "ask":
        actions.ask(actor=user, complaint=complaint, question=text, version=version)
    elif step == "answer":
        actions.answer(actor=user, complaint=complaint, text=text, version=version)
    elif step == "outcome":
        if data["resolved"] is None:
            raise serializers.ValidationError({"resolved": ["true or false."]})
        actions.record_outcome(actor=user, complaint=complaint, resolved=data["resolved"], note=text, version=version)
    elif step == "close":
        actions.close(actor=user, complaint=complaint, satisfied=data["satisfied"], comment=text, version=version)
    elif step == "withdraw":
        actions.withdraw(actor=user, complaint=complaint, reason=text, version=version)
    elif step == "reassign":
        if data["unit"] is None:
            raise serializers.ValidationError({"unit": ["A unit is required."]})
        actions.reassign(actor=user, complaint=complaint, unit=data["unit"], reason=text, version=version)
    elif step == "note":
        actions.add_note(actor=user, complaint=complaint, text=text)
    else:
        actions.forward_to_ombudsman(actor=user, complaint=complaint, note=text)


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("unit", OpenApiTypes.INT, description="id of a unit: its complaints and those below it"),
        OpenApiParameter("stage", OpenApiTypes.STR, description="a stage, or 'open'"),
        OpenApiParameter("overdue", OpenApiTypes.BOOL, description="only complaints past a deadline of the unit"),
    ]),
    create=extend_schema(request=ComplaintWriteSerializer, responses={201: ComplaintSerializer}),
)
class ComplaintViewSet(IdLookupMixin, PantauAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Complaints in the user's VIEW scope, identity masked (see the module docstring)."""

    serializer_class = ComplaintSerializer
    pagination_class = PantauPagination
    parser_classes = [SafeJSONParser]

    def get_queryset(self) -> QuerySet[Complaint]:
        """Complaints in scope, newest first, with the filters of the module docstring."""
        qs = (Complaint.objects.for_user(self.request.user, Permission.VIEW)
              .select_related("unit", "service", "identity").order_by("-received_at", "-id"))
        if self.action == "list":
            unit_id = int_param(self.request, "unit")
            if unit_id is not None:
                unit = Unit.objects.filter(pk=unit_id).first()
                qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
            stage = choice_param(self.request, "stage", ["open", *Stage.values])
            if stage == "open":
                qs = qs.filter(stage__in=OPEN_STAGES)
            elif stage:
                qs = qs.filter(stage=stage)
            if choice_param(self.request, "overdue", ["true", "false"]) == "true":
                qs = qs.overdue(actions.zone_todays(timezone.now()))
        return qs

    def get_serializer_class(self) -> Any:
        """The write serializer for create, the read serializer otherwise."""
        if self.action == "create":
            return ComplaintWriteSerializer
        if self.action == "step":
            return StepSerializer
        return ComplaintSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``actions.enter_complaint``; 201 with the complaint and its code."""
        serializer = ComplaintWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        submitted = actions.enter_complaint(actor=request.user, **serializer.validated_data)
        complaint = self.get_queryset().get(pk=submitted.complaint.pk)
        data = dict(ComplaintSerializer(complaint, context=self.get_serializer_context()).data)
        data["tracking_code"] = submitted.tracking_code
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PersonSerializer})
    @action(detail=True, methods=["get"])
    def identity(self, request: Request, pk: str | None = None) -> Response:
        """The identity in clear (handlers and the Ombudsman; audited when confidential); 403 for others."""
        complaint = self.get_object()
        person = actions.reveal_identity(actor=request.user, complaint=complaint)
        response = Response(in_clear(person))
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=StepSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str | None = None) -> Response:
        """One handling step (see the module docstring); 200 with the complaint after it. A step that moves the
        complaint out of the user's sight (a reassignment to a unit the user does not handle) answers 200 with
        ``{"id", "detail"}`` only: the step was done, and the complaint is no longer the user's to read."""
        complaint = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(request.user, complaint, dict(serializer.validated_data))
        after = self.get_queryset().filter(pk=complaint.pk).first()
        if after is None:
            return Response({"id": complaint.pk, "detail": _("Done; the complaint now lies outside your units.")})
        return Response(ComplaintSerializer(after, context=self.get_serializer_context()).data)


class ComplaintServiceSerializer(serializers.ModelSerializer):
    """A service with its complaint counts: ``{id, name, unit, unit_name, complaints, open_complaints}``."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    complaints = serializers.IntegerField(source="complaint_count", read_only=True)
    open_complaints = serializers.IntegerField(source="open_count", read_only=True)

    class Meta:
        model = Service
        fields = ["id", "name", "unit", "unit_name", "complaints", "open_complaints"]
        read_only_fields = fields


class ComplaintServiceViewSet(IdLookupMixin, PantauAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    """Services in the VIEW scope with how many complaints they received and how many are open."""

    serializer_class = ComplaintServiceSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[Service]:
        """Services in scope with counts, in unit order."""
        return (Service.objects.for_user(self.request.user, Permission.VIEW).select_related("unit")
                .annotate(complaint_count=Count("complaints"),
                          open_count=Count("complaints", filter=Q(complaints__stage__in=OPEN_STAGES)))
                .order_by("unit__path", "name", "id"))


class DeadlineRuleSerializer(serializers.ModelSerializer):
    """A deadline rule: ``{id, code, code_label, unit (null: national), length, day_kind, source, provisional,
    note, version}``."""

    code_label = serializers.CharField(source="get_code_display", read_only=True)

    class Meta:
        model = DeadlineRule
        fields = ["id", "code", "code_label", "unit", "length", "day_kind", "source", "provisional", "note",
                  "version"]
        read_only_fields = ["id", "code", "code_label", "unit"]


class DeadlineRulePatchSerializer(serializers.Serializer):
    """Input of ``PATCH /deadline-rules/<id>/`` (fields left out keep their value)."""

    length = serializers.IntegerField(required=False)
    day_kind = serializers.ChoiceField(choices=DayKind.choices, required=False)
    source = serializers.CharField(required=False, max_length=actions.MAX_TEXT)
    provisional = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=actions.MAX_TEXT)
    version = serializers.IntegerField(required=False, min_value=1)


class DeadlineRuleViewSet(IdLookupMixin, PantauAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """National rules and the units' own rules of units in the VIEW scope; PATCH changes one."""

    serializer_class = DeadlineRuleSerializer
    pagination_class = PantauPagination
    parser_classes = [SafeJSONParser]

    def get_queryset(self) -> QuerySet[DeadlineRule]:
        """National rules and those of visible units."""
        visible = units_for(self.request.user, Permission.VIEW)
        return DeadlineRule.objects.filter(Q(unit__isnull=True) | Q(unit__in=visible)).order_by("unit_id", "code")

    @extend_schema(request=DeadlineRulePatchSerializer, responses={200: DeadlineRuleSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change a rule through ``actions.save_deadline_rule`` (403 without the right)."""
        rule = self.get_object()
        serializer = DeadlineRulePatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = actions.save_deadline_rule(
            actor=request.user, rule=rule, code=rule.code, length=data.get("length", rule.length),
            day_kind=data.get("day_kind", rule.day_kind), source=data.get("source", rule.source),
            provisional=data.get("provisional", rule.provisional), note=data.get("note", rule.note),
            version=data.get("version"),
        )
        return Response(DeadlineRuleSerializer(change.rule).data)
