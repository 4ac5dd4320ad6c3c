"""Forms of the complaint pages: the public form and tracking page, staff entry and handling, rules, calendar.

Forms only read and shape input; every rule is checked again by ``complaints.actions`` (the one write path). Dates
are typed day first (``core.fields.IndonesianDateField``); numbers use text inputs with a numeric keyboard hint,
never ``type="number"`` (brief: house rules).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pantau.complaints.models import (
    STAFF_CHANNELS,
    CalendarDayKind,
    Channel,
    DayKind,
    ReportOutcome,
    ReportStage,
    RuleCode,
    Stage,
)
from pantau.core.fields import IndonesianDateField, SafeCharField
from pantau.core.once import OnceFormMixin
from pantau.organizations.models import Unit
from pantau.standards.components import ComponentCode
from pantau.standards.models import Service


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files (a list of uploads); each is checked by ``core.uploads.validate_document`` in the write
    path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """The uploads as a list (empty when none)."""
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UnitChoiceField(forms.ModelChoiceField):
    """A unit shown by its name."""

    def label_from_instance(self, obj: Any) -> str:
        """The unit's name."""
        return str(obj.name)


class ServiceChoiceField(forms.ModelChoiceField):
    """A service shown with its unit."""

    def label_from_instance(self, obj: Any) -> str:
        """"Service (unit)"."""
        return f"{obj.name} ({obj.unit.short_name or obj.unit.name})"


def component_choices() -> list[tuple[str, Any]]:
    """An empty choice, then the 14 components of UU 25/2009 art. 21."""
    return [("", _("not sure / none")), *ComponentCode.choices]


class IdentityFields(forms.Form):
    """The complainant's identity (seen only by the handlers and the Ombudsman)."""

    name = SafeCharField(label=_("Your name"), max_length=200)
    nik = SafeCharField(label=_("NIK (16 digits, optional)"), max_length=24, required=False,
                        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = SafeCharField(label=_("Phone (optional)"), max_length=24, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False,
                             widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}))
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential"), required=False,
        help_text=_("Only the officers handling your complaint and the Ombudsman will see who you are, and every "
                    "time they look it is recorded."),
    )


class PublicComplaintForm(OnceFormMixin, IdentityFields):
    """The public complaint form of one regional government (no login): what it is about, what happened, who you
    are, files, and a honeypot field (``website``) that people never see and bots fill in."""

    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False,
                                 empty_label=_("not sure / another matter"))
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("not sure: the regional government routes it"))
    component = forms.ChoiceField(label=_("What went wrong (service-standard component)"), required=False,
                                  choices=component_choices)
    subject = SafeCharField(label=_("Subject"), max_length=200)
    description = SafeCharField(label=_("What happened"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Files (optional: PDF, images, office documents)"))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    field_order = ["service", "unit", "component", "subject", "description", "attachments", "name", "nik", "phone",
                   "email", "confidential"]

    def __init__(self, *args: Any, government: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.subtree_of(government).order_by("path")  # type: ignore[attr-defined]
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(unit__path__startswith=government.path).select_related("unit").order_by("name")
        )

    def is_bot(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.data.get("website"))


class StaffComplaintForm(OnceFormMixin, IdentityFields):
    """A complaint received in person, by phone, letter, e-mail, social media, SP4N-LAPOR! or another channel."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    external_ticket = SafeCharField(label=_("Ticket number of the channel"), max_length=60, required=False,
                                    help_text=_("Required for SP4N-LAPOR!: its ticket number."))
    received_on = IndonesianDateField(label=_("Received on"), required=False,
                                      help_text=_("Empty: today. The day of receipt is not counted."))
    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False)
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none(), required=False,
                           help_text=_("Empty: the unit of the service."))
    component = forms.ChoiceField(label=_("Service-standard component"), required=False, choices=component_choices)
    subject = SafeCharField(label=_("Subject"), max_length=200)
    description = SafeCharField(label=_("What happened"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Files"))

    field_order = ["channel", "external_ticket", "received_on", "service", "unit", "component", "subject",
                   "description", "attachments", "name", "nik", "phone", "email", "confidential"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(unit__in=units).select_related("unit").order_by("name")
        )
        self.fields["name"].label = _("Name of the complainant")
        self.fields["confidential"].label = _("The complainant asks that their identity stay confidential")


class VersionForm(forms.Form):
    """The version of the record the page showed (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CheckForm(VersionForm):
    """The completeness check."""

    complete = forms.TypedChoiceField(
        label=_("Is the file complete?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes: start handling it")), ("no", _("No: ask the complainant to complete it"))],
    )
    question = SafeCharField(label=_("Message to the complainant (required when incomplete)"), max_length=10_000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TextForm(VersionForm):
    """A text: a question, an answer, a note, a reason."""

    text = SafeCharField(label=_("Text"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Files"))


class OutcomeForm(VersionForm):
    """Resolved or not."""

    resolved = forms.TypedChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("resolved")), ("no", _("not resolved"))],
    )
    text = SafeCharField(label=_("Note"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


SATISFIED_CHOICES = [("yes", _("satisfied")), ("no", _("not satisfied")), ("", _("no feedback given"))]


class CloseForm(VersionForm):
    """Close with the complainant's feedback as relayed to the handler."""

    satisfied = forms.ChoiceField(label=_("The complainant's feedback"), choices=SATISFIED_CHOICES, required=False,
                                  widget=forms.RadioSelect)
    text = SafeCharField(label=_("Feedback in their words"), max_length=10_000, required=False,
                         widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(VersionForm):
    """Route the complaint to another unit of the government, with the reason."""

    unit = UnitChoiceField(label=_("New responsible unit"), queryset=Unit.objects.none())
    text = SafeCharField(label=_("Reason"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, government: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.subtree_of(government).order_by("path")  # type: ignore[attr-defined]


class ReportForm(VersionForm):
    """The next stage of a report to the Ombudsman."""

    stage = forms.ChoiceField(label=_("Stage"), choices=ReportStage.choices[1:])
    outcome = forms.ChoiceField(label=_("Outcome (when closing)"), required=False,
                                choices=[("", "-"), *ReportOutcome.choices])
    register_number = SafeCharField(label=_("Ombudsman register number"), max_length=60, required=False)
    text = SafeCharField(label=_("Note"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(VersionForm):
    """A deadline rule's length, kind of day, source and status."""

    length = forms.IntegerField(label=_("Length (days)"), min_value=1, max_value=365,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    day_kind = forms.ChoiceField(label=_("Counted in"), choices=DayKind.choices)
    source = SafeCharField(label=_("Source"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    provisional = forms.BooleanField(label=_("Provisional (the source is uncertain)"), required=False)
    note = SafeCharField(label=_("Note"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnitRuleForm(RuleForm):
    """A unit's own shorter rule."""

    code = forms.ChoiceField(label=_("Deadline"), choices=RuleCode.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    field_order = ["code", "unit", "length", "day_kind", "source", "provisional", "note"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]


class CalendarDayForm(forms.Form):
    """A correction of the working-day calendar, national or for a unit."""

    date = IndonesianDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDayKind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("national"))
    description = SafeCharField(label=_("Description"), max_length=200)
    source = SafeCharField(label=_("Source (decree, letter, link)"), max_length=10_000, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]


class TrackForm(forms.Form):
    """The tracking code typed by the complainant."""

    code = forms.CharField(label=_("Tracking code"), max_length=24,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class ReplyForm(forms.Form):
    """The complainant's answer or addition."""

    text = SafeCharField(label=_("Your message"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Files (optional)"))


class FeedbackForm(forms.Form):
    """The complainant's feedback after the answer."""

    satisfied = forms.TypedChoiceField(
        label=_("Did the answer solve your problem?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes, I am satisfied")), ("no", _("No, I am not satisfied"))],
    )
    comment = SafeCharField(label=_("Comment (optional)"), max_length=10_000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class PublicNoteForm(forms.Form):
    """A reason or note from the complainant (withdrawal, forwarding)."""

    note = SafeCharField(label=_("Reason (optional)"), max_length=10_000, required=False,
                         widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    """A file of complaints from other channels."""

    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class ComplaintFilterForm(forms.Form):
    """Filters of the complaint list."""

    stage = forms.ChoiceField(label=_("Stage"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("any")), *Channel.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("any")), ("open", _("open")), *Stage.choices]
        self.fields["stage"].choices = choices  # type: ignore[attr-defined]
