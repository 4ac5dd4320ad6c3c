"""The filters of unit lists: one FilterSet for the API and the schema."""

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.core.filters import IdFilter
from pantau.organizations.models import Unit, UnitKind, Verification


class UnitFilterSet(django_filters.FilterSet):
    """Filters: ``kind``, ``parent`` (id), ``region`` (dotted code), ``verification``, ``q`` (name or short name)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    parent = IdFilter(label=_("Parent unit"), field_name="parent_id")
    region = django_filters.CharFilter(label=_("Region code"), field_name="region_id", max_length=13)
    verification = django_filters.ChoiceFilter(label=_("Verification"), choices=Verification.choices)
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)

    class Meta:
        model = Unit
        fields: list[str] = []

    def search(self, queryset: Any, name: str, value: str) -> Any:
        """Units whose name or short name contains ``value``."""
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
