"""Role grants in the UI: who may grant what, with an audit trail; denied attempts change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pantau.accounts import actions
from pantau.accounts.models import Role, RoleGrant
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import make_user


def test_a_coordinator_grants_a_unit_officer_below_its_government(world, client):
    newcomer = make_user("newcomer")
    client.force_login(world.coordinator)
    response = client.post(f"/units/{world.dukcapil.pk}/roles/", {"username": "newcomer", "role": Role.UNIT_OFFICER})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=newcomer)
    assert (grant.unit, grant.role, grant.granted_by) == (world.dukcapil, Role.UNIT_OFFICER, world.coordinator)
    assert AuditEntry.objects.filter(action=AuditAction.GRANT_ROLE, object_id=str(world.dukcapil.pk)).count() == 1


def test_a_coordinator_cannot_grant_ombudsman_roles(world):
    newcomer = make_user("newcomer")
    with pytest.raises(PermissionDenied):
        actions.grant_role(actor=world.coordinator, user=newcomer, unit=world.dukcapil, role=Role.OMBUDSMAN_ASSISTANT)
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_an_officer_cannot_grant_and_nothing_changes(world, client):
    make_user("newcomer")
    client.force_login(world.officer)
    before = (RoleGrant.objects.count(), AuditEntry.objects.count())
    response = client.post(f"/units/{world.dukcapil.pk}/roles/", {"username": "newcomer", "role": Role.VIEWER})
    assert response.status_code == 403
    assert (RoleGrant.objects.count(), AuditEntry.objects.count()) == before


def test_a_unit_outside_the_scope_is_not_found(world, client):
    client.force_login(world.officer)
    assert client.get(f"/units/{world.dpmptsp.pk}/").status_code == 404
    before = RoleGrant.objects.count()
    response = client.post(f"/units/{world.dpmptsp.pk}/roles/", {"username": "officer", "role": Role.VIEWER})
    assert response.status_code == 404
    assert RoleGrant.objects.count() == before


def test_the_ombudsman_admin_grants_an_assistant_and_revokes_it(world, client):
    newcomer = make_user("newcomer")
    client.force_login(world.ombudsman_admin)
    client.post(f"/units/{world.regency.pk}/roles/", {"username": "newcomer", "role": Role.OMBUDSMAN_ASSISTANT})
    grant = RoleGrant.objects.get(user=newcomer)
    page = client.get(f"/units/{world.regency.pk}/")
    assert "newcomer" in page.content.decode()
    client.post(f"/units/{world.regency.pk}/roles/{grant.pk}/revoke/")
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE_ROLE).count() == 2  # on the grant and on the unit


def test_unknown_user_or_role_gives_a_message_not_an_error(world, client):
    client.force_login(world.coordinator)
    before = RoleGrant.objects.count()
    response = client.post(f"/units/{world.dukcapil.pk}/roles/", {"username": "ghost", "role": "emperor"}, follow=True)
    assert response.status_code == 200
    assert RoleGrant.objects.count() == before


def test_typical_units_are_marked_on_their_page(world, client):
    world.dukcapil.verification = "typical"
    world.dukcapil.save()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(f"/units/{world.dukcapil.pk}/").content.decode()
    assert "existence not yet confirmed by a local source" in page


def test_ombudsman_staff_cannot_also_hold_government_roles(world):
    with pytest.raises(ValidationError):
        actions.grant_role(actor=world.coordinator, user=world.assistant, unit=world.regency, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        actions.grant_role(actor=world.superuser, user=world.officer, unit=world.regency,
                           role=Role.OMBUDSMAN_ASSISTANT)
    assert not RoleGrant.objects.filter(user=world.assistant, role=Role.COORDINATOR).exists()
    # a viewer role goes with either side
    actions.grant_role(actor=world.coordinator, user=world.assistant, unit=world.dukcapil, role=Role.VIEWER)
