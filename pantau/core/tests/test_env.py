"""Typed environment helpers fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from pantau.core.env import env_int_list


def test_a_list_of_days_reads_comma_separated_integers(monkeypatch):
    monkeypatch.setenv("PANTAU_TEST_DAYS", "30, 14,7")
    assert env_int_list("PANTAU_TEST_DAYS", [1]) == [30, 14, 7]


def test_an_unset_or_blank_list_gives_the_default(monkeypatch):
    monkeypatch.delenv("PANTAU_TEST_DAYS", raising=False)
    assert env_int_list("PANTAU_TEST_DAYS", [14, 7, 1]) == [14, 7, 1]
    monkeypatch.setenv("PANTAU_TEST_DAYS", " ")
    assert env_int_list("PANTAU_TEST_DAYS", [14, 7, 1]) == [14, 7, 1]


def test_a_word_in_the_list_is_refused(monkeypatch):
    monkeypatch.setenv("PANTAU_TEST_DAYS", "14,seven")
    with pytest.raises(ImproperlyConfigured, match="PANTAU_TEST_DAYS"):
        env_int_list("PANTAU_TEST_DAYS", [1])
