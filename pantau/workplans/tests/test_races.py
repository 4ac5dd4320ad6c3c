"""Two people on the same action: a stale form gets the conflict page (409), a stale If-Match gets 412, and
nothing is overwritten silently (issue 10). Saves racing in real threads end in exactly one outcome.

The thread tests run on both databases CI uses: PostgreSQL (row locks) and SQLite (a file database: WAL, a busy
timeout and IMMEDIATE transactions queue the writers; pantau/settings.py). They need real transactions
(``transaction=True``), so each builds its own small world.
"""

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.accounts import actions as accounts
from pantau.accounts.models import Role, RoleGrant
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data, make_user
from pantau.core.concurrency import StaleVersion
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, ProgressReport, ReportStatus


def make(world: Any, **overrides: Any) -> Action:
    """An action of Dukcapil with target 100 (baseline 0), created by the coordinator."""
    data = action_data(world.dukcapil, target=Decimal("100"), **overrides)
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=data)


def edit_data(action: Action, version: int, **overrides: Any) -> dict[str, str]:
    """The edit form as a person submits it after opening it at ``version``."""
    data = {
        "code": action.code, "title": action.title, "description": action.description, "finding": action.finding,
        "parent": str(action.parent_id or ""), "start_date": action.start_date.isoformat(),
        "due_date": action.due_date.isoformat(), "responsible_unit": str(action.responsible_unit_id),
        "pic_position": action.pic_position, "budget_planned": str(action.budget_planned),
        "budget_source": action.budget_source, "fiscal_year": str(action.fiscal_year or ""),
        "indicator_name": action.indicator_name, "indicator_unit": action.indicator_unit,
        "baseline": str(action.baseline), "target": str(action.target), "weight": "", "version": str(version),
    }
    data.update(overrides)
    return data


# --- two browsers ---------------------------------------------------------------------------------------------


def test_a_stale_form_gets_the_conflict_page_with_both_values_and_keeps_the_later_input(world, client):
    action = make(world)
    url = reverse("workplans:action_edit", args=[action.pk])
    first, second = client, type(client)()
    first.force_login(world.coordinator)
    second.force_login(world.ombudsman_admin)
    # both open the form at version 1
    assert first.get(url).context["form"]["version"].value() == 1
    assert second.get(url).context["form"]["version"].value() == 1
    # the coordinator raises the target to 90 and saves
    assert first.post(url, edit_data(action, 1, target="90")).status_code == 302

    # the admin's form still says version 1: it asks for 80 and is refused, 409, nothing overwritten
    response = second.post(url, edit_data(action, 1, target="80"))

    assert response.status_code == 409
    stored = Action.objects.get(pk=action.pk)
    assert (stored.target, stored.version) == (Decimal("90.00"), 2)
    conflict = response.context["conflict"]
    assert [(r.label, r.stored, r.yours) for r in conflict.rows if r.differs] == [("Target", "90", "80")]
    assert conflict.entry.actor_label == "coordinator"
    html = response.content.decode()
    assert "Someone else saved this record after you opened it" in html
    # the admin's input is kept in the form, which now carries the stored version
    assert response.context["form"]["target"].value() == "80"
    assert response.context["form"]["version"].value() == "2"
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).count() == 1

    # having seen the other change, the admin saves again on purpose: now it is applied, and audited
    again = second.post(url, edit_data(action, 2, target="80"))
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.target, stored.version) == (Decimal("80.00"), 3)
    entries = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).order_by("id")
    assert [(e.before["target"], e.after["target"]) for e in entries] == [("100.00", "90.00"), ("90.00", "80.00")]


def test_a_stale_cancel_form_is_refused(world, client):
    action = make(world)
    wp.update_action(actor=world.coordinator, action=Action.objects.get(pk=action.pk), data={"title": "New"})
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_cancel", args=[action.pk]),
                           {"cancel_reason": "Merged", "version": "1"})
    assert response.status_code == 200  # the form again, with the reason
    assert "Someone else saved this record" in response.content.decode()
    assert Action.objects.get(pk=action.pk).cancelled_on is None


# --- two API clients ----------------------------------------------------------------------------------------------


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_sends_the_version_as_etag_and_refuses_a_stale_if_match_with_412(world):
    action = make(world)
    url = f"/api/v1/actions/{action.pk}/"
    coordinator, admin = api(world.coordinator), api(world.ombudsman_admin)
    read_by_coordinator = coordinator.get(url)
    read_by_admin = admin.get(url)
    assert read_by_coordinator["ETag"] == read_by_admin["ETag"] == '"1"'
    assert read_by_admin.json()["version"] == 1

    saved = coordinator.patch(url, {"target": "90"}, format="json", HTTP_IF_MATCH=read_by_coordinator["ETag"])
    assert saved.status_code == 200 and saved["ETag"] == '"2"'

    stale = admin.patch(url, {"target": "80"}, format="json", HTTP_IF_MATCH=read_by_admin["ETag"])

    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    stored = Action.objects.get(pk=action.pk)
    assert (stored.target, stored.version) == (Decimal("90.00"), 2)
    # the admin reads again and re-applies its change with the new tag
    fresh = admin.get(url)
    assert admin.patch(url, {"target": "80"}, format="json", HTTP_IF_MATCH=fresh["ETag"]).status_code == 200
    assert Action.objects.get(pk=action.pk).target == Decimal("80.00")


def test_a_patch_without_if_match_is_applied_and_moves_the_version_on(world):
    # documented choice (core.api): a client that read no version writes on purpose
    action = make(world)
    response = api(world.coordinator).patch(f"/api/v1/actions/{action.pk}/", {"title": "Blind"}, format="json")
    assert response.status_code == 200 and response["ETag"] == '"2"'


def test_a_stale_if_match_on_cancel_is_412_and_nothing_is_cancelled(world):
    action = make(world)
    api(world.coordinator).patch(f"/api/v1/actions/{action.pk}/", {"title": "Changed"}, format="json")
    response = api(world.ombudsman_admin).post(f"/api/v1/actions/{action.pk}/cancel/", {"reason": "Dropped"},
                                               format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert Action.objects.get(pk=action.pk).cancelled_on is None


def test_a_junk_if_match_never_matches(world):
    action = make(world)
    response = api(world.coordinator).patch(f"/api/v1/actions/{action.pk}/", {"title": "x"}, format="json",
                                            HTTP_IF_MATCH="yesterday")
    assert response.status_code == 412
    assert Action.objects.get(pk=action.pk).title != "x"


# --- real threads ---------------------------------------------------------------------------------------------


def race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run ``jobs`` in threads released together; each result is the return value or the exception raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def live_world(transactional_db: Any, world: Any) -> Any:
    """The personas in a database whose transactions really commit (threads see each other's writes)."""
    return world


def test_two_saves_of_the_same_version_in_threads_end_in_one_winner(live_world):
    world = live_world
    action = make(world)

    def save(target: str) -> Callable[[], Any]:
        return lambda: wp.update_action(actor=world.coordinator, action=Action.objects.get(pk=action.pk),
                                        data={"target": Decimal(target)}, expected_version=1)

    outcomes = race(save("90"), save("80"))

    winners = [o for o in outcomes if isinstance(o, Action)]
    losers = [o for o in outcomes if isinstance(o, StaleVersion)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    stored = Action.objects.get(pk=action.pk)
    assert stored.version == 2
    assert stored.target == winners[0].target
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_accept_and_return_of_one_report_at_the_same_moment_end_in_one_outcome(live_world, attempt):
    world = live_world
    action = make(world, code=f"R{attempt}")
    report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                actual_value=Decimal("40"), narrative="Four of ten")

    def accept() -> Any:
        return wp.accept_report(actor=world.assistant, report=ProgressReport.objects.get(pk=report.pk),
                                note="Bukti sesuai")

    def give_back() -> Any:
        return wp.return_report(actor=world.ombudsman_admin, report=ProgressReport.objects.get(pk=report.pk),
                                reason="Bukti tidak terbaca")

    outcomes = race(accept, give_back)

    applied = [o for o in outcomes if isinstance(o, ProgressReport)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(applied), len(refused)) == (1, 1), outcomes
    assert refused[0].message_dict == {"status": ["This report has already been reviewed."]}
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.status == applied[0].status
    reviews = AuditEntry.objects.filter(object_id=str(report.pk),
                                        action__in=[AuditAction.ACCEPT_PROGRESS, AuditAction.RETURN_PROGRESS])
    assert reviews.count() == 1
    action.refresh_from_db()
    # the action's actuals follow the one outcome: accepted -> 40 verified; returned -> nothing counts
    expected = (Decimal("40.00"), Decimal("40.00")) if stored.status == ReportStatus.ACCEPTED else (None, None)
    assert (action.actual_reported, action.actual_verified) == expected


def test_two_creations_with_the_same_code_give_one_action_and_one_error_naming_the_code(live_world):
    world = live_world

    def create() -> Any:
        return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                                data=action_data(world.dukcapil, code="7"))

    outcomes = race(create, create)

    assert sum(isinstance(o, Action) for o in outcomes) == 1, outcomes
    [error] = [o for o in outcomes if isinstance(o, ValidationError)]
    assert error.message_dict == {"code": ["Another action of this work plan already has the code 7."]}
    assert Action.objects.filter(code="7").count() == 1


def test_two_identical_role_grants_at_once_give_one_grant_and_one_clear_refusal(live_world):
    world = live_world
    newcomer = make_user("newcomer")

    def grant() -> Any:
        return accounts.grant_role(actor=world.coordinator, user=newcomer, unit=world.dukcapil,
                                   role=Role.UNIT_OFFICER)

    outcomes = race(grant, grant)

    assert sum(isinstance(o, RoleGrant) for o in outcomes) == 1, outcomes
    [error] = [o for o in outcomes if isinstance(o, ValidationError)]
    assert error.message_dict == {"role": ["This user already holds this role on this unit."]}
    assert RoleGrant.objects.filter(user=newcomer).count() == 1


def test_a_code_taken_between_the_check_and_the_insert_is_a_400_naming_the_code(world, monkeypatch):
    """The window a concurrent request opens on PostgreSQL (both pass the check, one insert fails) made
    deterministic: the other request's row appears right after the check; the database's unique constraint
    refuses the insert and the write path answers with the code, never a database error."""
    original = Action.full_clean

    def other_request_inserts_first(self: Action, *args: Any, **kwargs: Any) -> None:
        if self.pk is None and not Action.objects.filter(code=self.code).exists():
            Action.objects.create(**{**action_data(world.dpmptsp, code=self.code), "work_plan": world.plan})
        original(self, *args, **{**kwargs, "validate_unique": False, "validate_constraints": False})

    monkeypatch.setattr(Action, "full_clean", other_request_inserts_first)
    response = api(world.coordinator).post("/api/v1/actions/", {
        **{k: str(v) for k, v in action_data(world.dukcapil, code="8").items() if v is not None},
        "responsible_unit": world.dukcapil.pk, "work_plan": world.plan.pk,
    }, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"code": ["Another action of this work plan already has the code 8."]}
    # the refused request wrote nothing (the simulated competitor lived in its transaction, so it went too)
    assert not Action.objects.filter(code="8").exists()
