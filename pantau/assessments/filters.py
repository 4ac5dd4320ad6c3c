"""The filters of compliance results and assessment rounds: one FilterSet per list for the API and the schema."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pantau.assessments.models import AssessmentRound, ComplianceResult, RoundKind, Zone
from pantau.core.filters import IdFilter

YEARS = {"min_value": 1990, "max_value": 2100}


class ComplianceResultFilterSet(django_filters.FilterSet):
    """Filters: ``year`` (1990-2100), ``region`` (dotted code), ``province`` (two digits), ``zone`` (computed)."""

    year = django_filters.NumberFilter(label=_("Year"), field_name="year", **YEARS)
    region = django_filters.CharFilter(label=_("Region code"), field_name="region_id", max_length=13)
    province = django_filters.CharFilter(label=_("Province code"), field_name="province_code", max_length=2)
    zone = django_filters.ChoiceFilter(label=_("Zone"), field_name="computed_zone", choices=Zone.choices)

    class Meta:
        model = ComplianceResult
        fields: list[str] = []


class AssessmentRoundFilterSet(django_filters.FilterSet):
    """Filters: ``year`` (1990-2100), ``unit`` (id), ``kind`` (official, pre_evaluation, self_assessment)."""

    year = django_filters.NumberFilter(label=_("Year"), field_name="year", **YEARS)
    unit = IdFilter(label=_("Unit"), field_name="unit_id")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RoundKind.choices)

    class Meta:
        model = AssessmentRound
        fields: list[str] = []
