"""HTML forms for actions and progress reports. They validate input shape only; every save goes through
``pantau.workplans.actions`` (the one write path), whose ValidationErrors the views put back on these forms.

Money, indicator values and dates are read by ``pantau.core.fields`` in the active language's notation (Indonesian
first: "450.000" is 450000 rupiah, "70,5" is 70.5, "31 Agustus 2024" or "31/08/2024"): text inputs with a keyboard
hint, never ``type="number"`` or ``type="date"``, which Chromium reads in the operating system's locale.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.concurrency import version_field
from pantau.core.fields import DecimalInputField, IndonesianDateField, MoneyField
from pantau.core.uploads import validate_document
from pantau.organizations.models import Unit
from pantau.workplans.models import MAX_MONEY, Action, ProgressReport

INDICATOR_LIMIT = Decimal(10) ** 14 - Decimal("0.01")
"""Largest indicator value (16 digits with 2 decimals, the model's DecimalField)."""

MONEY_HELP = _("Whole rupiah, e.g. 450.000 or Rp 450.000 (the dot groups thousands).")
DECIMAL_HELP = _("At most two decimals, with a decimal comma: e.g. 70,5.")
DATE_HELP = _("Day first: e.g. 31/08/2024 or 31 Agustus 2024.")

ACTION_FORM_FIELDS = [
    "code", "title", "description", "finding", "parent", "start_date", "due_date", "responsible_unit",
    "pic_position", "supporting_units", "budget_planned", "budget_source", "fiscal_year", "indicator_name",
    "indicator_unit", "baseline", "target", "weight", "is_sample",
]

MAX_ID = 2**63 - 1
"""Largest id a row can have; larger values are invalid choices, never database errors."""

FISCAL_YEARS = (1945, 2100)
"""Accepted fiscal years (inclusive): a sanity bound that also keeps the value inside a small integer column."""

MAX_EVIDENCE_FILES = 10
"""At most this many evidence files per report (each file is also size-checked by ``core.uploads``)."""


def descendant_ids(action: Action) -> set[int]:
    """Ids of every action below ``action`` in its work plan (one query for the plan's parent links)."""
    links = Action.objects.filter(work_plan_id=action.work_plan_id).values_list("pk", "parent_id")
    children: dict[int, list[int]] = {}
    for pk, parent_id in links:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = [action.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that treats ids no row can have (junk, negative, beyond 64 bits) as invalid
    choices before they reach the database (SQLite raises OverflowError on such ids in an ``IN`` list)."""

    def _check_values(self, value: Any) -> Any:
        """Refuse impossible ids as invalid choices, then let Django check the rest against the queryset."""
        for pk in value:
            text = str(pk)
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
        return super()._check_values(value)


class ActionForm(forms.Form):
    """Create or edit an action of ``work_plan``. Choices are scoped: the responsible unit among the units the user
    may edit actions for inside the plan's government, the parent among the plan's actions the user may edit (a
    move needs rights at both ends; the current parent stays listed; never the action itself or one below it),
    supporting units inside the government. The pickers carry a search box (``pantau/filter-select.js``). An edit
    carries the action's ``version`` in a hidden field (``core.concurrency``)."""

    def __init__(self, *args: Any, user: Any, work_plan: Any, instance: Action | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=ACTION_FORM_FIELDS)
        super().__init__(*args, **kwargs)
        self.work_plan = work_plan
        self.instance = instance
        self.fields.update(
            fields_for_model(
                Action,
                fields=ACTION_FORM_FIELDS,
                widgets={
                    "description": forms.Textarea(attrs={"rows": 3}),
                    "finding": forms.Textarea(attrs={"rows": 3}),
                    "supporting_units": forms.SelectMultiple(attrs={"size": 6}),
                    "fiscal_year": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                },
                field_classes={"supporting_units": SafeModelMultipleChoiceField},
            )
        )
        self.fields.update(typed_action_fields())
        self.fields["fiscal_year"].validators += [
            MinValueValidator(FISCAL_YEARS[0]), MaxValueValidator(FISCAL_YEARS[1])
        ]
        government = work_plan.government
        self.fields["responsible_unit"].queryset = (
            units_for(user, Permission.EDIT_ACTIONS).filter(path__startswith=government.path).order_by("path")
        )
        editable = Action.objects.for_user(user, Permission.EDIT_ACTIONS).filter(work_plan=work_plan)
        current_parent = instance.parent_id if instance is not None else None
        parents = Action.objects.filter(
            Q(pk__in=editable.values("pk")) | Q(pk=current_parent), work_plan=work_plan
        ).order_by("sort_key", "code")
        if instance is not None and instance.pk is not None:
            parents = parents.exclude(pk__in={instance.pk} | descendant_ids(instance))
        self.fields["parent"].queryset = parents
        self.fields["supporting_units"].queryset = Unit.objects.subtree_of(government).order_by("path")
        self.fields["supporting_units"].required = False
        for name in ("parent", "responsible_unit", "supporting_units"):
            self.fields[name].widget.attrs["data-filter"] = _("Type to search the list")
        if instance is not None and instance.pk is not None:
            self.fields["version"] = version_field()
            self.initial.setdefault("version", instance.version)

    def clean_code(self) -> str:
        """The code must be unique within the work plan."""
        code = self.cleaned_data["code"].strip()
        others = Action.objects.filter(work_plan=self.work_plan, code=code)
        if self.instance is not None and self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("Another action of this work plan already has this code."))
        return code

    def action_data(self) -> dict[str, Any]:
        """The cleaned values for ``create_action``/``update_action`` (supporting units and version apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("supporting_units", "version")}

    def expected_version(self) -> int | None:
        """The version the form was read at (None on create, or when the hidden field was not sent)."""
        return self.cleaned_data.get("version")


def _label(model: Any, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def typed_action_fields() -> dict[str, forms.Field]:
    """The action's money, indicator and date fields read in the active notation (``core.fields``), in place of
    Django's number and date inputs."""
    return {
        "start_date": IndonesianDateField(label=_label(Action, "start_date"), help_text=DATE_HELP),
        "due_date": IndonesianDateField(label=_label(Action, "due_date"), help_text=DATE_HELP),
        "budget_planned": MoneyField(label=_label(Action, "budget_planned"), max_value=MAX_MONEY,
                                     help_text=MONEY_HELP),
        "baseline": DecimalInputField(label=_label(Action, "baseline"), places=2, min_value=-INDICATOR_LIMIT,
                                      max_value=INDICATOR_LIMIT, help_text=DECIMAL_HELP),
        "target": DecimalInputField(label=_label(Action, "target"), places=2, min_value=-INDICATOR_LIMIT,
                                    max_value=INDICATOR_LIMIT, help_text=DECIMAL_HELP),
        "weight": DecimalInputField(label=_label(Action, "weight"), places=2, min_value=Decimal("0.01"),
                                    max_value=Decimal("999999.99"), required=False,
                                    help_text=_("Relative to the sibling actions; empty counts as the average.")),
    }


class CancelForm(forms.Form):
    """Cancel an action: the reason is required; the hidden version is the one the page was read at."""

    cancel_reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3}),
                                    max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the user pick several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field whose cleaned value is a list of uploaded files (Django 5.2 documented pattern)."""

    def __init__(self, *args: Any, max_files: int = MAX_EVIDENCE_FILES, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """Clean each file; raise ValidationError when more than ``max_files`` are sent."""
        single_clean = super().clean
        items = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > self.max_files:
            raise ValidationError(
                _("Send at most %(count)d files.") % {"count": self.max_files}, code="too_many_files"
            )
        if not items:
            single_clean(None, initial)  # raises "required" when the field is required
            return []
        return [single_clean(item, initial) for item in items]


class ProgressReportForm(forms.Form):
    """Report progress: date, the indicator's new actual value, narrative, money spent, evidence files, and
    ``confirm``: the explicit confirmation of unusual values (``workplans.progress.plausibility_warnings``), shown
    as a checkbox only after the write path asked for it (``ask_confirmation``)."""

    report_date = IndonesianDateField(label=_label(ProgressReport, "report_date"), help_text=DATE_HELP)
    actual_value = DecimalInputField(label=_label(ProgressReport, "actual_value"), places=2,
                                     min_value=-INDICATOR_LIMIT, max_value=INDICATOR_LIMIT, help_text=DECIMAL_HELP)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    amount_spent = MoneyField(label=_label(ProgressReport, "amount_spent"), max_value=MAX_MONEY, required=False,
                              help_text=_("Whole rupiah spent since the previous report, e.g. 450.000; empty is 0."))
    evidence = MultipleFileField(
        label=_("Evidence files"), required=False,
        help_text=_("PDF, images (PNG, JPEG, GIF, WebP) or office documents; several files allowed."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm these values are correct although they look unusual"), required=False,
        widget=forms.HiddenInput,
    )

    def ask_confirmation(self) -> None:
        """Show the ``confirm`` checkbox (after the write path refused unusual values without it)."""
        self.fields["confirm"].widget = forms.CheckboxInput()
        self.asks_confirmation = True

    def clean_amount_spent(self) -> int:
        """Money spent; empty is 0."""
        return self.cleaned_data.get("amount_spent") or 0


    def clean_evidence(self) -> list[Any]:
        """Check each file's size and content type now, so file errors show with the other errors (the write path
        checks again)."""
        files = self.cleaned_data["evidence"]
        messages: list[str] = []
        for upload in files:
            try:
                validate_document(upload)
            except ValidationError as exc:
                messages.extend(exc.messages)
        if messages:
            raise ValidationError(messages)
        return files


class ReviewForm(forms.Form):
    """Accept (note optional) or return (reason required, checked by ``return_report``) a progress report; both
    buttons send ``review_reason`` (the accept form's note field)."""

    review_reason = forms.CharField(label=_("Reason or note"), required=False, max_length=500,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class WeightsForm(forms.Form):
    """The weights of one sibling group set together (``actions.set_weights``): one field per action (a positive
    number, empty for none) and its hidden version. Sibling weights are set on all or on none (docs/status.md)."""

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            self.fields[f"weight_{action.pk}"] = DecimalInputField(
                label=f"{action.code} {action.title}", required=False, places=2, min_value=Decimal("0.01"),
                max_value=Decimal("999999.99"), initial=action.weight,
            )
            self.fields[f"version_{action.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=action.version)

    def rows(self) -> list[tuple[Action, Any]]:
        """(action, its bound weight field) in order, for the template."""
        return [(action, self[f"weight_{action.pk}"]) for action in self.actions]

    def weights(self) -> dict[int, Decimal | None]:
        """action id -> the weight entered (None when empty)."""
        return {a.pk: self.cleaned_data.get(f"weight_{a.pk}") for a in self.actions}

    def versions(self) -> dict[int, int]:
        """action id -> the version the form was read at."""
        return {a.pk: v for a in self.actions if (v := self.cleaned_data.get(f"version_{a.pk}")) is not None}



class ImportForm(forms.Form):
    """The upload form: one XLSX file (size and format are checked by the importer, which reports every error)."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
