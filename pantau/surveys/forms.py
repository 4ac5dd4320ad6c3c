"""Forms of the public questionnaire and of the staff pages.

The nine questions follow the sample questionnaire of PermenPANRB 14/2017 (a unit's copy:
https://pdfcoffee.com/permen-14-2017-okkk-pdf-free.html). Source strings are English; the translator comments give
the regulation's Indonesian wording, which the Indonesian catalogue should reproduce.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.core.fields import DecimalInputField, IndonesianDateField, SafeCharField
from pantau.core.once import OnceFormMixin
from pantau.organizations.models import Unit
from pantau.surveys import ikm
from pantau.surveys.choices import Education, Occupation, Sex
from pantau.surveys.models import SurveyPeriod


def questions() -> list[tuple[str, Any, list[Any]]]:
    """(element code, question, answers for scores 1..4) in the regulation's order."""
    return [
        # Translators: PermenPANRB 14/2017: "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan
        # dengan jenis pelayanannya?" - Tidak sesuai / Kurang sesuai / Sesuai / Sangat sesuai
        ("U1", _("How well do the service requirements fit the type of service?"),
         [_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")]),
        # Translators: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
        # - Tidak mudah / Kurang mudah / Mudah / Sangat mudah
        ("U2", _("How easy is the service procedure at this unit?"),
         [_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")]),
        # Translators: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
        # - Tidak cepat / Kurang cepat / Cepat / Sangat cepat
        ("U3", _("How fast was the service delivered?"),
         [_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")]),
        # Translators: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"
        # - Sangat mahal / Cukup mahal / Murah / Gratis
        ("U4", _("How fair is the cost or tariff of the service?"),
         [_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free")]),
        # Translators: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam
        # standar pelayanan dengan hasil yang diberikan?" - Tidak sesuai / Kurang sesuai / Sesuai / Sangat sesuai
        ("U5", _("How well does the service product match what the service standard lists?"),
         [_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")]),
        # Translators: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
        # - Tidak kompeten / Kurang kompeten / Kompeten / Sangat kompeten
        ("U6", _("How competent were the staff serving you?"),
         [_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")]),
        # Translators: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan
        # keramahan?" - Tidak sopan dan ramah / Kurang sopan dan ramah / Sopan dan ramah / Sangat sopan dan ramah
        ("U7", _("How polite and friendly were the staff?"),
         [_("Not polite and friendly"), _("Less polite and friendly"), _("Polite and friendly"),
          _("Very polite and friendly")]),
        # Translators: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"
        # - Buruk / Cukup / Baik / Sangat baik
        ("U8", _("What is the quality of the facilities and infrastructure?"),
         [_("Poor"), _("Fair"), _("Good"), _("Very good")]),
        # Translators: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"
        # - Tidak ada / Ada tetapi tidak berfungsi / Berfungsi kurang maksimal / Dikelola dengan baik
        ("U9", _("How are complaints from service users handled?"),
         [_("There is no complaint channel"), _("There is one, but it does not work"),
          _("It works, but not fully"), _("Complaints are handled well")]),
    ]


class PublicResponseForm(OnceFormMixin, forms.Form):
    """The public questionnaire: nine required answers, an optional profile, and a honeypot field (``website``)
    that people never see and bots fill in."""

    age = forms.IntegerField(label=_("Age (years)"), min_value=10, max_value=120, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "-"), *Sex.choices], required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "-"), *Education.choices], required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=[("", "-"), *Occupation.choices], required=False)
    service_received = forms.CharField(label=_("Service received"), max_length=200, required=False)
    comment = forms.CharField(label=_("Comments and suggestions"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, question, answers in questions():
            self.fields[code] = forms.TypedChoiceField(
                label=question, coerce=int, widget=forms.RadioSelect,
                choices=[(score, answer) for score, answer in enumerate(answers, start=ikm.MIN_SCORE)],
            )

    def element_fields(self) -> list[Any]:
        """Bound fields of the nine questions, in order."""
        return [self[code] for code in ikm.ELEMENT_CODES]

    def profile_fields(self) -> list[Any]:
        """Bound fields of the optional profile."""
        return [self[name] for name in ("age", "sex", "education", "occupation", "service_received", "comment")]

    def is_bot(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.data.get("website"))


class ImportForm(forms.Form):
    """Upload a file of paper questionnaires."""

    file = forms.FileField(label=_("File of responses (.xlsx or .csv)"))


class ComputeForm(forms.Form):
    """Compute the IKM with a weight variant."""

    weight = forms.ChoiceField(
        label=_("Element weight"), initial=ikm.Weight.EXACT.value,
        choices=[(ikm.Weight.EXACT.value, _("exact 1/9 (default)")), (ikm.Weight.PRINTED.value, _("printed 0.11"))],
    )


class PeriodForm(forms.Form):
    """Create or edit a survey period: the unit (on create, among the units the user may manage surveys for), the
    service, the dates (Indonesian typing: "1 Juli 2024", "01/07/2024"), the number of service users (for the
    Krejcie & Morgan sample), whether the public questionnaire is open, a note."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    service_name = SafeCharField(label=_("service"), max_length=200, required=False)
    start_date = IndonesianDateField(label=_("start"))
    end_date = IndonesianDateField(label=_("end"))
    population = DecimalInputField(label=_("service users (population)"), places=0, min_value=1,
                                   max_value=100_000_000, required=False,
                                   help_text=_("Service users in the period; sets the required sample."))
    public_form = forms.BooleanField(label=_("public form open"), required=False)
    note = SafeCharField(label=_("note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, instance: SurveyPeriod | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "unit", "service_name", "start_date", "end_date", "population", "public_form", "note")}
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units_for(user, Permission.MANAGE_SURVEYS).order_by("path")

    def clean_population(self) -> int | None:
        """The population as a whole number."""
        value = self.cleaned_data.get("population")
        return None if value is None else int(value)

    def period_data(self) -> dict[str, Any]:
        """The cleaned values for ``create_period`` / ``update_period`` (unit apart)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "unit"}
        data["service_name"] = data.get("service_name") or ""
        data["note"] = data.get("note") or ""
        return data
