"""Optimistic concurrency (core.concurrency) and the API's ETag / If-Match helpers (core.api), on a real model."""

from types import SimpleNamespace

import pytest
from django import forms

from pantau.core.concurrency import (
    StaleVersion,
    claim_version,
    conflict_rows,
    parse_version,
    shown,
    stored_values,
    with_version,
)
from pantau.organizations.models import Unit


def test_claiming_the_read_version_moves_it_on_by_one(world):
    unit = Unit.objects.get(pk=world.dukcapil.pk)
    assert unit.version == 1
    assert claim_version(unit, 1) == 2
    assert (unit.version, Unit.objects.get(pk=unit.pk).version) == (2, 2)


def test_a_stale_version_is_refused_with_the_stored_record_and_nothing_moves(world):
    first = Unit.objects.get(pk=world.dukcapil.pk)
    second = Unit.objects.get(pk=world.dukcapil.pk)
    claim_version(first, 1)  # the first person saves
    with pytest.raises(StaleVersion) as caught:
        claim_version(second, 1)  # the second person started from version 1 too
    assert caught.value.current.pk == first.pk and caught.value.current.version == 2
    assert caught.value.message_dict["version"][0].startswith("Someone else saved this record after you opened it")
    assert Unit.objects.get(pk=first.pk).version == 2


def test_without_an_expected_version_the_version_still_moves_on(world):
    unit = Unit.objects.get(pk=world.dukcapil.pk)
    assert claim_version(unit, None) == 2
    assert claim_version(unit, None) == 3


def test_a_deleted_record_is_stale_too(world):
    unit = Unit.objects.get(pk=world.tapah_sari.pk)
    Unit.objects.filter(pk=unit.pk).delete()
    with pytest.raises(StaleVersion) as caught:
        claim_version(unit, 1)
    assert caught.value.current is None


@pytest.mark.parametrize("text, version", [
    ("3", 3), ('"3"', 3), ('W/"12"', 12), (" 7 ", 7), ("", None), ("abc", None), ("-1", None), ("1" * 19, None),
])
def test_versions_sent_by_clients_are_read_strictly(text, version):
    assert parse_version(text) == version


def test_if_match_accepts_the_current_tag_and_refuses_another_with_412():
    # DRF's views first: their settings import pantau.core.api (its parser), as the API's own modules do
    import rest_framework.views  # noqa: F401

    from pantau.core.api import PreconditionFailed, etag, if_match

    def request(header):
        return SimpleNamespace(headers={} if header is None else {"If-Match": header})

    assert if_match(request(None), 4) is None  # no If-Match: not checked
    assert if_match(request("*"), 4) is None
    assert if_match(request('"4"'), 4) == 4
    assert if_match(request('"3", "4"'), 4) == 4
    with pytest.raises(PreconditionFailed) as caught:
        if_match(request('"3"'), 4)
    assert caught.value.status_code == 412
    assert caught.value.payload["current_version"] == 4
    with pytest.raises(PreconditionFailed):
        if_match(request("junk"), 4)
    with pytest.raises(PreconditionFailed):  # strong comparison (RFC 9110 13.1.1): a weak tag never matches
        if_match(request('W/"4"'), 4)
    assert etag(4) == '"4"'


class _UnitForm(forms.Form):
    name = forms.CharField(label="name")
    short_name = forms.CharField(label="short name", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_the_conflict_table_puts_the_fields_that_differ_first_and_leaves_hidden_fields_out(world):
    form = _UnitForm({"name": "Disdukcapil Batanghari", "short_name": "Dukcapil", "version": "1"})
    assert form.is_valid()
    rows = conflict_rows(form, stored_values(world.dukcapil, ["name", "short_name", "version"]))
    assert [(r.label, r.stored, r.yours, r.differs) for r in rows] == [
        ("name", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil Batanghari", True),
        ("short name", "Dukcapil", "Dukcapil", False),
    ]


def test_values_are_shown_as_people_read_them():
    from decimal import Decimal

    assert shown(None) == "–" and shown("") == "–"
    assert shown(Decimal("90.00")) == "90" and shown(Decimal("70.50")) == "70.5"
    assert shown(True) == "yes"
    assert shown(["b", "a"]) == "a; b"


def test_the_form_shown_again_after_a_conflict_carries_the_stored_version():
    from django.http import QueryDict

    data = with_version(QueryDict("name=x&version=1"), 5)
    assert (data["name"], data["version"]) == ("x", "5")
