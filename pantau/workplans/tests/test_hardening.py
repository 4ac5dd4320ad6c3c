"""Limits found by trying to break Pantau: money bounds, dates, supporting units, reviews of cancelled actions,
sub-actions under reported actions, deeply nested JSON, caching of private pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import MAX_MONEY, Action, ProgressReport, ReportStatus


def make(world, **overrides):
    return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                            data=action_data(world.dukcapil, **overrides))


def test_money_above_a_thousand_trillion_rupiah_is_refused(world):
    action = make(world)
    with pytest.raises(ValidationError) as exc:
        wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 2, 1),
                           actual_value=Decimal(1), narrative="n", amount_spent=MAX_MONEY + 1)
    assert "amount_spent" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make(world, code="2", budget_planned=2**63 - 1)
    assert ProgressReport.objects.count() == 0 and Action.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("start_date", dt.date(1, 1, 1)), ("due_date", dt.date(9999, 12, 31))])
def test_implausible_years_are_refused(world, field, value):
    with pytest.raises(ValidationError) as exc:
        make(world, **{field: value})
    assert field in exc.value.message_dict


def test_a_report_dated_before_the_plan_was_signed_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        wp.report_progress(actor=world.officer, action=make(world), report_date=dt.date(2020, 11, 17),
                           actual_value=Decimal(1), narrative="n")
    assert "report_date" in exc.value.message_dict


def test_supporting_units_must_belong_to_the_government(world):
    with pytest.raises(ValidationError) as exc:
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil),
                         supporting_units=[world.office])
    assert "supporting_units" in exc.value.message_dict
    assert Action.objects.count() == 0


def test_a_report_of_a_cancelled_action_cannot_be_accepted(world):
    action = make(world)
    report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 2, 1),
                                actual_value=Decimal(3), narrative="n")
    wp.cancel_action(actor=world.coordinator, action=action, reason="Merged")
    with pytest.raises(ValidationError):
        wp.accept_report(actor=world.assistant, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_no_sub_action_under_an_action_that_already_has_reports(world):
    parent = make(world)
    wp.report_progress(actor=world.officer, action=parent, report_date=dt.date(2021, 2, 1),
                       actual_value=Decimal(3), narrative="n")
    with pytest.raises(ValidationError) as exc:
        make(world, code="1.1", parent=parent)
    assert "parent" in exc.value.message_dict


def test_deeply_nested_json_is_a_400(world):
    client = APIClient()
    client.force_authenticate(world.coordinator)
    response = client.post("/api/v1/actions/", data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert Action.objects.count() == 0


def test_pages_behind_a_login_are_not_cached(world, client):
    client.force_login(world.coordinator)
    assert client.get("/").headers["Cache-Control"] == "private, no-store"
