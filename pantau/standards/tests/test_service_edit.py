"""A service is renamed (or its description changed) by the officers who own it: page, write path and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.standards.actions import create_service, update_service


def test_an_officer_renames_a_service_of_the_unit_and_it_is_audited(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="KTP")
    update_service(actor=world.officer, service=service, name="  Penerbitan  KTP-el ", description="Baru")
    service.refresh_from_db()
    assert (service.name, service.description) == ("Penerbitan KTP-el", "Baru")
    entry = AuditEntry.objects.for_object(service).get(action=AuditAction.UPDATE)
    assert (entry.before["name"], entry.after["name"]) == ("KTP", "Penerbitan KTP-el")


def test_a_name_taken_in_the_unit_or_an_officer_of_another_unit_is_refused(world):
    first = create_service(actor=world.officer, unit=world.dukcapil, name="KTP")
    second = create_service(actor=world.officer, unit=world.dukcapil, name="KK")
    with pytest.raises(ValidationError):
        update_service(actor=world.officer, service=second, name="ktp ".upper().strip())
    with pytest.raises(PermissionDenied):
        update_service(actor=world.other_officer, service=first, name="Lain")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, second.name) == ("KTP", "KK")


def test_the_rename_page_and_the_api(world):
    service = create_service(actor=world.officer, unit=world.dukcapil, name="KTP")
    client = Client()
    client.force_login(world.officer)
    url = reverse("standards:service_edit", args=[service.pk])
    assert 'value="KTP"' in client.get(url).content.decode()
    assert client.post(url, {"name": "Penerbitan KTP-el", "description": ""}).status_code == 200  # no version
    assert client.post(url, {"name": "Penerbitan KTP-el", "description": "", "version": 1}).status_code == 302
    viewer = Client()
    viewer.force_login(world.viewer)
    assert viewer.get(url).status_code == 403
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(world.officer)
    response = api.patch(f"/api/v1/services/{service.pk}/", {"description": "Kartu identitas"}, format="json")
    assert response.status_code == 200
    service.refresh_from_db()
    assert (service.name, service.description) == ("Penerbitan KTP-el", "Kartu identitas")
    api.force_authenticate(world.viewer)
    assert api.patch(f"/api/v1/services/{service.pk}/", {"name": "x"}, format="json").status_code == 403
