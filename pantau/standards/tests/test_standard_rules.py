"""Rules of recording a standard: findings follow the service's CURRENT standard (a back-dated version neither closes
nor raises gaps), the adoption date lies in 2000-01-01 .. today, free text is capped at 10,000 characters, and the
API's messages are translated."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.findings.models import Finding
from pantau.standards import actions as services
from pantau.standards import api as standards_api
from pantau.standards.actions import create_service, record_standard
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS
from pantau.standards.models import Service, ServiceStandard, StandardComponent

LACKING = ("jumlah_pelaksana", "evaluasi_kinerja_pelaksana")
PARTIAL = {code: (None if code in LACKING else f"Isi {code}", code in DELIVERY_COMPONENTS) for code in ALL_COMPONENTS}
FULL = {code: (f"Isi {code}", code in DELIVERY_COMPONENTS) for code in ALL_COMPONENTS}


def counts():
    return (Service.objects.count(), ServiceStandard.objects.count(), StandardComponent.objects.count(),
            Finding.objects.count(), AuditEntry.objects.exclude(action=AuditAction.LOGIN).count())


def open_keys(service):
    prefix = f"standard:service-{service.pk}:"
    return sorted(f.source_key.removeprefix(prefix) for f in Finding.objects.filter(closed_on__isnull=True))


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_back_dated_complete_version_does_not_close_the_gaps_of_the_current_one(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    record_standard(actor=world.officer, service=service, components=PARTIAL, maklumat_adopted=True,
                    adopted_on=dt.date(2024, 2, 1), detected_on=dt.date(2024, 3, 1))
    assert open_keys(service) == ["evaluasi_kinerja_pelaksana", "jumlah_pelaksana"]
    old = record_standard(actor=world.officer, service=service, components=FULL, maklumat_adopted=True,
                          adopted_on=dt.date(2020, 1, 10), detected_on=dt.date(2024, 6, 2))
    assert service.current_standard() != old
    assert open_keys(service) == ["evaluasi_kinerja_pelaksana", "jumlah_pelaksana"]
    assert Finding.objects.filter(closed_on__isnull=False).count() == 0


def test_a_back_dated_partial_version_raises_no_gaps_over_a_complete_current_one(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    record_standard(actor=world.officer, service=service, components=FULL, maklumat_adopted=True,
                    adopted_on=dt.date(2024, 2, 1), detected_on=dt.date(2024, 3, 1))
    assert Finding.objects.count() == 0
    record_standard(actor=world.officer, service=service, components=PARTIAL, adopted_on=dt.date(2019, 5, 1),
                    detected_on=dt.date(2024, 6, 2))
    assert Finding.objects.count() == 0


def test_a_newer_version_still_closes_the_gaps(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    record_standard(actor=world.officer, service=service, components=PARTIAL, maklumat_adopted=True,
                    adopted_on=dt.date(2024, 2, 1), detected_on=dt.date(2024, 3, 1))
    record_standard(actor=world.officer, service=service, components=FULL, maklumat_adopted=True,
                    adopted_on=dt.date(2024, 5, 1), detected_on=dt.date(2024, 6, 2))
    assert open_keys(service) == []
    assert Finding.objects.filter(closed_on=dt.date(2024, 6, 2)).count() == 2


@pytest.mark.parametrize("adopted_on", [dt.date(1999, 12, 31), dt.date.today() + dt.timedelta(days=1)])
def test_an_adoption_date_outside_2000_to_today_is_refused_and_nothing_changes(world, adopted_on):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record_standard(actor=world.officer, service=service, components=FULL, adopted_on=adopted_on)
    assert list(caught.value.message_dict) == ["adopted_on"]
    data = {f"text_{code}": text for code, (text, _published) in FULL.items()}
    response = client_for(world.officer).post(f"/services/{service.pk}/standard/",
                                              {**data, "adopted_on": adopted_on.isoformat()})
    assert response.status_code == 200 and "adopted_on" in response.context["form"].errors
    payload = {"components": {code: {"content": text} for code, (text, _published) in FULL.items()},
               "adopted_on": adopted_on.isoformat()}
    bad = api(world.officer).post(f"/api/v1/services/{service.pk}/standards/", payload, format="json")
    assert bad.status_code == 400 and "adopted_on" in bad.data
    assert counts() == before


def test_the_bounds_of_the_adoption_date_are_accepted():
    services.check_adopted_on(None)
    services.check_adopted_on(dt.date(2000, 1, 1))
    services.check_adopted_on(dt.date(2024, 8, 20), today=dt.date(2024, 8, 20))
    with pytest.raises(ValidationError):
        services.check_adopted_on(dt.date(2024, 8, 21), today=dt.date(2024, 8, 20))


def test_free_text_longer_than_10000_characters_is_refused_everywhere(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    long = "x" * 10_001
    with pytest.raises(ValidationError) as caught:
        record_standard(actor=world.officer, service=service, components={**FULL, "persyaratan": (long, True)})
    assert list(caught.value.message_dict) == ["persyaratan"]
    for field in ("note", "maklumat_text", "publication_media"):
        with pytest.raises(ValidationError) as caught:
            record_standard(actor=world.officer, service=service, components=FULL, **{field: long})
        assert list(caught.value.message_dict) == [field]
    with pytest.raises(ValidationError) as caught:
        create_service(actor=world.officer, unit=world.dukcapil, name="Lain", description=long)
    assert list(caught.value.message_dict) == ["description"]
    response = client_for(world.officer).post(f"/units/{world.dukcapil.pk}/services/new/",
                                              {"name": "Lain", "description": long})
    assert response.status_code == 200 and "description" in response.context["form"].errors
    response = client_for(world.officer).post(f"/services/{service.pk}/standard/", {"text_persyaratan": long})
    assert response.status_code == 200 and "text_persyaratan" in response.context["form"].errors
    bad = api(world.officer).post("/api/v1/services/", {"unit": world.dukcapil.pk, "name": "Lain",
                                                        "description": long}, format="json")
    assert bad.status_code == 400 and "description" in bad.data
    bad = api(world.officer).post(f"/api/v1/services/{service.pk}/standards/",
                                  {"components": {"persyaratan": {"content": long}}}, format="json")
    assert bad.status_code == 400 and "components" in bad.data
    bad = api(world.officer).post(f"/api/v1/services/{service.pk}/standards/",
                                  {"components": {}, "note": long}, format="json")
    assert bad.status_code == 400 and "note" in bad.data
    assert counts() == before


def test_the_api_s_unknown_components_message_goes_through_gettext(world, monkeypatch):
    monkeypatch.setattr(standards_api, "_", lambda text: f"<{text}>")
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    before = counts()
    bad = api(world.officer).post(f"/api/v1/services/{service.pk}/standards/",
                                  {"components": {"nonsense": {"content": "x"}}}, format="json")
    assert bad.status_code == 400 and bad.data["components"] == ["<Unknown components: nonsense>"]
    assert counts() == before
