"""The complainant's identity never leaks (issue 13, "identity protected"): a planted name, NIK, phone and e-mail,
each a distinctive string, are searched for in every response body a role that should not see them gets (pages,
exports, API, Open311, the public tracking page) and in every audit row, whoever wrote it. Handlers of the complaint
and the Ombudsman see it; a confidential identity only on request, and each such view is audited."""

import json

import pytest
from django.urls import reverse

from pantau.audit.models import AuditAction, AuditEntry
from pantau.complaints import actions
from pantau.complaints.tests.conftest import PLANTED, PLANTED_PARTS, at, submit


def leaks(text: str) -> list[str]:
    return [part for part in PLANTED_PARTS if part in text]


@pytest.fixture
def case(cw):
    """A complaint at Dukcapil with the planted identity, taken through several steps (so that the audit trail
    holds snapshots of each), and a confidential one."""
    submitted = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2), **PLANTED)
    complaint = submitted.complaint
    actions.check_file(actor=cw.officer, complaint=complaint, complete=True, now=at(2025, 6, 3))
    actions.answer(actor=cw.officer, complaint=complaint, text="KTP-el sudah jadi.", now=at(2025, 6, 10))
    secret = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2), confidential=True,
                    **{**PLANTED, "name": "Zulkarnaen Quixotepratama Rahasia"})
    cw.complaint, cw.code, cw.secret, cw.secret_code = complaint, submitted.tracking_code, secret.complaint, \
        secret.tracking_code
    return cw


def _pages(cw, pk):
    return [
        reverse("complaints:complaint_list"),
        reverse("complaints:complaint_list") + "?stage=open",
        reverse("complaints:complaint_export"),
        reverse("complaints:complaint_detail", args=[pk]),
        reverse("complaints:supervision_index"),
        reverse("complaints:supervision_unit", args=[cw.regency.pk]) + "?year=2025",
        "/api/v1/complaints/",
        f"/api/v1/complaints/{pk}/",
        "/api/v1/complaint-services/",
        "/open311/v2/services.json",
        "/open311/v2/requests.json?start_date=2025-05-15T00:00:00Z&end_date=2025-06-30T00:00:00Z",
        f"/open311/v2/requests/{pk}.json",
    ]


def _body(response):
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(response.content))
        return "\n".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row)
    return response.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "other_officer", "district_officer", "outsider"])
def test_roles_that_do_not_handle_the_complaint_never_see_the_identity(client, case, persona):
    client.force_login(getattr(case, persona))
    for pk in (case.complaint.pk, case.secret.pk):
        for url in _pages(case, pk):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert leaks(_body(response)) == [], url
        identity = client.get(f"/api/v1/complaints/{pk}/identity/")
        assert identity.status_code in (403, 404) and leaks(identity.content.decode()) == []
        revealed = client.post(reverse("complaints:complaint_reveal", args=[pk]))
        assert revealed.status_code in (403, 404) and leaks(revealed.content.decode()) == []
        files = client.get(reverse("complaints:attachment_download", args=[pk, 1]))
        assert files.status_code in (403, 404)


def test_a_viewer_sees_the_complaint_masked(client, case):
    client.force_login(case.viewer)
    body = client.get(reverse("complaints:complaint_detail", args=[case.complaint.pk])).content.decode()
    assert "Z••• Q•••" in body and "KTP-el sudah jadi." not in body  # the answer text is for handlers only
    api = client.get(f"/api/v1/complaints/{case.complaint.pk}/").json()
    assert api["complainant"] == {"name": "Z••• Q•••", "nik": "•••", "phone": "•••", "email": "•••"}
    assert api["description"] is None


def test_the_public_and_anonymous_pages_carry_nothing_personal(client, case):
    for url in _pages(case, case.complaint.pk):
        response = client.get(url)
        assert leaks(_body(response)) == [], url
    client.post(reverse("complaints:track_start"), {"code": case.code})
    body = client.get(reverse("complaints:track_status")).content.decode()
    assert "KTP-el sudah jadi." in body and leaks(body) == []
    assert client.get(reverse("complaints:public_index")).status_code == 200


@pytest.mark.parametrize("persona", ["officer", "coordinator", "assistant", "ombudsman_admin", "viewer"])
def test_lists_exports_and_api_records_are_masked_even_for_handlers(client, case, persona):
    client.force_login(getattr(case, persona))
    for url in (reverse("complaints:complaint_list"), reverse("complaints:complaint_export"),
                "/api/v1/complaints/", f"/api/v1/complaints/{case.complaint.pk}/"):
        response = client.get(url)
        assert response.status_code == 200 and leaks(_body(response)) == [], url


@pytest.mark.parametrize("persona", ["officer", "coordinator", "assistant", "ombudsman_admin"])
def test_the_handlers_and_the_ombudsman_see_an_ordinary_identity(client, case, persona):
    client.force_login(getattr(case, persona))
    body = client.get(reverse("complaints:complaint_detail", args=[case.complaint.pk])).content.decode()
    assert PLANTED["name"] in body and PLANTED["nik"] in body and PLANTED["phone"] in body
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_IDENTITY).exists()  # not confidential


def test_a_confidential_identity_is_shown_only_on_request_and_each_view_is_audited(client, case):
    client.force_login(case.officer)
    url = reverse("complaints:complaint_detail", args=[case.secret.pk])
    body = client.get(url).content.decode()
    assert leaks(body) == [] and 'id="reveal"' in body
    revealed = client.post(reverse("complaints:complaint_reveal", args=[case.secret.pk]))
    assert PLANTED["nik"] in revealed.content.decode() and revealed["Cache-Control"] == "private, no-store"
    api = client.get(f"/api/v1/complaints/{case.secret.pk}/identity/")
    assert api.json()["nik"] == PLANTED["nik"]
    views = AuditEntry.objects.filter(action=AuditAction.VIEW_IDENTITY, object_id=str(case.secret.pk))
    assert [e.actor for e in views] == [case.officer, case.officer]
    assert all(leaks(json.dumps([e.before, e.after, e.note, e.object_repr])) == [] for e in views)


def test_no_audit_row_holds_the_identity_in_clear(case):
    # reassign, reveal, forward: every write path has run at least once on the planted complaints
    actions.reveal_identity(actor=case.assistant, complaint=case.secret)
    actions.reassign(actor=case.coordinator, complaint=case.secret, unit=case.dpmptsp, reason="Salah alamat")
    actions.record_outcome(actor=case.officer, complaint=case.complaint, resolved=False, now=at(2025, 6, 11))
    actions.forward_to_ombudsman(actor=case.officer, complaint=case.complaint, now=at(2025, 6, 12))
    entries = list(AuditEntry.objects.all())
    # 2 complaints and 2 identities created, check, answer, reveal, reassign, outcome, the report: 10 rows
    assert len(entries) == 10
    for entry in entries:
        text = json.dumps([entry.before, entry.after, entry.note, entry.object_repr, entry.actor_label])
        assert leaks(text) == [], entry
    identity_rows = [e for e in entries if e.object_repr.startswith("identity")]
    assert len(identity_rows) == 2 and all(e.after["nik"].startswith("protected:") for e in identity_rows)
    assert all("tracking_hash" not in (e.after or {}) for e in entries)


def test_after_reassignment_the_old_units_officer_no_longer_sees_it_and_the_new_one_does(client, case):
    actions.reassign(actor=case.coordinator, complaint=case.secret, unit=case.dpmptsp, reason="Salah alamat")
    client.force_login(case.officer)
    assert client.get(reverse("complaints:complaint_detail", args=[case.secret.pk])).status_code == 404
    client.force_login(case.other_officer)
    response = client.post(reverse("complaints:complaint_reveal", args=[case.secret.pk]))
    assert response.status_code == 200 and PLANTED["nik"] in response.content.decode()
