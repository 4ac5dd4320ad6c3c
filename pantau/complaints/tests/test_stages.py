"""Stages of a complaint from receipt to closure, escalation, lapse, reassignment and reports to the Ombudsman."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from pantau.audit.models import AuditEntry
from pantau.complaints import actions
from pantau.complaints.models import Complaint, ComplaintEvent, EventKind, OmbudsmanReport
from pantau.complaints.tests.conftest import at, submit

D = dt.date


def test_a_complaint_goes_from_the_public_form_to_closure_through_the_pages(client, cw):
    submitted = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2))
    complaint = submitted.complaint
    client.force_login(cw.officer)
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    assert 'id="pick-up"' in client.get(url).content.decode()

    def step(name, **data):
        version = Complaint.objects.get(pk=complaint.pk).version
        return client.post(reverse("complaints:complaint_step", args=[complaint.pk, name]),
                           {"version": version, **data})

    step("pick_up")
    step("check", complete="no", question="Lampirkan KK.")
    assert Complaint.objects.get(pk=complaint.pk).stage == "incomplete"
    actions.complainant_message(complaint=complaint, text="KK terlampir.")
    step("check", complete="yes", question="")
    step("answer", text="KTP-el dapat diambil di UPT.")
    step("outcome", resolved="yes", text="")
    step("close", satisfied="yes", text="Terima kasih.")
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.outcome, complaint.feedback_satisfied) == ("closed", "resolved", True)
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["received", "picked_up", "file_requested", "complainant_message", "file_complete", "answered",
                     "outcome", "closed"]
    assert complaint.version == 8  # created as 1, then 7 saves: pick-up, check, message, check, answer, outcome, close
    body = client.get(url).content.decode()
    assert "KTP-el dapat diambil di UPT." in body and 'id="pick-up"' not in body


def test_a_stale_page_is_refused_and_changes_nothing(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2)).complaint
    actions.pick_up(actor=cw.officer, complaint=complaint, version=1)
    with pytest.raises(ValidationError) as caught:
        actions.check_file(actor=cw.coordinator, complaint=complaint, complete=True, version=1)
    assert "version" in caught.value.message_dict
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.version) == ("received", 2)


@pytest.mark.parametrize("persona", ["viewer", "other_officer", "assistant", "outsider"])
def test_someone_who_does_not_handle_it_cannot_move_it_and_nothing_changes(cw, persona):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2)).complaint
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        actions.check_file(actor=getattr(cw, persona), complaint=complaint, complete=True)
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.version, complaint.events.count()) == ("received", 1, 1)
    assert AuditEntry.objects.count() == entries


def test_a_viewer_posting_a_step_gets_403_and_an_outsider_404(client, cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2)).complaint
    client.force_login(cw.viewer)
    assert client.post(reverse("complaints:complaint_step", args=[complaint.pk, "pick_up"])).status_code == 403
    client.force_login(cw.outsider)
    assert client.post(reverse("complaints:complaint_step", args=[complaint.pk, "pick_up"])).status_code == 404
    complaint.refresh_from_db()
    assert complaint.picked_up_at is None


def test_steps_out_of_order_are_refused(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2)).complaint
    with pytest.raises(ValidationError):
        actions.answer(actor=cw.officer, complaint=complaint, text="Jawaban")
    with pytest.raises(ValidationError):
        actions.close(actor=cw.officer, complaint=complaint, satisfied=True)
    with pytest.raises(ValidationError):
        actions.check_file(actor=cw.officer, complaint=complaint, complete=False, question="")


def test_nobody_picks_it_up_so_it_is_escalated_to_the_coordinator_once(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 3, 26)).complaint
    assert complaint.pickup_due == D(2025, 4, 9)
    assert actions.escalate_unpicked(now=at(2025, 4, 9, 23)) == []  # the due day itself is still in time
    escalated = actions.escalate_unpicked(now=at(2025, 4, 10, 8))
    assert escalated == [complaint]
    complaint.refresh_from_db()
    assert complaint.escalated_on == D(2025, 4, 10)
    assert complaint.events.filter(kind=EventKind.ESCALATED, is_public=False).count() == 1
    assert [m.to for m in mail.outbox] == [["koordinator@example.net"]]
    assert "Budi" not in mail.outbox[0].body and complaint.reference in mail.outbox[0].subject
    assert actions.escalate_unpicked(now=at(2025, 4, 11, 8)) == []  # once


def test_a_picked_up_complaint_is_not_escalated(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 3, 26)).complaint
    actions.pick_up(actor=cw.officer, complaint=complaint, now=at(2025, 3, 27))
    assert actions.escalate_unpicked(now=at(2025, 5, 1)) == []


def test_an_incomplete_file_lapses_into_withdrawal_after_the_window(cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 7, 1)).complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=False, question="KK?", now=at(2025, 7, 3))
    assert actions.lapse_incomplete(now=at(2025, 8, 2, 20)) == []  # due Sat 2 Aug (3 Jul + 30)
    assert actions.lapse_incomplete(now=at(2025, 8, 3, 8)) == [complaint]
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.withdrawal_reason, complaint.withdrawn_on) == (
        "withdrawn", "file_not_completed", D(2025, 8, 3))


def test_the_scheduled_command_runs_both_steps(cw):
    submit(cw.regency, service=cw.ktp, now=at(2020, 3, 2))
    out = io.StringIO()
    call_command("check_complaint_deadlines", stdout=out)
    assert "1 escalated, 0 withdrawn." in out.getvalue()


def test_reassignment_keeps_the_clock_from_receipt_and_restarts_the_pick_up(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    actions.reassign(actor=cw.officer, complaint=complaint, unit=cw.dpmptsp, reason="Bukan kewenangan Dukcapil",
                     now=at(2025, 6, 4))
    complaint.refresh_from_db()
    # pick-up restarts from Wed 4 Jun: Thu 5, Fri 6 is Idul Adha, Mon 9 joint leave, Tue 10, Wed 11 Jun
    assert (complaint.unit, complaint.routed_on, complaint.pickup_due) == (cw.dpmptsp, D(2025, 6, 4), D(2025, 6, 11))
    assert complaint.first_response_due == D(2025, 6, 16)  # still 2 Jun + 14
    event = complaint.events.get(kind=EventKind.REASSIGNED)
    assert (event.text, event.data["to"]) == ("Bukan kewenangan Dukcapil", cw.dpmptsp.pk)
    with pytest.raises(PermissionDenied):  # no longer the officer's complaint
        actions.pick_up(actor=cw.officer, complaint=complaint)


def test_reassignment_needs_a_reason_and_stays_in_the_government(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    with pytest.raises(ValidationError):
        actions.reassign(actor=cw.officer, complaint=complaint, unit=cw.dpmptsp, reason="")
    with pytest.raises(ValidationError):
        actions.reassign(actor=cw.officer, complaint=complaint, unit=cw.makassar_dukcapil, reason="x")
    complaint.refresh_from_db()
    assert complaint.unit == cw.dukcapil


def test_a_new_tracking_code_replaces_the_old_one(cw):
    submitted = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2))
    code = actions.renew_tracking_code(actor=cw.officer, complaint=submitted.complaint)
    assert actions.find_by_code(submitted.tracking_code) is None
    assert actions.find_by_code(code) == submitted.complaint


def test_an_overdue_complaint_goes_to_the_ombudsman_whose_staff_move_its_stages(client, cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    # no first answer by 16 Jun: overdue on 17 Jun
    with pytest.raises(ValidationError):
        actions.forward_to_ombudsman(actor=cw.officer, complaint=complaint, now=at(2025, 6, 16))
    report = actions.forward_to_ombudsman(actor=cw.coordinator, complaint=complaint, note="Lewat tenggat",
                                          now=at(2025, 6, 17))
    assert (report.office, report.stage, report.forwarded_on) == (cw.office, "received", D(2025, 6, 17))
    with pytest.raises(PermissionDenied):  # the government does not run the Ombudsman's stages
        actions.advance_report(actor=cw.coordinator, report=report, stage="verification")
    client.force_login(cw.assistant)
    client.post(reverse("complaints:report_advance", args=[report.pk]),
                {"stage": "examination", "register_number": "0123/LM/VI/2025/JMB", "version": 1})
    report.refresh_from_db()
    assert (report.stage, report.register_number) == ("examination", "0123/LM/VI/2025/JMB")
    with pytest.raises(ValidationError):
        actions.advance_report(actor=cw.assistant, report=report, stage="verification")  # never backwards
    with pytest.raises(ValidationError):
        actions.advance_report(actor=cw.assistant, report=report, stage="closed")  # needs an outcome
    actions.advance_report(actor=cw.assistant, report=report, stage="closed", outcome="corrective_action",
                           now=at(2025, 8, 1))
    report.refresh_from_db()
    assert (report.stage, report.outcome, report.closed_on) == ("closed", "corrective_action", D(2025, 8, 1))
    stages = complaint.events.filter(kind=EventKind.REPORT_STAGE).values_list("data__stage", flat=True)
    assert list(stages) == ["examination", "closed"]
    with pytest.raises(ValidationError):  # one report per complaint
        actions.forward_to_ombudsman(actor=cw.coordinator, complaint=complaint, now=at(2025, 8, 2))
    assert OmbudsmanReport.objects.count() == 1


def test_a_resolved_complaint_does_not_go_to_the_ombudsman(cw):
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2)).complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=True, now=at(2025, 6, 3))
    actions.answer(actor=cw.officer, complaint=complaint, text="Selesai", now=at(2025, 6, 4))
    actions.record_outcome(actor=cw.officer, complaint=complaint, resolved=True, now=at(2025, 6, 5))
    assert not actions.may_forward(complaint, D(2025, 6, 5))
    with pytest.raises(ValidationError):
        actions.complainant_forward(complaint=complaint, now=at(2025, 6, 5))


def test_internal_notes_stay_off_the_tracking_page(client, cw):
    submitted = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2))
    actions.add_note(actor=cw.officer, complaint=submitted.complaint, text="Catatan internal rahasia")
    client.post(reverse("complaints:track_start"), {"code": submitted.tracking_code})
    assert "Catatan internal rahasia" not in client.get(reverse("complaints:track_status")).content.decode()
    assert ComplaintEvent.objects.get(kind=EventKind.NOTE).is_public is False


def test_files_are_served_to_handlers_only(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2), files=[pdf]).complaint
    attachment = complaint.attachments.get()
    url = reverse("complaints:attachment_download", args=[complaint.pk, attachment.pk])
    client.force_login(cw.officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(cw.viewer)
    assert client.get(url).status_code == 403


def test_opening_a_file_of_a_confidential_complaint_is_audited(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pantau.audit.models import AuditAction

    pdf = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    complaint = submit(cw.regency, unit=cw.dukcapil, now=at(2025, 6, 2), files=[pdf], confidential=True).complaint
    client.force_login(cw.coordinator)
    client.get(reverse("complaints:attachment_download", args=[complaint.pk, complaint.attachments.get().pk]))
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_IDENTITY)
    assert (entry.actor, entry.object_id, entry.note) == (
        cw.coordinator, str(complaint.pk), "file of a confidential complaint opened: ktp.pdf")
