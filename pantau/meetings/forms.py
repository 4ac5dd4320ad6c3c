"""Forms of the meeting pages: the meeting itself, the public sign-in, staff attendance entry, minutes and decisions.

They read input only (dates and numbers through ``pantau.core.fields``, in the notation of the active language);
every save goes through ``pantau.meetings.actions``, whose ValidationErrors the views put back on these forms.
"""

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pantau.core.fields import DecimalInputField, IndonesianDateField, SafeCharField
from pantau.core.once import OnceFormMixin
from pantau.meetings.models import (
    AttendanceMode,
    DecisionKind,
    Meeting,
    MeetingKind,
    MeetingMode,
    meeting_unit_choices,
)
from pantau.organizations.models import Unit, UnitKind

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]
"""Times as people type them: "09:00", "09.00" (the Indonesian way) or "0900"."""


class CountField(DecimalInputField):
    """A whole number of people, read like every number Pantau reads (``core.typed_input``; "1.000" is a thousand
    in Indonesian), returned as an int."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100_000)
        super().__init__(places=0, **kwargs)

    def to_python(self, value: Any) -> int | None:
        """The count as an int, None when empty."""
        number = super().to_python(value)
        return None if number is None else int(number)

    def show(self, value: Any, language: str) -> str:
        """The count without decimals."""
        return str(value)


class TimeInput(forms.TimeInput):
    """A plain text input for a time of day (``inputmode`` numeric on phones), shown as "09.00"."""

    def __init__(self) -> None:
        super().__init__(format="%H.%M", attrs={"inputmode": "numeric", "placeholder": "09.00", "size": 6})


class MeetingForm(OnceFormMixin, forms.Form):
    """Create or edit a meeting of ``agreement``. The date and times are in the host unit's zone (else the zone of
    the agreement's government party); ``starts_at`` and ``ends_at`` come out as aware instants."""

    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = SafeCharField(label=_("title"), max_length=300)
    mode = forms.ChoiceField(label=_("mode"), choices=MeetingMode.choices, widget=forms.RadioSelect)
    date = IndonesianDateField(label=_("date"))
    start_time = forms.TimeField(label=_("starts at"), required=False, input_formats=TIME_FORMATS,
                                 widget=TimeInput(), help_text=_("Local time of the host unit, e.g. 09.00."))
    end_time = forms.TimeField(label=_("ends at"), required=False, input_formats=TIME_FORMATS, widget=TimeInput())
    host_unit = forms.ModelChoiceField(label=_("host unit"), queryset=Unit.objects.none(), required=False,
                                       help_text=_("Its time zone is the meeting's. Empty: the government party."))
    place = SafeCharField(label=_("place"), max_length=200, required=False,
                          help_text=_("For in-person and hybrid meetings."))
    online_link = forms.URLField(label=_("online meeting link"), max_length=500, required=False,
                                 assume_scheme="https", help_text=_("For online and hybrid meetings."))
    room_capacity = CountField(label=_("room capacity"), required=False, min_value=1)
    invited_units = forms.ModelMultipleChoiceField(
        label=_("invited units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    participants = SafeCharField(label=_("participants by position"), required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    attendance_in_person = CountField(label=_("attending in person (published)"), required=False,
                                      help_text=_("Only a count a source published; registrations are counted apart."))
    attendance_online = CountField(label=_("attending online (published)"), required=False)
    source_url = SafeCharField(label=_("source"), required=False, max_length=1000)

    def __init__(self, *args: Any, agreement: Any, instance: Meeting | None = None, **kwargs: Any) -> None:
        self.agreement = agreement
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        probe = instance or Meeting(agreement=agreement)
        units = meeting_unit_choices(probe).order_by("path")
        self.fields["host_unit"].queryset = units
        self.fields["invited_units"].queryset = units.exclude(kind=UnitKind.VILLAGE_GOVERNMENT)
        if instance is not None:
            invited = set(instance.invited_units.values_list("pk", flat=True))
            # a village invited earlier stays choosable
            self.fields["invited_units"].queryset = units.filter(
                pk__in=invited) | units.exclude(kind=UnitKind.VILLAGE_GOVERNMENT)

    @staticmethod
    def initial_from(meeting: Meeting) -> dict[str, Any]:
        """The form's values for ``meeting``: local date and times in its zone."""
        initial = {name: getattr(meeting, name) for name in (
            "kind", "title", "mode", "date", "host_unit", "place", "online_link", "room_capacity",
            "participants", "attendance_in_person", "attendance_online", "source_url")}
        initial["start_time"] = meeting.local_start.time() if meeting.local_start else None
        initial["end_time"] = meeting.local_end.time() if meeting.local_end else None
        initial["invited_units"] = list(meeting.invited_units.all())
        return initial

    def clean(self) -> dict[str, Any]:
        """The times combined with the date in the host unit's zone; an end time needs a start time."""
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        host = data.get("host_unit") or self.agreement.government
        zone = zoneinfo.ZoneInfo(host.zone)
        data["starts_at"] = dt.datetime.combine(day, start, tzinfo=zone) if day and start else None
        data["ends_at"] = dt.datetime.combine(day, end, tzinfo=zone) if day and end else None
        if end and not start:
            self.add_error("start_time", _("Give the start time when the end time is given."))
        elif start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    def meeting_data(self) -> dict[str, Any]:
        """The cleaned values for ``create_meeting`` / ``update_meeting`` (invited units apart)."""
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("start_time", "end_time", "invited_units")}
        for name in ("place", "online_link", "participants", "source_url"):
            data[name] = data.get(name) or ""
        return data


class AttendeeFields(forms.Form):
    """Name, position, unit (a unit of the parties, or the institution as typed) and mode of one attendee."""

    name = SafeCharField(label=_("name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    position = SafeCharField(label=_("position"), max_length=200,
                             widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("(another institution: write it below)"))
    unit_name = SafeCharField(label=_("other institution"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    mode = forms.ChoiceField(label=_("I attend"), choices=AttendanceMode.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        invited = list(meeting.invited_units.values_list("pk", flat=True))
        parties = [meeting.agreement.government_id, meeting.agreement.ombudsman_office_id]
        choices = meeting_unit_choices(meeting)
        self.fields["unit"].queryset = (
            choices.filter(pk__in=invited + parties) if invited else
            choices.exclude(kind=UnitKind.VILLAGE_GOVERNMENT)
        ).order_by("path")
        modes = meeting.attendance_modes()
        self.fields["mode"].choices = [(code, label) for code, label in AttendanceMode.choices if code in modes]
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]

    def clean(self) -> dict[str, Any]:
        """A unit or an institution is needed."""
        data = super().clean()
        if not data.get("unit") and not data.get("unit_name"):
            self.add_error("unit", _("Choose your unit or write your institution."))
        return data


class SignInForm(AttendeeFields):
    """The public sign-in (no account): the attendee's fields and a honeypot (``website``) people never see."""

    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def is_bot(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.data.get("website"))


class StaffAttendanceForm(AttendeeFields):
    """Staff entry of one attendee."""


class MinutesForm(forms.Form):
    """The minutes (notulen) text."""

    minutes = SafeCharField(label=_("minutes"), required=False, max_length=50_000,
                            widget=forms.Textarea(attrs={"rows": 10}))


class DecisionForm(forms.Form):
    """One decision: its text, what it does (create an action, change one, nothing), who and by when."""

    text = SafeCharField(label=_("decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("what it does"), choices=DecisionKind.choices, widget=forms.RadioSelect,
                             initial=DecisionKind.CREATE_ACTION)
    responsible_unit = forms.ModelChoiceField(label=_("responsible unit"), queryset=Unit.objects.none(),
                                              required=False)
    due_date = IndonesianDateField(label=_("by when"), required=False)
    action = forms.ModelChoiceField(label=_("action it changes"), queryset=Unit.objects.none(), required=False,
                                    help_text=_("Only for a decision that changes an action."))

    def __init__(self, *args: Any, meeting: Meeting, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = meeting_unit_choices(meeting).exclude(
            kind=UnitKind.OMBUDSMAN_OFFICE).order_by("path")
        self.fields["action"].queryset = actions

    def clean(self) -> dict[str, Any]:
        """A decision that changes an action names it."""
        data = super().clean()
        if data.get("kind") == DecisionKind.CHANGE_ACTION and not data.get("action"):
            self.add_error("action", _("Choose the action the decision changes."))
        if data.get("kind") != DecisionKind.CHANGE_ACTION:
            data["action"] = None
        return data


class DropForm(forms.Form):
    """Drop a decision: the reason is required."""

    drop_reason = SafeCharField(label=_("reason for dropping"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))


class PlanChoiceForm(forms.Form):
    """Which work plan a new action of a decision goes to (an MoU's meeting may feed several)."""

    work_plan = forms.ModelChoiceField(label=_("work plan"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_plan"].queryset = plans

