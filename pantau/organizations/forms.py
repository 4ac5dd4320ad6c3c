"""Unit pickers for the forms of the apps above (issue 15): the units grouped under their parent unit (optgroups in
tree order), searchable by ``pantau/picker.js`` (Tom Select, served by Pantau), a plain grouped ``<select>`` without
JavaScript. The caller scopes the queryset (``accounts.scoping.units_for``); these fields only arrange it."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
"""Largest id a row can have; larger values are invalid choices, never database errors."""

PICKER_ATTRS = {"data-picker": "1", "data-placeholder": _("Type to search the list"),
                "data-empty": _("No unit matches")}
"""Attributes ``pantau/picker.js`` reads: the placeholder and the text shown when nothing matches (translated)."""


class GroupedUnitIterator(forms.models.ModelChoiceIterator):
    """Choices as ``(parent name, [(value, label), ...])`` groups, in tree order (the parents' ``path``), each group's
    units in ``path`` order; units without a parent (or whose parent is not loaded) come first, ungrouped."""

    def __iter__(self) -> Iterator[Any]:
        """The empty choice (when the field has one), then the ungrouped units, then one optgroup per parent."""
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset.select_related("parent").order_by("path"))
        top: list[Any] = []
        groups: dict[int, list[Any]] = {}
        parents: dict[int, Any] = {}
        for unit in units:
            if unit.parent_id is None:
                top.append(self.choice(unit))
            else:
                groups.setdefault(unit.parent_id, []).append(self.choice(unit))
                parents[unit.parent_id] = unit.parent
        yield from top
        for parent_id in sorted(groups, key=lambda pk: parents[pk].path):
            yield (parents[parent_id].name, groups[parent_id])


class GroupedUnitChoiceField(forms.ModelChoiceField):
    """One unit, chosen from a grouped, searchable picker (module docstring)."""

    iterator = GroupedUnitIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(PICKER_ATTRS)


class GroupedUnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units from a grouped, searchable multi-picker (chips with a remove button); ids no row can have are
    invalid choices before they reach the database."""

    iterator = GroupedUnitIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(PICKER_ATTRS)

    def _check_values(self, value: Any) -> Any:
        """Refuse impossible ids as invalid choices, then let Django check the rest against the queryset."""
        for pk in value:
            text = str(pk)
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
        return super()._check_values(value)
