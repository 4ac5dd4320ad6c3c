"""The Django admin: periods are edited with an audit entry; responses and results are read-only."""

import datetime as dt

import pytest
from django.urls import reverse

from pantau.audit.models import AuditEntry
from pantau.surveys import actions as services
from pantau.surveys.models import Response, SurveyPeriod
from pantau.surveys.tests.helpers import csv_bytes, t1_rows


@pytest.fixture
def period(world):
    period = services.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 6, 30), population=50)
    services.import_responses(actor=world.coordinator, period=period, data=csv_bytes(t1_rows()), file_name="t1.csv")
    services.compute_result(actor=world.coordinator, period=period, today=dt.date(2024, 7, 1))
    return period


def test_the_admin_lists_periods_responses_and_results(client, world, period):
    client.force_login(world.superuser)
    for model in ("surveyperiod", "response", "ikmresult"):
        assert client.get(reverse(f"admin:surveys_{model}_changelist")).status_code == 200


def test_editing_a_period_in_the_admin_is_audited(client, world, period):
    client.force_login(world.superuser)
    url = reverse("admin:surveys_surveyperiod_change", args=[period.pk])
    data = {"unit": world.dukcapil.pk, "service_name": "KTP-el", "start_date": "2024-01-01",
            "end_date": "2024-06-30", "population": "60", "note": ""}
    assert client.post(url, data).status_code == 302
    assert SurveyPeriod.objects.get(pk=period.pk).population == 60
    # recorded by the write path (update_period), which the admin now calls
    entry = AuditEntry.objects.filter(content_type__model="surveyperiod", action="update").get()
    assert (entry.before["population"], entry.after["population"]) == (50, 60)


def test_responses_cannot_be_added_changed_or_deleted_in_the_admin(client, world, period):
    client.force_login(world.superuser)
    response = Response.objects.filter(period=period).first()
    before = (Response.objects.count(), response.u1)
    assert client.get(reverse("admin:surveys_response_add")).status_code == 403
    assert client.post(reverse("admin:surveys_response_change", args=[response.pk]),
                       {"u1": "1"}).status_code == 403
    assert client.post(reverse("admin:surveys_response_delete", args=[response.pk]),
                       {"post": "yes"}).status_code == 403
    assert (Response.objects.count(), Response.objects.get(pk=response.pk).u1) == before
    result = period.results.get()
    assert client.post(reverse("admin:surveys_ikmresult_delete", args=[result.pk]),
                       {"post": "yes"}).status_code == 403
    assert period.results.count() == 1
