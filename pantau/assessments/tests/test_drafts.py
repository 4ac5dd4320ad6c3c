"""Draft and published (issue 10; DESIGN.md "Figures are drafts until published"): an assessment round is a draft
until an Ombudsman user publishes it (PUBLISH_RESULTS: Ombudsman admin and assistant). Drafts are shown, labelled,
to who may enter that kind of round there and to the Ombudsman; viewers and report-card means see published rounds
only. Publishing is audited and happens once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pantau.assessments.actions import publish_round, record_round, update_round
from pantau.assessments.models import AssessmentRound, MethodEdition, RoundKind
from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.concurrency import StaleVersion

ON = dt.date(2023, 5, 15)
SCORES = {"input": "85", "proses": "95", "output": "80", "pengaduan": "70"}  # total 83.79 (rules.md 2.6, T7)


def draft(world, scores=SCORES, on=ON):
    return record_round(actor=world.coordinator, edition=MethodEdition.objects.get(code="ombudsman-2022"),
                        year=on.year, kind=RoundKind.SELF_ASSESSMENT, assessed_on=on, unit=world.dukcapil,
                        dimension_scores=scores).round


def visible_ids(user):
    return set(AssessmentRound.objects.visible_to(user).values_list("pk", flat=True))


def test_a_new_round_is_a_draft_seen_only_by_who_entered_it_and_the_ombudsman(world):
    r = draft(world)
    assert r.published_at is None
    # the coordinator records self-assessments (who entered it); the Ombudsman may publish it
    for who in ("superuser", "coordinator", "ombudsman_admin", "assistant"):
        assert r.pk in visible_ids(getattr(world, who)), who
    # viewers of the regency and the agency's own officer see published figures only
    for who in ("viewer", "officer", "other_officer", "district_officer", "outsider"):
        assert r.pk not in visible_ids(getattr(world, who)), who


@pytest.mark.parametrize("persona, allowed", [
    ("ombudsman_admin", True), ("assistant", True), ("superuser", True), ("coordinator", False),
    ("officer", False), ("viewer", False), ("outsider", False),
])
def test_only_the_ombudsman_publishes_and_a_refusal_changes_nothing(world, persona, allowed):
    r = draft(world)
    try:
        publish_round(actor=getattr(world, persona), assessment=r,
                      now=dt.datetime(2023, 6, 1, 3, 0, tzinfo=dt.UTC))
    except PermissionDenied:
        assert not allowed
        assert AssessmentRound.objects.get(pk=r.pk).published_at is None
    else:
        assert allowed
        stored = AssessmentRound.objects.get(pk=r.pk)
        assert stored.published_at == dt.datetime(2023, 6, 1, 3, 0, tzinfo=dt.UTC)
        assert stored.published_by == getattr(world, persona)
        assert stored.version == 2
        entry = AuditEntry.objects.get(action=AuditAction.PUBLISH, object_id=str(r.pk))
        assert (entry.before["published_at"], entry.after["published_at"]) == (None, "2023-06-01 03:00:00+00:00")
        assert r.pk in visible_ids(world.viewer)


def test_publishing_twice_is_refused(world):
    r = draft(world)
    publish_round(actor=world.assistant, assessment=r)
    with pytest.raises(ValidationError) as refused:
        publish_round(actor=world.ombudsman_admin, assessment=AssessmentRound.objects.get(pk=r.pk))
    assert refused.value.message_dict == {"published_at": ["This round is already published."]}
    assert AuditEntry.objects.filter(action=AuditAction.PUBLISH).count() == 1


def test_the_report_card_labels_drafts_and_its_mean_counts_published_rounds_only(world, client):
    published = draft(world, on=dt.date(2023, 5, 15))
    publish_round(actor=world.assistant, assessment=published)
    # 60/60/60/60 -> 60.00
    draft(world, scores={"input": "60", "proses": "60", "output": "60", "pengaduan": "60"},
          on=dt.date(2023, 9, 1))
    url = reverse("assessments:unit_report_card", args=[world.dukcapil.pk])

    client.force_login(world.coordinator)
    page = client.get(url)
    [year] = [y for y in page.context["side_by_side"] if y.year == 2023]
    assert len(year.rounds) == 2
    assert year.mean == D("83.79")  # the draft's 60.00 is not in the mean
    assert "draft, not published" in page.content.decode()

    client.force_login(world.viewer)
    page = client.get(url)
    [year] = [y for y in page.context["side_by_side"] if y.year == 2023]
    assert [r.pk for r in year.rounds] == [published.pk]
    assert "draft, not published" not in page.content.decode()


def test_the_assistant_publishes_from_the_report_card(world, client):
    r = draft(world)
    client.force_login(world.assistant)
    page = client.get(reverse("assessments:unit_report_card", args=[world.dukcapil.pk])).content.decode()
    assert f'id="publish-round-{r.pk}"' in page
    response = client.post(reverse("assessments:round_publish", args=[r.pk]))
    assert response.status_code == 302
    assert AssessmentRound.objects.get(pk=r.pk).published_by == world.assistant
    client.force_login(world.coordinator)
    assert client.post(reverse("assessments:round_publish", args=[r.pk])).status_code == 403
    client.force_login(world.viewer)
    other = draft(world, on=dt.date(2023, 9, 1))
    assert client.post(reverse("assessments:round_publish", args=[other.pk])).status_code == 404


def test_correcting_a_round_is_versioned(world):
    r = draft(world)
    update_round(actor=world.coordinator, assessment=r, data={"title": "Penilaian mandiri 2023"}, expected_version=1)
    with pytest.raises(StaleVersion):
        update_round(actor=world.assistant, assessment=AssessmentRound.objects.get(pk=r.pk),
                     data={"note": "late"}, expected_version=1)
    stored = AssessmentRound.objects.get(pk=r.pk)
    assert (stored.title, stored.note, stored.version) == ("Penilaian mandiri 2023", "", 2)
