"""Reviews (issue 10): accepting a report carries an optional note (page and API); no report form, button or API
on a verified or cancelled action."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, ProgressReport, ReportStatus


def make(world: Any, **overrides: Any) -> Action:
    return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                            data=action_data(world.dukcapil, **overrides))


def submit(world: Any, action: Action, actual: str) -> ProgressReport:
    return wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                              actual_value=Decimal(actual), narrative="x")


def test_the_accept_form_carries_an_optional_note(world, client):
    action = make(world)
    report = submit(world, action, "4")
    client.force_login(world.assistant)
    page = client.get(reverse("workplans:action_detail", args=[action.pk])).content.decode()
    assert f'id="note-{report.pk}"' in page
    client.post(reverse("workplans:report_accept", args=[report.pk]), {"review_reason": "SK terlampir, sesuai."})
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.status, stored.review_reason) == (ReportStatus.ACCEPTED, "SK terlampir, sesuai.")
    other = submit(world, action, "5")
    client.post(reverse("workplans:report_accept", args=[other.pk]), {})  # the note is optional
    assert ProgressReport.objects.get(pk=other.pk).status == ReportStatus.ACCEPTED


def test_the_api_accepts_with_a_note(world):
    report = submit(world, make(world), "4")
    client = APIClient()
    client.force_authenticate(world.assistant)
    response = client.post(f"/api/v1/progress-reports/{report.pk}/accept/", {"note": "Sesuai"}, format="json")
    assert response.status_code == 200 and response.json()["review_reason"] == "Sesuai"


@pytest.fixture
def verified(world: Any) -> Action:
    """An action whose target (10) was reported and accepted: verified."""
    action = make(world)
    wp.accept_report(actor=world.assistant, report=submit(world, action, "10"))
    return Action.objects.get(pk=action.pk)


def test_a_verified_action_offers_no_report_form_button_or_api(world, verified, client):
    assert verified.status == "verified"
    client.force_login(world.officer)
    page = client.get(reverse("workplans:action_detail", args=[verified.pk]))
    assert page.context["can_report"] is False
    assert reverse("workplans:action_report", args=[verified.pk]) not in page.content.decode()
    response = client.get(reverse("workplans:action_report", args=[verified.pk]), follow=True)
    assert "This action is verified" in response.content.decode()

    api = APIClient()
    api.force_authenticate(world.officer)
    assert api.get(f"/api/v1/actions/{verified.pk}/").json()["can_report"] is False
    posted = api.post("/api/v1/progress-reports/", {"action": verified.pk, "report_date": "2021-04-01",
                                                     "actual_value": "10", "narrative": "again"}, format="json")
    assert posted.status_code == 400 and "action" in posted.json()
    assert ProgressReport.objects.filter(action=verified).count() == 1


def test_the_write_path_refuses_a_report_on_a_verified_or_cancelled_action(world, verified):
    with pytest.raises(ValidationError) as refused:
        submit(world, verified, "10")
    assert refused.value.message_dict["action"] == [
        "This action is verified: its target was reached and accepted, so no more progress is reported."]
    cancelled = make(world, code="2")
    wp.cancel_action(actor=world.coordinator, action=cancelled, reason="Dropped")
    with pytest.raises(ValidationError) as refused:
        submit(world, Action.objects.get(pk=cancelled.pk), "1")
    assert refused.value.message_dict["action"] == ["This action is cancelled."]
    assert ProgressReport.objects.filter(action=cancelled).count() == 0


def test_a_cancelled_action_shows_no_report_button(world, client):
    action = make(world)
    wp.cancel_action(actor=world.coordinator, action=action, reason="Dropped")
    client.force_login(world.officer)
    page = client.get(reverse("workplans:action_detail", args=[action.pk]))
    assert page.context["can_report"] is False
