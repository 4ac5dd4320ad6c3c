"""The preferences form: one choice of channel per registered kind of notification."""

from typing import Any

from django import forms

from pantau.notifications import registry
from pantau.notifications.models import Channel


class PreferencesForm(forms.Form):
    """A radio choice (in Pantau only, e-mail at once, daily digest, off) per kind, named ``kind_<code>``;
    ``initial`` maps kind codes to the user's current channels."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = registry.kinds()
        for kind in self.kinds:
            self.fields[f"kind_{kind.code}"] = forms.ChoiceField(
                label=kind.label, help_text=kind.description, choices=Channel.choices,
                initial=current.get(kind.code, kind.default_channel), widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, str]:
        """The chosen channel per kind code (after ``is_valid``)."""
        return {kind.code: self.cleaned_data[f"kind_{kind.code}"] for kind in self.kinds}
