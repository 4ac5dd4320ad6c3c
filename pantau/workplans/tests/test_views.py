"""Action pages: scoped lists and details, forms through the write path, review, evidence downloads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, Evidence, ProgressReport, ReportStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path / "media"


def make(world, unit=None, **overrides):
    """Create an action as the regency coordinator."""
    return wp.create_action(
        actor=world.coordinator, work_plan=world.plan, data=action_data(unit or world.dukcapil, **overrides)
    )


def report_form(**overrides):
    """Valid POST data for the progress report form."""
    data = {"report_date": "2021-03-01", "actual_value": "4", "narrative": "Four standards published",
            "amount_spent": "1500000"}
    data.update(overrides)
    return data


def action_form(world, **overrides):
    """Valid POST data for the action form."""
    data = {
        "code": "9", "title": "Open a complaint desk", "description": "", "finding": "No complaint channel",
        "parent": "", "start_date": "2021-02-01", "due_date": "2021-10-31",
        "responsible_unit": str(world.dpmptsp.pk), "pic_position": "Kepala Dinas", "budget_planned": "2000000",
        "budget_source": "APBD", "fiscal_year": "2021", "indicator_name": "Desks open", "indicator_unit": "desks",
        "baseline": "0", "target": "1", "weight": "",
    }
    data.update(overrides)
    return data


# --- lists and scoping ---------------------------------------------------------------------------------------

def test_an_officer_sees_only_its_own_agencys_actions(world, client):
    make(world, code="1", unit=world.dukcapil)
    make(world, code="2", unit=world.dukcapil_upt)
    make(world, code="3", unit=world.dpmptsp)
    client.force_login(world.officer)
    response = client.get(reverse("workplans:action_list", args=[world.plan.pk]))
    assert response.status_code == 200
    assert [r["action"].code for r in response.context["rows"]] == ["1", "2"]


def test_the_coordinator_sees_every_action_of_the_regency(world, client):
    make(world, code="1", unit=world.dukcapil)
    make(world, code="2", unit=world.dpmptsp)
    client.force_login(world.coordinator)
    response = client.get(reverse("workplans:action_list", args=[world.plan.pk]))
    assert [r["action"].code for r in response.context["rows"]] == ["1", "2"]
    assert response.context["can_create"] is True


def test_filters_by_text_unit_due_date_and_status(world, client):
    make(world, code="1", unit=world.dukcapil, title="Publish standards")
    make(world, code="2", unit=world.dukcapil_upt, title="Queue numbers", due_date=dt.date(2021, 5, 31))
    done = make(world, code="3", unit=world.dpmptsp, title="Online permits")
    wp.report_progress(actor=world.other_officer, action=done, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("10"), narrative="done")
    client.force_login(world.coordinator)
    url = reverse("workplans:action_list", args=[world.plan.pk])

    def codes(**params):
        """Codes of the listed actions for these filters."""
        return [r["action"].code for r in client.get(url, params).context["rows"]]

    assert codes(q="queue") == ["2"]
    assert codes(unit=world.dukcapil.pk) == ["1", "2"]  # the agency and the units below it
    assert codes(due_before="2021-06-01") == ["2"]
    assert codes(status="done") == ["3"]
    assert codes(status="done", q="permits") == ["3"]


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"unit": "99999999999999999999999999"}, {"unit": "abc"}, {"due_before": "31/31/2021"},
     {"due_before": "99999-01-01"}, {"q": "x" * 5000}, {"unit": "-1", "status": "done"}],
)
def test_bad_filter_values_are_reported_not_crashing(world, client, params):
    make(world, code="1")
    client.force_login(world.coordinator)
    response = client.get(reverse("workplans:action_list", args=[world.plan.pk]), params)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_another_regencys_assistant_gets_404_on_the_action_list_and_detail(world, client):
    action = make(world)
    client.force_login(world.outsider)
    assert client.get(reverse("workplans:action_list", args=[world.plan.pk])).status_code == 404
    assert client.get(reverse("workplans:action_detail", args=[action.pk])).status_code == 404


def test_an_officer_of_another_agency_gets_404_on_the_action(world, client):
    action = make(world, unit=world.dukcapil)
    client.force_login(world.other_officer)
    assert client.get(reverse("workplans:action_detail", args=[action.pk])).status_code == 404
    assert client.get(reverse("workplans:action_report", args=[action.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(world, client):
    action = make(world)
    response = client.get(reverse("workplans:action_detail", args=[action.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("path", ["/actions/99999999999999999999999/", "/actions/0/", "/evidence/18446744073709551616/",
                                  "/actions/9223372036854775807/report/", "/work-plans/9223372036854775808/actions/"])
def test_huge_or_unknown_ids_are_404(world, client, path):
    client.force_login(world.superuser)
    assert client.get(path).status_code == 404


# --- detail ---------------------------------------------------------------------------------------------------

def test_the_detail_shows_every_field_and_a_timeline_in_the_users_language(world, client):
    action = make(world, budget_planned=15_000_000)
    action.supporting_units.set([world.dpmptsp])
    wp.update_action(actor=world.coordinator, action=action, data={"title": "Publish every standard"})
    wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("4"), narrative="Four published", amount_spent=1_000_000)
    client.force_login(world.coordinator)
    response = client.get(reverse("workplans:action_detail", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    for text in ["Publish every standard", "Service standards not published", "Kepala Dinas",
                 "Dinas Penanaman Modal dan PTSP", "Rp 15.000.000", "Rp 1.000.000", "Four published",
                 "Services with a published standard", "awaiting verification"]:
        assert text in html, text
    kinds = [item["kind"] for item in response.context["timeline"]]
    assert sorted(kinds) == ["audit", "audit", "report"]
    update = next(i for i in response.context["timeline"] if i["entry"] and i["entry"].action == AuditAction.UPDATE)
    assert update["label"] == "updated"
    assert ("what changes", "Publish the service standard of every service", "Publish every standard") in (
        update["changes"]
    )
    assert 'style="' not in html
    assert "<script>" not in html


def test_review_buttons_show_only_to_who_may_verify(world, client):
    action = make(world)
    wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal("4"), narrative="x")
    url = reverse("workplans:action_detail", args=[action.pk])
    client.force_login(world.assistant)
    assert 'action="/reports/' in client.get(url).content.decode()
    client.force_login(world.coordinator)
    assert 'action="/reports/' not in client.get(url).content.decode()


# --- progress reports -------------------------------------------------------------------------------------------

def test_reporting_through_the_form_moves_reported_progress_and_accepting_moves_verified(world, client):
    action = make(world)
    client.force_login(world.officer)
    response = client.post(
        reverse("workplans:action_report", args=[action.pk]),
        report_form(evidence=[SimpleUploadedFile("sk.pdf", PDF), SimpleUploadedFile("foto.pdf", PDF)]),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.reported_progress == Decimal("40.00")
    assert action.verified_progress == Decimal("0.00")
    rep = ProgressReport.objects.get(action=action)
    assert sorted(Evidence.objects.filter(report=rep).values_list("original_name", flat=True)) == [
        "foto.pdf", "sk.pdf"
    ]

    client.force_login(world.assistant)
    response = client.post(reverse("workplans:report_accept", args=[rep.pk]), {"review_reason": "Checked the SK"})
    assert response.status_code == 302
    action.refresh_from_db()
    rep.refresh_from_db()
    assert rep.status == ReportStatus.ACCEPTED
    assert action.verified_progress == Decimal("40.00")
    assert action.budget_realized == 1_500_000


def test_returning_needs_a_reason_and_then_stops_counting(world, client):
    action = make(world)
    rep = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                             actual_value=Decimal("4"), narrative="x")
    client.force_login(world.assistant)
    client.post(reverse("workplans:report_return", args=[rep.pk]), {"review_reason": "  "})
    rep.refresh_from_db()
    assert rep.status == ReportStatus.SUBMITTED
    client.post(reverse("workplans:report_return", args=[rep.pk]), {"review_reason": "The SK is not signed"})
    rep.refresh_from_db()
    action.refresh_from_db()
    assert rep.status == ReportStatus.RETURNED
    assert rep.review_reason == "The SK is not signed"
    assert action.reported_progress == Decimal("0.00")


def test_a_viewer_posting_a_report_gets_403_and_nothing_changes(world, client):
    action = make(world)
    client.force_login(world.viewer)
    before = (ProgressReport.objects.count(), Evidence.objects.count(), AuditEntry.objects.count())
    response = client.post(reverse("workplans:action_report", args=[action.pk]),
                           report_form(evidence=[SimpleUploadedFile("sk.pdf", PDF)]))
    assert response.status_code == 403
    assert (ProgressReport.objects.count(), Evidence.objects.count(), AuditEntry.objects.count()) == before
    action.refresh_from_db()
    assert action.actual_reported is None


def test_an_officer_cannot_accept_a_report(world, client):
    action = make(world)
    rep = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                             actual_value=Decimal("4"), narrative="x")
    client.force_login(world.officer)
    assert client.post(reverse("workplans:report_accept", args=[rep.pk])).status_code == 403
    rep.refresh_from_db()
    assert rep.status == ReportStatus.SUBMITTED
    client.force_login(world.other_officer)
    assert client.post(reverse("workplans:report_accept", args=[rep.pk])).status_code == 404


def test_review_urls_refuse_get(world, client):
    action = make(world)
    rep = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                             actual_value=Decimal("4"), narrative="x")
    client.force_login(world.assistant)
    assert client.get(reverse("workplans:report_accept", args=[rep.pk])).status_code == 405


@pytest.mark.parametrize(
    ("field", "value"),
    [("actual_value", "abc"), ("actual_value", "1e400"), ("actual_value", "99999999999999999999"),
     ("report_date", "2021-02-30"), ("amount_spent", "-5"), ("amount_spent", "99999999999999999999999"),
     ("narrative", "")],
)
def test_bad_report_input_shows_the_error_on_the_field_and_saves_nothing(world, client, field, value):
    action = make(world)
    client.force_login(world.officer)
    response = client.post(reverse("workplans:action_report", args=[action.pk]), report_form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ProgressReport.objects.count() == 0


def test_a_report_dated_in_the_future_is_refused_on_the_date_field(world, client):
    action = make(world)
    client.force_login(world.officer)
    future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client.post(reverse("workplans:action_report", args=[action.pk]), report_form(report_date=future))
    assert response.status_code == 200
    assert "report_date" in response.context["form"].errors
    assert ProgressReport.objects.count() == 0


def test_a_file_named_pdf_that_is_not_a_pdf_is_rejected(world, client):
    action = make(world)
    client.force_login(world.officer)
    fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 this is an executable")
    response = client.post(reverse("workplans:action_report", args=[action.pk]),
                           report_form(evidence=[SimpleUploadedFile("ok.pdf", PDF), fake]))
    assert response.status_code == 200
    errors = response.context["form"].errors["evidence"]
    assert any("sk.pdf" in e for e in errors)
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_report_on_a_parent_action_is_refused_before_the_form(world, client):
    parent = make(world, code="1")
    make(world, code="1.1", parent=parent)
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_report", args=[parent.pk]), report_form(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workplans:action_detail", args=[parent.pk])
    assert "report progress on them" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_the_report_form_of_a_cancelled_action_is_not_offered(world, client):
    action = make(world, code="1")
    wp.cancel_action(actor=world.coordinator, action=action, reason="Merged")
    client.force_login(world.officer)
    response = client.get(reverse("workplans:action_report", args=[action.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workplans:action_detail", args=[action.pk])
    assert "This action is cancelled." in response.content.decode()


# --- evidence ---------------------------------------------------------------------------------------------------

def _evidence(world):
    """One evidence file ("SK Bupati 2021.pdf") on a Dukcapil action's report (written to storage when the
    report's transaction commits, which the test's own transaction stands in for here)."""
    action = make(world, unit=world.dukcapil)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rep = wp.report_progress(
            actor=world.officer, action=action, report_date=dt.date(2021, 3, 1), actual_value=Decimal("4"),
            narrative="x", files=[SimpleUploadedFile("SK Bupati 2021.pdf", PDF)],
        )
    return rep.evidence.get()


def test_the_owner_agency_downloads_evidence_as_an_attachment(world, client):
    evidence = _evidence(world)
    client.force_login(world.officer)
    response = client.get(reverse("workplans:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "SK Bupati 2021.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_another_agency_and_another_regency_get_404_for_evidence(world, client):
    evidence = _evidence(world)
    for user in (world.other_officer, world.outsider):
        client.force_login(user)
        assert client.get(reverse("workplans:evidence_download", args=[evidence.pk])).status_code == 404


def test_evidence_missing_from_storage_is_404_not_500(world, client):
    evidence = _evidence(world)
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(world.officer)
    assert client.get(reverse("workplans:evidence_download", args=[evidence.pk])).status_code == 404


# --- create, edit, cancel -----------------------------------------------------------------------------------

def test_the_coordinator_creates_an_action_through_the_form(world, client):
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_create", args=[world.plan.pk]),
                           action_form(world, supporting_units=[world.dukcapil.pk]))
    assert response.status_code == 302
    action = Action.objects.get(code="9")
    assert action.responsible_unit == world.dpmptsp
    assert list(action.supporting_units.all()) == [world.dukcapil]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(action.pk)).count() == 1


def test_an_officer_may_not_open_the_create_form(world, client):
    make(world)
    client.force_login(world.officer)
    assert client.get(reverse("workplans:action_create", args=[world.plan.pk])).status_code == 403
    assert client.post(reverse("workplans:action_create", args=[world.plan.pk]), action_form(world)).status_code == 403
    assert Action.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"code": "1"}, "code"), ({"target": "0"}, "target"), ({"due_date": "2021-01-01"}, "due_date"),
     ({"budget_planned": "-1"}, "budget_planned"), ({"responsible_unit": str(10**25)}, "responsible_unit"),
     ({"weight": "0"}, "weight"), ({"baseline": "1" * 30}, "baseline"), ({"start_date": "tomorrow"}, "start_date"),
     ({"fiscal_year": "99999"}, "fiscal_year"), ({"supporting_units": [str(10**30)]}, "supporting_units"),
     ({"parent": str(10**25)}, "parent"), ({"target": "NaN"}, "target")],
)
def test_bad_action_input_shows_the_error_on_the_field(world, client, overrides, field):
    make(world, code="1")
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_create", args=[world.plan.pk]), action_form(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Action.objects.count() == 1


def test_the_responsible_unit_cannot_be_outside_the_government(world, client):
    client.force_login(world.superuser)
    response = client.post(reverse("workplans:action_create", args=[world.plan.pk]),
                           action_form(world, responsible_unit=str(world.other_regency.pk)))
    assert response.status_code == 200
    assert "responsible_unit" in response.context["form"].errors
    assert Action.objects.count() == 0


def test_editing_through_the_form_changes_the_action_and_audits_it(world, client):
    action = make(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("workplans:action_edit", args=[action.pk]))
    assert response.context["form"].initial["title"] == action.title
    unversioned = client.post(reverse("workplans:action_edit", args=[action.pk]),
                              action_form(world, code="1", title="New title", responsible_unit=str(world.dukcapil.pk)))
    assert unversioned.status_code == 200  # a post that does not say which version it read is refused
    assert "does not say which version" in unversioned.content.decode()
    response = client.post(reverse("workplans:action_edit", args=[action.pk]),
                           action_form(world, code="1", title="New title", responsible_unit=str(world.dukcapil.pk),
                                       version=str(action.version)))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "New title"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(action.pk))
    assert entry.before["title"] == "Publish the service standard of every service"


def test_an_action_cannot_be_moved_under_its_own_child(world, client):
    parent = make(world, code="1")
    child = make(world, code="1.1", parent=parent)
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_edit", args=[parent.pk]),
                           action_form(world, code="1", parent=str(child.pk), responsible_unit=str(world.dukcapil.pk)))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_an_officer_gets_403_on_edit_and_cancel(world, client):
    action = make(world)
    client.force_login(world.officer)
    assert client.get(reverse("workplans:action_edit", args=[action.pk])).status_code == 403
    assert client.post(reverse("workplans:action_cancel", args=[action.pk]), {"cancel_reason": "x"}).status_code == 403
    action.refresh_from_db()
    assert action.cancelled_on is None


def test_cancelling_needs_a_reason(world, client):
    action = make(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("workplans:action_cancel", args=[action.pk]), {"cancel_reason": ""})
    assert "cancel_reason" in response.context["form"].errors
    response = client.post(reverse("workplans:action_cancel", args=[action.pk]), {"cancel_reason": "Merged into 2"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.cancel_reason == "Merged into 2"
    response = client.post(reverse("workplans:action_cancel", args=[action.pk]), {"cancel_reason": "again"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_pages_carry_the_content_security_policy(world, client):
    action = make(world)
    client.force_login(world.coordinator)
    for url in [reverse("workplans:action_detail", args=[action.pk]),
                reverse("workplans:action_edit", args=[action.pk]),
                reverse("workplans:action_report", args=[action.pk]), reverse("login")]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert 'style="' not in response.content.decode(), url
