"""Units API: read-only view of the unit tree, scoped to the units the user may view.

``GET /api/v1/organizations/`` and ``GET /api/v1/organizations/<id>/``. Units recorded as typical rather than
verified from a source carry ``verification: "typical"`` with its label, so clients can show them as such.
"""

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination
from pantau.organizations.filters import UnitFilterSet
from pantau.organizations.models import AgencyType, Unit


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


class UnitViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Units the user may view (``accounts.scoping.units_for(user, VIEW)``), in tree order; login required.

    List: paginated ``{count, next, previous, results: [unit]}``; a non-numeric ``?parent=`` or an unknown
    ``?kind=``/``?verification=`` gives 400. Detail: 404 for a unit outside the user's scope or a junk id.
    """

    serializer_class = UnitSerializer
    pagination_class = PantauPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilterSet

    def get_queryset(self) -> QuerySet[Unit]:
        """Units in the user's VIEW scope (list filters: ``organizations.filters.UnitFilterSet``)."""
        return units_for(self.request.user, Permission.VIEW).order_by("path")
