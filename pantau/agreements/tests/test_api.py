"""The agreements and organizations (units) endpoints of /api/v1/: scoped, with derived fields; agreements are
written through ``agreements.actions``."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from pantau.agreements.models import Signatory
from pantau.organizations.models import Unit, UnitKind, Verification


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def titles(user, query=""):
    response = client_for(user).get("/api/v1/agreements/" + query)
    assert response.status_code == 200
    return sorted(row["title"] for row in response.json()["results"])


def test_an_assistant_of_the_regency_reads_its_mou_and_work_plan_not_the_other_regency(world):
    assert titles(world.assistant) == ["Nota Kesepakatan", "Rencana Kerja Pelayanan Publik 2020"]
    assert titles(world.outsider) == ["Rencana Kerja Muaro Jambi"]
    assert titles(world.officer) == []  # an agency without actions in the plan is no party to it
    assert client_for().get("/api/v1/agreements/").status_code == 403


def test_an_agreement_shows_its_derived_status_parties_and_signatories_by_position(world):
    Signatory.objects.create(agreement=world.plan, unit=world.regency, position="Bupati Batanghari",
                             capacity=Signatory.Capacity.SIGNED)
    Signatory.objects.create(agreement=world.plan, unit=world.office, position="Kepala Perwakilan",
                             capacity=Signatory.Capacity.SIGNED)

    body = client_for(world.coordinator).get(f"/api/v1/agreements/{world.plan.pk}/").json()

    assert body["kind"] == "work_plan"
    assert body["parent"] == world.mou.pk
    assert body["status"] == "active"  # signed, no period end, not terminated
    assert body["status_label"] == "in force"
    assert body["signed_on"] == "2020-11-18"
    assert body["government"] == {"id": world.regency.pk, "name": "Pemerintah Kabupaten Batanghari",
                                  "kind": "regional_government"}
    assert [(s["position"], s["capacity"], s["unit"]) for s in body["signatories"]] == [
        ("Bupati Batanghari", "signed", world.regency.pk), ("Kepala Perwakilan", "signed", world.office.pk),
    ]


def test_an_ended_and_a_terminated_agreement_say_so(world):
    world.plan.period_end = dt.date(2021, 12, 31)
    world.plan.save()
    world.mou.terminated_on = dt.date(2022, 1, 1)
    world.mou.save()

    client = client_for(world.coordinator)

    assert client.get(f"/api/v1/agreements/{world.plan.pk}/").json()["status"] == "expired"
    assert client.get(f"/api/v1/agreements/{world.mou.pk}/").json()["status"] == "terminated"


def test_agreements_filter_by_kind_and_refuse_unknown_kinds(world):
    assert titles(world.ombudsman_admin, "?kind=mou") == ["Nota Kesepakatan"]
    response = client_for(world.ombudsman_admin).get("/api/v1/agreements/?kind=treaty")
    assert response.status_code == 400 and "kind" in response.json()


@pytest.mark.parametrize("junk", ["abc", str(10**30), "99999"])
def test_an_invisible_or_junk_agreement_is_not_found(world, junk):
    assert client_for(world.outsider).get(f"/api/v1/agreements/{world.plan.pk}/").status_code == 404
    assert client_for(world.coordinator).get(f"/api/v1/agreements/{junk}/").status_code == 404


def test_agreements_are_written_through_the_write_path_and_a_put_on_the_agreement_is_refused(world):
    client = client_for(world.coordinator)
    response = client.post("/api/v1/agreements/", {
        "kind": "cooperation", "title": "PKS Dukcapil", "parent": world.plan.pk, "ombudsman_office": world.office.pk,
        "government": world.dukcapil.pk,
        "signatories": [{"unit": world.dukcapil.pk, "position": "Kepala Dinas", "capacity": "signed"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["signatories"][0]["position"]) == ("cooperation", "draft",
                                                                                   "Kepala Dinas")
    pk = body["id"]
    signed = client.post(f"/api/v1/agreements/{pk}/sign/", {"signed_on": "2021-05-04", "signed_place": "Muara Bulian"},
                         format="json")
    assert signed.status_code == 200 and signed.json()["period_start"] == "2021-05-04"
    typed = client.post(f"/api/v1/agreements/{pk}/addenda/", {"title": "Adendum I", "signed_on": "04/06/2021",
                                                              "summary": "x"}, format="json")
    assert typed.status_code == 400 and "signed_on" in typed.json()  # machine dates only
    amended = client.post(f"/api/v1/agreements/{pk}/addenda/", {
        "title": "Adendum I", "signed_on": "2021-06-04", "summary": "Diperpanjang", "period_end": "2023-12-31"},
        format="json")
    assert amended.status_code == 201
    assert amended.json()["versions"] == [{
        "number": 1, "title": "Adendum I", "document_number": "", "signed_on": "2021-06-04",
        "summary": "Diperpanjang", "changes": {"period_end": [None, "2023-12-31"]}, "is_extension": True}]
    assert client.put(f"/api/v1/agreements/{pk}/", {"title": "x"}, format="json").status_code == 405


def test_a_viewer_may_not_write_an_agreement_and_nothing_changes(world):
    client = client_for(world.viewer)
    assert client.patch(f"/api/v1/agreements/{world.plan.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.post(f"/api/v1/agreements/{world.plan.pk}/terminate/",
                       {"terminated_on": "2021-01-01", "reason": "x"}, format="json").status_code == 403
    world.plan.refresh_from_db()
    assert (world.plan.title, world.plan.terminated_on) == ("Rencana Kerja Pelayanan Publik 2020", None)


def test_a_document_is_uploaded_as_multipart_and_a_fake_one_refused(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.coordinator)
    ok = client.post(f"/api/v1/agreements/{world.plan.pk}/documents/", {
        "kind": "signed", "file": SimpleUploadedFile("rk.pdf", b"%PDF-1.4 x", content_type="application/pdf")},
        format="multipart")
    assert ok.status_code == 201
    assert [(d["kind"], d["original_name"]) for d in ok.json()["documents"]] == [("signed", "rk.pdf")]
    assert ok.json()["has_document"] is True
    fake = client.post(f"/api/v1/agreements/{world.plan.pk}/documents/", {
        "kind": "annex", "file": SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf")},
        format="multipart")
    assert fake.status_code == 400 and "document" in fake.json()
    assert world.plan.documents.count() == 1


def test_the_agreement_list_needs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(5):
        Signatory.objects.create(agreement=world.plan, unit=world.regency, position=f"Witness {i}",
                                 capacity=Signatory.Capacity.WITNESSED)
    # roles query, count, page, signatories, addenda, documents
    with django_assert_max_num_queries(6):
        assert client_for(world.assistant).get("/api/v1/agreements/").status_code == 200


# --- organizations (units) --------------------------------------------------------------------------------------


def unit_names(user, query=""):
    response = client_for(user).get("/api/v1/organizations/" + query)
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


def test_units_are_scoped_to_the_users_subtree(world):
    assert unit_names(world.officer) == ["Dinas Kependudukan dan Pencatatan Sipil",
                                         "UPT Pelayanan Dukcapil Muara Tembesi"]
    assert unit_names(world.outsider) == ["Pemerintah Kabupaten Muaro Jambi"]
    assert client_for(world.officer).get(f"/api/v1/organizations/{world.dpmptsp.pk}/").status_code == 404
    assert client_for().get("/api/v1/organizations/").status_code == 403


def test_a_typical_unverified_unit_is_shown_as_such(world):
    Unit.objects.create(name="UPTD Puskesmas Mersam", kind=UnitKind.SERVICE_UNIT, parent=world.mersam,
                        verification=Verification.TYPICAL)

    rows = client_for(world.district_officer).get("/api/v1/organizations/?verification=typical").json()["results"]

    assert len(rows) == 1
    assert rows[0]["verification"] == "typical"
    assert rows[0]["verification_label"] == "existence not yet confirmed by a local source"
    assert rows[0]["parent"] == world.mersam.pk
    assert rows[0]["province_code"] == "15"  # inherited from Kecamatan Mersam's region 15.04.01


def test_a_unit_shows_kind_agency_type_parent_and_region(world):
    body = client_for(world.coordinator).get(f"/api/v1/organizations/{world.dukcapil_upt.pk}/").json()

    assert body["kind"] == "service_unit"
    assert body["parent"] == world.dukcapil.pk
    assert body["region"] == "15.04.02"
    assert body["verification"] == "verified"
    dukcapil = client_for(world.coordinator).get(f"/api/v1/organizations/{world.dukcapil.pk}/").json()
    assert dukcapil["agency_type"] == "dinas"
    assert dukcapil["region"] is None


def test_units_filter_by_kind_parent_region_and_name(world):
    assert unit_names(world.coordinator, "?kind=agency") == ["Dinas Kependudukan dan Pencatatan Sipil",
                                                             "Dinas Penanaman Modal dan PTSP"]
    assert unit_names(world.coordinator, f"?parent={world.mersam.pk}") == ["Pemerintah Desa Tapah Sari"]
    assert unit_names(world.coordinator, "?region=15.04.01") == ["Kecamatan Mersam"]
    assert unit_names(world.coordinator, "?q=ptsp") == ["Dinas Penanaman Modal dan PTSP"]
    assert client_for(world.coordinator).get("/api/v1/organizations/?parent=x").status_code == 400
    assert client_for(world.coordinator).get("/api/v1/organizations/?kind=club").status_code == 400
