"""Services and their standards with completeness (domain/rules.md section 1.4), under ``/api/v1/services/``.

- ``GET /services/`` (``?unit=<id>``, ``?complete=true|false``) and ``GET /services/<id>/``: services of units in
  the user's VIEW scope (404 outside it) with the current standard, its 14 components and its completeness.
- ``POST /services/`` ``{unit, name, description}``: ``standards.actions.create_service``.
- ``PATCH /services/<id>/`` ``{name, description}``: ``standards.actions.update_service``.
- ``POST /services/<id>/standards/`` ``{components: {code: {content, published}}, title, decree_number,
  adopted_on, publication_media, maklumat_text, maklumat_adopted, maklumat_published, note}``: a new version of
  the standard through ``standards.actions.record_standard``.

Writes need ``actions.ENTRY_PERMISSION`` on the unit (403 otherwise); Django ValidationError -> 400 (pantau.core.api).
A service detail and a write's answer carry the service's version as ``ETag``; a PATCH or a new standard sent with a
stale ``If-Match`` is 412 (a new standard version is an edit of the service's standard, ``core.concurrency``).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.api import (
    IdLookupMixin,
    PantauAPIMixin,
    PantauPagination,
    SafeJSONParser,
    VersionedAPIMixin,
    choice_param,
    int_param,
)
from pantau.core.api_fields import DateAPIField
from pantau.organizations.models import Unit
from pantau.standards.actions import (
    MAX_TEXT,
    _current,
    check_adopted_on,
    completeness_of,
    create_service,
    record_standard,
    update_service,
)
from pantau.standards.components import ALL_COMPONENTS
from pantau.standards.models import Service, ServiceStandard, StandardComponent


class ComponentSerializer(serializers.ModelSerializer):
    """``{code, content (text, list, object or null), is_published, is_present}``."""

    is_present = serializers.BooleanField(read_only=True)
    content = serializers.JSONField(read_only=True)

    class Meta:
        model = StandardComponent
        fields = ["code", "content", "is_published", "is_present"]
        read_only_fields = fields


class StandardSerializer(serializers.ModelSerializer):
    """A version of a standard with its components."""

    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceStandard
        fields = ["id", "title", "decree_number", "adopted_on", "publication_media", "maklumat_text",
                  "maklumat_adopted", "maklumat_published", "source_url", "note", "is_sample", "components"]
        read_only_fields = fields


class CompletenessSerializer(serializers.Serializer):
    """``{present_count (0-14), missing [codes], unpublished_delivery [codes], sp_complete, sp_publishable_ok}``."""

    present_count = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    unpublished_delivery = serializers.ListField(child=serializers.CharField())
    sp_complete = serializers.BooleanField()
    sp_publishable_ok = serializers.BooleanField()


class ServiceSerializer(serializers.ModelSerializer):
    """A service with its ``current_standard`` (or null) and that standard's ``completeness``."""

    current_standard = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = ["id", "unit", "name", "description", "is_sample", "current_standard", "completeness", "version"]
        read_only_fields = fields

    @extend_schema_field(StandardSerializer(allow_null=True))
    def get_current_standard(self, service: Service) -> dict[str, Any] | None:
        """The standard in force (latest adoption), or null."""
        standard = _current(service)
        return dict(StandardSerializer(standard).data) if standard is not None else None

    @extend_schema_field(CompletenessSerializer)
    def get_completeness(self, service: Service) -> dict[str, Any]:
        """Completeness of the current standard (nothing present without one)."""
        state = completeness_of(_current(service))
        return {"present_count": state.present_count, "missing": list(state.missing),
                "unpublished_delivery": list(state.unpublished_delivery), "sp_complete": state.sp_complete,
                "sp_publishable_ok": state.sp_publishable_ok}


class ServiceWriteSerializer(serializers.Serializer):
    """Input of ``POST /services/``."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    name = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        self.fields["unit"].queryset = units_for(user, Permission.VIEW)  # type: ignore[attr-defined]


class ServiceUpdateSerializer(serializers.Serializer):
    """Input of ``PATCH /services/<id>/``: the new ``name`` and/or ``description``."""

    name = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class ComponentInputSerializer(serializers.Serializer):
    """One component: its text (null or blank = not available) and whether it is published to users."""

    content = serializers.CharField(max_length=MAX_TEXT, allow_null=True, allow_blank=True, required=False,
                                    default=None)
    published = serializers.BooleanField(required=False, default=False)


class StandardWriteSerializer(serializers.Serializer):
    """Input of ``POST /services/<id>/standards/``: types only; ``record_standard`` checks the rest."""

    components = serializers.DictField(child=ComponentInputSerializer())
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    decree_number = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    adopted_on = DateAPIField(required=False, allow_null=True, default=None)
    publication_media = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    maklumat_text = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    maklumat_adopted = serializers.BooleanField(required=False, default=False)
    maklumat_published = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")

    def validate_adopted_on(self, value: dt.date | None) -> dt.date | None:
        """Empty, or within 2000-01-01 .. today (``services.check_adopted_on``)."""
        try:
            check_adopted_on(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["adopted_on"]) from None
        return value

    def validate_components(self, value: dict[str, Any]) -> dict[str, Any]:
        """Only the 14 codes of UU 25/2009 art. 21."""
        unknown = sorted(set(value) - set(ALL_COMPONENTS))
        if unknown:
            raise serializers.ValidationError(_("Unknown components: %(codes)s") % {"codes": ", ".join(unknown)})
        return value


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="id of the unit (its own services only)"),
            OpenApiParameter("complete", OpenApiTypes.BOOL, description="only services whose standard is (not) "
                                                                        "complete"),
        ]
    ),
    create=extend_schema(request=ServiceWriteSerializer, responses={201: ServiceSerializer}),
    partial_update=extend_schema(request=ServiceUpdateSerializer, responses={200: ServiceSerializer}),
)
class ServiceViewSet(
    IdLookupMixin, PantauAPIMixin, VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """Services of units in the user's VIEW scope with their current standard and completeness (see module doc)."""

    serializer_class = ServiceSerializer
    pagination_class = PantauPagination
    parser_classes = [SafeJSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Service]:
        """Services in scope with their standards and components, filtered by ``?unit=``."""
        qs = (
            Service.objects.for_user(self.request.user, Permission.VIEW)
            .prefetch_related("standards__components")
            .order_by("unit_id", "name", "id")
        )
        if not self.request.user.is_authenticated:
            return qs.none()
        if self.action == "list":
            unit = int_param(self.request, "unit")
            if unit is not None:
                qs = qs.filter(unit_id=unit)
        return qs

    def get_serializer_class(self) -> Any:
        """Write serializers for the writes, the read serializer otherwise."""
        if self.action == "create":
            return ServiceWriteSerializer
        if self.action == "partial_update":
            return ServiceUpdateSerializer
        if self.action == "standards":
            return StandardWriteSerializer
        return ServiceSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of services; ``?complete=`` filters on the computed completeness."""
        complete = choice_param(request, "complete", ["true", "false"])
        qs = self.get_queryset()
        if complete:
            wanted = complete == "true"
            rows = [s for s in qs if completeness_of(_current(s)).sp_complete == wanted]
            page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        else:
            page = self.paginate_queryset(qs)
        return self.get_paginated_response(ServiceSerializer(page, many=True).data)

    def _reloaded(self, pk: int, code: int) -> Response:
        service = self.get_queryset().get(pk=pk)
        return self.with_etag(Response(ServiceSerializer(service).data, status=code), service.version)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Validate the input's types, then ``create_service``; 201 with the service."""
        serializer = ServiceWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = create_service(actor=request.user, unit=data["unit"], name=data["name"],
                                 description=data["description"])
        return self._reloaded(service.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH: rename the service or change its description (``update_service``); 200 with the service."""
        service = self.get_object()
        expected = self.expected_version(request, service)
        serializer = ServiceUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        update_service(actor=request.user, service=service, name=data.get("name", service.name),
                       description=data.get("description", service.description), expected_version=expected)
        return self._reloaded(service.pk, status.HTTP_200_OK)

    @extend_schema(request=StandardWriteSerializer, responses={201: ServiceSerializer})
    @action(detail=True, methods=["post"])
    def standards(self, request: Request, pk: str | None = None) -> Response:
        """Record a new version of the service's standard (``record_standard``); 201 with the service."""
        service = self.get_object()
        expected = self.expected_version(request, service)
        serializer = StandardWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        components = {code: (item.get("content"), item.get("published", False))
                      for code, item in data.pop("components").items()}
        record_standard(actor=request.user, service=service, components=components, expected_version=expected,
                        **data)
        return self._reloaded(service.pk, status.HTTP_201_CREATED)
