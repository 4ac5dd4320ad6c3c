"""The audit trail misses nothing (issue 10): user flags and role grants changed in the admin, rows deleted in admin
inlines and many-to-many changes are recorded with before and after; on PostgreSQL the audit table itself refuses
UPDATE and DELETE."""


import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from pantau.accounts.models import Role, RoleGrant, User
from pantau.agreements.models import Signatory
from pantau.audit.actions import record
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data, make_user
from pantau.workplans import actions as wp


def user_form(user: User, *, grants: list[dict[str, str]] = (), **flags: bool) -> dict[str, str]:
    """The admin's change form of ``user`` with its role-grant inline rows (``{id, unit, role, DELETE}``)."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "00:00:00",
        "last_login_0": "", "last_login_1": "", "position": user.position,
        "role_grants-TOTAL_FORMS": str(len(grants)),
        "role_grants-INITIAL_FORMS": str(sum(1 for g in grants if g.get("id"))),
        "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
    }
    for name in ("is_active", "is_staff", "is_superuser"):
        if flags.get(name, getattr(user, name)):
            data[name] = "on"
    for index, grant in enumerate(grants):
        for key, value in grant.items():
            data[f"role_grants-{index}-{key}"] = value
        data[f"role_grants-{index}-user"] = str(user.pk)
    return data


def test_a_staff_flag_set_in_the_admin_is_recorded_before_and_after(world, client):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:accounts_user_change", args=[world.viewer.pk]),
                           user_form(world.viewer, grants=_grants(world.viewer), is_staff=True))
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, content_type__model="user",
                                   object_id=str(world.viewer.pk))
    assert (entry.before["is_staff"], entry.after["is_staff"]) == (False, True)
    assert entry.before["password"] == entry.after["password"] == "(set)"  # never the hash
    assert entry.actor == world.superuser


def test_only_a_superuser_makes_someone_superuser_and_a_refusal_changes_nothing(world, client):
    manager = make_user("user_manager", is_staff=True)
    manager.user_permissions.add(*DjangoPermission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(manager)
    response = client.post(reverse("admin:accounts_user_change", args=[world.viewer.pk]),
                           user_form(world.viewer, grants=_grants(world.viewer), is_superuser=True))
    assert response.status_code == 200
    assert "Only a superuser may change who is staff or superuser." in response.content.decode()
    assert User.objects.get(pk=world.viewer.pk).is_superuser is False
    assert not AuditEntry.objects.filter(content_type__model="user", action=AuditAction.UPDATE).exists()


def _grants(user: User) -> list[dict[str, str]]:
    return [{"id": str(g.pk), "unit": str(g.unit_id), "role": g.role} for g in RoleGrant.objects.filter(user=user)]


def test_grants_added_and_deleted_in_the_users_inline_go_through_the_write_path(world, client):
    client.force_login(world.superuser)
    url = reverse("admin:accounts_user_change", args=[world.viewer.pk])
    grants = [*_grants(world.viewer), {"unit": str(world.mersam.pk), "role": Role.VIEWER}]
    assert client.post(url, user_form(world.viewer, grants=grants)).status_code == 302
    new = RoleGrant.objects.get(user=world.viewer, unit=world.mersam)
    assert new.granted_by == world.superuser
    granted = AuditEntry.objects.get(action=AuditAction.GRANT_ROLE, content_type__model="rolegrant")
    assert granted.after["unit_id"] == world.mersam.pk

    grants = [*_grants(world.viewer)]
    grants[-1]["DELETE"] = "on"
    assert client.post(url, user_form(world.viewer, grants=grants)).status_code == 302
    assert not RoleGrant.objects.filter(pk=new.pk).exists()
    revoked = AuditEntry.objects.get(action=AuditAction.REVOKE_ROLE, content_type__model="rolegrant")
    assert (revoked.before["id"], revoked.before["role"]) == (new.pk, Role.VIEWER)


def test_a_grant_that_mixes_ombudsman_and_government_roles_is_refused_in_the_admin(world, client):
    client.force_login(world.superuser)
    before = _grants(world.coordinator)
    response = client.post(reverse("admin:accounts_rolegrant_add"), {
        "user": str(world.coordinator.pk), "unit": str(world.regency.pk), "role": Role.OMBUDSMAN_ASSISTANT,
    })
    assert response.status_code == 200
    assert "the Ombudsman verifies what the government reports" in response.content.decode()
    assert _grants(world.coordinator) == before


def test_a_signatory_deleted_in_an_agreement_inline_is_recorded(world, client):
    signatory = Signatory.objects.create(agreement=world.plan, unit=world.regency, position="Bupati",
                                         capacity="signed")
    client.force_login(world.superuser)
    plan = world.plan
    response = client.post(reverse("admin:agreements_agreement_change", args=[plan.pk]), {
        "kind": plan.kind, "title": plan.title, "number": plan.number, "parent": str(plan.parent_id),
        "ombudsman_office": str(plan.ombudsman_office_id), "government": str(plan.government_id),
        "is_signed": "on", "signed_on": plan.signed_on.isoformat(), "signed_place": plan.signed_place,
        "period_start": "", "period_end": "", "terminated_on": "", "summary": "", "source_url": "",
        "expected_version": "1",
        "signatories-TOTAL_FORMS": "1", "signatories-INITIAL_FORMS": "1", "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "1000", "signatories-0-id": str(signatory.pk),
        "signatories-0-agreement": str(plan.pk), "signatories-0-unit": str(world.regency.pk),
        "signatories-0-position": "Bupati", "signatories-0-capacity": "signed", "signatories-0-DELETE": "on",
        **{f"{prefix}-{key}": "0" for prefix in ("versions", "documents")
           for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")},
        "versions-MAX_NUM_FORMS": "1000", "documents-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert not Signatory.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, content_type__model="signatory")
    assert (entry.before["position"], entry.after, entry.note) == ("Bupati", None, "admin inline")


def test_supporting_units_changes_are_recorded_before_and_after_and_shown_by_name(world, client):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil),
                              supporting_units=[world.dpmptsp])
    created = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(action.pk))
    assert created.after["supporting_units"] == [world.dpmptsp.pk]
    wp.update_action(actor=world.coordinator, action=action, data={}, supporting_units=[world.mersam, world.dpmptsp])
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(action.pk))
    assert entry.before["supporting_units"] == [world.dpmptsp.pk]
    assert entry.after["supporting_units"] == sorted([world.dpmptsp.pk, world.mersam.pk])
    client.force_login(world.coordinator)
    timeline = client.get(reverse("workplans:action_detail", args=[action.pk])).context["timeline"]
    [change] = [c for item in timeline for c in item["changes"] if c[0] == "supporting units"]
    assert change[1] == "Dinas Penanaman Modal dan PTSP"
    assert set(change[2].split("; ")) == {"Dinas Penanaman Modal dan PTSP", "Kecamatan Mersam"}


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the refusing trigger exists on PostgreSQL only (audit migration 0003); SQLite keeps the "
                           "model-level refusal, tested in test_audit.py")
def test_on_postgresql_the_audit_table_refuses_update_and_delete_itself(world):
    entry = record(actor=world.coordinator, action=AuditAction.UPDATE, obj=world.dukcapil, note="kept")
    for sql in ("UPDATE audit_auditentry SET note = 'rewritten' WHERE id = %s",
                "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "kept"
    # deleting the actor still works: Django sets actor to NULL, which the trigger allows; the name stays
    world.coordinator.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_id, stored.actor_label) == (None, "coordinator")


def test_a_user_can_still_be_deleted_in_the_admin_and_it_is_recorded(world, client):
    leaving = make_user("leaving", Role.VIEWER, world.regency)
    client.force_login(world.superuser)
    response = client.post(reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, content_type__model="user").get().before[
        "username"] == "leaving"
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE_ROLE).count() == 1
