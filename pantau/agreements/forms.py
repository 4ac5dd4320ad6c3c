"""Forms of the agreement pages: an agreement (MoU, work plan, PKS), its signatories, signing, addenda, documents
and early termination. Dates through ``pantau.core.fields`` (Indonesian typing first); every save goes through
``pantau.agreements.actions``, whose ValidationErrors the views put back on these forms.
"""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.agreements.models import Agreement, AgreementKind, DocumentKind, Signatory
from pantau.core.fields import IndonesianDateField, SafeCharField
from pantau.organizations.models import Unit, UnitKind


class AgreementForm(forms.Form):
    """Create or edit an agreement of ``kind``. Choices are scoped: the Ombudsman party among the Ombudsman offices,
    the government party among the regional governments (for a PKS: the agencies of the work plan's government)
    the user may view, the parent among the MoUs (for a PKS: the work plans) the user may view."""

    title = SafeCharField(label=_("title"), max_length=300)
    number = SafeCharField(label=_("document number"), max_length=120, required=False)
    parent = forms.ModelChoiceField(label=_("under agreement"), queryset=Agreement.objects.none(), required=False)
    ombudsman_office = forms.ModelChoiceField(label=_("Ombudsman party"), queryset=Unit.objects.none())
    government = forms.ModelChoiceField(label=_("government party"), queryset=Unit.objects.none())
    is_signed = forms.BooleanField(label=_("already signed"), required=False,
                                   help_text=_("For an agreement signed before it was entered in Pantau."))
    signed_on = IndonesianDateField(label=_("signing date"), required=False)
    signed_place = SafeCharField(label=_("signing place"), max_length=200, required=False)
    period_start = IndonesianDateField(label=_("period start"), required=False)
    period_end = IndonesianDateField(label=_("period end"), required=False)
    summary = SafeCharField(label=_("summary"), required=False, max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    source_url = SafeCharField(label=_("source"), required=False, max_length=1000)

    def __init__(self, *args: Any, user: Any, kind: str, instance: Agreement | None = None,
                 parent: Agreement | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "title", "number", "parent", "ombudsman_office", "government", "is_signed", "signed_on",
                "signed_place", "period_start", "period_end", "summary", "source_url")}
        elif parent is not None and "initial" not in kwargs:
            kwargs["initial"] = {"parent": parent, "ombudsman_office": parent.ombudsman_office,
                                 "government": parent.government if kind != AgreementKind.COOPERATION else None}
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance = instance
        visible = Agreement.objects.for_user(user, Permission.VIEW)
        # the offices the user acts for, and those of the provinces whose governments the user manages
        managed = units_for(user, Permission.MANAGE_AGREEMENTS)
        provinces = set(managed.values_list("province_code", flat=True))
        self.fields["ombudsman_office"].queryset = Unit.objects.filter(kind=UnitKind.OMBUDSMAN_OFFICE).filter(
            Q(pk__in=managed.values("pk")) | Q(region_id__in=provinces)).order_by("path")
        if kind == AgreementKind.COOPERATION:
            plans = visible.filter(kind=AgreementKind.WORK_PLAN)
            self.fields["parent"].queryset = plans.order_by("-signed_on", "title")
            self.fields["parent"].required = True
            self.fields["parent"].label = _("under work plan")
            top = parent.government if parent is not None else (
                instance.parent.government if instance is not None and instance.parent else None)
            agencies = units_for(user, Permission.VIEW).filter(kind=UnitKind.AGENCY)
            if top is not None:
                agencies = agencies.filter(path__startswith=top.path)
            self.fields["government"].queryset = agencies.order_by("path")
            self.fields["government"].label = _("agency (government party)")
        elif kind == AgreementKind.WORK_PLAN:
            self.fields["parent"].queryset = visible.filter(kind=AgreementKind.MOU).order_by("-signed_on", "title")
            self.fields["parent"].label = _("under MoU")
            self.fields["government"].queryset = units_for(user, Permission.VIEW).filter(
                kind=UnitKind.REGIONAL_GOVERNMENT).order_by("path")
        else:
            del self.fields["parent"]
            self.fields["government"].queryset = units_for(user, Permission.VIEW).filter(
                kind=UnitKind.REGIONAL_GOVERNMENT).order_by("path")
        if instance is not None and instance.is_signed:
            # signing is its own step; once signed, changes of substance are addenda
            for name in ("is_signed", "signed_on", "signed_place"):
                self.fields[name].disabled = True

    def agreement_data(self) -> dict[str, Any]:
        """The cleaned values for ``create_agreement`` / ``update_agreement``."""
        data = dict(self.cleaned_data)
        data["kind"] = self.kind
        for name in ("number", "signed_place", "summary", "source_url"):
            data[name] = data.get(name) or ""
        if self.instance is not None and self.instance.is_signed:
            for name in ("is_signed", "signed_on", "signed_place"):
                data.pop(name, None)
        return data


class SignatoryForm(forms.Form):
    """One signatory by position: unit (of a party), position, signed or witnessed."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    position = SafeCharField(label=_("position"), max_length=200)
    capacity = forms.ChoiceField(label=_("capacity"), choices=Signatory.Capacity.choices)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = (agreement.ombudsman_office, agreement.government)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[p.pk for p in parties]) | Unit.objects.filter(parent__in=[agreement.government]).exclude(
            kind=UnitKind.VILLAGE_GOVERNMENT)


class BaseSignatoryFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The signatories of an agreement; blank rows are left out."""

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        self.agreement = agreement
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        """Each row knows the agreement (for its unit choices)."""
        return {"agreement": self.agreement}

    def rows(self) -> list[dict[str, Any]]:
        """The filled, not deleted rows as ``{unit, position, capacity}``."""
        return [
            {k: f.cleaned_data[k] for k in ("unit", "position", "capacity")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("position")
        ]


SignatoryFormSet = forms.formset_factory(SignatoryForm, formset=BaseSignatoryFormSet, extra=2, can_delete=True,
                                         max_num=30, validate_max=True)


class DocumentField(forms.FileField):
    """A document upload; its content is checked by the write path (``core.uploads.validate_document``)."""


class SignForm(forms.Form):
    """Record the signing: date, place, the signed document, the start of the period."""

    signed_on = IndonesianDateField(label=_("signing date"))
    signed_place = SafeCharField(label=_("signing place"), max_length=200)
    period_start = IndonesianDateField(label=_("period start"), required=False,
                                       help_text=_("Empty: the signing date."))
    document = DocumentField(label=_("signed document (PDF or image)"), required=False)


class AddendumForm(forms.Form):
    """A signed addendum: its title, number, date, what it changes in words, and the new values it sets."""

    title = SafeCharField(label=_("title of the addendum"), max_length=300)
    document_number = SafeCharField(label=_("document number"), max_length=120, required=False)
    signed_on = IndonesianDateField(label=_("signing date"))
    summary = SafeCharField(label=_("what changed"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    new_period_end = IndonesianDateField(label=_("new period end"), required=False,
                                         help_text=_("Only when the addendum changes it (an extension)."))
    new_period_start = IndonesianDateField(label=_("new period start"), required=False)
    new_title = SafeCharField(label=_("new title of the agreement"), max_length=300, required=False)
    document = DocumentField(label=_("signed addendum (PDF or image)"), required=False)

    def changes(self) -> dict[str, Any]:
        """The agreement fields the addendum sets (those filled in)."""
        data = self.cleaned_data
        mapping = {"new_period_end": "period_end", "new_period_start": "period_start", "new_title": "title"}
        return {field: data[name] for name, field in mapping.items() if data.get(name)}


class DocumentForm(forms.Form):
    """Upload one document of the agreement."""

    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    file = DocumentField(label=_("file"))
    note = SafeCharField(label=_("note"), max_length=300, required=False)


class TerminateForm(forms.Form):
    """End the agreement early: the date and the reason."""

    terminated_on = IndonesianDateField(label=_("terminated on"))
    reason = SafeCharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
