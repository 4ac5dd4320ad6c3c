"""Reading what people type and what files hold (core.typed_input): every convention and every refusal, with expected
values written by hand from the conventions (PUEBI for Indonesian notation), plus format-then-read round trips."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pantau.core import typed_input
from pantau.core.typed_input import (
    MAX_MONEY,
    InputError,
    check_text,
    fold_name,
    format_date,
    format_decimal,
    format_money,
    names_match,
    read_date,
    read_decimal,
    read_money,
    read_percent,
    read_percent_cell,
    read_region_code,
)


def refusal(reader, value, **kwargs) -> InputError:
    """The InputError ``reader`` raises for ``value`` (failing the test when it reads it)."""
    with pytest.raises(InputError) as caught:
        reader(value, **kwargs)
    return caught.value


# ---------------------------------------------------------------------------------------------------------------
# Money in Indonesian notation


@pytest.mark.parametrize(("text", "amount"), [
    ("450.000", 450_000),
    ("1.500.000", 1_500_000),
    ("Rp 450.000,-", 450_000),
    ("Rp. 1.500.000,00", 1_500_000),
    ("Rp450.000", 450_000),
    ("Rp.450.000", 450_000),
    ("rp 450.000", 450_000),
    ("RP 450.000", 450_000),
    ("IDR 450.000", 450_000),
    ("idr450.000", 450_000),
    ("Rp\u00a0450.000", 450_000),
    ("1 500 000", 1_500_000),
    ("1\u00a0500\u00a0000", 1_500_000),
    ("1\u202f500\u202f000", 1_500_000),
    ("1\u2009500\u2009000", 1_500_000),
    ("  450000  ", 450_000),
    ("450000", 450_000),
    ("0", 0),
    ("1.500", 1_500),
    ("450.000,00", 450_000),
    ("450,-", 450),
    ("1.000.000.000.000.000", 10**15),
])
def test_indonesian_money_reads_the_dot_as_thousands_and_accepts_rp_and_no_sen_marks(text, amount):
    assert read_money(text, language="id") == amount


def test_indonesian_is_the_default_notation():
    assert read_money("450.000") == 450_000
    assert read_decimal("70,5") == Decimal("70.50")


@pytest.mark.parametrize("text", ["450.000,50", "1,5", "0,50", "Rp 12.500,75"])
def test_a_fraction_of_a_rupiah_is_refused(text):
    assert refusal(read_money, text, language="id").code == "fraction"


def test_a_fraction_message_names_the_value():
    assert str(refusal(read_money, "450.000,50", language="id")) == (
        "“450.000,50” is not a whole number of rupiah: amounts are in whole rupiah, without sen."
    )


@pytest.mark.parametrize(("text", "suggestion"), [
    ("1,500,000", "1.500.000"),
    ("1,500", "1.500"),
    ("450,000", "450.000"),
    ("Rp 1,500,000", "1.500.000"),
])
def test_english_grouping_is_refused_in_indonesian_saying_the_comma_is_the_decimal_mark(text, suggestion):
    error = refusal(read_money, text, language="id")
    assert error.code == "notation"
    assert str(error) == (
        f"“{text}” is not written in Indonesian notation, where the comma is the decimal mark and the dot groups "
        f"thousands: did you mean {suggestion}?"
    )


@pytest.mark.parametrize("text", [
    "450,0",        # sen are written only as ,00
    "450.000,000",
    "1.5000",       # a group of four digits
    "12.34.567",
    "1.50.000",
    "0.450",        # a first group starting with 0 is no grouping
    "abc",
    "Rp",
    "450.000 rupiah",
    "--450",
    "(450.000)",
    "\u0664\u0665\u0660",  # Arabic-Indic digits
    "4" * 101,
])
def test_text_that_is_no_amount_is_refused(text):
    assert refusal(read_money, text, language="id").code == "invalid"


def test_the_invalid_amount_message_gives_an_example_in_the_notation():
    assert str(refusal(read_money, "abc", language="id")) == (
        "“abc” is not an amount of money: write whole rupiah, e.g. Rp 1.500.000."
    )
    assert str(refusal(read_money, "abc", language="en")) == (
        "“abc” is not an amount of money: write whole rupiah, e.g. IDR 1,500,000."
    )


@pytest.mark.parametrize("value", ["", "   ", "\u00a0", None])
def test_an_empty_amount_is_refused_as_empty(value):
    assert refusal(read_money, value).code == "empty"


@pytest.mark.parametrize("text", ["-450.000", "-Rp 2.500", "Rp -2.500", "\u22122.500"])
def test_negative_amounts_are_refused_by_default(text):
    error = refusal(read_money, text, language="id")
    assert error.code == "negative"
    assert str(error) == f"“{text}” is negative: the amount cannot be below zero."


@pytest.mark.parametrize(("text", "amount"), [
    ("-450.000", -450_000), ("-Rp 2.500", -2_500), ("Rp -2.500", -2_500), ("\u22122.500", -2_500), ("-0", 0),
])
def test_negative_amounts_are_read_when_allowed(text, amount):
    assert read_money(text, language="id", allow_negative=True) == amount


def test_amounts_above_the_maximum_are_refused():
    assert read_money(MAX_MONEY) == 10**15
    error = refusal(read_money, MAX_MONEY + 1)
    assert error.code == "range"
    assert str(error) == "“1000000000000001” is too large: an amount is at most Rp 1.000.000.000.000.000."
    assert refusal(read_money, "1.001", language="id", max_value=1000).code == "range"
    assert read_money("1.000", language="id", max_value=1000) == 1000
    assert refusal(read_money, -(10**15) - 1, allow_negative=True).code == "range"


@pytest.mark.parametrize(("value", "amount"), [
    (450_000, 450_000),
    (450_000.0, 450_000),
    (Decimal("450000.00"), 450_000),
    (Decimal("4.5E+5"), 450_000),
    (0, 0),
])
def test_python_numbers_pass_through_when_whole(value, amount):
    assert read_money(value) == amount
    assert type(read_money(value)) is int


@pytest.mark.parametrize(("value", "code"), [
    (450_000.5, "fraction"),
    (Decimal("1.5"), "fraction"),
    (True, "invalid"),
    (False, "invalid"),
    (float("nan"), "invalid"),
    (float("inf"), "invalid"),
    (Decimal("NaN"), "invalid"),
    ([450_000], "invalid"),
])
def test_python_values_that_are_no_whole_amount_are_refused(value, code):
    assert refusal(read_money, value).code == code


# ---------------------------------------------------------------------------------------------------------------
# Money in English notation


@pytest.mark.parametrize(("text", "amount"), [
    ("1,500,000", 1_500_000),
    ("IDR 450,000", 450_000),
    ("IDR 450,000.00", 450_000),
    ("450.00", 450),
    ("1,500", 1_500),
    ("1 500 000", 1_500_000),
    # Indonesian notation has one reading here, so the English interface reads it too.
    ("1.500.000", 1_500_000),
    ("Rp 1.500.000,-", 1_500_000),
    ("450,00", 450),
    ("1.500", 1_500),   # 1.5 is no whole amount, so only one reading is left
])
def test_english_money_reads_english_and_unambiguous_indonesian_notation(text, amount):
    assert read_money(text, language="en") == amount


def test_a_dot_and_three_digits_in_english_money_has_two_readings_and_is_refused():
    error = refusal(read_money, "450.000", language="en")
    assert error.code == "ambiguous"
    assert error.readings == (450, 450_000)
    assert str(error) == (
        "“450.000” can be read as 450 or as 450000: write it without thousands separators."
    )
    assert refusal(read_money, "Rp 2.000", language="en").readings == (2, 2_000)


@pytest.mark.parametrize("text", ["450,000.50", "1.5", "1,5", "IDR 12.50"])
def test_english_money_refuses_fractions(text):
    assert refusal(read_money, text, language="en").code == "fraction"


def test_language_codes_with_a_region_are_accepted_and_others_are_a_programming_error():
    assert read_money("1,500,000", language="en-us") == 1_500_000
    assert read_money("1.500.000", language="id-ID") == 1_500_000
    with pytest.raises(ValueError, match="unsupported notation"):
        read_money("1", language="fr")


# ---------------------------------------------------------------------------------------------------------------
# Decimals


@pytest.mark.parametrize(("text", "number"), [
    ("70,5", Decimal("70.50")),
    ("1.234,5", Decimal("1234.50")),
    ("70.5", Decimal("70.50")),       # a dot typed on an English keyboard: it cannot group thousands
    ("1234.5", Decimal("1234.50")),
    ("0,75", Decimal("0.75")),
    ("-3,25", Decimal("-3.25")),
    ("1.500.000", Decimal("1500000.00")),
    ("1 234,5", Decimal("1234.50")),
    ("12.345", Decimal("12345.00")),  # 12,345 has three decimals, so only the thousands reading fits two places
    ("0", Decimal("0.00")),
])
def test_indonesian_decimals(text, number):
    result = read_decimal(text, language="id")
    assert result == number
    assert str(result) == str(number)  # always exactly two places


def test_a_lone_dot_and_three_digits_is_refused_in_indonesian_decimals_naming_both_readings():
    error = refusal(read_decimal, "1.500", language="id")
    assert error.code == "ambiguous"
    assert error.readings == (Decimal("1500"), Decimal("1.500"))
    assert str(error) == "“1.500” can be read as 1500 or as 1,5: write it without thousands separators."


def test_with_no_decimal_places_a_lone_dot_groups_thousands():
    assert read_decimal("1.500", places=0, language="id") == Decimal("1500")
    assert read_decimal("5.000", places=0, language="id") == Decimal("5000")


def test_in_a_whole_number_field_decimals_of_the_other_notation_never_compete():
    assert read_decimal("5,000", places=0, language="en") == Decimal("5000")
    assert read_decimal("1.500", places=0, language="en") == Decimal("1500")
    # English decimals in the English interface do compete, as for money ("450.000").
    assert refusal(read_decimal, "5.000", places=0, language="en").readings == (Decimal("5.000"), Decimal("5000"))


def test_python_numbers_are_checked_by_value_not_by_their_written_zeros():
    assert read_decimal(Decimal("70.500")) == Decimal("70.50")


def test_with_three_places_the_twelve_thousand_reading_competes_again():
    assert refusal(read_decimal, "12.345", places=3, language="id").readings == (Decimal("12345"), Decimal("12.345"))
    assert read_decimal("0.125", places=3, language="id") == Decimal("0.125")


@pytest.mark.parametrize(("text", "suggestion"), [("1,500,000", "1.500.000"), ("1,234.5", "1.234,5")])
def test_english_grouping_is_refused_in_indonesian_decimals_with_a_suggestion(text, suggestion):
    error = refusal(read_decimal, text, language="id")
    assert error.code == "notation"
    assert f"did you mean {suggestion}?" in str(error)


@pytest.mark.parametrize(("text", "places", "message"), [
    ("70,555", 2, "“70,555” has more than 2 decimals."),
    ("70,500", 2, "“70,500” has more than 2 decimals."),  # typed zeros count: no silent 70.5
    ("1,500", 2, "“1,500” has more than 2 decimals."),    # never silently 1.5 for someone who meant 1500
    ("70,55", 1, "“70,55” has more than 1 decimal."),
    ("70,50", 1, "“70,50” has more than 1 decimal."),
    ("7,5", 0, "“7,5” must be a whole number."),
    ("5,000", 0, "“5,000” must be a whole number."),
])
def test_more_decimals_than_places_are_refused_not_rounded(text, places, message):
    error = refusal(read_decimal, text, places=places, language="id")
    assert error.code == "decimals"
    assert str(error) == message


@pytest.mark.parametrize("text", ["70,5%", "Rp 70", "abc", "7,5,5", ",5", "70,", "1e5", "0x10"])
def test_text_that_is_no_decimal_is_refused(text):
    error = refusal(read_decimal, text, language="id")
    assert error.code == "invalid"
    assert str(error) == f"“{text}” is not a number: write for example 70,5."


def test_bounds_are_inclusive_and_named_in_the_notation():
    assert read_decimal("10", min_value=10, language="id") == Decimal("10.00")
    assert read_decimal("100", max_value=100, language="id") == Decimal("100.00")
    assert str(refusal(read_decimal, "5", min_value=10, language="id")) == "“5” is below the minimum, 10,00."
    assert str(refusal(read_decimal, "150", max_value=100, language="en")) == "“150” is above the maximum, 100.00."


@pytest.mark.parametrize(("value", "number"), [
    (70.5, Decimal("70.50")), (0.1, Decimal("0.10")), (3, Decimal("3.00")), (Decimal("70.500"), Decimal("70.50")),
])
def test_python_numbers_are_read_by_value(value, number):
    assert read_decimal(value) == number


@pytest.mark.parametrize(("value", "code"), [
    (True, "invalid"), (Decimal("NaN"), "invalid"), (float("inf"), "invalid"), (0.1 + 0.2, "decimals"),
    (10**15, "range"), ("1" * 30, "range"), (None, "empty"), ("", "empty"),
])
def test_python_values_that_are_no_decimal_are_refused(value, code):
    assert refusal(read_decimal, value).code == code


@pytest.mark.parametrize(("text", "number"), [
    ("70.5", Decimal("70.50")),
    ("1,234.5", Decimal("1234.50")),
    ("1,500,000", Decimal("1500000.00")),
    ("70,5", Decimal("70.50")),       # Indonesian notation, one reading
    ("1.234,5", Decimal("1234.50")),
])
def test_english_decimals(text, number):
    assert read_decimal(text, language="en") == number


@pytest.mark.parametrize(("text", "readings", "message"), [
    ("1,500", (Decimal("1500"), Decimal("1.5")),
     "“1,500” can be read as 1500 or as 1.5: write it without thousands separators."),
    ("1.500", (Decimal("1.5"), Decimal("1500")),
     "“1.500” can be read as 1.5 or as 1500: write it without thousands separators."),
])
def test_a_lone_separator_and_three_digits_has_two_readings_in_english(text, readings, message):
    error = refusal(read_decimal, text, language="en")
    assert error.code == "ambiguous"
    assert error.readings == readings
    assert str(error) == message


def test_english_whole_numbers_keep_the_comma_as_grouping():
    assert read_decimal("1,500", places=0, language="en") == Decimal("1500")


def test_english_decimals_with_three_typed_digits_compete_with_indonesian_thousands():
    assert refusal(read_decimal, "70,500", language="en").readings == (Decimal("70500"), Decimal("70.5"))
    assert read_decimal("70,500", places=0, language="en") == Decimal("70500")


# ---------------------------------------------------------------------------------------------------------------
# Percentages


@pytest.mark.parametrize(("value", "number"), [
    ("75 %", Decimal("75.00")),
    ("75%", Decimal("75.00")),
    ("75,5%", Decimal("75.50")),
    ("75,5 %", Decimal("75.50")),
    ("75\u00a0%", Decimal("75.00")),
    ("75", Decimal("75.00")),
    ("0", Decimal("0.00")),
    ("100", Decimal("100.00")),
    (75, Decimal("75.00")),
    (0.75, Decimal("0.75")),  # a plain number is already a percentage
])
def test_percentages_from_0_to_100(value, number):
    assert read_percent(value, language="id") == number


def test_english_percentages():
    assert read_percent("75.5%", language="en") == Decimal("75.50")


@pytest.mark.parametrize("value", ["100,01", "-1", "150 %", 101])
def test_percentages_outside_0_to_100_are_refused(value):
    error = refusal(read_percent, value, language="id")
    assert error.code == "range"
    assert str(error) == f"“{value}” is not a percentage from 0 to 100."


def test_a_percent_sign_alone_or_in_the_wrong_place_is_refused():
    assert refusal(read_percent, "%").code == "invalid"
    assert refusal(read_percent, "%75").code == "invalid"
    assert refusal(read_percent, "75%%").code == "invalid"


def test_percentage_messages_show_the_value_with_its_sign():
    error = refusal(read_percent, "1.500%", language="id")
    assert error.code == "ambiguous"
    assert str(error) == "“1.500%” can be read as 1500 or as 1,5: write it without thousands separators."


@pytest.mark.parametrize(("value", "number_format", "number"), [
    (0.75, "0%", Decimal("75.00")),
    (0.755, "0.0%", Decimal("75.50")),
    (1, "0%", Decimal("100.00")),
    (0, "0.00%", Decimal("0.00")),
    (0.75, "General", Decimal("0.75")),
    (75, "General", Decimal("75.00")),
    (75, None, Decimal("75.00")),
    ("75 %", "@", Decimal("75.00")),
    ("75,5", "0%", Decimal("75.50")),  # text in a percent-formatted cell is read as typed
])
def test_a_spreadsheet_cell_formatted_as_a_percentage_holds_a_fraction(value, number_format, number):
    assert read_percent_cell(value, number_format, language="id") == number


def test_a_percentage_cell_out_of_range_is_shown_as_the_spreadsheet_shows_it():
    assert str(refusal(read_percent_cell, 1.5, number_format="0%", language="id")) == (
        "“150%” is not a percentage from 0 to 100."
    )
    assert refusal(read_percent_cell, 0.12345, number_format="0.000%").code == "decimals"
    assert refusal(read_percent_cell, None, number_format="0%").code == "empty"


def test_read_decimal_does_not_take_a_percent_sign():
    assert refusal(read_decimal, "75%").code == "invalid"


# ---------------------------------------------------------------------------------------------------------------
# Dates


AUGUST_31 = dt.date(2024, 8, 31)


@pytest.mark.parametrize("text", [
    "2024-08-31", "2024-8-31", "31/08/2024", "31-08-2024", "31.08.2024", "31/8/2024",
    "31 Agustus 2024", "31 agustus 2024", "31 AGUSTUS 2024", "31 Agt 2024", "31 Ags 2024", "31 Agu 2024",
    "31 Agus 2024", "31 Agt. 2024", "31 Aug 2024", "31 August 2024", "31-Aug-2024", "31/Agt/2024",
    "August 31, 2024", "Agustus 31 2024", "  31\u00a0Agustus  2024 ",
])
def test_dates_are_read_in_every_written_form(text):
    assert read_date(text, language="id") == AUGUST_31
    assert read_date(text, language="en") == AUGUST_31


@pytest.mark.parametrize(("name", "month"), [
    ("Januari", 1), ("Jan", 1), ("January", 1),
    ("Februari", 2), ("Feb", 2), ("Peb", 2), ("February", 2),
    ("Maret", 3), ("Mar", 3), ("March", 3),
    ("April", 4), ("Apr", 4),
    ("Mei", 5), ("May", 5),
    ("Juni", 6), ("Jun", 6), ("June", 6),
    ("Juli", 7), ("Jul", 7), ("July", 7),
    ("Agustus", 8), ("Agu", 8), ("Agt", 8), ("Ags", 8), ("Aug", 8), ("August", 8),
    ("September", 9), ("Sep", 9), ("Sept", 9),
    ("Oktober", 10), ("Okt", 10), ("October", 10), ("Oct", 10),
    ("November", 11), ("Nov", 11), ("Nop", 11),
    ("Desember", 12), ("Des", 12), ("December", 12), ("Dec", 12),
])
def test_month_names_in_indonesian_and_english(name, month):
    assert read_date(f"5 {name} 2020") == dt.date(2020, month, 5)
    assert read_date(f"5 {name.upper()} 2020") == dt.date(2020, month, 5)


def test_dates_are_day_first_in_both_notations():
    assert read_date("01/02/2024", language="id") == dt.date(2024, 2, 1)
    assert read_date("01/02/2024", language="en") == dt.date(2024, 2, 1)
    assert read_date("18 November 2020") == dt.date(2020, 11, 18)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_month_first_date_is_refused_with_the_day_first_suggestion(language):
    error = refusal(read_date, "08/31/2024", language=language)
    assert error.code == "day_first"
    suggestion = "31 Agustus 2024" if language == "id" else "31 August 2024"
    assert str(error) == (
        f"“08/31/2024” is not a date: dates are written day first (DD/MM/YYYY); did you mean {suggestion}?"
    )


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "2024-02-30", "32 Agustus 2024", "0/08/2024",
                                  "15/13/2024"])
def test_dates_not_in_the_calendar_are_refused(text):
    error = refusal(read_date, text)
    assert error.code == "calendar"
    assert str(error) == f"“{text}” is not a date in the calendar."


def test_a_leap_day_is_a_date():
    assert read_date("29/02/2024") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["31/08/24", "31-08-24", "31 Agustus 24", "24-08-31", "31/08/02024"])
def test_years_must_have_four_digits(text):
    assert refusal(read_date, text).code == "year"


@pytest.mark.parametrize("value", ["31/08-2024", "31 Foo 2024", "yesterday", "2024/08/31", "31082024", "45535",
                                   45535, 45535.0, True, [2024, 8, 31]])
def test_text_and_values_that_are_no_date_are_refused(value):
    error = refusal(read_date, value, language="id")
    assert error.code == "invalid"
    assert str(error) == f"“{value}” is not a date: write for example 31 Agustus 2024 or 31/08/2024."


def test_date_and_datetime_objects_pass_through():
    assert read_date(AUGUST_31) == AUGUST_31
    assert read_date(dt.datetime(2024, 8, 31, 23, 59)) == AUGUST_31


def test_empty_dates_are_refused_as_empty():
    assert refusal(read_date, "").code == "empty"
    assert refusal(read_date, None).code == "empty"


@pytest.mark.parametrize(("value", "date"), [
    (45535, AUGUST_31),          # 1899-12-30 + 45535 days
    (45535.75, AUGUST_31),       # the fraction is a time of day
    ("45535", AUGUST_31),
    (Decimal("45535"), AUGUST_31),
    (32874, dt.date(1990, 1, 1)),
    (73415, dt.date(2100, 12, 31)),
    (44153, dt.date(2020, 11, 18)),
])
def test_excel_serial_numbers_in_cells(value, date):
    assert read_date(value, excel_serial=True) == date


@pytest.mark.parametrize("value", [32873, 73416, 0, -1, 1, 2024, "2024", 10**12])
def test_excel_serial_numbers_outside_1990_to_2100_are_refused(value):
    error = refusal(read_date, value, excel_serial=True, language="en")
    assert error.code == "serial"
    assert str(error) == (
        f"“{value}” is not a date: an Excel date number is read only from 1 January 1990 to 31 December 2100."
    )


def test_serial_60_is_excels_fake_leap_day():
    error = refusal(read_date, 60, excel_serial=True)
    assert error.code == "serial"
    assert str(error) == "“60” is Excel's 29 February 1900, a day that never existed."


def test_serials_around_excels_fake_leap_day(monkeypatch):
    monkeypatch.setattr(typed_input, "SERIAL_FIRST_DATE", dt.date(1900, 1, 1))
    assert read_date(1, excel_serial=True) == dt.date(1900, 1, 1)
    assert read_date(59, excel_serial=True) == dt.date(1900, 2, 28)
    assert read_date(61, excel_serial=True) == dt.date(1900, 3, 1)


def test_excel_serials_still_read_text_dates():
    assert read_date("31/08/2024", excel_serial=True) == AUGUST_31
    assert refusal(read_date, True, excel_serial=True).code == "invalid"


# ---------------------------------------------------------------------------------------------------------------
# Formatting


@pytest.mark.parametrize(("amount", "indonesian", "english"), [
    (450_000, "Rp 450.000", "IDR 450,000"),
    (1_500_000, "Rp 1.500.000", "IDR 1,500,000"),
    (0, "Rp 0", "IDR 0"),
    (999, "Rp 999", "IDR 999"),
    (1000, "Rp 1.000", "IDR 1,000"),
    (-2500, "-Rp 2.500", "-IDR 2,500"),
    (10**15, "Rp 1.000.000.000.000.000", "IDR 1,000,000,000,000,000"),
    (Decimal("450000.00"), "Rp 450.000", "IDR 450,000"),
])
def test_money_is_formatted_as_people_write_it(amount, indonesian, english):
    assert format_money(amount, "id") == indonesian
    assert format_money(amount, "en") == english


def test_money_for_an_input_field_has_no_currency():
    assert format_money(450_000, "id", currency=False) == "450.000"
    assert format_money(450_000, "en", currency=False) == "450,000"


@pytest.mark.parametrize("value", [Decimal("1.5"), 2.5, True, "450000", None])
def test_only_whole_numbers_are_formatted_as_money(value):
    with pytest.raises(ValueError):
        format_money(value, "id")


@pytest.mark.parametrize(("value", "places", "indonesian", "english"), [
    (Decimal("70.5"), 2, "70,50", "70.50"),
    (Decimal("1234.5"), 2, "1.234,50", "1,234.50"),
    (1500, 0, "1.500", "1,500"),
    (Decimal("-1234.5"), 2, "-1.234,50", "-1,234.50"),
    (Decimal("0.005"), 2, "0,01", "0.01"),
    (0, 2, "0,00", "0.00"),
    (Decimal("-0.001"), 2, "0,00", "0.00"),
    (Decimal("1500000"), 1, "1.500.000,0", "1,500,000.0"),
])
def test_decimals_are_formatted_as_people_write_them(value, places, indonesian, english):
    assert format_decimal(value, places, "id") == indonesian
    assert format_decimal(value, places, "en") == english


def test_dates_are_formatted_with_the_month_name():
    assert format_date(AUGUST_31, "id") == "31 Agustus 2024"
    assert format_date(AUGUST_31, "en") == "31 August 2024"
    assert format_date(dt.date(2024, 5, 1), "id") == "1 Mei 2024"
    assert format_date(dt.date(2024, 5, 1), "en") == "1 May 2024"
    assert format_date(dt.datetime(2020, 11, 18, 9, 30), "id") == "18 November 2020"


# ---------------------------------------------------------------------------------------------------------------
# Round trips (property-based)

LANGUAGE = st.sampled_from(["id", "en"])
NO_DATABASE = settings(database=None, deadline=None, max_examples=300)


@NO_DATABASE
@given(amount=st.integers(min_value=0, max_value=MAX_MONEY), language=LANGUAGE, currency=st.booleans())
def test_formatted_money_reads_back_to_the_same_amount(amount, language, currency):
    assert read_money(format_money(amount, language, currency=currency), language=language) == amount


@NO_DATABASE
@given(amount=st.integers(min_value=-MAX_MONEY, max_value=MAX_MONEY), language=LANGUAGE)
def test_formatted_negative_money_reads_back_when_allowed(amount, language):
    assert read_money(format_money(amount, language), language=language, allow_negative=True) == amount


@NO_DATABASE
@given(units=st.integers(min_value=-(10**14), max_value=10**14), places=st.integers(min_value=0, max_value=2),
       language=LANGUAGE)
@example(units=5000, places=0, language="id")  # "5.000": not 5 typed on an English keyboard
@example(units=5000, places=0, language="en")  # "5,000": not 5 in Indonesian notation
@example(units=1500, places=2, language="en")  # "15.00"
@example(units=-1_234_500, places=1, language="id")  # "-123.450,0"
def test_formatted_decimals_read_back_to_the_same_number(units, places, language):
    number = Decimal(units).scaleb(-places)
    assert read_decimal(format_decimal(number, places, language), places=places, language=language) == number


@NO_DATABASE
@given(number=st.decimals(min_value=0, max_value=100, places=2), language=LANGUAGE)
def test_formatted_percentages_read_back(number, language):
    assert read_percent(format_decimal(number, 2, language), language=language) == number


@NO_DATABASE
@given(date=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), shown_in=LANGUAGE,
       read_in=LANGUAGE)
def test_formatted_dates_read_back_in_either_notation(date, shown_in, read_in):
    assert read_date(format_date(date, shown_in), language=read_in) == date


def test_three_decimal_places_in_english_can_be_ambiguous_which_is_why_round_trips_stop_at_two():
    assert format_decimal(Decimal("1.5"), 3, "en") == "1.500"
    assert refusal(read_decimal, "1.500", places=3, language="en").code == "ambiguous"


# ---------------------------------------------------------------------------------------------------------------
# Region codes


@pytest.mark.parametrize(("value", "code"), [
    ("15.04.01.2001", "15.04.01.2001"),
    (" 15.04 ", "15.04"),
    ("15\u00a0.04", "15.04"),
    ("15. 04 .01", "15.04.01"),
    ("1504012001", "15.04.01.2001"),
    ("1504", "15.04"),
    ("150401", "15.04.01"),
    ("15", "15"),
    (15, "15"),
    (1504, "15.04"),
    (1504012001, "15.04.01.2001"),
    (15.04, "15.04"),
    (15.0, "15"),
    (Decimal("15.10"), "15.10"),
])
def test_region_codes_are_normalised(value, code):
    assert read_region_code(value) == code


def test_a_float_that_may_have_lost_a_trailing_zero_is_refused():
    error = refusal(read_region_code, 15.1)
    assert error.code == "lost_digits"
    assert str(error) == (
        "“15.1” was stored as a number and may have lost a digit (15.1 could be 15.10): store region codes as text."
    )


@pytest.mark.parametrize("value", ["15.4", "150", "15.04.1", "15-04", "15.04.01.201", "15.04.", "ab", "1504012",
                                   15.123, True, "\u0661\u0665", -15, ["15"]])
def test_text_that_is_no_region_code_is_refused(value):
    error = refusal(read_region_code, value)
    assert error.code == "invalid"
    assert str(error) == (
        f"“{value}” is not a region code: write PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD, e.g. 15.04.01.2001."
    )


def test_an_empty_region_code_is_refused_as_empty():
    assert refusal(read_region_code, " ").code == "empty"
    assert refusal(read_region_code, None).code == "empty"


# ---------------------------------------------------------------------------------------------------------------
# Names


@pytest.mark.parametrize("name", ["Sa’dan", "Sa'dan", "Sa‘dan", "Saʼdan", "Sa`dan", "Sa´dan", "Saʹdan", "sa ' dan",
                                  "SA’DAN", " Sa\u00a0’ dan "])
def test_apostrophe_variants_fold_to_one(name):
    assert fold_name(name) == "sa'dan"


def test_names_fold_case_and_whitespace():
    assert fold_name("  Muara\u00a0 Bulian\t") == "muara bulian"
    assert fold_name("MUARA\nBULIAN") == "muara bulian"
    assert fold_name("\uff2dersam") == "mersam"  # a full-width letter
    assert fold_name("Straße") == "strasse"


def test_names_match_when_they_fold_alike():
    assert names_match("Kecamatan Mersam", "kecamatan  MERSAM")
    assert names_match("Sa’dan", "sa'dan")
    assert not names_match("Mersam", "Maro Sebo")
    assert not names_match("Muara Bulian", "MuaraBulian")


# ---------------------------------------------------------------------------------------------------------------
# Text


def test_tabs_newlines_and_carriage_returns_are_text():
    text = "Jl. Gatot Subroto\tNo. 1\r\nJambi"
    assert check_text(text) is text
    assert check_text("") == ""


@pytest.mark.parametrize(("text", "character"), [
    ("Antrean \uffff panjang", "U+FFFF"),  # a noncharacter: XML forbids it, it broke the XLSX export
    ("a\ufffeb", "U+FFFE"),
    ("a\ufdd0b", "U+FDD0"),
    ("abc\u202egnp.exe", "U+202E"),  # right-to-left override: shown as "abcexe.png"
    ("a\u2066b", "U+2066"),
    ("a\x7fb", "U+007F"),  # DEL
    ("a\x85b", "U+0085"),  # a C1 control (next line)
    ("a\ud800b", "U+D800"),  # a lone surrogate, as a JSON "\\ud800" escape gives
])
def test_noncharacters_bidi_overrides_del_c1_and_surrogates_are_refused(text, character):
    with pytest.raises(InputError) as refused:
        check_text(text)
    assert character in refused.value.message


def test_exports_drop_what_xml_cannot_hold():
    from pantau.core.spreadsheets import clean_text

    assert clean_text("Antrean \uffff panjang\x00") == "Antrean  panjang"
    assert clean_text("a\ud800b") == "ab"
    assert clean_text(12) == 12


@pytest.mark.parametrize(("text", "character", "shown"), [
    ("abc\x00def", "U+0000", "abc\\x00def"),
    ("\x1b[31mred", "U+001B", "\\x1b[31mred"),
    ("a\x0bb", "U+000B", "a\\x0bb"),
    ("a\x1fb", "U+001F", "a\\x1fb"),
])
def test_control_characters_are_refused(text, character, shown):
    error = refusal(check_text, text)
    assert error.code == "control"
    assert str(error) == f"“{shown}” contains a control character ({character}) that cannot be stored."


def test_check_text_takes_text_only():
    with pytest.raises(TypeError):
        check_text(None)


def test_long_values_are_cut_in_messages():
    error = refusal(read_money, "x" * 60)
    assert str(error) == f"“{'x' * 39}\u2026” is not an amount of money: write whole rupiah, e.g. Rp 1.500.000."


# ---------------------------------------------------------------------------------------------------------------
# Messages in Indonesian


def test_messages_follow_the_active_language():
    with translation.override("id"):
        assert str(refusal(read_money, "450.000,50")) == (
            "“450.000,50” bukan jumlah rupiah yang bulat: jumlah uang ditulis dalam rupiah utuh, tanpa sen."
        )
        assert str(refusal(read_money, "1,500,000")) == (
            "“1,500,000” tidak ditulis dengan cara Indonesia, yang memakai koma sebagai tanda desimal dan titik "
            "sebagai pemisah ribuan: maksud Anda 1.500.000?"
        )
        assert str(refusal(read_decimal, "1.500")) == (
            "“1.500” dapat dibaca sebagai 1500 atau 1,5: tulislah tanpa pemisah ribuan."
        )
        assert str(refusal(read_date, "31/02/2024")) == "“31/02/2024” bukan tanggal yang ada di kalender."
