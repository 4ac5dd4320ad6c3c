"""Forms for entering assessment rounds: one round about a unit (dimension scores and optional indicator scores) and
the Excel upload of scores for many units. Forms only read input; ``assessments.actions.record_round`` and
``assessments.actions.import_scores`` check permission, compute, write and audit (STYLE.md habit 2)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.assessments import scoring
from pantau.assessments.models import MethodEdition, RoundKind
from pantau.assessments.rules import INDICATOR_CODE_MAX, INDICATOR_NAME_MAX, MAX_INDICATORS, MAX_NOTE, is_indicator_code
from pantau.assessments.xlsx import score_value
from pantau.core.fields import DecimalInputField, IndonesianDateField
from pantau.core.numbers import format_number
from pantau.core.spreadsheets import CellError

SCORE_HELP = gettext_lazy("0 to 100, at most two decimals with a decimal comma: e.g. 85,5.")


def score_field(**kwargs: Any) -> DecimalInputField:
    """A score 0-100 with two decimals, read in the active notation ("85,5")."""
    return DecimalInputField(places=2, min_value=scoring.SCORE_MIN, max_value=scoring.SCORE_MAX, **kwargs)


def _kind_choices(kinds: Iterable[str]) -> list[tuple[str, str]]:
    labels = dict(RoundKind.choices)
    return [(kind, labels[kind]) for kind in RoundKind.values if kind in kinds]


class _RoundHeader(forms.Form):
    """What every round needs: edition, kind, year and date."""

    edition = forms.ModelChoiceField(label=gettext_lazy("method edition"), queryset=MethodEdition.objects.none(),
                                     to_field_name="code")
    kind = forms.ChoiceField(label=gettext_lazy("kind"))
    assessed_on = IndonesianDateField(label=gettext_lazy("assessed on"),
                                      help_text=gettext_lazy("Day first: e.g. 31/08/2024 or 31 Agustus 2024."))
    year = forms.IntegerField(label=gettext_lazy("assessment year"), min_value=2000, max_value=2100, required=False,
                              help_text=gettext_lazy("Empty: the year of the assessment date."),
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    title = forms.CharField(label=gettext_lazy("title"), max_length=300, required=False)

    def __init__(self, *args: Any, kinds: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = MethodEdition.objects.order_by("-valid_from")  # type: ignore[attr-defined]
        self.fields["edition"].label_from_instance = lambda edition: edition.name  # type: ignore[attr-defined]
        self.fields["kind"].choices = _kind_choices(kinds)  # type: ignore[attr-defined]

    def clean_year_or_date(self) -> int:
        """The year given, else the year of the assessment date."""
        year = self.cleaned_data.get("year")
        date: dt.date | None = self.cleaned_data.get("assessed_on")
        return int(year) if year else (date.year if date else 0)


class RoundForm(_RoundHeader):
    """One round about a unit: a score per dimension of ``edition`` and indicator scores as lines
    ``dimension; indicator code; indicator name; score`` (at most ``rounds.MAX_INDICATORS`` lines; codes of at most
    60 letters, digits, - and _, unique per dimension ignoring case; names of at most 300 characters)."""

    pass_mark = score_field(
        label=gettext_lazy("pass mark"), required=False,
        help_text=gettext_lazy("Empty: the lowest bound of the edition's green zone (Pantau's choice; the "
                               "regulation sets none per indicator)."),
    )
    indicators = forms.CharField(
        label=gettext_lazy("indicator scores (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_INDICATORS * 500,
        help_text=gettext_lazy("One per line, at most 200 lines: dimension code; indicator code; indicator name; "
                               "score. Example: input; kompetensi; Kompetensi pelaksana; 70"),
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, edition: MethodEdition, kinds: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, kinds=kinds, **kwargs)
        self.edition = edition
        self.fields["edition"].widget = forms.HiddenInput()
        self.dimension_codes = []
        for dim in edition.dimensions.all():
            self.fields[f"score_{dim.code}"] = score_field(label=f"{dim.name} ({format_number(dim.weight)} %)",
                                                               help_text=SCORE_HELP)
            self.dimension_codes.append(dim.code)

    def clean_edition(self) -> MethodEdition:
        """The edition must be the one whose dimensions the form shows."""
        edition: MethodEdition = self.cleaned_data["edition"]
        if edition.pk != self.edition.pk:
            raise ValidationError(_("Choose the edition again: the form shows the dimensions of another edition."))
        return edition

    def clean_indicators(self) -> dict[str, dict[str, tuple[str, Decimal]]]:
        """Parse the indicator lines; every bad line is reported with its number."""
        result: dict[str, dict[str, tuple[str, Decimal]]] = {}
        problems = []
        lines = self.cleaned_data.get("indicators", "").splitlines()
        if sum(1 for line in lines if line.strip()) > MAX_INDICATORS:
            raise ValidationError(_("At most %(limit)d indicator lines per round.") % {"limit": MAX_INDICATORS})
        seen: set[tuple[str, str]] = set()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 4 or not parts[0] or not parts[1]:
                problems.append(_("Line %(line)d: write dimension; code; name; score.") % {"line": number})
                continue
            dim, code, name, raw = parts
            if dim not in self.dimension_codes:
                problems.append(_("Line %(line)d: unknown dimension %(value)s.") % {"line": number, "value": dim[:40]})
                continue
            if not is_indicator_code(code):
                problems.append(_("Line %(line)d: %(value)s is not a code: use at most %(limit)d letters, digits, - "
                                  "and _.") % {"line": number, "value": code[:40], "limit": INDICATOR_CODE_MAX})
                continue
            if len(name) > INDICATOR_NAME_MAX:
                problems.append(_("Line %(line)d: the name has more than %(limit)d characters.")
                                % {"line": number, "limit": INDICATOR_NAME_MAX})
                continue
            try:
                score = score_value(raw)
            except CellError as exc:
                problems.append(_("Line %(line)d: %(problem)s") % {"line": number, "problem": exc})
                continue
            if (dim, code.casefold()) in seen:
                problems.append(_("Line %(line)d: indicator %(code)s appears twice.")
                                % {"line": number, "code": code[:40]})
                continue
            seen.add((dim, code.casefold()))
            result.setdefault(dim, {})[code] = (name or code, score)
        if problems:
            raise ValidationError(problems)
        return result

    def dimension_scores(self) -> dict[str, Decimal]:
        """Dimension code -> score."""
        return {code: self.cleaned_data[f"score_{code}"] for code in self.dimension_codes}

    def score_fields(self) -> list[Any]:
        """The bound score fields, for the template."""
        return [self[f"score_{code}"] for code in self.dimension_codes]


class ScoresImportForm(_RoundHeader):
    """The Excel upload: the round's edition, kind and date, and the file."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
