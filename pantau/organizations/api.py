"""Units API: read-only view of the unit tree, scoped to the units the user may view.

``GET /api/v1/organizations/`` and ``GET /api/v1/organizations/<id>/``. Units recorded as typical rather than
verified from a source carry ``verification: "typical"`` with its label, so clients can show them as such.
"""

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, choice_param, int_param
from pantau.organizations.models import AgencyType, Unit, UnitKind, Verification


class UnitSerializer(serializers.ModelSerializer):
    """A unit: ``{id, name, short_name, kind, kind_label, agency_type ("" when not an agency), agency_type_label,
    parent (unit id or null), region (dotted region code or null), province_code, verification ("verified" or
    "typical"), verification_label, source_url, note}``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    # "" for units that are not agencies: declared so that the schema's enum includes the blank value
    agency_type = serializers.ChoiceField(choices=AgencyType.choices, allow_blank=True, read_only=True)
    agency_type_label = serializers.CharField(source="get_agency_type_display", read_only=True)
    verification_label = serializers.CharField(source="get_verification_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id", "name", "short_name", "kind", "kind_label", "agency_type", "agency_type_label", "parent", "region",
            "province_code", "verification", "verification_label", "source_url", "note",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=UnitKind.values),
            OpenApiParameter("parent", OpenApiTypes.INT, description="id of the parent unit (direct children)"),
            OpenApiParameter("region", OpenApiTypes.STR, description="dotted region code (exact)"),
            OpenApiParameter("verification", OpenApiTypes.STR, enum=Verification.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="part of the name or short name"),
        ]
    )
)
class UnitViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Units the user may view (``accounts.scoping.units_for(user, VIEW)``), in tree order; login required.

    List: paginated ``{count, next, previous, results: [unit]}``; a non-numeric ``?parent=`` or an unknown
    ``?kind=``/``?verification=`` gives 400. Detail: 404 for a unit outside the user's scope or a junk id.
    """

    serializer_class = UnitSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[Unit]:
        """Units in the user's VIEW scope, filtered by the query parameters."""
        qs = units_for(self.request.user, Permission.VIEW).order_by("path")
        if self.action != "list":
            return qs
        kind = choice_param(self.request, "kind", UnitKind.values)
        if kind:
            qs = qs.filter(kind=kind)
        parent = int_param(self.request, "parent")
        if parent is not None:
            qs = qs.filter(parent_id=parent)
        region = self.request.query_params.get("region", "").strip()
        if region:
            qs = qs.filter(region_id=region)
        verification = choice_param(self.request, "verification", Verification.values)
        if verification:
            qs = qs.filter(verification=verification)
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
        return qs
