"""The filters of findings lists: one FilterSet for the findings page, the API and the schema."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from pantau.core.filters import IdFilter
from pantau.findings.models import Credit, Finding, FindingSource

STATE_CHOICES = [("true", _("open")), ("false", _("closed"))]


class FindingFilterSet(django_filters.FilterSet):
    """Filters: ``source`` (assessment, standard, survey, complaint, other), ``open`` (true: still open, false:
    closed by a later measurement), ``unit`` (id of the unit, exactly)."""

    source = django_filters.ChoiceFilter(label=_("Source"), choices=FindingSource.choices, empty_label=_("any"))
    open = django_filters.ChoiceFilter(label=_("State"), choices=STATE_CHOICES, method="by_state",
                                       empty_label=_("any"))
    unit = IdFilter(label=_("Unit"), field_name="unit_id")

    class Meta:
        model = Finding
        fields: list[str] = []

    def by_state(self, queryset: Any, name: str, value: str) -> Any:
        """Open findings for ``true``, closed ones for ``false``."""
        return queryset.filter(closed_on__isnull=value == "true")


class CreditFilterSet(django_filters.FilterSet):
    """Filters: ``action`` (id of the credited action), ``finding`` (id)."""

    action = IdFilter(label=_("Action"), field_name="action_id")
    finding = IdFilter(label=_("Finding"), field_name="finding_id")

    class Meta:
        model = Credit
        fields: list[str] = []
