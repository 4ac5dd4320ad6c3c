"""Audit entries are append-only and logins are recorded."""

import pytest
from django.test import Client

from pantau.audit.actions import record
from pantau.audit.models import AuditAction, AuditEntry


def test_entries_cannot_be_changed_or_deleted(world):
    entry = record(actor=world.coordinator, action=AuditAction.UPDATE, obj=world.plan, before={"a": 1}, after={"a": 2})
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_login_and_failed_login_are_recorded(world):
    client = Client()
    client.post("/accounts/login/", {"username": "officer", "password": "wrong-password-1"})
    client.post("/accounts/login/", {"username": "officer", "password": "correct-horse-battery-9"})
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, note="officer").count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=world.officer).count() == 1


def test_the_admin_cannot_edit_audit_entries(world):
    entry = record(actor=world.coordinator, action=AuditAction.UPDATE, obj=world.plan)
    client = Client()
    client.force_login(world.superuser)
    response = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    response = client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
