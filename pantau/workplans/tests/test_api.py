"""The actions, progress-report and work-plan endpoints of /api/v1/: scoping, the write path, errors, queries.

Expected progress values are computed by hand in the comments next to them.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, Evidence, ProgressReport, ReportStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACTIONS = "/api/v1/actions/"
REPORTS = "/api/v1/progress-reports/"


def client_for(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """``action_data`` as a JSON request body: units as ids, dates and decimals as strings."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if hasattr(value, "pk"):
            out[key] = value.pk
        elif isinstance(value, dt.date | Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def payload(world: Any, unit: Any = None, **overrides: Any) -> dict[str, Any]:
    body = as_json(action_data(unit or world.dukcapil, **overrides))
    body["work_plan"] = world.plan.pk
    return body


def make(world: Any, unit: Any = None, **overrides: Any) -> Action:
    """An action created through the write path by the regency coordinator."""
    return wp.create_action(
        actor=world.coordinator, work_plan=world.plan, data=action_data(unit or world.dukcapil, **overrides)
    )


def submit(world: Any, action: Action, actual: str, *, spent: int = 0) -> ProgressReport:
    return wp.report_progress(
        actor=world.officer if action.responsible_unit == world.dukcapil else world.other_officer,
        action=action, report_date=dt.date(2021, 3, 1), actual_value=Decimal(actual), narrative="progress",
        amount_spent=spent,
    )


# --- creating, changing and cancelling actions ------------------------------------------------------------------


def test_a_coordinator_creates_an_action_through_the_api_and_it_is_audited(world):
    response = client_for(world.coordinator).post(ACTIONS, payload(world, is_sample=True), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    action = Action.objects.get()
    assert body["id"] == action.pk
    assert body["work_plan"] == world.plan.pk
    assert body["responsible_unit"] == world.dukcapil.pk
    assert body["budget_planned"] == 15_000_000
    assert body["budget_realized"] == 0
    assert body["baseline"] == "0.00"
    assert body["target"] == "10.00"
    assert body["reported_progress"] == "0.00"
    assert body["verified_progress"] == "0.00"
    assert body["is_sample"] is True
    assert body["status"] == "overdue"  # due 2021-12-31 has passed with nothing reported
    assert body["status_label"] == "overdue"
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(action.pk))
    assert entry.actor == world.coordinator


def test_an_officer_of_another_agency_cannot_create_an_action_and_nothing_is_saved(world):
    entries_before = AuditEntry.objects.count()

    response = client_for(world.other_officer).post(ACTIONS, payload(world), format="json")

    assert response.status_code == 403
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == entries_before


def test_an_anonymous_client_can_neither_list_nor_create_actions(world):
    assert client_for().get(ACTIONS).status_code == 403
    assert client_for().post(ACTIONS, payload(world), format="json").status_code == 403
    assert Action.objects.count() == 0


def test_text_in_the_budget_is_a_400_naming_the_field(world):
    response = client_for(world.coordinator).post(ACTIONS, payload(world, budget_planned="lots"), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["budget_planned"]
    assert Action.objects.count() == 0


def test_missing_fields_are_a_400_naming_each_field(world):
    response = client_for(world.coordinator).post(ACTIONS, {"title": "Something"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {
        "work_plan", "code", "start_date", "due_date", "responsible_unit", "pic_position", "budget_source",
        "indicator_name", "indicator_unit", "baseline", "target",
    }
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "2021-02-30"),
        ("baseline", "NaN"),
        ("target", "1e400"),
        ("budget_planned", -5),
        ("budget_planned", 10**30),
        ("responsible_unit", "dukcapil"),
        ("responsible_unit", 10**30),
        ("weight", "0"),
        ("budget_source", "gold"),
        ("title", "nul\x00byte"),
    ],
)
def test_junk_in_a_field_is_a_400_naming_that_field(world, field, value):
    response = client_for(world.coordinator).post(ACTIONS, payload(world, **{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Action.objects.count() == 0


def test_domain_rules_of_the_write_path_come_back_as_400_keyed_by_field(world):
    client = client_for(world.coordinator)

    early = client.post(ACTIONS, payload(world, due_date="2020-12-31"), format="json")
    flat = client.post(ACTIONS, payload(world, target="0"), format="json")
    mou = client.post(ACTIONS, {**payload(world), "work_plan": world.mou.pk}, format="json")

    assert early.status_code == 400 and "due_date" in early.json()
    assert flat.status_code == 400 and "target" in flat.json()
    assert mou.status_code == 400 and "work_plan" in mou.json()
    assert Action.objects.count() == 0


def test_a_second_action_with_the_same_code_in_the_plan_is_a_400_not_a_crash(world):
    make(world)

    response = client_for(world.coordinator).post(ACTIONS, payload(world), format="json")

    assert response.status_code == 400
    assert response.json() == {"code": ["Another action of this work plan already has the code 1."]}
    assert Action.objects.count() == 1


def test_a_coordinator_changes_an_action_with_patch_and_it_is_audited(world):
    action = make(world)

    response = client_for(world.coordinator).patch(
        f"{ACTIONS}{action.pk}/", {"title": "Publish every standard", "budget_planned": 20_000_000}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Publish every standard"
    assert response.json()["budget_planned"] == 20_000_000
    action.refresh_from_db()
    assert action.budget_planned == 20_000_000
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(action.pk))
    assert entry.before["budget_planned"] == 15_000_000
    assert entry.after["budget_planned"] == 20_000_000


def test_an_officer_may_see_but_not_change_its_action(world):
    action = make(world)

    response = client_for(world.officer).patch(f"{ACTIONS}{action.pk}/", {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Publish the service standard of every service"
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_an_action_cannot_move_to_another_plan_nor_be_replaced_or_deleted(world):
    action = make(world)
    client = client_for(world.coordinator)

    moved = client.patch(f"{ACTIONS}{action.pk}/", {"work_plan": world.other_plan.pk}, format="json")
    put = client.put(f"{ACTIONS}{action.pk}/", payload(world), format="json")
    deleted = client.delete(f"{ACTIONS}{action.pk}/")

    assert moved.status_code == 400 and "work_plan" in moved.json()
    assert put.status_code == 405
    assert deleted.status_code == 405
    action.refresh_from_db()
    assert action.work_plan == world.plan


def test_an_action_cannot_be_placed_under_its_own_sub_action(world):
    parent = make(world, code="1")
    child = make(world, code="1.1", parent=parent)

    response = client_for(world.coordinator).patch(f"{ACTIONS}{parent.pk}/", {"parent": child.pk}, format="json")

    assert response.status_code == 400
    assert "parent" in response.json()
    parent.refresh_from_db()
    assert parent.parent is None


def test_cancelling_needs_a_reason_and_then_the_action_is_cancelled(world):
    action = make(world)
    client = client_for(world.coordinator)
    url = f"{ACTIONS}{action.pk}/cancel/"

    missing = client.post(url, {}, format="json")
    blank = client.post(url, {"reason": "   "}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert blank.status_code == 400 and "reason" in blank.json()
    action.refresh_from_db()
    assert action.cancelled_on is None

    done = client.post(url, {"reason": "Merged into action 2"}, format="json")
    again = client.post(url, {"reason": "Twice"}, format="json")

    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
    assert done.json()["cancel_reason"] == "Merged into action 2"
    assert again.status_code == 400
    assert AuditEntry.objects.filter(action=AuditAction.CANCEL).count() == 1


def test_an_officer_cannot_cancel_and_an_outsider_does_not_even_find_the_action(world):
    action = make(world)

    assert client_for(world.officer).post(f"{ACTIONS}{action.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert client_for(world.outsider).post(f"{ACTIONS}{action.pk}/cancel/", {"reason": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.cancelled_on is None


# --- reading actions --------------------------------------------------------------------------------------------


def codes_seen(user: Any, query: str = "") -> list[str]:
    response = client_for(user).get(ACTIONS + query)
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["results"]]


def test_the_action_list_is_scoped_to_what_each_user_may_view(world):
    make(world, world.dukcapil, code="1")
    make(world, world.dpmptsp, code="2")

    assert codes_seen(world.officer) == ["1"]
    assert codes_seen(world.other_officer) == ["2"]
    assert codes_seen(world.outsider) == []
    assert codes_seen(world.coordinator) == ["1", "2"]
    assert codes_seen(world.assistant) == ["1", "2"]
    assert codes_seen(world.ombudsman_admin) == ["1", "2"]


def test_the_action_list_filters_by_plan_unit_and_derived_status(world):
    make(world, world.dukcapil, code="1")
    dpmptsp = make(world, world.dpmptsp, code="2")
    wp.cancel_action(actor=world.coordinator, action=dpmptsp, reason="Merged")

    assert codes_seen(world.coordinator, f"?work_plan={world.plan.pk}") == ["1", "2"]
    assert codes_seen(world.coordinator, f"?work_plan={world.other_plan.pk}") == []
    assert codes_seen(world.coordinator, f"?responsible_unit={world.dpmptsp.pk}") == ["2"]
    assert codes_seen(world.coordinator, "?status=cancelled") == ["2"]
    assert codes_seen(world.coordinator, "?status=overdue") == ["1"]


@pytest.mark.parametrize(
    "query", ["?work_plan=abc", "?responsible_unit=1.5", "?status=finished", f"?work_plan={10**30}"]
)
def test_junk_filters_are_a_400_naming_the_parameter(world, query):
    response = client_for(world.coordinator).get(ACTIONS + query)

    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()


def test_an_action_the_user_may_not_view_is_not_found(world):
    dpmptsp = make(world, world.dpmptsp, code="2")

    assert client_for(world.officer).get(f"{ACTIONS}{dpmptsp.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"{ACTIONS}{dpmptsp.pk}/").status_code == 404
    assert client_for(world.other_officer).get(f"{ACTIONS}{dpmptsp.pk}/").status_code == 200


@pytest.mark.parametrize("junk", ["abc", "0", "99999", str(10**30), "1.5"])
def test_junk_action_ids_are_not_found(world, junk):
    assert client_for(world.coordinator).get(f"{ACTIONS}{junk}/").status_code == 404


def test_a_parent_action_shows_the_weighted_roll_up_of_its_sub_actions(world):
    parent = make(world, code="1")
    first = make(world, code="1.1", parent=parent, weight=Decimal("1"))
    second = make(world, code="1.2", parent=parent, weight=Decimal("3"))
    submit(world, first, "4")  # (4 - 0) / (10 - 0) = 40 %
    submit(world, second, "10")  # 100 %

    body = client_for(world.coordinator).get(f"{ACTIONS}{parent.pk}/").json()

    # (1 * 40 + 3 * 100) / (1 + 3) = 340 / 4 = 85 %
    assert body["reported_progress"] == "85.00"
    assert body["verified_progress"] == "0.00"
    assert body["children"] == [first.pk, second.pk]


def test_the_action_list_needs_the_same_number_of_queries_for_few_and_many_rows(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)

    def build(prefix: str, count: int) -> None:
        for i in range(count):
            parent = make(world, code=f"{prefix}{i}")
            child = make(world, code=f"{prefix}{i}.1", parent=parent)
            child.supporting_units.set([world.dpmptsp])

    build("A", 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(ACTIONS).status_code == 200
    build("B", 10)
    with django_assert_max_num_queries(8):
        response = client.get(ACTIONS)
    with CaptureQueriesContext(connection) as many:
        client.get(ACTIONS)

    assert response.json()["count"] == 24
    assert len(many) == len(few)


# --- progress reports -------------------------------------------------------------------------------------------


def test_a_report_with_evidence_then_its_acceptance_move_reported_then_verified_progress(world):
    action = make(world)
    evidence = SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf")

    created = client_for(world.officer).post(
        REPORTS,
        {"action": action.pk, "report_date": "2021-03-01", "actual_value": "4", "narrative": "4 standards published",
         "amount_spent": "2500000", "evidence": [evidence]},
        format="multipart",
    )

    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["status"] == "submitted"
    assert report["amount_spent"] == 2_500_000
    assert report["actual_value"] == "4.00"
    assert [e["name"] for e in report["evidence"]] == ["sk.pdf"]
    assert report["submitted_by"]["username"] == "officer"
    assert Evidence.objects.count() == 1
    read = client_for(world.officer).get(f"{ACTIONS}{action.pk}/").json()
    assert read["reported_progress"] == "40.00"  # (4 - 0) / (10 - 0) * 100
    assert read["verified_progress"] == "0.00"  # nothing accepted yet
    assert read["budget_realized"] == 0  # money counts once accepted

    accepted = client_for(world.assistant).post(f"{REPORTS}{report['id']}/accept/", {}, format="json")

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["reviewed_by"]["username"] == "assistant"
    read = client_for(world.officer).get(f"{ACTIONS}{action.pk}/").json()
    assert read["verified_progress"] == "40.00"
    assert read["budget_realized"] == 2_500_000
    assert AuditEntry.objects.filter(action=AuditAction.ACCEPT_PROGRESS).count() == 1


def test_returning_a_report_needs_a_reason_and_without_one_nothing_changes(world):
    action = make(world)
    report = submit(world, action, "4")
    client = client_for(world.assistant)

    missing = client.post(f"{REPORTS}{report.pk}/return/", {}, format="json")
    blank = client.post(f"{REPORTS}{report.pk}/return/", {"reason": " "}, format="json")

    assert missing.status_code == 400 and "reason" in missing.json()
    assert blank.status_code == 400 and "reason" in blank.json()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action=AuditAction.RETURN_PROGRESS).exists()
    assert client.get(f"{ACTIONS}{action.pk}/").json()["reported_progress"] == "40.00"

    returned = client.post(f"{REPORTS}{report.pk}/return/", {"reason": "The SK is not signed"}, format="json")

    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_reason"] == "The SK is not signed"
    assert client.get(f"{ACTIONS}{action.pk}/").json()["reported_progress"] == "0.00"  # returned: no longer counts


def test_only_the_ombudsman_verifies_and_only_once(world):
    report = submit(world, make(world), "4")

    by_officer = client_for(world.officer).post(f"{REPORTS}{report.pk}/accept/", {}, format="json")
    by_coordinator = client_for(world.coordinator).post(f"{REPORTS}{report.pk}/accept/", {}, format="json")
    by_outsider = client_for(world.outsider).post(f"{REPORTS}{report.pk}/accept/", {}, format="json")
    first = client_for(world.assistant).post(f"{REPORTS}{report.pk}/accept/", {}, format="json")
    second = client_for(world.assistant).post(f"{REPORTS}{report.pk}/return/", {"reason": "late"}, format="json")

    assert by_officer.status_code == 403
    assert by_coordinator.status_code == 403
    assert by_outsider.status_code == 404
    assert first.status_code == 200
    assert second.status_code == 400 and "status" in second.json()


def test_a_viewer_cannot_report_and_an_invisible_action_is_an_invalid_choice(world):
    action = make(world)
    dpmptsp = make(world, world.dpmptsp, code="2")
    body = {"report_date": "2021-03-01", "actual_value": "4", "narrative": "done"}

    by_viewer = client_for(world.viewer).post(REPORTS, {**body, "action": action.pk}, format="json")
    elsewhere = client_for(world.officer).post(REPORTS, {**body, "action": dpmptsp.pk}, format="json")

    assert by_viewer.status_code == 403
    assert elsewhere.status_code == 400 and "action" in elsewhere.json()
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("actual_value", "four"), ("report_date", "yesterday"), ("amount_spent", "-1"), ("amount_spent", "1.5")],
)
def test_junk_in_a_report_is_a_400_naming_the_field(world, field, value):
    action = make(world)
    body = {"action": action.pk, "report_date": "2021-03-01", "actual_value": "4", "narrative": "done", field: value}

    response = client_for(world.officer).post(REPORTS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert ProgressReport.objects.count() == 0


def test_a_report_dated_in_the_future_or_with_a_disguised_file_is_refused(world):
    action = make(world)
    client = client_for(world.officer)
    body = {"action": action.pk, "actual_value": "4", "narrative": "done"}
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    fake = SimpleUploadedFile("sk.pdf", b"MZ not a pdf", content_type="application/pdf")

    future = client.post(REPORTS, {**body, "report_date": tomorrow}, format="json")
    disguised = client.post(REPORTS, {**body, "report_date": "2021-03-01", "evidence": [fake]}, format="multipart")

    assert future.status_code == 400 and "report_date" in future.json()
    assert disguised.status_code == 400 and "evidence" in disguised.json()
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_reports_are_listed_only_for_actions_the_user_may_view(world):
    mine = submit(world, make(world), "4")
    theirs = submit(world, make(world, world.dpmptsp, code="2"), "1")

    def ids(user: Any) -> list[int]:
        return [row["id"] for row in client_for(user).get(REPORTS).json()["results"]]

    assert ids(world.officer) == [mine.pk]
    assert ids(world.other_officer) == [theirs.pk]
    assert ids(world.outsider) == []
    assert sorted(ids(world.assistant)) == sorted([mine.pk, theirs.pk])
    assert client_for(world.officer).get(f"{REPORTS}{theirs.pk}/").status_code == 404
    assert client_for(world.officer).get(f"{REPORTS}?status=accepted").json()["count"] == 0
    assert client_for(world.officer).get(f"{REPORTS}?action=x").status_code == 400


# --- work plans -------------------------------------------------------------------------------------------------


def test_a_work_plan_summarises_reported_and_verified_progress_and_counts_by_status(world):
    dukcapil = make(world, world.dukcapil, code="1", weight=Decimal("1"))
    # a falling indicator: days to issue a permit, 30 -> 14
    dpmptsp = make(world, world.dpmptsp, code="2", weight=Decimal("3"), baseline=Decimal("30"),
                   target=Decimal("14"))
    dropped = make(world, world.dukcapil, code="3", is_sample=True, weight=Decimal("1"))
    wp.cancel_action(actor=world.coordinator, action=dropped, reason="Merged into 1")
    wp.accept_report(actor=world.assistant, report=submit(world, dukcapil, "4"))  # 40 %, accepted
    submit(world, dpmptsp, "22")  # (22 - 30) / (14 - 30) = 50 %, not yet accepted

    response = client_for(world.coordinator).get(f"/api/v1/work-plans/{world.plan.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "work_plan"
    assert body["parent"] == world.mou.pk
    summary = body["progress_summary"]
    assert summary["actions"] == 3
    # the cancelled action leaves the roll-up: (1 * 40 + 3 * 50) / 4 = 190 / 4 = 47.5 %
    assert summary["reported_progress"] == "47.50"
    # only the Dukcapil report is accepted: (1 * 40 + 3 * 0) / 4 = 10 %
    assert summary["verified_progress"] == "10.00"
    assert summary["by_status"] == {
        "not_started": 0, "on_track": 0, "at_risk": 0, "overdue": 2, "done": 0, "verified": 0, "cancelled": 1,
    }
    assert summary["sample_actions"] == 1
    # both live top-level actions reported
    assert (summary["top_level"], summary["top_level_reported"]) == (2, 2)


def test_work_plans_are_scoped_and_list_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(6):
        parent = make(world, code=str(i))
        make(world, code=f"{i}.1", parent=parent)
    client = client_for(world.ombudsman_admin)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/work-plans/")

    titles = [row["title"] for row in response.json()["results"]]
    assert sorted(titles) == ["Rencana Kerja Muaro Jambi", "Rencana Kerja Pelayanan Publik 2020"]
    assert [row["title"] for row in client_for(world.outsider).get("/api/v1/work-plans/").json()["results"]] == [
        "Rencana Kerja Muaro Jambi"
    ]
    assert client_for(world.outsider).get(f"/api/v1/work-plans/{world.plan.pk}/").status_code == 404
    assert client_for(world.coordinator).get(f"/api/v1/work-plans/{world.mou.pk}/").status_code == 404


def test_the_work_plan_summary_counts_only_what_the_user_may_see(world):
    make(world, code="1")  # Dukcapil's
    wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dpmptsp, code="2"))
    coordinator_view = client_for(world.coordinator).get(f"/api/v1/work-plans/{world.plan.pk}/").json()
    officer_view = client_for(world.officer).get(f"/api/v1/work-plans/{world.plan.pk}/").json()
    assert coordinator_view["progress_summary"]["actions"] == 2
    assert officer_view["progress_summary"]["actions"] == 1  # DPMPTSP's action is not part of the officer's view
