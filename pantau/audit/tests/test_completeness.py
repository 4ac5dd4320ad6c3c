"""Audit completeness: each write path leaves exactly the expected audit rows (action code, object, actor)."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pantau.accounts import actions as account_actions
from pantau.accounts.models import Role
from pantau.audit.models import AuditEntry
from pantau.conftest import action_data, make_user
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


def rows_since(mark):
    """The audit rows written after ``mark`` as (action code, model name, actor username)."""
    return [
        (e.action, ContentType.objects.get_for_id(e.content_type_id).model if e.content_type_id else None,
         e.actor.username if e.actor else None)
        for e in AuditEntry.objects.filter(pk__gt=mark).order_by("pk")
    ]


def mark():
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


@pytest.fixture
def action(world):
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))


def test_create_update_cancel(world):
    m = mark()
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    wp.update_action(actor=world.coordinator, action=action, data={"title": "New title"})
    wp.cancel_action(actor=world.coordinator, action=action, reason="Merged")
    assert rows_since(m) == [
        ("create", "action", "coordinator"), ("update", "action", "coordinator"), ("cancel", "action", "coordinator"),
    ]


def test_report_accept_return(world, action):
    m = mark()
    first = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 2, 1),
                               actual_value=Decimal(3), narrative="n")
    wp.accept_report(actor=world.assistant, report=first)
    second = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                actual_value=Decimal(5), narrative="n")
    wp.return_report(actor=world.assistant, report=second, reason="No evidence")
    assert rows_since(m) == [
        ("progress.report", "progressreport", "officer"), ("progress.accept", "progressreport", "assistant"),
        ("progress.report", "progressreport", "officer"), ("progress.return", "progressreport", "assistant"),
    ]


def test_role_grant_and_revoke(world):
    newcomer = make_user("newcomer")
    m = mark()
    grant = account_actions.grant_role(actor=world.coordinator, user=newcomer, unit=world.dukcapil,
                                       role=Role.UNIT_OFFICER)
    account_actions.revoke_role(actor=world.coordinator, grant=grant)
    assert rows_since(m) == [
        ("role.grant", "rolegrant", "coordinator"), ("role.grant", "unit", "coordinator"),
        ("role.revoke", "rolegrant", "coordinator"), ("role.revoke", "unit", "coordinator"),
    ]




def test_logins(world):
    m = mark()
    client = Client()
    client.post("/accounts/login/", {"username": "officer", "password": "wrong-password-1"})
    client.post("/accounts/login/", {"username": "officer", "password": "correct-horse-battery-9"})
    assert rows_since(m) == [("auth.login_failed", None, None), ("auth.login", "user", "officer")]


def test_an_import_writes_one_row_per_action_and_one_for_the_import(world, action):
    client = Client()
    client.force_login(world.coordinator)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/work-plans/{world.plan.pk}/actions/export.xlsx").content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    row[header.index("Kode")] = "2"  # the export's headers are Indonesian (code)
    row[header.index("Apa yang Diubah")] = "A second action"  # (title)
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    m = mark()
    client.post(f"/work-plans/{world.plan.pk}/actions/import/",
                {"file": SimpleUploadedFile("plan.xlsx", buffer.getvalue())})
    assert rows_since(m) == [("create", "action", "coordinator"), ("import", "agreement", "coordinator")]
    assert Action.objects.count() == 2


def test_admin_changes_are_audited(world, action):
    client = Client()
    client.force_login(world.superuser)
    m = mark()
    client.post("/admin/meetings/meeting/add/", {
        "agreement": world.plan.pk, "kind": "coordination", "title": "Rapat koordinasi", "date": "2021-04-01",
        "place": "Ruang Pola", "mode": "online",
    })
    assert rows_since(m) == [("create", "meeting", "root")]


def test_one_request_groups_its_rows_and_the_next_request_gets_a_new_id(world):
    make_user("newcomer")
    make_user("second")
    client = Client()
    client.force_login(world.coordinator)
    m = mark()
    client.post(f"/units/{world.dukcapil.pk}/roles/", {"username": "newcomer", "role": Role.VIEWER})
    client.post(f"/units/{world.dukcapil.pk}/roles/", {"username": "second", "role": Role.VIEWER})
    entries = list(AuditEntry.objects.filter(pk__gt=m).order_by("pk"))
    assert len(entries) == 4  # two rows per grant: on the grant and on the unit
    first, second = {e.request_id for e in entries[:2]}, {e.request_id for e in entries[2:]}
    assert len(first) == 1 and len(second) == 1 and first != second
