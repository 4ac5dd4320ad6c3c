"""The filters of action lists: one FilterSet drives the action list page, the API's ``?`` parameters and the
OpenAPI schema (netbox's habit), so a filter means the same everywhere.

Status is derived, not stored (``workplans.progress.derive_status``): the ``status`` filter is the same rule as a
SQL expression (``workplans.statuses``) over the stored roll-ups, on each action's local day.
"""

from typing import Any

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pantau.core.filters import IdFilter, TypedDateFilter
from pantau.workplans import progress as rules
from pantau.workplans.models import STATUS_LABELS, Action, ProgressReport, ReportStatus

STATUS_CHOICES = [(code, STATUS_LABELS[code]) for code in rules.Status.ALL]

SEARCHED_FIELDS = ("code", "title", "description", "finding", "indicator_name", "pic_position")
"""Text fields ``q`` searches (case-insensitive, anywhere in the text)."""


class ActionFilterSet(django_filters.FilterSet):
    """Filters: ``work_plan`` (id), ``responsible_unit`` (id, exactly that unit), ``unit`` (id: that unit and every
    unit below it), ``due_before`` (date, strictly before), ``status`` (a derived status), ``q`` (text)."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="by_status",
                                         empty_label=_("any"))
    unit = django_filters.ModelChoiceFilter(label=_("Responsible unit"), method="in_subtree", queryset=None,
                                            empty_label=_("any"))
    due_before = TypedDateFilter(label=_("Due before"), field_name="due_date", lookup_expr="lt")
    work_plan = IdFilter(label=_("Work plan"), field_name="work_plan_id")
    responsible_unit = IdFilter(label=_("Responsible unit (exactly)"), field_name="responsible_unit_id")

    class Meta:
        model = Action
        fields: list[str] = []

    API_ONLY = ("work_plan", "responsible_unit")
    """Filters the action list page does not show (its plan is in the URL; ``unit`` covers the subtree)."""

    def __init__(self, *args: Any, units: Any = None, page: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pantau.organizations.models import Unit

        self.filters["unit"].queryset = units if units is not None else Unit.objects.all()
        if page:
            for name in self.API_ONLY:
                del self.filters[name]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        """Actions whose code, title, description, finding, indicator or PIC position contains ``value``."""
        q = Q()
        for field in SEARCHED_FIELDS:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    def in_subtree(self, queryset: Any, name: str, value: Any) -> Any:
        """Actions whose responsible unit is ``value`` or below it."""
        return queryset.filter(responsible_unit__path__startswith=value.path)

    def by_status(self, queryset: Any, name: str, value: str) -> Any:
        """Actions whose derived status now is ``value``, each on its responsible unit's local date (WIB, WITA,
        WIT), filtered in SQL (``workplans.statuses.status_expression``)."""
        from pantau.workplans.statuses import with_status

        return with_status(queryset, timezone.now(), "sql_status").filter(sql_status=value)


class ProgressReportFilterSet(django_filters.FilterSet):
    """Filters: ``action`` (id), ``work_plan`` (id), ``status`` (submitted, accepted, returned)."""

    action = IdFilter(label=_("Action"), field_name="action_id")
    work_plan = IdFilter(label=_("Work plan"), field_name="action__work_plan_id")
    status = django_filters.ChoiceFilter(label=_("Review"), choices=ReportStatus.choices)

    class Meta:
        model = ProgressReport
        fields: list[str] = []
