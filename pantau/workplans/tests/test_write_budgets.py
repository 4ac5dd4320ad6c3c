"""Query budgets of the write paths (issue 11, item 4): creating an action and reporting progress each cost at most
8 queries, counted with ``CaptureQueriesContext`` without the savepoint and its release (in a request the write
path's atomic block is the outermost transaction, whose BEGIN and COMMIT Django does not log; in a test it nests in
the test's transaction and becomes a savepoint), with the same checks, version and audit entry as before. The
objects are loaded as the pages load them (``views.visible_plan_or_404`` and ``visible_action_or_404``). Creating
is measured with a cold grant cache (the grants are read inside the call); reporting inside a request's grant
cache, which the page's own lookup of the action filled (``GrantCacheMiddleware``). The row lock (``SELECT ... FOR
UPDATE``) is one statement on PostgreSQL that SQLite does not need; the stored roll-up of the action's tree is read
once after the report. The content type of the audit entry is warmed first, as it is after a process's first write
(Django caches it per process).

Measured before this change (same scenarios, commit 05eb1ea, SQLite): 23 queries for a main action, 28 for a
sub-action with two supporting units, 15 for a progress report without files, 16 with one file.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pantau.accounts.scoping import grant_cache
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, Evidence, ProgressReport, ReportStatus
from pantau.workplans.views import visible_action_or_404, visible_plan_or_404

BUDGET = 8


def statements(queries: CaptureQueriesContext) -> int:
    """The statements of a write path without transaction control (SAVEPOINT, RELEASE SAVEPOINT)."""
    return sum(1 for q in queries.captured_queries if "SAVEPOINT" not in q["sql"])
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _warm_content_types(db):
    for model in (Action, ProgressReport):
        ContentType.objects.get_for_model(model)


def fresh(user):
    """The user as a new request sees it (no grants cached on it)."""
    return type(user).objects.get(pk=user.pk)


def test_creating_a_main_action_costs_at_most_eight_queries(world):
    user = fresh(world.coordinator)
    plan = visible_plan_or_404(user, world.plan.pk)
    data = action_data(type(world.dukcapil).objects.get(pk=world.dukcapil.pk), code="1")
    with CaptureQueriesContext(connection) as queries:
        action = wp.create_action(actor=user, work_plan=plan, data=data)
    assert statements(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    stored = Action.objects.get(pk=action.pk)
    assert (stored.code, stored.version, stored.province_code, stored.responsible_unit_id) == (
        "1", 1, "15", world.dukcapil.pk)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(action.pk))
    assert entry.actor_label == "coordinator"
    assert entry.after["code"] == "1" and entry.after["supporting_units"] == []
    assert entry.after["budget_planned"] == 15_000_000


def test_creating_a_sub_action_with_supporting_units_costs_at_most_eight_queries(world):
    parent = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="1"))
    user = fresh(world.coordinator)
    plan = visible_plan_or_404(user, world.plan.pk)
    data = action_data(world.dukcapil, code="1.1", parent=Action.objects.get(pk=parent.pk))
    supporting = list(type(world.dpmptsp).objects.filter(pk__in=[world.dpmptsp.pk, world.mersam.pk]))
    with CaptureQueriesContext(connection) as queries:
        action = wp.create_action(actor=user, work_plan=plan, data=data, supporting_units=supporting)
    assert statements(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert sorted(action.supporting_units.values_list("pk", flat=True)) == sorted([world.dpmptsp.pk, world.mersam.pk])
    assert Action.objects.get(pk=action.pk).parent_id == parent.pk
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(action.pk))
    assert entry.after["supporting_units"] == sorted([world.dpmptsp.pk, world.mersam.pk])
    assert entry.after["parent_id"] == parent.pk


def test_the_cheaper_create_still_refuses_what_it_refused(world):
    parent = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="1"))
    wp.report_progress(actor=world.officer, action=parent, report_date=dt.date(2021, 2, 1),
                       actual_value=Decimal("1"), narrative="x")
    count = Action.objects.count(), AuditEntry.objects.count()
    with pytest.raises(wp.ValidationError) as exc:  # the parent has a report
        wp.create_action(actor=world.coordinator, work_plan=world.plan,
                         data=action_data(world.dukcapil, code="1.1", parent=Action.objects.get(pk=parent.pk)))
    assert "parent" in exc.value.message_dict
    with pytest.raises(wp.ValidationError) as exc:  # the code is taken
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="1"))
    assert exc.value.message_dict["code"] == ["Another action of this work plan already has the code 1."]
    with pytest.raises(PermissionDenied):  # a unit officer of DPMPTSP may not edit Dukcapil's actions
        wp.create_action(actor=world.other_officer, work_plan=world.plan, data=action_data(world.dukcapil, code="9"))
    with pytest.raises(wp.ValidationError) as exc:  # a supporting unit outside the government
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="8"),
                         supporting_units=[world.other_regency])
    assert "supporting_units" in exc.value.message_dict
    assert (Action.objects.count(), AuditEntry.objects.count()) == count


def test_the_sibling_weight_check_still_names_the_action(world):
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dukcapil, code="1", weight=Decimal("2")))
    with pytest.raises(wp.ValidationError) as exc:
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="2"))
    assert exc.value.message_dict["weight"] == [
        "Give action 2 a weight: its sibling actions 1 have weights, and sibling weights are set on all siblings "
        "or on none."]
    assert not Action.objects.filter(code="2").exists()


@pytest.mark.parametrize("files", [0, 1])
def test_reporting_progress_costs_at_most_eight_queries(world, files, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    created = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    wp.report_progress(actor=world.officer, action=created, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("6"), narrative="first")
    user = fresh(world.officer)
    uploads = [SimpleUploadedFile("SK.pdf", PDF) for _ in range(files)]
    with grant_cache():  # a request (GrantCacheMiddleware): the page read the user's grants to find the action
        action = visible_action_or_404(user, created.pk)
        with CaptureQueriesContext(connection) as queries:
            report = wp.report_progress(actor=user, action=action, report_date=dt.date(2021, 2, 1),
                                        actual_value=Decimal("4"), narrative="earlier", files=uploads)
    assert statements(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert report.status == ReportStatus.SUBMITTED
    # The report dated 1 February is older than the one of 1 March: the reported actual stays 6.
    stored = Action.objects.get(pk=created.pk)
    assert (stored.actual_reported, stored.actual_verified, stored.budget_realized) == (Decimal("6"), None, 0)
    assert action.actual_reported == Decimal("6")
    assert Evidence.objects.filter(report=report).count() == files
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_PROGRESS, object_id=str(report.pk))
    assert entry.note == f"{files} evidence file(s)"


def test_a_later_report_becomes_the_reported_actual(world):
    created = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    wp.report_progress(actor=world.officer, action=created, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("6"), narrative="first")
    action = visible_action_or_404(world.officer, created.pk)
    wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("7"), narrative="same day, entered later")
    assert Action.objects.get(pk=created.pk).actual_reported == Decimal("7")
    assert action.actual_reported == Decimal("7")


def test_the_cheaper_report_still_refuses_what_it_refused(world):
    parent = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="1"))
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dukcapil, code="1.1", parent=parent))
    count = ProgressReport.objects.count(), AuditEntry.objects.count()
    with pytest.raises(wp.ValidationError) as exc:  # a parent of sub-actions
        wp.report_progress(actor=world.officer, action=Action.objects.get(pk=parent.pk),
                           report_date=dt.date(2021, 3, 1), actual_value=Decimal("4"), narrative="x")
    assert exc.value.message_dict["action"] == ["This action has sub-actions; report progress on them."]
    child = Action.objects.get(code="1.1")
    with pytest.raises(PermissionDenied):
        wp.report_progress(actor=world.other_officer, action=child, report_date=dt.date(2021, 3, 1),
                           actual_value=Decimal("4"), narrative="x")
    wp.report_progress(actor=world.officer, action=child, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("4"), narrative="x")
    with pytest.raises(wp.ValidationError) as exc:  # sent twice
        wp.report_progress(actor=world.officer, action=child, report_date=dt.date(2021, 3, 1),
                           actual_value=Decimal("4"), narrative="x")
    assert exc.value.message_dict["action"] == [
        "You sent this same report a moment ago; it is already waiting for verification."]
    assert (ProgressReport.objects.count(), AuditEntry.objects.count()) == (count[0] + 1, count[1] + 1)
