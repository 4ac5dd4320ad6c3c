"""API serializer fields (core.api_fields): machine notation only, messages that name the field, and OpenAPI types
that drf-spectacular publishes."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer

from pantau.core.api_fields import DateAPIField, DecimalAPIField, MoneyAPIField


class BudgetLineSerializer(serializers.Serializer):
    budget = MoneyAPIField()
    weight = DecimalAPIField(places=2, min_value=0, max_value=100)
    due_date = DateAPIField()


VALID = {"budget": 450_000, "weight": 70.5, "due_date": "2024-08-31"}


def errors_for(**changes):
    serializer = BudgetLineSerializer(data={**VALID, **changes})
    assert not serializer.is_valid()
    return serializer.errors


def read(**changes):
    serializer = BudgetLineSerializer(data={**VALID, **changes})
    assert serializer.is_valid(), serializer.errors
    return serializer.validated_data


def test_a_client_sending_json_numbers_and_an_iso_date_gets_them_read():
    assert dict(read()) == {"budget": 450_000, "weight": Decimal("70.50"), "due_date": dt.date(2024, 8, 31)}


@pytest.mark.parametrize(("sent", "amount"), [(450_000, 450_000), ("450000", 450_000), (450_000.0, 450_000),
                                              (0, 0), (10**15, 10**15)])
def test_money_is_a_json_integer_or_plain_digits(sent, amount):
    assert read(budget=sent)["budget"] == amount


@pytest.mark.parametrize("sent", ["450.000", "450,000", "Rp 450000", "450 000", "", "abc", True, [1], {"a": 1}])
def test_money_with_separators_currency_or_another_type_is_refused_naming_the_field(sent):
    assert errors_for(budget=sent)["budget"] == [
        f"“{sent}” is not accepted for budget: send whole rupiah as a JSON integer without separators or currency, "
        "e.g. 450000."
    ]


def test_money_refuses_fractions_negatives_and_sizes_above_the_maximum():
    assert errors_for(budget=450_000.5)["budget"][0].code == "fraction"
    assert errors_for(budget=-5)["budget"][0].code == "negative"
    assert errors_for(budget="-5")["budget"][0].code == "negative"
    assert errors_for(budget=10**15 + 1)["budget"][0].code == "range"
    assert errors_for(budget=float("nan"))["budget"][0].code == "invalid"
    assert errors_for(budget=None)["budget"][0].code == "null"


def test_money_may_allow_negative_amounts():
    field = MoneyAPIField(allow_negative=True)
    assert field.run_validation(-2500) == -2500
    assert field.run_validation("-2500") == -2500


@pytest.mark.parametrize(("sent", "number"), [(70.5, Decimal("70.50")), ("70.5", Decimal("70.50")),
                                              (70, Decimal("70.00")), ("0", Decimal("0.00")), (0.1, Decimal("0.10")),
                                              (100, Decimal("100.00"))])
def test_decimals_are_json_numbers_or_dotted_strings(sent, number):
    result = read(weight=sent)["weight"]
    assert result == number
    assert str(result) == str(number)


@pytest.mark.parametrize("sent", ["70,5", "1,234.5", "1.234,5", "70.5%", "abc", "", True])
def test_a_decimal_comma_or_any_text_for_people_is_refused_saying_the_api_takes_json_numbers(sent):
    assert errors_for(weight=sent)["weight"] == [
        f"“{sent}” is not accepted for weight: the API takes JSON numbers with a dot as the decimal mark and no "
        "thousands separators, e.g. 70.5."
    ]


def test_decimals_keep_places_and_bounds():
    assert errors_for(weight=70.555)["weight"][0].code == "decimals"
    assert errors_for(weight=100.01)["weight"][0].code == "range"
    assert errors_for(weight=-1)["weight"][0].code == "range"


@pytest.mark.parametrize("sent", ["31/08/2024", "2024-8-31", "20240831", "31 Agustus 2024", "2024-08-31T00:00:00",
                                  45535, True])
def test_dates_are_iso_only(sent):
    assert errors_for(due_date=sent)["due_date"] == [
        f"“{sent}” is not accepted for due_date: send the date as YYYY-MM-DD, e.g. 2024-08-31."
    ]


def test_an_iso_date_outside_the_calendar_is_refused():
    assert errors_for(due_date="2024-02-30")["due_date"] == ["“2024-02-30” is not a date in the calendar."]


def test_values_go_out_as_json_integer_number_and_iso_date():
    data = BudgetLineSerializer({"budget": 450_000, "weight": Decimal("70.5"), "due_date": dt.date(2024, 8, 31)}).data
    assert json.loads(JSONRenderer().render(data)) == {"budget": 450000, "weight": 70.5, "due_date": "2024-08-31"}


class BudgetLineView(generics.CreateAPIView):
    serializer_class = BudgetLineSerializer
    authentication_classes = []
    permission_classes = []


def test_the_openapi_schema_declares_integer_number_and_date():
    schema = SchemaGenerator(patterns=[path("budget-lines/", BudgetLineView.as_view())]).get_schema(
        request=None, public=True
    )
    properties = schema["components"]["schemas"]["BudgetLine"]["properties"]
    assert properties["budget"]["type"] == "integer"
    assert properties["budget"]["format"] == "int64"
    assert properties["budget"]["minimum"] == 0
    assert properties["budget"]["maximum"] == 10**15
    assert properties["weight"]["type"] == "number"
    assert properties["weight"]["minimum"] == 0
    assert properties["weight"]["maximum"] == 100
    assert properties["due_date"] == {"type": "string", "format": "date"}
    assert schema["components"]["schemas"]["BudgetLine"]["required"] == ["budget", "due_date", "weight"]
