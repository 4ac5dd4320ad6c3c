"""Moves need rights at both ends (issue 10): re-parenting an action needs EDIT_ACTIONS on it, on the parent it leaves
and on the parent it joins; pickers offer only what the user may edit; the admin saves through the same write path.
A denied move changes nothing (the parents' progress included)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.accounts.models import Role
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data, make_user
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


@pytest.fixture
def tree(world: Any) -> Any:
    """A Dukcapil parent (1) with a reported child (1.1), a DPMPTSP parent (2) with a reported child (2.1), and a
    planner who coordinates Dukcapil only (the coordinator role granted on the agency, not the regency)."""
    def make(code: str, unit: Any, parent: Action | None = None) -> Action:
        return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                                data=action_data(unit, code=code, parent=parent))

    world.a = make("1", world.dukcapil)
    world.a1 = make("1.1", world.dukcapil, world.a)
    world.b = make("2", world.dpmptsp)
    world.b1 = make("2.1", world.dpmptsp, world.b)
    for child, actual in ((world.a1, "10"), (world.b1, "5")):  # 100 % and 50 %
        wp.report_progress(actor=world.coordinator, action=child, report_date=dt.date(2021, 3, 1),
                           actual_value=Decimal(actual), narrative="x")
    world.planner = make_user("dukcapil_planner", Role.COORDINATOR, world.dukcapil)
    return world


def state() -> list[tuple[Any, ...]]:
    return sorted(Action.objects.values_list("code", "parent__code", "version"))


def progress(code: str) -> Decimal:
    from pantau.workplans.summary import load_trees

    return next(a for a in load_trees([Action.objects.get(code=code).work_plan_id]) if a.code == code).progress()


# who may move Dukcapil's 1.1 under DPMPTSP's 2: EDIT_ACTIONS on Dukcapil AND on DPMPTSP
MOVERS = {"superuser": True, "ombudsman_admin": True, "coordinator": True, "planner": False, "assistant": False,
          "officer": False, "other_officer": False, "district_officer": False, "viewer": False, "outsider": False}


@pytest.mark.parametrize("persona, allowed", MOVERS.items())
def test_moving_a_sub_action_to_another_agencys_parent_needs_rights_on_both(tree, persona, allowed):
    actor = getattr(tree, persona)
    before = state()
    try:
        wp.update_action(actor=actor, action=Action.objects.get(pk=tree.a1.pk), data={"parent": tree.b})
    except PermissionDenied:
        assert not allowed
        assert state() == before  # nothing changed
        assert (progress("1"), progress("2")) == (Decimal("100.00"), Decimal("50.00"))
    else:
        assert allowed
        assert Action.objects.get(pk=tree.a1.pk).parent_id == tree.b.pk
        # 1 has no child left: its own (unreported) indicator, 0 %; 2 = (100 + 50) / 2 = 75 %
        assert (progress("1"), progress("2")) == (Decimal("0.00"), Decimal("75.00"))


def test_the_planner_may_move_within_its_agency_but_not_away_from_another(tree):
    a2 = wp.create_action(actor=tree.planner, work_plan=tree.plan,
                          data=action_data(tree.dukcapil, code="3"))
    wp.update_action(actor=tree.planner, action=Action.objects.get(pk=tree.a1.pk), data={"parent": a2})
    assert Action.objects.get(pk=tree.a1.pk).parent_id == a2.pk
    # a Dukcapil action may not be placed under DPMPTSP's parent, and nothing is created there either
    with pytest.raises(PermissionDenied):
        wp.create_action(actor=tree.planner, work_plan=tree.plan,
                         data=action_data(tree.dukcapil, code="2.9", parent=tree.b))
    assert not Action.objects.filter(code="2.9").exists()


@pytest.mark.parametrize("persona, status", [
    # who cannot see DPMPTSP's parent gets 400 (no such parent for them); who sees both but may not edit, 403;
    # who cannot see the action, 404
    ("planner", 400), ("officer", 400), ("assistant", 403), ("viewer", 403), ("other_officer", 404),
    ("outsider", 404), ("coordinator", 200), ("ombudsman_admin", 200),
])
def test_the_api_refuses_a_move_outside_ones_rights_and_changes_nothing(tree, persona, status):
    client = APIClient()
    client.force_authenticate(getattr(tree, persona))
    before = state()
    response = client.patch(f"/api/v1/actions/{tree.a1.pk}/", {"parent": tree.b.pk}, format="json")
    assert response.status_code == status, response.content
    if status != 200:
        assert state() == before


def test_an_invisible_parent_is_an_unknown_id_in_the_api(tree):
    client = APIClient()
    client.force_authenticate(tree.planner)
    # the planner cannot see DPMPTSP's action 2: it is not a valid choice (400), never a 200 or a hint
    a2 = wp.create_action(actor=tree.planner, work_plan=tree.plan, data=action_data(tree.dukcapil, code="3"))
    response = client.patch(f"/api/v1/actions/{a2.pk}/", {"parent": tree.b.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()


def test_the_parent_picker_offers_only_actions_the_user_may_edit_and_is_searchable(tree, client):
    client.force_login(tree.planner)
    form = client.get(reverse("workplans:action_edit", args=[tree.a1.pk])).context["form"]
    assert [a.code for a in form.fields["parent"].queryset] == ["1"]
    assert form.fields["parent"].widget.attrs["data-filter"]
    assert [u.pk for u in form.fields["responsible_unit"].queryset] == [tree.dukcapil.pk, tree.dukcapil_upt.pk]
    client.force_login(tree.coordinator)
    form = client.get(reverse("workplans:action_edit", args=[tree.a1.pk])).context["form"]
    assert [a.code for a in form.fields["parent"].queryset] == ["1", "2", "2.1"]
    html = client.get(reverse("workplans:action_edit", args=[tree.a1.pk])).content.decode()
    assert "filter-select.js" in html and "data-filter=" in html


# --- the admin saves through the write path -------------------------------------------------------------------


def staff(user: Any, *codenames: str) -> Any:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*DjangoPermission.objects.filter(codename__in=codenames))
    return user


def admin_form(action: Action, **overrides: Any) -> dict[str, str]:
    data = {
        "work_plan": str(action.work_plan_id), "parent": str(action.parent_id or ""), "code": action.code,
        "title": action.title, "description": action.description, "finding": action.finding,
        "start_date": action.start_date.isoformat(), "due_date": action.due_date.isoformat(),
        "responsible_unit": str(action.responsible_unit_id), "pic_position": action.pic_position,
        "budget_planned": str(action.budget_planned), "budget_source": action.budget_source,
        "fiscal_year": str(action.fiscal_year or ""), "indicator_name": action.indicator_name,
        "indicator_unit": action.indicator_unit, "baseline": str(action.baseline), "target": str(action.target),
        "weight": "", "expected_version": str(action.version),
    }
    data.update(overrides)
    return data


def test_a_move_refused_by_the_write_path_is_refused_in_the_admin_too(tree, client):
    client.force_login(staff(tree.planner, "view_action", "change_action"))
    before = state()
    response = client.post(reverse("admin:workplans_action_change", args=[tree.a1.pk]),
                           admin_form(tree.a1, parent=str(tree.b.pk)))
    assert response.status_code == 200  # the form again, with the reason
    assert "You may not move an action under or away from an action you may not edit." in response.content.decode()
    assert state() == before


def test_an_admin_edit_goes_through_the_write_path_and_is_audited(tree, client):
    client.force_login(tree.superuser)
    response = client.post(reverse("admin:workplans_action_change", args=[tree.a1.pk]),
                           admin_form(tree.a1, title="Renamed in the admin"))
    assert response.status_code == 302
    stored = Action.objects.get(pk=tree.a1.pk)
    assert (stored.title, stored.version) == ("Renamed in the admin", 2)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(stored.pk)).get()
    assert (entry.before["title"], entry.after["title"]) == (tree.a1.title, "Renamed in the admin")


def test_a_stale_admin_form_is_refused(tree, client):
    client.force_login(tree.superuser)
    wp.update_action(actor=tree.coordinator, action=Action.objects.get(pk=tree.a1.pk), data={"title": "First"})
    response = client.post(reverse("admin:workplans_action_change", args=[tree.a1.pk]),
                           admin_form(tree.a1, title="Second", expected_version="1"))
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    assert Action.objects.get(pk=tree.a1.pk).title == "First"


def test_a_unit_cannot_move_under_its_own_village_in_the_admin(world, client):
    client.force_login(world.superuser)
    before = sorted(type(world.mersam).objects.values_list("pk", "path"))
    response = client.post(reverse("admin:organizations_unit_change", args=[world.mersam.pk]), {
        "name": world.mersam.name, "short_name": "", "kind": world.mersam.kind, "agency_type": "",
        "parent": str(world.tapah_sari.pk), "region": world.mersam.region_id, "verification": "verified",
        "source_url": "", "note": "", "time_zone": "", "expected_version": "1",
    })
    assert response.status_code == 200
    assert "A unit cannot be placed under itself or one of its sub-units." in response.content.decode()
    assert sorted(type(world.mersam).objects.values_list("pk", "path")) == before


def test_a_unit_moved_in_the_admin_takes_its_subtree_along(world, client):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:organizations_unit_change", args=[world.mersam.pk]), {
        "name": world.mersam.name, "short_name": "", "kind": world.mersam.kind, "agency_type": "",
        "parent": str(world.dukcapil.pk), "region": world.mersam.region_id, "verification": "verified",
        "source_url": "", "note": "", "time_zone": "", "expected_version": "1",
    })
    assert response.status_code == 302
    world.tapah_sari.refresh_from_db()
    assert world.tapah_sari.path == f"{world.dukcapil.path}{world.mersam.pk}/{world.tapah_sari.pk}/"
