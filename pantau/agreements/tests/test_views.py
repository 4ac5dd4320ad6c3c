"""Agreement pages: the list, the agreement page with its plans, meetings, documents, addenda and history; create,
edit, signatories, sign, amend and terminate through the write path; permission-checked document downloads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pantau.agreements import actions as write
from pantau.agreements.models import Agreement, AgreementKind, DocumentKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_list_shows_what_the_user_may_see(world):
    page = client_for(world.coordinator).get(reverse("agreements:agreement_list")).content.decode()
    assert "Rencana Kerja Pelayanan Publik 2020" in page and "Rencana Kerja Muaro Jambi" not in page
    assert "?kind=cooperation" in page  # may create
    viewer_page = client_for(world.viewer).get(reverse("agreements:agreement_list")).content.decode()
    assert "?kind=cooperation" not in viewer_page


def test_the_coordinator_creates_a_pks_under_the_work_plan_typing_dates_the_indonesian_way(world):
    client = client_for(world.coordinator)
    url = reverse("agreements:agreement_create") + f"?kind=cooperation&parent={world.plan.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "title": "PKS Ombudsman Jambi - Dukcapil", "number": "", "parent": world.plan.pk,
        "ombudsman_office": world.office.pk, "government": world.dukcapil.pk, "period_start": "1 Juni 2021",
        "period_end": "31/12/2022", "summary": "", "source_url": "",
    })
    pks = Agreement.objects.get(kind=AgreementKind.COOPERATION)
    assert response.status_code == 302 and response["Location"] == reverse("agreements:signatories", args=[pks.pk])
    assert (str(pks.period_start), str(pks.period_end), pks.is_signed) == ("2021-06-01", "2022-12-31", False)
    response = client.post(reverse("agreements:signatories", args=[pks.pk]), {
        "s-TOTAL_FORMS": "2", "s-INITIAL_FORMS": "0", "s-MIN_NUM_FORMS": "0", "s-MAX_NUM_FORMS": "30",
        "s-0-unit": world.dukcapil.pk, "s-0-position": "Kepala Dinas", "s-0-capacity": "signed",
        "s-1-unit": "", "s-1-position": "", "s-1-capacity": "",
    })
    assert response.status_code == 302
    assert list(pks.signatories.values_list("position", flat=True)) == ["Kepala Dinas"]
    page = client.get(reverse("agreements:agreement_detail", args=[world.plan.pk])).content.decode()
    assert "PKS Ombudsman Jambi - Dukcapil" in page  # the plan shows the PKS under it


def test_signing_on_the_page_stores_the_checked_document_served_only_to_viewers_of_the_agreement(world):
    draft = write.create_agreement(actor=world.coordinator, data={
        "kind": "cooperation", "title": "PKS", "parent": world.plan, "ombudsman_office": world.office,
        "government": world.dukcapil})
    client = client_for(world.coordinator)
    response = client.post(reverse("agreements:agreement_sign", args=[draft.pk]), {
        "signed_on": "4 Mei 2021", "signed_place": "Muara Bulian", "period_start": "",
        "document": SimpleUploadedFile("pks.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    document = draft.documents.get()
    assert document.kind == DocumentKind.SIGNED
    download = client_for(world.viewer).get(reverse("agreements:document_download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(world.outsider).get(
        reverse("agreements:document_download", args=[document.pk])).status_code == 404
    page = client.get(reverse("agreements:agreement_detail", args=[draft.pk])).content.decode()
    assert "pks.pdf" in page and "signed" in page


def test_an_addendum_on_the_page_extends_the_period_and_shows_what_changed(world):
    write.update_agreement(actor=world.coordinator, agreement=world.plan, data={"period_end": dt.date(2021, 12, 31)})
    client = client_for(world.ombudsman_admin)
    response = client.post(reverse("agreements:addendum_create", args=[world.plan.pk]), {
        "title": "Adendum I", "document_number": "", "signed_on": "20 Desember 2021",
        "summary": "Masa berlaku diperpanjang.", "new_period_end": "31 Desember 2022", "new_period_start": "",
        "new_title": ""})
    assert response.status_code == 302
    page = client.get(reverse("agreements:agreement_detail", args=[world.plan.pk])).content.decode()
    assert "Adendum I" in page and "Masa berlaku diperpanjang." in page
    assert "<del>2021-12-31</del> → <ins>2022-12-31</ins>" in page


def test_who_may_not_manage_gets_403_and_outsiders_404(world):
    for name in ("agreement_edit", "signatories", "addendum_create", "agreement_terminate"):
        url = reverse(f"agreements:{name}", args=[world.plan.pk])
        assert client_for(world.viewer).get(url).status_code == 403, name
        assert client_for(world.outsider).get(url).status_code == 404, name
    assert client_for(world.viewer).get(reverse("agreements:agreement_create") + "?kind=mou").status_code == 403
    response = client_for(world.viewer).post(reverse("agreements:agreement_terminate", args=[world.plan.pk]),
                                             {"terminated_on": "1/1/2022", "reason": "x"})
    assert response.status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.terminated_on is None


def test_the_agreement_page_lists_its_meetings_with_links_and_its_history(world):
    from pantau.meetings import actions as meetings

    meeting = meetings.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "signing", "title": "Penandatanganan", "date": dt.date(2020, 11, 18), "mode": "online"})
    write.update_agreement(actor=world.coordinator, agreement=world.plan, data={"number": "001/RK/2020"})
    page = client_for(world.viewer).get(reverse("agreements:agreement_detail", args=[world.plan.pk])).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page
    assert "001/RK/2020" in page and "History" in page


def test_the_agreement_list_needs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(5):
        write.create_agreement(actor=world.coordinator, data={
            "kind": "cooperation", "title": f"PKS {i}", "parent": world.plan, "ombudsman_office": world.office,
            "government": world.dukcapil})
    client = client_for(world.coordinator)
    # session, user, grants, agreements (parties and parent joined), may-create check, unread notifications badge
    with django_assert_max_num_queries(6):
        assert client.get(reverse("agreements:agreement_list")).status_code == 200
