"""Meetings, attendance, minutes, decisions and the calendar feed over the REST API; writes through
``pantau.meetings.actions``.

- ``GET/POST /api/v1/meetings/`` (``?agreement=<id>``, ``?kind=``), ``GET/PATCH /api/v1/meetings/<id>/``;
- ``GET/POST /api/v1/meetings/<id>/attendance/`` (list; staff entry), ``POST .../close-sign-in/``,
  ``POST .../reopen-sign-in/``, ``POST .../minutes/``, ``GET/POST .../decisions/`` (record, or decide and apply in
  one step with ``action``);
- ``GET /api/v1/decisions/`` (``?meeting=<id>``), ``GET .../<id>/``, ``POST .../<id>/apply/``, ``POST .../<id>/drop/``;
- ``POST /api/v1/calendar-feed/`` (a new private feed URL, shown once), ``DELETE /api/v1/calendar-feed/``.

Times are ISO 8601 with their offset, written in the meeting's zone (``"2021-03-02T09:00:00+07:00"``); input times
must carry an offset (a naive time is ambiguous across WIB, WITA and WIT). Attendees' names are masked (initials)
for users who may view the meeting but not manage it. Errors: 400 keyed by field, 403, 404 as everywhere.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement
from pantau.core.api import (
    IdLookupMixin,
    PantauAPIMixin,
    PantauPagination,
    VersionedAPIMixin,
    choice_param,
    int_param,
)
from pantau.core.api_fields import DateAPIField, DecimalAPIField, MoneyAPIField
from pantau.meetings import actions as write
from pantau.meetings import attendance as reading
from pantau.meetings.models import (
    AttendanceMode,
    Decision,
    DecisionKind,
    Meeting,
    MeetingKind,
    MeetingMode,
)
from pantau.organizations.models import Unit
from pantau.workplans.models import Action, BudgetSource


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time that must carry its UTC offset ("2021-03-02T09:00:00+08:00")."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        """The aware datetime; 400 for a time without an offset."""
        if isinstance(value, str) and value.strip() and not _has_offset(value.strip()):
            raise serializers.ValidationError(
                _("Give the time with its UTC offset, e.g. 2021-03-02T09:00:00+07:00 (WIB), +08:00 (WITA) or "
                  "+09:00 (WIT)."))
        return super().to_internal_value(value)


def _has_offset(text: str) -> bool:
    if text.endswith(("Z", "z")):
        return True
    tail = text[-6:]
    return len(tail) == 6 and tail[0] in "+-" and tail[3] == ":"


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting: ``{id, agreement, kind, kind_label, title, date (local, YYYY-MM-DD), starts_at, ends_at (ISO
    8601 in the meeting's zone, or null when not given), time_zone (IANA), zone_abbreviation (WIB/WITA/WIT),
    host_unit, place, online_link, mode, mode_label, room_capacity, invited_units [ids], attendance_in_person,
    attendance_online (counts a source published, or null), registered {in_person, online, total, over_capacity},
    sign_in_state (open, not_yet, closed, none), sign_in_links {room, online} (managers only, else null),
    participants, minutes, source_url, ics_url, version (counts saves; also sent as ETag, and a PATCH with a stale
    If-Match is 412)}``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    time_zone = serializers.CharField(source="zone", read_only=True)
    zone_abbreviation = serializers.CharField(read_only=True)
    registered = serializers.SerializerMethodField()
    sign_in_state = serializers.SerializerMethodField()
    sign_in_links = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id", "agreement", "kind", "kind_label", "title", "date", "starts_at", "ends_at", "time_zone",
            "zone_abbreviation", "host_unit", "place", "online_link", "mode", "mode_label", "room_capacity",
            "invited_units", "attendance_in_person", "attendance_online", "registered", "sign_in_state",
            "sign_in_links", "participants", "minutes", "source_url", "ics_url", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, obj: Meeting) -> str | None:
        """The start in the meeting's zone, ISO 8601 with offset."""
        return obj.local_start.isoformat() if obj.local_start else None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, obj: Meeting) -> str | None:
        """The end in the meeting's zone, ISO 8601 with offset."""
        return obj.local_end.isoformat() if obj.local_end else None

    @extend_schema_field({"type": "object", "properties": {
        "in_person": {"type": "integer"}, "online": {"type": "integer"}, "total": {"type": "integer"},
        "over_capacity": {"type": "integer"}}})
    def get_registered(self, obj: Meeting) -> dict[str, int]:
        """Registered attendance by mode (annotated on lists), and how many in person exceed the room."""
        in_person = getattr(obj, "registered_in_person", None)
        online = getattr(obj, "registered_online", None)
        if in_person is None or online is None:
            counted = reading.counts(obj)
            in_person, online = counted.in_person, counted.online
        over = max(0, in_person - obj.room_capacity) if obj.room_capacity is not None else 0
        return {"in_person": in_person, "online": online, "total": in_person + online, "over_capacity": over}

    def get_sign_in_state(self, obj: Meeting) -> str:
        """open, not_yet, closed or none."""
        return obj.sign_in_state()

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "room": {"type": "string"}, "online": {"type": "string"}}})
    def get_sign_in_links(self, obj: Meeting) -> dict[str, str] | None:
        """The public sign-in URLs, for users who may manage the meeting."""
        request = self.context.get("request")
        if request is None or not obj.sign_in_token or not write.may_manage(request.user, obj.agreement):
            return None
        base = request.build_absolute_uri(reverse("meetings:sign_in", args=[obj.sign_in_token]))
        return {"room": f"{base}?via=qr", "online": f"{base}?via=link"}

    def get_ics_url(self, obj: Meeting) -> str:
        """The meeting's .ics file (login required)."""
        return reverse("meetings:meeting_ics", args=[obj.pk])


class MeetingWriteSerializer(serializers.Serializer):
    """Input of ``POST /meetings/`` and ``PATCH /meetings/<id>/``: types only; mode, place, link, host and invited
    units, times and counts are checked by ``meetings.actions``. ``agreement`` on create only."""

    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=300)
    mode = serializers.ChoiceField(choices=MeetingMode.choices)
    date = DateAPIField(required=False)
    starts_at = AwareDateTimeField(required=False, allow_null=True)
    ends_at = AwareDateTimeField(required=False, allow_null=True)
    host_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    room_capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    invited_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    attendance_in_person = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    attendance_online = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    source_url = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A new meeting names its agreement and a date or a start time."""
        if self.instance is None and not self.partial:
            if "agreement" not in attrs:
                raise serializers.ValidationError({"agreement": [_("This field is required.")]})
            if not attrs.get("date") and not attrs.get("starts_at"):
                raise serializers.ValidationError({"date": [_("Give the date or the start time.")]})
        if attrs.get("starts_at") and not attrs.get("date"):
            attrs["date"] = attrs["starts_at"].date()  # replaced by the local date in the write path
        return attrs


class AttendanceSerializer(serializers.Serializer):
    """One attendance row: ``{id, number, name (initials unless the user manages the meeting), position, unit (id
    or null), unit_label, mode, mode_label, source, signed_at, is_sample}``."""

    id = serializers.IntegerField(source="row.id")
    number = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.CharField()
    unit = serializers.IntegerField(source="row.unit_id", allow_null=True)
    unit_label = serializers.CharField(source="unit")
    mode = serializers.CharField(source="row.mode")
    mode_label = serializers.CharField()
    source = serializers.CharField(source="row.source")
    signed_at = serializers.DateTimeField(source="row.signed_at")
    is_sample = serializers.BooleanField(source="row.is_sample")


class AttendanceInputSerializer(serializers.Serializer):
    """Staff entry: ``{name, position, mode, unit (id) or unit_name}``."""

    name = serializers.CharField(max_length=120)
    position = serializers.CharField(max_length=200)
    mode = serializers.ChoiceField(choices=AttendanceMode.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None)
    unit_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MinutesSerializer(serializers.Serializer):
    """``{minutes}``: the whole minutes text."""

    minutes = serializers.CharField(allow_blank=True, max_length=50_000)


class ActionDataSerializer(serializers.Serializer):
    """The action a decision creates (every field) or the fields it changes: the shape of
    ``workplans.actions.ACTION_FIELDS``. Money is whole rupiah (JSON integer), indicator values decimals."""

    code = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    finding = serializers.CharField(required=False, allow_blank=True)
    start_date = DateAPIField(required=False)
    due_date = DateAPIField(required=False)
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    pic_position = serializers.CharField(max_length=200, required=False)
    budget_planned = MoneyAPIField(required=False)
    budget_source = serializers.ChoiceField(choices=BudgetSource.choices, required=False)
    fiscal_year = serializers.IntegerField(min_value=1945, max_value=2100, required=False, allow_null=True)
    indicator_name = serializers.CharField(max_length=300, required=False)
    indicator_unit = serializers.CharField(max_length=60, required=False)
    baseline = DecimalAPIField(places=2, required=False)
    target = DecimalAPIField(places=2, required=False)
    weight = DecimalAPIField(places=2, required=False, allow_null=True)
    supporting_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)


class DecisionSerializer(serializers.ModelSerializer):
    """A decision: ``{id, meeting, number, text, kind, kind_label, status, status_label, responsible_unit,
    due_date, action (id or null), action_code, changes ({field: [before, after]}), drop_reason, is_sample,
    created_at, applied_at}``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    action_code = serializers.CharField(source="action.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text", "kind", "kind_label", "status", "status_label",
                  "responsible_unit", "due_date", "action", "action_code", "changes", "drop_reason", "is_sample",
                  "created_at", "applied_at"]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    """Record a decision: ``{text, kind (create, change, note), responsible_unit?, due_date?, action? (the action
    a "change" decision changes), work_plan? (for an MoU's meeting), apply? (action data: create or change it at
    once)}``."""

    text = serializers.CharField(max_length=4000)
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False,
                                                          allow_null=True, default=None)
    due_date = DateAPIField(required=False, allow_null=True, default=None)
    action = serializers.PrimaryKeyRelatedField(queryset=Action.objects.all(), required=False, allow_null=True,
                                                default=None)
    work_plan = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all(), required=False,
                                                   allow_null=True, default=None)
    apply = ActionDataSerializer(required=False, allow_null=True, default=None)


class ApplySerializer(ActionDataSerializer):
    """Apply an open decision: the action data, and for an MoU's meeting the ``work_plan``."""

    work_plan = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all(), required=False,
                                                   allow_null=True, default=None)


class DropSerializer(serializers.Serializer):
    """``{reason}``: why the decision is dropped."""

    reason = serializers.CharField(max_length=2000)


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` may view, with agreements, hosts, invited units and registered counts loaded in a fixed
    number of queries."""
    return (
        Meeting.objects.for_user(user, Permission.VIEW)
        .select_related("agreement", "agreement__government", "agreement__ombudsman_office", "agreement__parent",
                        "host_unit")
        .prefetch_related(Prefetch("invited_units", queryset=Unit.objects.only("id")))
        .annotate(
            registered_in_person=Count("attendances", filter=Q(attendances__mode=AttendanceMode.IN_PERSON)),
            registered_online=Count("attendances", filter=Q(attendances__mode=AttendanceMode.ONLINE)),
        )
        .order_by("-date", "-pk")
    )


def _split_action_data(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    data = dict(data)
    supporting = data.pop("supporting_units", None)
    return data, supporting


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("agreement", OpenApiTypes.INT, description="id of the agreement"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=MeetingKind.values),
    ]),
    create=extend_schema(request=MeetingWriteSerializer, responses={201: MeetingSerializer}),
    partial_update=extend_schema(request=MeetingWriteSerializer, responses={200: MeetingSerializer}),
)
class MeetingViewSet(
    IdLookupMixin,
    PantauAPIMixin,
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings the user may view (``Meeting.objects.for_user(user, VIEW)``: of visible agreements, or inviting a
    unit in scope), newest first; login required. Writes need MANAGE_MEETINGS on a party (403 otherwise)."""

    serializer_class = MeetingSerializer
    pagination_class = PantauPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        """Meetings in scope, filtered by ``?agreement=`` and ``?kind=`` on lists."""
        qs = meetings_for(self.request.user)
        if self.action == "list":
            agreement = int_param(self.request, "agreement")
            if agreement is not None:
                qs = qs.filter(agreement_id=agreement)
            kind = choice_param(self.request, "kind", MeetingKind.values)
            if kind:
                qs = qs.filter(kind=kind)
        return qs

    def get_serializer_class(self) -> Any:
        """The input serializer of each write, the read serializer otherwise."""
        if self.action in ("create", "partial_update"):
            return MeetingWriteSerializer
        if self.action == "attendance" and self.request.method == "POST":
            return AttendanceInputSerializer
        if self.action == "minutes":
            return MinutesSerializer
        if self.action == "decisions" and self.request.method == "POST":
            return DecisionInputSerializer
        return MeetingSerializer

    def _reloaded(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        obj = meetings_for(self.request.user).get(pk=pk)
        response = Response(MeetingSerializer(obj, context=self.get_serializer_context()).data, status=code)
        return self.with_etag(response, obj.version)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``create_meeting``; 201 with the meeting."""
        serializer = MeetingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agreement = data.pop("agreement")
        invited = data.pop("invited_units", [])
        meeting = write.create_meeting(actor=request.user, agreement=agreement, data=data, invited_units=invited)
        return self._reloaded(meeting.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH: validate the given fields' types, then ``update_meeting``."""
        instance = self.get_object()
        expected = self.expected_version(request, instance)  # If-Match: 412 when stale (core.api)
        serializer = MeetingWriteSerializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("agreement", None)
        invited = data.pop("invited_units", None)
        write.update_meeting(actor=request.user, meeting=instance, data=data, invited_units=invited,
                             expected_version=expected)
        return self._reloaded(instance.pk)

    @extend_schema(methods=["GET"], responses={200: AttendanceSerializer(many=True)})
    @extend_schema(methods=["POST"], request=AttendanceInputSerializer, responses={201: AttendanceSerializer})
    @drf_action(detail=True, methods=["get", "post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """GET: the attendance list (names masked unless the user manages the meeting). POST: staff entry
        (``record_attendance``)."""
        meeting = self.get_object()
        manager = write.may_manage(request.user, meeting.agreement)
        if request.method == "POST":
            serializer = AttendanceInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            row = write.record_attendance(actor=request.user, meeting=meeting, name=data["name"],
                                          position=data["position"], mode=data["mode"], unit=data["unit"],
                                          unit_name=data["unit_name"])
            rows = reading.rows_for(meeting, show_names=True)
            created = next(r for r in rows if r["row"].pk == row.pk)
            return Response(AttendanceSerializer(created).data, status=status.HTTP_201_CREATED)
        return Response(AttendanceSerializer(reading.rows_for(meeting, show_names=manager), many=True).data)

    @extend_schema(request=None, responses={200: MeetingSerializer})
    @drf_action(detail=True, methods=["post"], url_path="close-sign-in")
    def close_sign_in(self, request: Request, pk: str | None = None) -> Response:
        """Close the public sign-in now."""
        meeting = self.get_object()
        write.close_sign_in(actor=request.user, meeting=meeting)
        return self._reloaded(meeting.pk)

    @extend_schema(request=None, responses={200: MeetingSerializer})
    @drf_action(detail=True, methods=["post"], url_path="reopen-sign-in")
    def reopen_sign_in(self, request: Request, pk: str | None = None) -> Response:
        """Reopen the public sign-in (within its window)."""
        meeting = self.get_object()
        write.reopen_sign_in(actor=request.user, meeting=meeting)
        return self._reloaded(meeting.pk)

    @extend_schema(request=MinutesSerializer, responses={200: MeetingSerializer})
    @drf_action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: str | None = None) -> Response:
        """Replace the minutes text (``record_minutes``)."""
        meeting = self.get_object()
        serializer = MinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write.record_minutes(actor=request.user, meeting=meeting, minutes=serializer.validated_data["minutes"])
        return self._reloaded(meeting.pk)

    @extend_schema(methods=["GET"], responses={200: DecisionSerializer(many=True)})
    @extend_schema(methods=["POST"], request=DecisionInputSerializer, responses={201: DecisionSerializer})
    @drf_action(detail=True, methods=["get", "post"])
    def decisions(self, request: Request, pk: str | None = None) -> Response:
        """GET: the meeting's decisions. POST: record one (``record_decision``), or with ``apply`` record it and
        create or change its action in one step (``decide``)."""
        meeting = self.get_object()
        if request.method == "GET":
            rows = meeting.decisions.select_related("action").order_by("number")
            return Response(DecisionSerializer(rows, many=True).data)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["apply"] is not None:
            action_data, supporting = _split_action_data(data["apply"])
            decision = write.decide(
                actor=request.user, meeting=meeting, text=data["text"], kind=data["kind"],
                action_data=action_data, supporting_units=supporting, work_plan=data["work_plan"],
                action=data["action"], responsible_unit=data["responsible_unit"], due_date=data["due_date"],
            )
        else:
            decision = write.record_decision(
                actor=request.user, meeting=meeting, text=data["text"], kind=data["kind"], action=data["action"],
                responsible_unit=data["responsible_unit"], due_date=data["due_date"],
            )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("meeting", OpenApiTypes.INT, description="id of the meeting"),
]))
class DecisionViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Decisions of meetings the user may view; ``apply`` and ``drop`` need MANAGE_MEETINGS (and EDIT_ACTIONS on
    the action's responsible unit to apply)."""

    serializer_class = DecisionSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[Decision]:
        """Decisions of visible meetings, filtered by ``?meeting=``."""
        qs = (Decision.objects.filter(meeting__in=Meeting.objects.for_user(self.request.user, Permission.VIEW))
              .select_related("action", "meeting__agreement__government", "meeting__agreement__ombudsman_office")
              .order_by("meeting_id", "number"))
        if self.action == "list":
            meeting = int_param(self.request, "meeting")
            if meeting is not None:
                qs = qs.filter(meeting_id=meeting)
        return qs

    @extend_schema(request=ApplySerializer, responses={200: DecisionSerializer})
    @drf_action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None) -> Response:
        """Create or change the decision's action (``apply_decision``); 200 with the applied decision."""
        decision = self.get_object()
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = data.pop("work_plan", None)
        action_data, supporting = _split_action_data(data)
        write.apply_decision(actor=request.user, decision=decision, data=action_data, supporting_units=supporting,
                             work_plan=plan)
        decision.refresh_from_db()
        return Response(DecisionSerializer(decision).data)

    @extend_schema(request=DropSerializer, responses={200: DecisionSerializer})
    @drf_action(detail=True, methods=["post"])
    def drop(self, request: Request, pk: str | None = None) -> Response:
        """Drop an open decision with a reason (``drop_decision``)."""
        decision = self.get_object()
        serializer = DropSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write.drop_decision(actor=request.user, decision=decision, reason=serializer.validated_data["reason"])
        return Response(DecisionSerializer(decision).data)


class FeedSerializer(serializers.Serializer):
    """``{feed_url}``: the private iCalendar feed URL (shown once)."""

    feed_url = serializers.CharField()


class CalendarFeedView(PantauAPIMixin, APIView):
    """``POST``: issue (or replace) the user's private calendar feed and return its URL once. ``DELETE``: revoke it
    (204; 404 when there is none)."""

    @extend_schema(request=None, responses={201: FeedSerializer})
    def post(self, request: Request) -> Response:
        """A new feed URL; an older one stops working."""
        token = write.issue_calendar_token(actor=request.user)
        url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
        return Response({"feed_url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the feed."""
        found = write.revoke_calendar_feed(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT if found else status.HTTP_404_NOT_FOUND)
