"""Entering services and standards (form, write path, API): exact stored values, gaps become findings and close
when filled, who may write (REPORT_PROGRESS: the unit's officers and the coordinator), scoping."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.findings.models import Finding
from pantau.standards.actions import completeness_of, create_service, record_standard
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS
from pantau.standards.models import Service, ServiceStandard, StandardComponent

ON = dt.date(2024, 3, 1)
LACKING = ("jumlah_pelaksana", "evaluasi_kinerja_pelaksana")


def partial_components():
    """12 of 14 present (two management components lacking); every delivery component published but the tariff."""
    return {code: (None if code in LACKING else f"Isi {code}", code in DELIVERY_COMPONENTS and code != "biaya_tarif")
            for code in ALL_COMPONENTS}


def counts():
    return (Service.objects.count(), ServiceStandard.objects.count(), StandardComponent.objects.count(),
            Finding.objects.count(), AuditEntry.objects.exclude(action=AuditAction.LOGIN).count())


def test_an_officer_records_a_service_and_its_standard_and_the_gaps_become_findings(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="  Penerbitan   KTP-el ")
    standard = record_standard(
        actor=world.officer, service=service, components=partial_components(), decree_number="SK 12/2024",
        adopted_on=dt.date(2024, 2, 1), maklumat_text="Kami sanggup...", maklumat_adopted=True, detected_on=ON,
    )
    assert service.name == "Penerbitan KTP-el"
    state = completeness_of(standard)
    assert (state.present_count, state.missing, state.unpublished_delivery) == (12, LACKING, ("biaya_tarif",))
    assert (state.sp_complete, state.sp_publishable_ok) == (False, False)
    assert StandardComponent.objects.get(standard=standard, code="jumlah_pelaksana").content is None
    assert StandardComponent.objects.get(standard=standard, code="persyaratan").content == "Isi persyaratan"
    prefix = f"standard:service-{service.pk}:"
    assert sorted(f.source_key for f in Finding.objects.filter(closed_on__isnull=True)) == sorted(
        [prefix + "jumlah_pelaksana", prefix + "evaluasi_kinerja_pelaksana", prefix + "biaya_tarif:published"])
    # a complete, fully published second version closes the three findings
    full = {code: (f"Isi {code}", code in DELIVERY_COMPONENTS) for code in ALL_COMPONENTS}
    second = record_standard(actor=world.coordinator, service=service, components=full, maklumat_adopted=True,
                             adopted_on=dt.date(2024, 6, 1), detected_on=dt.date(2024, 6, 2))
    assert completeness_of(second).sp_complete and completeness_of(second).sp_publishable_ok
    assert Finding.objects.filter(closed_on__isnull=True).count() == 0
    assert Finding.objects.filter(closed_on=dt.date(2024, 6, 2)).count() == 3
    assert service.current_standard() == second and ServiceStandard.objects.count() == 2


def test_others_may_not_write_and_nothing_changes(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    for user in (world.other_officer, world.assistant, world.viewer, world.outsider, world.ombudsman_admin):
        with pytest.raises(PermissionDenied):
            record_standard(actor=user, service=service, components=partial_components())
        with pytest.raises(PermissionDenied):
            create_service(actor=user, unit=world.dukcapil, name="Lain")
    assert counts() == before


@pytest.mark.parametrize("components", [
    {"dasar_hukum": ("UU 25/2009", True)},  # a management component is never "published"
    {"persyaratan": (None, True)},  # a missing component cannot be published
    {"nonsense": ("x", False)},
])
def test_invalid_standards_are_refused_with_nothing_saved(world, components):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    with pytest.raises(ValidationError):
        record_standard(actor=world.officer, service=service, components=components)
    assert counts() == before


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_forms_create_a_service_and_record_its_standard(world):
    client = client_for(world.officer)
    response = client.post(f"/units/{world.dukcapil.pk}/services/new/", {"name": "Penerbitan KTP-el"})
    service = Service.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/services/{service.pk}/standard/"
    html = client.get(f"/services/{service.pk}/standard/").content.decode()
    assert 'style="' not in html and not INLINE_SCRIPT.search(html) and "published_biaya_tarif" in html
    assert "published_dasar_hukum" not in html
    data = {"decree_number": "SK 12/2024", "adopted_on": "1 Februari 2024", "maklumat_adopted": "on",
            "publication_media": "papan informasi\nsitus web", "version": service.version}
    for code, (text, published) in partial_components().items():
        data[f"text_{code}"] = text or ""
        if published:
            data[f"published_{code}"] = "on"
    response = client.post(f"/services/{service.pk}/standard/", data)
    assert response.status_code == 302
    standard = ServiceStandard.objects.get()
    assert (standard.decree_number, str(standard.adopted_on), standard.maklumat_adopted,
            standard.publication_media) == ("SK 12/2024", "2024-02-01", True, "papan informasi\nsitus web")
    assert completeness_of(standard).present_count == 12
    html = client.get(f"/units/{world.dukcapil.pk}/standards/").content.decode()
    assert 'id="add-service"' in html and f"/services/{service.pk}/standard/" in html


def test_the_forms_refuse_others(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    assert client_for(world.other_officer).post(f"/services/{service.pk}/standard/", {}).status_code == 404
    assert client_for(world.assistant).post(f"/services/{service.pk}/standard/", {}).status_code == 403
    assert client_for(world.assistant).post(f"/units/{world.dukcapil.pk}/services/new/",
                                            {"name": "X"}).status_code == 403
    assert client_for(world.outsider).get(f"/units/{world.dukcapil.pk}/services/new/").status_code == 404
    html = client_for(world.assistant).get(f"/units/{world.dukcapil.pk}/standards/").content.decode()
    assert 'id="add-service"' not in html
    assert counts() == before


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_services_api_reports_completeness_and_writes_through_the_services(world):
    created = api(world.officer).post("/api/v1/services/", {"unit": world.dukcapil.pk, "name": "Penerbitan KTP-el"},
                                      format="json")
    assert created.status_code == 201 and created.data["current_standard"] is None
    assert created.data["completeness"]["present_count"] == 0
    pk = created.data["id"]
    payload = {"components": {code: {"content": text, "published": published}
                              for code, (text, published) in partial_components().items()},
               "maklumat_adopted": True, "decree_number": "SK 12/2024"}
    response = api(world.officer).post(f"/api/v1/services/{pk}/standards/", payload, format="json")
    assert response.status_code == 201, response.data
    assert response.data["completeness"] == {
        "present_count": 12, "missing": list(LACKING), "unpublished_delivery": ["biaya_tarif"],
        "sp_complete": False, "sp_publishable_ok": False}
    assert api(world.coordinator).get("/api/v1/services/?complete=false").data["count"] == 1
    assert api(world.coordinator).get("/api/v1/services/?complete=true").data["count"] == 0
    before = counts()
    assert api(world.assistant).post(f"/api/v1/services/{pk}/standards/", payload, format="json").status_code == 403
    assert api(world.other_officer).post(f"/api/v1/services/{pk}/standards/", payload,
                                         format="json").status_code == 404
    bad = api(world.officer).post(f"/api/v1/services/{pk}/standards/",
                                  {"components": {"dasar_hukum": {"content": "UU", "published": True}}},
                                  format="json")
    assert bad.status_code == 400 and "dasar_hukum" in bad.data
    assert api(world.outsider).get(f"/api/v1/services/{pk}/").status_code == 404
    assert api(world.outsider).get("/api/v1/services/").data["count"] == 0
    assert counts() == before
