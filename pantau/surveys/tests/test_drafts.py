"""Survey results are drafts until an Ombudsman user publishes them (issue 10; DESIGN.md "Figures are drafts until
published"): who computed them (MANAGE_SURVEYS on the unit) and the Ombudsman see a draft, labelled; viewers, trends
and roll-ups count published results only. Periods are edited through a versioned write path."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.concurrency import StaleVersion
from pantau.organizations.models import Unit
from pantau.surveys import actions as services
from pantau.surveys import rollup
from pantau.surveys.models import IkmResult, SurveyPeriod
from pantau.surveys.tests.helpers import csv_bytes, t1_rows


@pytest.fixture
def computed(world):
    """T1 (10 responses, IKM 85.00 B with the exact weight; surveys/tests/helpers) computed by Dukcapil's officer,
    population 10 so that the sample is adequate and the period enters a roll-up once published."""
    period = services.create_period(actor=world.officer, unit=world.dukcapil, start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 6, 30), population=10)
    services.import_responses(actor=world.officer, period=period, data=csv_bytes(t1_rows()), file_name="t1.csv")
    return services.compute_result(actor=world.officer, period=period, today=dt.date(2024, 7, 1))


def visible(user):
    return list(IkmResult.objects.visible_to(user).values_list("pk", flat=True))


def test_a_computed_result_is_a_draft_for_everyone_but_who_computed_it_and_the_ombudsman(world, computed):
    assert computed.published_at is None
    for who in ("officer", "coordinator", "ombudsman_admin", "assistant", "superuser"):
        assert visible(getattr(world, who)) == [computed.pk], who
    for who in ("viewer", "other_officer", "outsider"):
        assert visible(getattr(world, who)) == [], who


def test_a_draft_never_enters_a_roll_up_until_published(world, computed):
    periods = SurveyPeriod.objects.all()
    regency = Unit.objects.get(pk=world.regency.pk)
    node = rollup.node_rollup(periods=periods, unit=regency, year=2024)
    assert node.value.ikm is None and node.value.included == 0
    services.publish_result(actor=world.assistant, result=computed)
    node = rollup.node_rollup(periods=periods, unit=regency, year=2024)
    assert node.value.ikm == computed.ikm and node.value.included == 1


@pytest.mark.parametrize("persona", ["officer", "coordinator", "viewer"])
def test_the_government_may_not_publish_its_own_result(world, computed, persona):
    with pytest.raises(PermissionDenied):
        services.publish_result(actor=getattr(world, persona), result=computed)
    assert IkmResult.objects.get(pk=computed.pk).published_at is None


def test_publishing_is_audited_and_happens_once(world, computed):
    services.publish_result(actor=world.assistant, result=computed)
    with pytest.raises(ValidationError):
        services.publish_result(actor=world.ombudsman_admin, result=IkmResult.objects.get(pk=computed.pk))
    entry = AuditEntry.objects.get(action=AuditAction.PUBLISH)
    assert entry.before["published_by_id"] is None and entry.after["published_by_id"] == world.assistant.pk


def test_the_period_page_labels_a_draft_and_offers_publishing_to_the_ombudsman(world, computed, client):
    url = reverse("surveys:period_detail", args=[computed.period_id])
    client.force_login(world.officer)
    page = client.get(url)
    assert page.context["result"] == computed and 'id="result-draft"' in page.content.decode()
    assert page.context["can_publish"] is False
    client.force_login(world.viewer)
    assert client.get(url).context["result"] is None
    client.force_login(world.assistant)
    assert client.get(url).context["can_publish"] is True
    assert client.post(reverse("surveys:result_publish", args=[computed.pk])).status_code == 302
    client.force_login(world.viewer)
    page = client.get(url)
    assert page.context["result"] == computed and 'id="result-draft"' not in page.content.decode()


def test_the_api_publishes_with_the_ombudsmans_permission_only(world, computed):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.officer)
    assert client.post(f"/api/v1/ikm-results/{computed.pk}/publish/").status_code == 403
    client.force_authenticate(world.assistant)
    response = client.post(f"/api/v1/ikm-results/{computed.pk}/publish/")
    assert response.status_code == 200 and response.json()["is_published"] is True


def test_a_period_edit_is_versioned_and_audited(world, computed):
    period = SurveyPeriod.objects.get(pk=computed.period_id)
    services.update_period(actor=world.officer, period=period, data={"population": 12}, expected_version=1)
    with pytest.raises(StaleVersion):
        services.update_period(actor=world.coordinator, period=SurveyPeriod.objects.get(pk=period.pk),
                               data={"population": 20}, expected_version=1)
    stored = SurveyPeriod.objects.get(pk=period.pk)
    assert (stored.population, stored.version) == (12, 2)
    with pytest.raises(PermissionDenied):
        services.update_period(actor=world.other_officer, period=stored, data={"population": 1})
    assert SurveyPeriod.objects.get(pk=period.pk).population == 12
