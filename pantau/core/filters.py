"""Shared pieces of the FilterSets (django-filter) that drive list pages, API filters and the OpenAPI schema."""

import django_filters
from django import forms

from pantau.core.fields import IndonesianDateField

MAX_ID = 2**63 - 1
"""The largest id a BigAutoField holds; larger numbers would make PostgreSQL raise instead of finding nothing."""


class IdFilter(django_filters.NumberFilter):
    """A filter on a row id: a whole number 1..MAX_ID (``1.5``, ``abc`` or a huge number give a 400 in the API and
    a form error on pages, never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class TypedDateFilter(django_filters.DateFilter):
    """A date filter that reads what people type (``core.fields.IndonesianDateField``: "31/08/2024",
    "31 Agustus 2024", ISO) on pages and in the API alike."""

    field_class = IndonesianDateField
