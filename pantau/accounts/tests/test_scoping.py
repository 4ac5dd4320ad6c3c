"""Roles granted on a unit reach its subtree; Ombudsman office grants reach the office's province."""

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.agreements.models import Agreement
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_a_unit_officer_sees_its_unit_and_what_is_below_it(world):
    assert names(units_for(world.officer, Permission.VIEW)) == {
        "Dinas Kependudukan dan Pencatatan Sipil", "UPT Pelayanan Dukcapil Muara Tembesi"
    }


def test_a_district_officer_sees_its_villages(world):
    assert names(units_for(world.district_officer, Permission.VIEW)) == {
        "Kecamatan Mersam", "Pemerintah Desa Tapah Sari"
    }


def test_a_coordinator_holds_the_whole_government(world):
    assert has_unit_permission(world.coordinator, Permission.EDIT_ACTIONS, world.tapah_sari)
    assert not has_unit_permission(world.coordinator, Permission.EDIT_ACTIONS, world.other_regency)
    assert not has_unit_permission(world.coordinator, Permission.VERIFY_PROGRESS, world.dukcapil)


def test_an_ombudsman_admin_reaches_every_unit_in_the_offices_province(world):
    scope = names(units_for(world.ombudsman_admin, Permission.VIEW))
    assert {
        "Pemerintah Kabupaten Batanghari", "Pemerintah Kabupaten Muaro Jambi", "Kecamatan Mersam",
        "Dinas Kependudukan dan Pencatatan Sipil",  # no region of its own: in the province through its parent
    } <= scope


def test_an_assistant_sees_only_the_assigned_regency(world):
    assert has_unit_permission(world.assistant, Permission.VERIFY_PROGRESS, world.dukcapil)
    assert not has_unit_permission(world.outsider, Permission.VIEW, world.dukcapil)


def test_anonymous_users_and_users_without_grants_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert units_for(AnonymousUser(), Permission.VIEW).count() == 0
    nobody = django_user_model.objects.create_user("nobody", password="correct-horse-battery-9")
    assert units_for(nobody, Permission.VIEW).count() == 0


def test_action_and_agreement_lists_are_scoped(world):
    mine = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    theirs = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                              data=action_data(world.dpmptsp, code="2"))
    assert list(Action.objects.for_user(world.officer, Permission.VIEW)) == [mine]
    assert list(Action.objects.for_user(world.other_officer, Permission.VIEW)) == [theirs]
    assert list(Action.objects.for_user(world.outsider, Permission.VIEW)) == []
    # the agency officer sees the work plan that holds its actions, but not the MoU or the other regency's plan
    assert list(Agreement.objects.for_user(world.officer, Permission.VIEW)) == [world.plan]
    assert world.plan not in Agreement.objects.for_user(world.outsider, Permission.VIEW)
    assert world.other_plan in Agreement.objects.for_user(world.outsider, Permission.VIEW)
