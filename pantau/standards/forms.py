"""Forms for entering a service and its standard (the 14 components, publication, decree and maklumat).

Forms only read input: ``standards.actions.create_service`` / ``record_standard`` check permission, validate and
write (STYLE.md habit 2).
"""

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pantau.core.fields import IndonesianDateField
from pantau.standards.actions import MAX_TEXT, check_adopted_on
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS, ComponentCode
from pantau.standards.models import ServiceStandard


class ServiceForm(forms.Form):
    """A new service of a unit."""

    name = forms.CharField(label=_("name of the service"), max_length=300)
    description = forms.CharField(label=_("description"), required=False, max_length=MAX_TEXT,
                                  widget=forms.Textarea(attrs={"rows": 2}))


def content_as_text(content: Any) -> str:
    """A stored component's content as editable text: text as is, a list one item per line, other data as JSON."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in content)
    return json.dumps(content, ensure_ascii=False)


class StandardForm(forms.Form):
    """One version of a service's standard: each of the 14 components as text (empty = not available), the
    published flag of the 6 delivery components, the adoption decree, publication media and the maklumat."""

    title = forms.CharField(label=_("title"), max_length=300, required=False)
    decree_number = forms.CharField(label=_("adoption decree number"), max_length=200, required=False)
    adopted_on = IndonesianDateField(label=_("adopted on"), required=False,
                                     help_text=_("Day first: e.g. 31/08/2024 or 31 Agustus 2024."))
    publication_media = forms.CharField(label=_("publication media"), required=False, max_length=MAX_TEXT,
                                        help_text=_("One medium per line."), widget=forms.Textarea(attrs={"rows": 2}))
    maklumat_text = forms.CharField(label=_("maklumat text"), required=False, max_length=MAX_TEXT,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    maklumat_adopted = forms.BooleanField(label=_("maklumat adopted"), required=False)
    maklumat_published = forms.BooleanField(label=_("maklumat published"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ComponentCode.choices)
        for number, code in enumerate(ALL_COMPONENTS, start=1):
            self.fields[f"text_{code}"] = forms.CharField(
                label=f"{number}. {labels[code]}", required=False, max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Leave empty when the standard lacks this component."),
            )
            if code in DELIVERY_COMPONENTS:
                self.fields[f"published_{code}"] = forms.BooleanField(
                    label=_("published to users"), required=False)

    def clean_adopted_on(self) -> dt.date | None:
        """Empty, or a date within 2000-01-01 .. today (``services.check_adopted_on``)."""
        adopted_on: dt.date | None = self.cleaned_data.get("adopted_on")
        try:
            check_adopted_on(adopted_on)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["adopted_on"]) from None
        return adopted_on

    @classmethod
    def initial_from(cls, standard: ServiceStandard | None) -> dict[str, Any]:
        """Initial values copied from ``standard`` (the current version), so that an edit starts from it."""
        if standard is None:
            return {}
        initial: dict[str, Any] = {
            name: getattr(standard, name) for name in (
                "title", "decree_number", "adopted_on", "publication_media", "maklumat_text", "maklumat_adopted",
                "maklumat_published", "note",
            )
        }
        for component in standard.components.all():
            initial[f"text_{component.code}"] = content_as_text(component.content)
            if component.code in DELIVERY_COMPONENTS:
                initial[f"published_{component.code}"] = component.is_published
        return initial

    def component_rows(self) -> list[tuple[Any, Any]]:
        """(text field, published field or None) per component, in the order of art. 21, for the template."""
        return [
            (self[f"text_{code}"], self[f"published_{code}"] if code in DELIVERY_COMPONENTS else None)
            for code in ALL_COMPONENTS
        ]

    def components(self) -> dict[str, tuple[str | None, bool]]:
        """The cleaned components in the shape ``services.record_standard`` takes."""
        data = self.cleaned_data
        return {
            code: (data.get(f"text_{code}") or None, bool(data.get(f"published_{code}", False)))
            for code in ALL_COMPONENTS
        }

    def standard_values(self) -> dict[str, Any]:
        """The cleaned header values (decree, publication, maklumat, note)."""
        data = self.cleaned_data
        return {name: data[name] for name in (
            "title", "decree_number", "adopted_on", "publication_media", "maklumat_text", "maklumat_adopted",
            "maklumat_published", "note",
        )}
