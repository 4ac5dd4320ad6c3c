"""Agreements API: MoUs, work plans and PKS, scoped to what the user may view; writes through
``pantau.agreements.actions``.

- ``GET /api/v1/agreements/`` (``?kind=``) and ``/api/v1/agreements/<id>/``;
- ``POST /api/v1/agreements/`` (with ``signatories``), ``PATCH /api/v1/agreements/<id>/``;
- ``PUT /api/v1/agreements/<id>/signatories/``, ``POST .../sign/``, ``POST .../addenda/``, ``POST .../terminate/``,
  ``POST .../documents/`` (multipart: ``file``, ``kind``, ``note``).

Work plans with their progress summary are served by ``workplans.api.WorkPlanViewSet`` at ``/api/v1/work-plans/``
with the same fields plus ``progress_summary``. Dates are ISO "YYYY-MM-DD" (``core.api_fields.DateAPIField``).
Errors: 400 keyed by field, 403 when the user may view but not manage the agreement, 404 when not visible.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.agreements import actions as write
from pantau.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatus,
    AgreementVersion,
    DocumentKind,
    Signatory,
)
from pantau.core.api import (
    IdLookupMixin,
    PantauAPIMixin,
    PantauPagination,
    SafeJSONParser,
    VersionedAPIMixin,
    choice_param,
)
from pantau.core.api_fields import DateAPIField
from pantau.organizations.models import Unit


class PartySerializer(serializers.ModelSerializer):
    """A party to an agreement, in brief: ``{id, name, kind}``."""

    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class SignatorySerializer(serializers.ModelSerializer):
    """One signatory, by position (never by name): ``{position, capacity ("signed" or "witnessed"),
    capacity_label, unit (id), unit_name}``."""

    capacity_label = serializers.CharField(source="get_capacity_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Signatory
        fields = ["position", "capacity", "capacity_label", "unit", "unit_name"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    """An addendum: ``{number, title, document_number, signed_on, summary (what changed, in words), changes
    ({field: [before, after]}), is_extension}``."""

    class Meta:
        model = AgreementVersion
        fields = ["number", "title", "document_number", "signed_on", "summary", "changes", "is_extension"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    """A document: ``{id, kind, kind_label, original_name, size (bytes), addendum (number or null), note,
    uploaded_at, download_url}``; the file itself only through the permission-checked page ``download_url``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    addendum = serializers.IntegerField(source="version.number", read_only=True, allow_null=True, default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AgreementDocument
        fields = ["id", "kind", "kind_label", "original_name", "size", "addendum", "note", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj: AgreementDocument) -> str:
        """The page that sends the file to users who may view the agreement."""
        return reverse("agreements:document_download", args=[obj.pk])


class AgreementSerializer(serializers.ModelSerializer):
    """An MoU, a work plan or a PKS: ``{id, kind, kind_label, title, number, parent (id of the MoU or work plan, or
    null), ombudsman_office {id, name, kind}, government {id, name, kind}, is_signed, signed_on, signed_place,
    period_start, period_end, original_period_end, terminated_on (dates YYYY-MM-DD or null), status (derived today
    in the government party's own time zone: draft, signed, active, extended, expired (ended) or terminated),
    status_label, signatories [signatory], versions [addendum], documents [document], has_document, summary,
    source_url, version (counts saves; also sent as ETag, and a PATCH with a stale If-Match is 412)}``.

    Files are not exposed here: they are served only through permission-checked pages (``download_url``).
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    ombudsman_office = PartySerializer(read_only=True)
    government = PartySerializer(read_only=True)
    status = serializers.ChoiceField(choices=AgreementStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "kind", "kind_label", "title", "number", "parent", "ombudsman_office", "government", "is_signed",
            "signed_on", "signed_place", "period_start", "period_end", "original_period_end", "terminated_on",
            "status", "status_label", "signatories", "versions", "documents", "has_document", "summary",
            "source_url", "version",
        ]
        read_only_fields = fields

    def get_has_document(self, obj: Agreement) -> bool:
        """True when a signed document is on file."""
        return bool(obj.document) or any(d.kind == DocumentKind.SIGNED for d in obj.documents.all())


class SignatoryInputSerializer(serializers.Serializer):
    """One signatory as input: ``{unit (id), position, capacity}``."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    position = serializers.CharField(max_length=200)
    capacity = serializers.ChoiceField(choices=Signatory.Capacity.choices)


class AgreementWriteSerializer(serializers.Serializer):
    """Input of ``POST /agreements/`` and ``PATCH /agreements/<id>/``: types only; parties, layering and lifecycle
    are checked by ``agreements.actions`` and come back as 400 keyed by field. ``signatories`` on create only."""

    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    title = serializers.CharField(max_length=300)
    number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all(), allow_null=True, required=False)
    ombudsman_office = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    government = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    is_signed = serializers.BooleanField(required=False)
    signed_on = DateAPIField(required=False, allow_null=True)
    signed_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    period_start = DateAPIField(required=False, allow_null=True)
    period_end = DateAPIField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    source_url = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    signatories = SignatoryInputSerializer(many=True, required=False)


class SignatoriesSerializer(serializers.Serializer):
    """Input of ``PUT /agreements/<id>/signatories/``: the whole list."""

    signatories = SignatoryInputSerializer(many=True)


class SignSerializer(serializers.Serializer):
    """Input of ``POST /agreements/<id>/sign/``: ``{signed_on, signed_place, period_start?}`` (JSON) and, as
    multipart, an optional ``document`` file."""

    signed_on = DateAPIField()
    signed_place = serializers.CharField(max_length=200)
    period_start = DateAPIField(required=False, allow_null=True, default=None)
    document = serializers.FileField(required=False, allow_null=True, default=None)


class AddendumSerializer(serializers.Serializer):
    """Input of ``POST /agreements/<id>/addenda/``: ``{title, signed_on, summary, document_number?, period_start?,
    period_end?, new_title?}``; the new values are applied to the agreement and recorded in the version."""

    title = serializers.CharField(max_length=300)
    signed_on = DateAPIField()
    summary = serializers.CharField(max_length=10_000)
    document_number = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    period_start = DateAPIField(required=False)
    period_end = DateAPIField(required=False)
    new_title = serializers.CharField(max_length=300, required=False)
    document = serializers.FileField(required=False, allow_null=True, default=None)


class TerminateSerializer(serializers.Serializer):
    """Input of ``POST /agreements/<id>/terminate/``: ``{terminated_on, reason}``."""

    terminated_on = DateAPIField()
    reason = serializers.CharField(max_length=2000)


class DocumentUploadSerializer(serializers.Serializer):
    """Input of ``POST /agreements/<id>/documents/`` (multipart): ``file``, ``kind``, ``note``."""

    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def agreements_for(user: object) -> QuerySet[Agreement]:
    """Agreements ``user`` may view, with parties, signatories, addenda and documents loaded in a fixed number of
    queries."""
    return (
        Agreement.objects.for_user(user, Permission.VIEW)
        .select_related("ombudsman_office", "government")
        .prefetch_related(
            Prefetch("signatories", queryset=Signatory.objects.select_related("unit").order_by("id")),
            Prefetch("versions", queryset=AgreementVersion.objects.order_by("number")),
            Prefetch("documents", queryset=AgreementDocument.objects.select_related("version").order_by("id")),
        )
        .order_by("-signed_on", "title", "id")
    )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=AgreementKind.values)]),
    create=extend_schema(request=AgreementWriteSerializer, responses={201: AgreementSerializer}),
    partial_update=extend_schema(request=AgreementWriteSerializer, responses={200: AgreementSerializer}),
)
class AgreementViewSet(
    IdLookupMixin,
    PantauAPIMixin,
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """MoUs, work plans and cooperation agreements the user may view (``Agreement.objects.for_user(user, VIEW)``);
    login required.

    List: paginated ``{count, next, previous, results: [agreement]}``, newest signing first; ``?kind=`` one of
    mou, work_plan, cooperation (else 400). Detail: 404 for an agreement outside the user's scope or a junk id.
    Writes (module docstring) need MANAGE_AGREEMENTS on a party (403 otherwise); PUT and DELETE are not offered.
    """

    serializer_class = AgreementSerializer
    pagination_class = PantauPagination
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Agreement]:
        """Agreements in the user's VIEW scope, filtered by ``?kind=``."""
        qs = agreements_for(self.request.user)
        kind = choice_param(self.request, "kind", AgreementKind.values) if self.action == "list" else None
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    def get_serializer_class(self) -> Any:
        """The input serializer of each write, the read serializer otherwise."""
        return {
            "create": AgreementWriteSerializer, "partial_update": AgreementWriteSerializer,
            "signatories": SignatoriesSerializer, "sign": SignSerializer, "addenda": AddendumSerializer,
            "terminate": TerminateSerializer, "documents": DocumentUploadSerializer,
        }.get(self.action, AgreementSerializer)

    def _reloaded(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        obj = agreements_for(self.request.user).get(pk=pk)
        response = Response(AgreementSerializer(obj, context=self.get_serializer_context()).data, status=code)
        return self.with_etag(response, obj.version)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH only (PUT on the agreement is 405): validate the given fields' types, then ``update_agreement``."""
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        instance = self.get_object()
        expected = self.expected_version(request, instance)  # If-Match: 412 when stale (core.api)
        serializer = AgreementWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("signatories", None)
        write.update_agreement(actor=request.user, agreement=instance, data=data, expected_version=expected)
        return self._reloaded(instance.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``create_agreement``; 201 with the agreement."""
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        signatories = data.pop("signatories", [])
        created = write.create_agreement(actor=request.user, data=data, signatories=signatories)
        return self._reloaded(created.pk, status.HTTP_201_CREATED)

    @extend_schema(request=SignatoriesSerializer, responses={200: AgreementSerializer})
    @drf_action(detail=True, methods=["put"])
    def signatories(self, request: Request, pk: str | None = None) -> Response:
        """Replace the signatories (``set_signatories``)."""
        instance = self.get_object()
        serializer = SignatoriesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write.set_signatories(actor=request.user, agreement=instance,
                              signatories=serializer.validated_data["signatories"])
        return self._reloaded(instance.pk)

    @extend_schema(request=SignSerializer, responses={200: AgreementSerializer})
    @drf_action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        """Record the signing of a draft (``sign_agreement``); 400 when already signed."""
        instance = self.get_object()
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        write.sign_agreement(actor=request.user, agreement=instance, signed_on=data["signed_on"],
                             signed_place=data["signed_place"], period_start=data["period_start"],
                             document=data["document"])
        return self._reloaded(instance.pk)

    @extend_schema(request=AddendumSerializer, responses={201: AgreementSerializer})
    @drf_action(detail=True, methods=["post"])
    def addenda(self, request: Request, pk: str | None = None) -> Response:
        """Record a signed addendum as the next version (``add_addendum``); 201 with the agreement."""
        instance = self.get_object()
        serializer = AddendumSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        changes = {key: data.pop(key) for key in ("period_start", "period_end") if key in data}
        if "new_title" in data:
            changes["title"] = data.pop("new_title")
        write.add_addendum(actor=request.user, agreement=instance, title=data["title"], signed_on=data["signed_on"],
                           summary=data["summary"], changes=changes, document_number=data["document_number"],
                           document=data["document"])
        return self._reloaded(instance.pk, status.HTTP_201_CREATED)

    @extend_schema(request=TerminateSerializer, responses={200: AgreementSerializer})
    @drf_action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str | None = None) -> Response:
        """End a signed agreement early (``terminate_agreement``)."""
        instance = self.get_object()
        serializer = TerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        write.terminate_agreement(actor=request.user, agreement=instance, on=data["terminated_on"],
                                  reason=data["reason"])
        return self._reloaded(instance.pk)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: AgreementSerializer})
    @drf_action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """Upload one document (``upload_document``: checked by content and size); 201 with the agreement."""
        instance = self.get_object()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        write.upload_document(actor=request.user, agreement=instance, upload=data["file"], kind=data["kind"],
                              note=data["note"])
        return self._reloaded(instance.pk, status.HTTP_201_CREATED)
