"""Form fields built on core.typed_input: they read in the active language's notation, render text inputs with a
keyboard hint and show stored values the way people write them, so an unchanged edit form stores the same value."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from pantau.core.fields import (
    DecimalInputField,
    IndonesianDateField,
    MoneyField,
    PercentField,
    SafeCharField,
    active_notation,
)


class ActionForm(forms.Form):
    budget = MoneyField(required=False)
    weight = DecimalInputField(places=2, min_value=0, max_value=10_000, required=False)
    progress = PercentField(required=False)
    due_date = IndonesianDateField(required=False)
    title = SafeCharField(required=False)


INITIAL = {
    "budget": 450_000,
    "weight": Decimal("1234.5"),
    "progress": Decimal("75.5"),
    "due_date": dt.date(2024, 8, 31),
    "title": "Perbaikan SOP KTP-el",
}


def cleaned(field, text, language):
    with translation.override(language):
        return field.clean(text)


def refused(field, text, language) -> ValidationError:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        field.clean(text)
    return caught.value


def test_the_notation_follows_the_active_language():
    with translation.override("id"):
        assert active_notation() == "id"
    with translation.override("en"):
        assert active_notation() == "en"
    with translation.override("en-us"):
        assert active_notation() == "en"


def test_a_coordinator_typing_rupiah_in_indonesian_gets_whole_rupiah():
    field = MoneyField()
    assert cleaned(field, "450.000", "id") == 450_000
    assert cleaned(field, "Rp 1.500.000,-", "id") == 1_500_000
    assert cleaned(field, "1,500,000", "en") == 1_500_000


def test_an_amount_with_two_readings_in_english_is_refused_with_its_code():
    error = refused(MoneyField(), "450.000", "en")
    assert error.code == "ambiguous"
    assert error.messages == ["“450.000” can be read as 450 or as 450000: write it without thousands separators."]


def test_a_fraction_of_a_rupiah_is_refused_with_the_translated_message():
    error = refused(MoneyField(), "450.000,50", "id")
    assert error.code == "fraction"
    with translation.override("id"):
        assert error.messages == [
            "“450.000,50” bukan jumlah rupiah yang bulat: jumlah uang ditulis dalam rupiah utuh, tanpa sen."
        ]


def test_money_bounds_are_the_fields():
    assert refused(MoneyField(), "-5", "id").code == "negative"
    assert cleaned(MoneyField(allow_negative=True), "-5", "id") == -5
    assert refused(MoneyField(max_value=1000), "1.001", "id").code == "range"


def test_empty_inputs_are_none_or_required():
    assert cleaned(MoneyField(required=False), "", "id") is None
    assert cleaned(MoneyField(required=False), "   ", "id") is None
    assert refused(MoneyField(), "", "id").code == "required"
    assert cleaned(IndonesianDateField(required=False), "", "id") is None


def test_decimals_percentages_and_dates_are_read_in_the_notation():
    assert cleaned(DecimalInputField(), "70,5", "id") == Decimal("70.50")
    assert cleaned(DecimalInputField(), "70.5", "en") == Decimal("70.50")
    assert refused(DecimalInputField(), "1.500", "id").code == "ambiguous"
    assert refused(DecimalInputField(max_value=100), "150", "id").code == "range"
    assert cleaned(PercentField(), "75,5 %", "id") == Decimal("75.50")
    assert refused(PercentField(), "101", "id").code == "range"
    assert cleaned(IndonesianDateField(), "31/08/2024", "id") == dt.date(2024, 8, 31)
    assert cleaned(IndonesianDateField(), "31 August 2024", "en") == dt.date(2024, 8, 31)
    assert refused(IndonesianDateField(), "08/31/2024", "en").code == "day_first"
    assert refused(IndonesianDateField(), "45535", "id").code == "invalid"


def test_python_values_given_to_clean_are_read_as_values():
    assert MoneyField().clean(450_000) == 450_000
    assert DecimalInputField().clean(Decimal("70.5")) == Decimal("70.50")
    assert IndonesianDateField().clean(dt.date(2024, 8, 31)) == dt.date(2024, 8, 31)


def test_an_edit_form_shows_stored_values_as_indonesians_write_them():
    with translation.override("id"):
        html = str(ActionForm(initial=INITIAL))
    assert 'name="budget" value="450.000"' in html
    assert 'name="weight" value="1.234,50"' in html
    assert 'name="progress" value="75,50"' in html
    assert 'name="due_date" value="31 Agustus 2024"' in html


def test_an_edit_form_in_english_shows_english_notation():
    with translation.override("en"):
        html = str(ActionForm(initial=INITIAL))
    assert 'name="budget" value="450,000"' in html
    assert 'name="weight" value="1,234.50"' in html
    assert 'name="progress" value="75.50"' in html
    assert 'name="due_date" value="31 August 2024"' in html


def test_inputs_are_text_with_a_keyboard_hint_never_type_number():
    with translation.override("id"):
        form = ActionForm(initial=INITIAL)
        budget, weight, progress, due = (str(form[name]) for name in ("budget", "weight", "progress", "due_date"))
    assert 'type="number"' not in str(form)
    assert budget.startswith('<input type="text"') and 'inputmode="numeric"' in budget
    assert 'type="text"' in weight and 'inputmode="decimal"' in weight
    assert 'type="text"' in progress and 'inputmode="decimal"' in progress
    assert 'type="text"' in due and "inputmode" not in due


@pytest.mark.parametrize("language", ["id", "en"])
def test_submitting_an_unchanged_edit_form_stores_the_same_values(language):
    with translation.override(language):
        shown = ActionForm(initial=INITIAL)
        data = {name: shown[name].value() for name in INITIAL}
        data = {name: shown.fields[name].widget.format_value(value) for name, value in data.items()}
        form = ActionForm(data=data, initial=INITIAL)
        assert form.is_valid(), form.errors
        assert form.cleaned_data == INITIAL
        assert not form.has_changed()


def test_a_refused_value_is_shown_back_as_typed_with_the_error():
    with translation.override("id"):
        form = ActionForm(data={"budget": "450.000,50", "due_date": "31/02/2024"}, initial=INITIAL)
        assert not form.is_valid()
        html = str(form)
    assert 'value="450.000,50"' in html
    assert 'value="31/02/2024"' in html
    assert form.errors["due_date"] == ["“31/02/2024” bukan tanggal yang ada di kalender."]


@pytest.mark.parametrize("text", ["Judul\x00", "Judul\x1b[0m", "a\x08b"])
def test_safe_text_refuses_control_characters(text):
    error = refused(SafeCharField(), text, "en")
    assert error.code == "control"


def test_safe_text_keeps_tabs_and_new_lines():
    field = SafeCharField(widget=forms.Textarea, strip=False)
    assert cleaned(field, "Baris 1\r\nBaris 2\tselesai", "id") == "Baris 1\r\nBaris 2\tselesai"
