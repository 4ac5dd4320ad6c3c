"""The write path for actions and progress reports: permission, validation, roll-up, verification, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, Evidence, ProgressReport, ReportStatus
from pantau.workplans.progress import Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make(world, unit=None, **overrides):
    return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                            data=action_data(unit or world.dukcapil, **overrides))


def report(world, action, actual, actor=None, date=dt.date(2021, 3, 1), spent=0):
    return wp.report_progress(actor=actor or world.officer, action=action, report_date=date,
                              actual_value=Decimal(actual), narrative="progress", amount_spent=spent)


def test_a_coordinator_creates_an_action_and_it_is_audited(world):
    action = make(world)
    assert action.province_code == "15"  # Dukcapil has no region; it inherits the regency's province
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(action.pk))
    assert entry.actor == world.coordinator
    assert entry.after["title"] == "Publish the service standard of every service"
    assert entry.after["budget_planned"] == 15_000_000


def test_an_officer_of_another_agency_cannot_create_an_action_and_nothing_is_saved(world):
    with pytest.raises(PermissionDenied):
        wp.create_action(actor=world.other_officer, work_plan=world.plan, data=action_data(world.dukcapil))
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_unit_officer_cannot_create_actions_even_for_its_own_unit(world):
    with pytest.raises(PermissionDenied):
        wp.create_action(actor=world.officer, work_plan=world.plan, data=action_data(world.dukcapil))
    assert Action.objects.count() == 0


def test_the_responsible_unit_must_belong_to_the_plans_government(world):
    with pytest.raises(ValidationError) as exc:
        wp.create_action(actor=world.superuser, work_plan=world.plan, data=action_data(world.other_regency))
    assert "responsible_unit" in exc.value.message_dict
    assert Action.objects.count() == 0


def test_due_before_start_and_target_equal_to_baseline_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        make(world, due_date=dt.date(2020, 12, 31), target=Decimal("0"))
    assert {"due_date", "target"} <= set(exc.value.message_dict)
    assert Action.objects.count() == 0


def test_negative_budget_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make(world, budget_planned=-1)
    assert "budget_planned" in exc.value.message_dict


def test_actions_cannot_be_added_to_an_mou(world):
    with pytest.raises(ValidationError) as exc:
        wp.create_action(actor=world.coordinator, work_plan=world.mou, data=action_data(world.dukcapil))
    assert "work_plan" in exc.value.message_dict


def test_only_accepted_reports_move_verified_progress(world):
    action = make(world)  # baseline 0, target 10
    rep = report(world, action, "4", spent=2_500_000)
    action.refresh_from_db()
    assert action.reported_progress == Decimal("40.00")
    assert action.verified_progress == Decimal("0.00")
    assert action.budget_realized == 0
    wp.accept_report(actor=world.assistant, report=rep)
    action.refresh_from_db()
    assert action.verified_progress == Decimal("40.00")
    assert action.budget_realized == 2_500_000


def test_a_returned_report_stops_counting_and_needs_a_reason(world):
    action = make(world)
    first = report(world, action, "4", date=dt.date(2021, 2, 1))
    wp.accept_report(actor=world.assistant, report=first)
    second = report(world, action, "9", date=dt.date(2021, 3, 1))
    with pytest.raises(ValidationError):
        wp.return_report(actor=world.assistant, report=second, reason="  ")
    second.refresh_from_db()
    assert second.status == ReportStatus.SUBMITTED
    wp.return_report(actor=world.assistant, report=second, reason="Evidence missing")
    action.refresh_from_db()
    assert action.actual_reported == Decimal("4")  # back to the last report not returned
    assert action.reported_progress == Decimal("40.00")


def test_reports_are_verified_only_by_the_ombudsman(world):
    action = make(world)
    rep = report(world, action, "4")
    for actor in (world.coordinator, world.officer, world.viewer, world.outsider):
        with pytest.raises(PermissionDenied):
            wp.accept_report(actor=actor, report=rep)
    rep.refresh_from_db()
    assert rep.status == ReportStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action=AuditAction.ACCEPT_PROGRESS).exists()


def test_nobody_verifies_their_own_report(world):
    action = make(world)
    rep = report(world, action, "4", actor=world.superuser)
    with pytest.raises(ValidationError):
        wp.accept_report(actor=world.superuser, report=rep)


def test_a_report_cannot_be_reviewed_twice(world):
    rep = report(world, make(world), "4")
    wp.accept_report(actor=world.assistant, report=rep)
    with pytest.raises(ValidationError):
        wp.return_report(actor=world.assistant, report=rep, reason="changed my mind")


def test_another_agencys_officer_cannot_report_and_nothing_changes(world):
    action = make(world)
    with pytest.raises(PermissionDenied):
        report(world, action, "4", actor=world.other_officer)
    assert ProgressReport.objects.count() == 0
    action.refresh_from_db()
    assert action.actual_reported is None


def test_reports_in_the_future_or_on_cancelled_actions_are_refused(world):
    action = make(world)
    with pytest.raises(ValidationError) as exc:
        report(world, action, "4", date=dt.date(2999, 1, 1))
    assert "report_date" in exc.value.message_dict
    wp.cancel_action(actor=world.coordinator, action=action, reason="Merged into another action")
    with pytest.raises(ValidationError):
        report(world, action, "4")
    assert ProgressReport.objects.count() == 0


def test_parent_progress_rolls_up_from_children_with_weights(world):
    parent = make(world, code="1", title="Parent")
    a = make(world, code="1.1", parent=parent, weight=Decimal("3"))
    b = make(world, code="1.2", parent=parent, weight=Decimal("1"), unit=world.dukcapil_upt)
    wp.accept_report(actor=world.assistant, report=report(world, a, "10"))  # 100 %
    wp.accept_report(actor=world.assistant, report=report(world, b, "2"))   # 20 %
    parent = Action.objects.get(pk=parent.pk)
    # (3*100 + 1*20) / 4 = 80
    assert parent.verified_progress == Decimal("80.00")
    with pytest.raises(ValidationError):
        report(world, parent, "5")  # progress of a parent comes from its children


def test_cancelled_children_leave_the_rollup(world):
    parent = make(world, code="1", title="Parent")
    a = make(world, code="1.1", parent=parent)
    b = make(world, code="1.2", parent=parent)
    wp.accept_report(actor=world.assistant, report=report(world, a, "10"))
    wp.cancel_action(actor=world.coordinator, action=b, reason="Not needed")
    parent = Action.objects.get(pk=parent.pk)
    assert parent.verified_progress == Decimal("100.00")
    assert parent.status_on(dt.date(2021, 6, 1)) == Status.VERIFIED


def test_status_follows_reports_and_verification(world):
    action = make(world)  # 2021-01-01 .. 2021-12-31
    assert action.status_on(dt.date(2020, 12, 1)) == Status.NOT_STARTED
    rep = report(world, action, "10")
    action.refresh_from_db()
    assert action.status_on(dt.date(2021, 6, 1)) == Status.DONE
    wp.accept_report(actor=world.assistant, report=rep)
    action.refresh_from_db()
    assert action.status_on(dt.date(2021, 6, 1)) == Status.VERIFIED


def test_evidence_is_stored_and_a_fake_pdf_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = make(world)
    good = SimpleUploadedFile("sk penetapan.pdf", PDF, content_type="application/pdf")
    rep = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                             actual_value=Decimal(3), narrative="SK", files=[good])
    evidence = Evidence.objects.get(report=rep)
    assert evidence.original_name == "sk penetapan.pdf"
    assert evidence.file.name.startswith("evidence/") and " " not in evidence.file.name
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 2),
                           actual_value=Decimal(5), narrative="x", files=[fake])
    assert "evidence" in exc.value.message_dict
    assert ProgressReport.objects.count() == 1


def test_too_large_evidence_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PANTAU_MAX_UPLOAD_BYTES = 100
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError):
        wp.report_progress(actor=world.officer, action=make(world), report_date=dt.date(2021, 3, 1),
                           actual_value=Decimal(5), narrative="x", files=[big])
    assert ProgressReport.objects.count() == 0


def test_update_keeps_before_and_after_in_the_audit(world):
    action = make(world)
    wp.update_action(actor=world.coordinator, action=action, data={"budget_planned": 20_000_000})
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.before["budget_planned"] == 15_000_000
    assert entry.after["budget_planned"] == 20_000_000
    assert ("budget_planned", 15_000_000, 20_000_000) in entry.changes()


def test_an_update_cannot_move_an_action_outside_the_actors_scope(world):
    action = make(world)
    with pytest.raises(PermissionDenied):
        wp.update_action(actor=world.officer, action=action, data={"title": "x"})
    action.refresh_from_db()
    assert action.title == "Publish the service standard of every service"


def test_the_same_report_sent_twice_is_refused_the_second_time_and_saved_once(world):
    """Found by the adversarial trial: a double click or a re-post made identical reports wait for the assistant."""
    import datetime as dt
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from pantau.conftest import action_data
    from pantau.workplans import actions as wp
    from pantau.workplans.models import ProgressReport

    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    sent = {"actor": world.officer, "action": action, "report_date": dt.date(2021, 3, 1),
            "actual_value": Decimal(3), "narrative": "Tiga layanan terbit"}
    wp.report_progress(**sent)
    with pytest.raises(ValidationError) as refused:
        wp.report_progress(**sent)
    assert "already waiting" in str(refused.value)
    assert ProgressReport.objects.count() == 1
    # a different figure is a different report
    wp.report_progress(**{**sent, "actual_value": Decimal(4)})
    assert ProgressReport.objects.count() == 2


def test_a_report_keeps_its_actions_province_for_distribution(world):
    """docs/scale.md: progress reports carry the province code of their action (Batanghari is in Jambi, 15)."""
    rep = report(world, make(world), "4")
    rep.refresh_from_db()
    assert rep.province_code == "15"


def test_reports_follow_their_action_when_its_province_changes(world):
    action = make(world)
    rep = report(world, action, "4")
    Unit = type(world.dukcapil)
    Unit.objects.filter(pk=world.dukcapil.pk).update(province_code="16")  # the unit's province corrected to 16
    action = Action.objects.get(pk=action.pk)
    wp.update_action(actor=world.coordinator, action=action, data={"title": "Publish every standard"})
    rep.refresh_from_db()
    assert (Action.objects.get(pk=action.pk).province_code, rep.province_code) == ("16", "16")


def test_the_migration_fills_the_province_of_existing_reports(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pantau.workplans.migrations.0008_progressreport_province_code")
    rep = report(world, make(world), "4")
    ProgressReport.objects.filter(pk=rep.pk).update(province_code="")
    migration.fill_province_codes(apps, None)
    rep.refresh_from_db()
    assert rep.province_code == "15"
