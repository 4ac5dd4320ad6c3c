"""Regions API: public, read-only Kemendagri reference data addressed by the dotted region code.

``GET /api/v1/regions/`` lists regions (filters ``?level=1..4``, ``?parent=<code>``, ``?kind=``, ``?q=`` or
``?search=`` part of the name, with case, apostrophe variants (' ’ ʼ ` ´) and spacing folded so that "Sa’dan",
"sa'dan" and "Sa' dan" find "Sa'dan"; paginated by ``?limit=``/``?offset=``); ``GET /api/v1/regions/<code>/``
(``/api/v1/regions/15.04/``) returns one region with its direct children. A malformed or unknown code gives 404.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from pantau.core.api import PantauAPIMixin, PantauPagination, choice_param, int_param
from pantau.core.typed_input import search_key
from pantau.regions.models import Region, RegionKind

# Same shape as regions.codes.CODE_RE, without anchors and with non-capturing groups (for URL routing).
REGION_CODE_REGEX = r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"


class RegionBriefSerializer(serializers.ModelSerializer):
    """A region in brief: ``{code, name, kind}`` (code dotted, kind one of RegionKind)."""

    class Meta:
        model = Region
        fields = ["code", "name", "kind"]


class RegionSerializer(serializers.ModelSerializer):
    """A region in a list: ``{code, name, level (1 province .. 4 village), kind, kind_label, parent (code or null),
    province_code}``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "kind_label", "parent", "province_code"]


class RegionDetailSerializer(RegionSerializer):
    """One region with its direct children: the list fields plus ``children: [{code, name, kind}]`` ordered by
    code (a regency lists its districts, a district its villages)."""

    children = RegionBriefSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "children"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "level", OpenApiTypes.INT, description="1 province, 2 regency/city, 3 district, 4 village"
            ),
            OpenApiParameter("parent", OpenApiTypes.STR, description="dotted code of the parent region"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=RegionKind.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="part of the name; case, apostrophe variants "
                                                                 "(' ’ ʼ ` ´) and spacing are folded"),
            OpenApiParameter("search", OpenApiTypes.STR, description="same as q"),
        ]
    )
)
class RegionViewSet(PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Kemendagri regions, readable by anyone (no login), read-only.

    List: paginated ``{count, next, previous, results: [region]}``; ``?level=`` must be 1-4 and ``?kind=`` a known
    kind, else 400. Detail: addressed by the dotted code (``15.04``) and including ``children``; a malformed or
    unknown code gives 404.
    """

    permission_classes = [permissions.AllowAny]
    pagination_class = PantauPagination
    lookup_field = "code"
    lookup_value_regex = REGION_CODE_REGEX

    def get_queryset(self) -> QuerySet[Region]:
        """Regions filtered by the query parameters; the detail prefetches the children."""
        qs = Region.objects.all()
        if self.action == "retrieve":
            return qs.prefetch_related(Prefetch("children", queryset=Region.objects.order_by("code")))
        level = int_param(self.request, "level", min_value=1, max_value=4)
        if level is not None:
            qs = qs.filter(level=level)
        parent = self.request.query_params.get("parent", "").strip()
        if parent:
            qs = qs.filter(parent_id=parent)
        kind = choice_param(self.request, "kind", RegionKind.values)
        if kind:
            qs = qs.filter(kind=kind)
        q = self.request.query_params.get("q", "").strip() or self.request.query_params.get("search", "").strip()
        if q and search_key(q):
            qs = qs.filter(name_folded__contains=search_key(q))
        return qs

    def get_serializer_class(self) -> Any:
        """The detail serializer (with children) for one region, the list serializer otherwise."""
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer
