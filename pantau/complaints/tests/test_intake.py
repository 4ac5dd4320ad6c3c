"""Intake: the public form (no login), the tracking page, staff entry from other channels."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.audit.models import AuditEntry
from pantau.complaints import actions, views
from pantau.complaints.identity import tracking_hash
from pantau.complaints.models import ComplainantIdentity, Complaint, ComplaintAttachment, EventKind
from pantau.complaints.tests.conftest import PLANTED, at, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(cw, **extra):
    data = {"service": cw.ktp.pk, "subject": "KTP-el belum jadi", "description": "Sudah tiga bulan menunggu.",
            "name": "Budi Santoso", "nik": "", "phone": "", "email": "", "website": ""}
    data.update(extra)
    return data


def test_a_member_of_the_public_files_a_complaint_and_gets_the_code_once(client, cw):
    response = client.get(reverse("complaints:public_form", args=[cw.regency.pk]))
    assert response.status_code == 200 and "Penerbitan KTP-el" in response.content.decode()
    response = client.post(reverse("complaints:public_form", args=[cw.regency.pk]), _form(cw), follow=True)
    body = response.content.decode()
    code = body.split('id="tracking-code">')[1].split("<")[0]
    complaint = Complaint.objects.get()
    assert complaint.tracking_hash == tracking_hash(code)
    assert (complaint.unit, complaint.service, complaint.channel) == (cw.dukcapil, cw.ktp, "web")
    # the thank-you page shows it once; a reload shows no code
    again = client.get(reverse("complaints:public_thanks")).content.decode()
    assert code not in again and 'id="tracking-code"' not in again


def test_the_honeypot_stores_nothing(client, cw):
    response = client.post(reverse("complaints:public_form", args=[cw.regency.pk]), _form(cw, website="spam"))
    assert response.status_code == 302 and not Complaint.objects.exists()


def test_more_than_five_complaints_an_hour_from_one_address_are_refused(client, cw):
    url = reverse("complaints:public_form", args=[cw.regency.pk])
    for _ in range(views.RATE_LIMITS["submit"][0]):
        assert client.post(url, _form(cw)).status_code == 302
    response = client.post(url, _form(cw))
    assert response.status_code == 429 and Complaint.objects.count() == 5
    # another address is not limited (the key is a hash of the address)
    assert client.post(url, _form(cw), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_an_invalid_post_does_not_count_towards_the_limit(client, cw):
    url = reverse("complaints:public_form", args=[cw.regency.pk])
    for _ in range(8):
        assert client.post(url, _form(cw, subject="")).status_code == 200
    assert client.post(url, _form(cw)).status_code == 302


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(client, cw):
    fake = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("complaints:public_form", args=[cw.regency.pk]), {**_form(cw), "attachments": fake})
    assert response.status_code == 200 and "does not contain what its name says" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_a_good_file_is_kept_with_the_complaint(client, cw):
    good = SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")
    client.post(reverse("complaints:public_form", args=[cw.regency.pk]), {**_form(cw), "attachments": good})
    attachment = ComplaintAttachment.objects.get()
    assert (attachment.original_name, attachment.from_complainant, attachment.size) == ("surat.pdf", True, len(PDF))
    assert attachment.file.name.startswith("complaints/")


def test_an_invalid_nik_is_refused_on_the_form(client, cw):
    response = client.post(reverse("complaints:public_form", args=[cw.regency.pk]), _form(cw, nik="123"))
    assert "A NIK has exactly 16 digits." in response.content.decode() and not Complaint.objects.exists()


def test_routing_by_unit_or_to_the_government_when_unsure(cw):
    by_unit = submit(cw.regency, unit=cw.mersam, now=at(2025, 6, 2)).complaint
    unsure = submit(cw.regency, now=at(2025, 6, 2)).complaint
    assert (by_unit.unit, unsure.unit, unsure.government) == (cw.mersam, cw.regency, cw.regency)
    with pytest.raises(ValidationError):
        submit(cw.regency, unit=cw.makassar_dukcapil, now=at(2025, 6, 2))


def test_the_tracking_page_shows_the_stage_and_lets_the_complainant_answer(client, cw):
    submitted = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2), **PLANTED)
    complaint = submitted.complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=False, question="Mohon lampirkan KK.",
                       now=at(2025, 6, 3))
    response = client.post(reverse("complaints:track_start"), {"code": submitted.tracking_code.lower()})
    assert response.status_code == 302
    body = client.get(reverse("complaints:track_status")).content.decode()
    assert "Mohon lampirkan KK." in body and "completeness check" in body
    for part in PLANTED.values():
        assert part not in body
    assert cw.officer.username not in body  # staff appear as "the unit"
    client.post(reverse("complaints:track_status"), {"do": "reply", "text": "KK terlampir."})
    assert complaint.events.filter(kind=EventKind.COMPLAINANT_MESSAGE, text="KK terlampir.").exists()


def test_an_unknown_code_is_refused_and_look_ups_are_limited(client, cw):
    for _ in range(views.RATE_LIMITS["track"][0]):
        response = client.post(reverse("complaints:track_start"), {"code": "AAAA-BBBB-CCCC"})
        assert response.status_code == 200 and "No complaint has this tracking code" in response.content.decode()
    assert client.post(reverse("complaints:track_start"), {"code": "AAAA-BBBB-CCCC"}).status_code == 429


def test_the_tracking_page_without_a_code_goes_to_the_code_form(client, cw):
    assert client.get(reverse("complaints:track_status")).url == reverse("complaints:track_start")


def test_the_complainant_closes_with_feedback_and_may_then_go_to_the_ombudsman(client, cw):
    submitted = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2))
    complaint = submitted.complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=True, now=at(2025, 6, 3))
    actions.answer(actor=cw.officer, complaint=complaint, text="KTP-el dapat diambil.", now=at(2025, 6, 10))
    client.post(reverse("complaints:track_start"), {"code": submitted.tracking_code})
    client.post(reverse("complaints:track_status"), {"do": "feedback", "satisfied": "no", "comment": "Belum ada."})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.outcome, complaint.feedback_satisfied) == ("closed", "not_resolved", False)
    client.post(reverse("complaints:track_status"), {"do": "forward", "note": "Mohon diperiksa."})
    assert complaint.ombudsman_report.by_complainant is True


def test_the_complainant_withdraws(client, cw):
    submitted = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2))
    client.post(reverse("complaints:track_start"), {"code": submitted.tracking_code})
    client.post(reverse("complaints:track_status"), {"do": "withdraw", "note": "Sudah beres."})
    submitted.complaint.refresh_from_db()
    assert (submitted.complaint.stage, submitted.complaint.withdrawal_reason) == ("withdrawn", "by_complainant")


# --- staff entry -------------------------------------------------------------------------------------------------

def test_an_officer_enters_an_sp4n_lapor_complaint_with_its_ticket(client, cw):
    client.force_login(cw.officer)
    response = client.post(reverse("complaints:complaint_new"), {
        "channel": "sp4n_lapor", "external_ticket": "LPR-2025-0042", "received_on": "2 Juni 2025",
        "service": cw.ktp.pk, "unit": "", "component": "jangka_waktu_penyelesaian", "subject": "Lambat",
        "description": "Dari SP4N-LAPOR!", "name": "Siti Aminah", "nik": "", "phone": "", "email": "",
    }, follow=True)
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.external_ticket, complaint.created_by) == (
        "sp4n_lapor", "LPR-2025-0042", cw.officer)
    assert str(complaint.received_on) == "2025-06-02"
    assert 'id="issued-code"' in response.content.decode()  # the code, once, for the complainant
    assert 'id="issued-code"' not in client.get(reverse("complaints:complaint_detail",
                                                         args=[complaint.pk])).content.decode()


def test_an_sp4n_lapor_complaint_needs_its_ticket_number(cw):
    with pytest.raises(ValidationError) as caught:
        actions.enter_complaint(actor=cw.officer, channel="sp4n_lapor", service=cw.ktp, subject="x",
                                description="y", name="Siti")
    assert "external_ticket" in caught.value.message_dict


@pytest.mark.parametrize("channel", ["walk_in", "phone", "letter", "social_media", "email", "other"])
def test_every_staff_channel_is_accepted(cw, channel):
    submitted = actions.enter_complaint(actor=cw.coordinator, channel=channel, unit=cw.mersam, subject="x",
                                        description="y", name="Siti")
    assert submitted.complaint.channel == channel


def test_an_officer_cannot_enter_a_complaint_for_another_agency_and_nothing_is_stored(cw):
    with pytest.raises(PermissionDenied):
        actions.enter_complaint(actor=cw.officer, channel="phone", service=cw.permit, subject="x", description="y",
                                name="Siti")
    assert not Complaint.objects.exists() and not ComplainantIdentity.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="complaints").exists()


def test_a_viewer_has_no_entry_page(client, cw):
    client.force_login(cw.viewer)
    assert client.get(reverse("complaints:complaint_new")).status_code == 403
    assert client.get(reverse("complaints:complaint_import")).status_code == 403


def test_a_future_date_of_receipt_is_refused(cw):
    import datetime as dt

    with pytest.raises(ValidationError) as caught:
        actions.enter_complaint(actor=cw.officer, channel="letter", unit=cw.dukcapil, subject="x", description="y",
                                name="Siti", received_on=dt.date(2025, 6, 3), now=at(2025, 6, 2))
    assert "received_on" in caught.value.message_dict


def test_staff_files_are_checked_too(cw):
    bad = io.BytesIO(b"not an image")
    bad.name = "foto.png"
    bad.size = 12
    with pytest.raises(ValidationError) as caught:
        actions.enter_complaint(actor=cw.officer, channel="walk_in", unit=cw.dukcapil, subject="x",
                                description="y", name="Siti", files=[bad])
    assert "attachments" in caught.value.message_dict and not Complaint.objects.exists()
