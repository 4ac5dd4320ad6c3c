"""Deadline rules as data (seeded from rules.md section 5, edited by the Ombudsman admin, audited) and the editable
calendar."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pantau.audit.models import AuditEntry
from pantau.complaints import actions
from pantau.complaints.models import CalendarDay, DeadlineRule, RuleCode

D = dt.date


def test_the_seeded_national_rules_with_their_source_and_status(db):
    rules = {r.code: (r.length, r.day_kind, r.provisional) for r in DeadlineRule.objects.filter(unit=None)}
    assert rules == {
        "resolution": (60, "calendar_days", False),        # Perpres 76/2013, confirmed
        "first_response": (14, "calendar_days", True),     # UU 25/2009, UNCERTAIN
        "file_completion": (30, "calendar_days", True),    # UU 25/2009, UNCERTAIN
        "pickup": (3, "working_days", True),               # Pantau's choice
    }
    assert "Perpres 76/2013" in DeadlineRule.objects.get(code="resolution").source
    # said for people (migration 0004): the doubt in words, no curation notes
    first_response = DeadlineRule.objects.get(code="first_response").source
    assert "belum dapat dipastikan" in first_response and "UNCERTAIN" not in first_response


def test_the_rules_page_shows_sources_and_provisional_status(client, cw):
    client.force_login(cw.viewer)
    body = client.get(reverse("complaints:rule_list")).content.decode()
    assert "Perpres 76/2013" in body and body.count("badge provisional") == 3
    assert reverse("complaints:rule_edit", args=[DeadlineRule.objects.get(code="resolution").pk]) not in body


def test_the_ombudsman_admin_corrects_a_provisional_rule_and_it_is_audited(client, cw):
    rule = DeadlineRule.objects.get(code=RuleCode.FIRST_RESPONSE, unit=None)
    client.force_login(cw.national_admin)
    response = client.post(reverse("complaints:rule_edit", args=[rule.pk]), {
        "length": "14", "day_kind": "calendar_days", "source": "UU 25/2009 pasal 50 (checked)", "provisional": "",
        "note": "", "version": rule.version,
    })
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.provisional, rule.source, rule.version) == (False, "UU 25/2009 pasal 50 (checked)", 2)
    entry = AuditEntry.objects.get(object_id=str(rule.pk), content_type__model="deadlinerule")
    assert (entry.actor, entry.before["provisional"], entry.after["provisional"]) == (cw.national_admin, True, False)


@pytest.mark.parametrize("persona", ["coordinator", "officer", "assistant", "viewer", "ombudsman_admin"])
def test_only_the_national_ombudsman_edits_national_rules(client, cw, persona):
    rule = DeadlineRule.objects.get(code=RuleCode.RESOLUTION, unit=None)
    client.force_login(getattr(cw, persona))
    assert client.get(reverse("complaints:rule_edit", args=[rule.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.save_deadline_rule(actor=getattr(cw, persona), rule=rule, code=rule.code, length=30,
                                   day_kind="calendar_days", source="x", provisional=False)
    rule.refresh_from_db()
    assert rule.length == 60


def test_a_stale_rule_edit_is_refused(cw):
    rule = DeadlineRule.objects.get(code=RuleCode.RESOLUTION, unit=None)
    actions.save_deadline_rule(actor=cw.national_admin, rule=rule, code=rule.code, length=60,
                               day_kind="calendar_days", source=rule.source, provisional=False, version=1)
    with pytest.raises(ValidationError):
        actions.save_deadline_rule(actor=cw.national_admin, rule=rule, code=rule.code, length=50,
                                   day_kind="calendar_days", source=rule.source, provisional=False, version=1)


@pytest.mark.parametrize(("length", "day_kind"), [(60, "calendar_days"), (90, "calendar_days"), (60, "working_days")])
def test_a_unit_rule_may_not_be_longer_than_the_statute(cw, length, day_kind):
    with pytest.raises(ValidationError):
        actions.save_deadline_rule(actor=cw.ombudsman_admin, unit=cw.dukcapil, code=RuleCode.RESOLUTION,
                                   length=length, day_kind=day_kind, source="SOP", provisional=False)
    assert not DeadlineRule.objects.filter(unit=cw.dukcapil).exists()


def test_lengths_outside_a_year_are_refused(cw):
    rule = DeadlineRule.objects.get(code=RuleCode.RESOLUTION, unit=None)
    for length in (0, 366):
        with pytest.raises(ValidationError):
            actions.save_deadline_rule(actor=cw.national_admin, rule=rule, code=rule.code, length=length,
                                       day_kind="calendar_days", source="x", provisional=False)


def test_a_unit_rule_through_the_page_and_its_removal(client, cw):
    client.force_login(cw.ombudsman_admin)
    client.post(reverse("complaints:rule_new"), {
        "code": "resolution", "unit": cw.dukcapil.pk, "length": "10", "day_kind": "working_days",
        "source": "Standar pelayanan pengaduan Dukcapil", "note": "",
    })
    rule = DeadlineRule.objects.get(unit=cw.dukcapil)
    assert (rule.code, rule.length) == ("resolution", 10)
    client.post(reverse("complaints:rule_delete", args=[rule.pk]))
    assert not DeadlineRule.objects.filter(unit=cw.dukcapil).exists()


def test_national_rules_cannot_be_removed(cw):
    with pytest.raises(ValidationError):
        actions.delete_deadline_rule(actor=cw.national_admin, rule=DeadlineRule.objects.get(code="pickup",
                                                                                            unit=None))


def test_the_coordinator_adds_a_local_day_off_through_the_page(client, cw):
    client.force_login(cw.coordinator)
    response = client.post(reverse("complaints:calendar"), {
        "date": "3 Desember 2025", "kind": "day_off", "unit": cw.regency.pk, "description": "Hari jadi kabupaten",
        "source": "Surat Edaran Bupati",
    })
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert (day.date, day.unit, day.kind) == (D(2025, 12, 3), cw.regency, "day_off")
    assert AuditEntry.objects.filter(content_type__model="calendarday", actor=cw.coordinator).count() == 1


def test_only_the_national_ombudsman_changes_the_national_calendar(cw):
    with pytest.raises(PermissionDenied):  # the admin of a Perwakilan: its province, not the country
        actions.add_calendar_day(actor=cw.ombudsman_admin, date=D(2025, 12, 3), kind="day_off", description="x")
    with pytest.raises(PermissionDenied):
        actions.add_calendar_day(actor=cw.coordinator, date=D(2025, 12, 3), kind="day_off", description="x")
    with pytest.raises(PermissionDenied):
        actions.add_calendar_day(actor=cw.officer, date=D(2025, 12, 3), kind="day_off", unit=cw.dukcapil,
                                 description="x")
    assert not CalendarDay.objects.exists()


def test_a_weekend_cannot_become_a_working_day_and_a_date_is_corrected_once_per_level(cw):
    with pytest.raises(ValidationError):
        actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 6), kind="working_day",
                                 description="Sabtu")
    actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 3), kind="day_off", description="a")
    with pytest.raises(ValidationError):
        actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 3), kind="day_off", description="b")
    actions.add_calendar_day(actor=cw.coordinator, date=D(2025, 12, 3), kind="working_day", unit=cw.regency,
                             description="c")
    assert CalendarDay.objects.count() == 2


def test_the_calendar_page_lists_corrections(client, cw):
    actions.add_calendar_day(actor=cw.national_admin, date=D(2025, 12, 3), kind="day_off", description="Libur SKB")
    client.force_login(cw.viewer)
    body = client.get(reverse("complaints:calendar")).content.decode()
    assert "Libur SKB" in body and "Add a correction" not in body
    assert client.post(reverse("complaints:calendar"), {}).status_code == 403


def test_the_rules_api_reads_and_patches_through_the_write_path(client, cw):
    rule = DeadlineRule.objects.get(code=RuleCode.FILE_COMPLETION, unit=None)
    client.force_login(cw.viewer)
    assert len(client.get("/api/v1/deadline-rules/").json()["results"]) == 4
    assert client.patch(f"/api/v1/deadline-rules/{rule.pk}/", {"length": 20},
                        content_type="application/json").status_code == 403
    client.force_login(cw.national_admin)
    response = client.patch(f"/api/v1/deadline-rules/{rule.pk}/", {"length": 20, "version": 1},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["length"] == 20
    assert client.patch(f"/api/v1/deadline-rules/{rule.pk}/", {"length": 0},
                        content_type="application/json").status_code == 400


def test_a_missing_national_row_falls_back_to_the_seed_which_matches_the_migration(cw):
    import importlib

    from pantau.complaints.seed import SEED_RULES
    from pantau.complaints.tests.conftest import at, submit

    seeded = importlib.import_module("pantau.complaints.migrations.0002_seed_deadline_rules")
    reworded = importlib.import_module("pantau.complaints.migrations.0004_deadline_sources_in_indonesian")
    new_source = {code: new for code, _old, new in reworded.SOURCES}
    assert {code: old for code, old, _new in reworded.SOURCES} == {rule[0]: rule[4] for rule in seeded.RULES}
    assert tuple((*rule[:4], new_source[rule[0]]) for rule in seeded.RULES) == SEED_RULES
    DeadlineRule.objects.filter(unit=None).delete()
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 3, 26)).complaint
    assert (complaint.pickup_due, complaint.first_response_due) == (D(2025, 4, 9), D(2025, 4, 9))
