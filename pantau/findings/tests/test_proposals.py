"""Proposing actions from findings (issue 10): generated codes never collide, and if one is taken anyway the refusal
names the code and the finding; a proposal in a plan with weighted top-level actions needs a weight; proposals start
on the finding's unit's own local date; the link to the finding is audited with before and after."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.findings.actions import free_code, propose_actions, record_finding
from pantau.findings.models import Finding
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


def finding(world, key="U3", unit=None):
    return record_finding(actor=world.assistant, source="survey", source_key=f"skm:1:{key}",
                          unit=unit or world.dukcapil, title="Waktu penyelesaian graded C",
                          detected_on=dt.date(2021, 6, 1), indicator_name="U3 converted score",
                          indicator_unit="points", baseline=Decimal("75.00"), target=Decimal("76.61"))


def test_a_generated_code_already_taken_moves_to_the_next_free_one(world):
    f = finding(world)
    for code in (f"F{f.pk}", f"F{f.pk}-2"):
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code=code))
    assert free_code(f"F{f.pk}", {f"F{f.pk}", f"F{f.pk}-2"}) == f"F{f.pk}-3"
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f],
                               today=dt.date(2021, 7, 1))
    assert action.code == f"F{f.pk}-3"


def test_a_code_taken_after_it_was_chosen_is_refused_naming_the_code_and_the_finding(world, monkeypatch):
    f = finding(world)
    # another proposal takes the code between the choice and the save (what a concurrent request does)
    monkeypatch.setattr("pantau.findings.actions.free_code", lambda code, taken: code)
    wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code=f"F{f.pk}"))
    with pytest.raises(ValidationError) as refused:
        propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    [message] = refused.value.message_dict["code"]
    assert message == (
        f"The code F{f.pk} generated for finding Waktu penyelesaian graded C (#{f.pk}) is already taken in this "
        "work plan; nothing was proposed. Propose again: the next free code is chosen then."
    )
    assert "does not exist" not in message
    assert Action.objects.count() == 1 and not f.actions.exists()


def test_a_plan_with_weighted_top_level_actions_needs_a_weight_for_proposals(world):
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dukcapil, code="1", weight=Decimal("2")))
    f = finding(world)
    with pytest.raises(ValidationError) as refused:
        propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f], today=dt.date(2021, 7, 1))
    assert refused.value.message_dict["weight"][0].startswith(f"Give action F{f.pk} a weight")
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f],
                               today=dt.date(2021, 7, 1), weight=Decimal("1"))
    assert action.weight == Decimal("1")


def test_a_proposal_starts_on_the_findings_units_own_date(world):
    world.dukcapil.time_zone = "Asia/Jayapura"  # WIT
    world.dukcapil.save()
    f = finding(world)
    # 15:30 UTC on 16 August 2024 = 00:30 WIT on the 17th (22:30 WIB on the 16th)
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f],
                               now=dt.datetime(2024, 8, 16, 15, 30, tzinfo=dt.UTC))
    assert action.start_date == dt.date(2024, 8, 17)
    assert action.due_date == dt.date(2025, 2, 13)  # 17 August 2024 + 180 days


def test_linking_a_finding_to_its_action_is_audited_with_before_and_after(world):
    f = finding(world)
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[f],
                               today=dt.date(2021, 7, 1))
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(f.pk),
                                      content_type__model="finding").latest("id")
    assert (entry.before, entry.after) == ({"actions": []}, {"actions": [action.pk]})
    assert Finding.objects.get(pk=f.pk).actions.get() == action
