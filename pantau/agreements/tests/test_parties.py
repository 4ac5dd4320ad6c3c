"""The parties of an agreement: the Ombudsman office of the government's own province, each side changing only its
own party, and never once signed (found by the adversarial trial: a coordinator swapped the Ombudsman party of the
signed work plan for another province's office, whose admin then took it over)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from pantau.agreements import actions as write
from pantau.agreements.models import Agreement, AgreementKind
from pantau.conftest import make_region, make_user
from pantau.organizations.models import Unit, UnitKind


@pytest.fixture
def sumsel(world):
    make_region("16", "Sumatera Selatan")
    office = Unit.objects.create(name="Ombudsman RI Perwakilan Sumatera Selatan", kind=UnitKind.OMBUDSMAN_OFFICE,
                                 region_id="16")
    return make_user("sumsel_admin", "ombudsman_admin", office), office


def stored(plan):
    return Agreement.objects.filter(pk=plan.pk).values_list("ombudsman_office_id", "government_id", "title").get()


def test_a_coordinator_cannot_swap_the_ombudsman_party_of_a_signed_plan(world, sumsel):
    _admin, office = sumsel
    before = stored(world.plan)
    with pytest.raises((PermissionDenied, ValidationError)):
        write.update_agreement(actor=world.coordinator, agreement=world.plan, data={"ombudsman_office": office})
    assert stored(world.plan) == before


def test_the_api_refuses_the_swap_and_nothing_changes(world, sumsel):
    _admin, office = sumsel
    before = stored(world.plan)
    client = APIClient()
    client.force_authenticate(world.coordinator)
    response = client.patch(f"/api/v1/agreements/{world.plan.pk}/", {"ombudsman_office": office.pk}, format="json")
    assert response.status_code in (400, 403)
    assert stored(world.plan) == before


def test_an_office_of_another_province_cannot_be_a_party(world, sumsel):
    _admin, office = sumsel
    count = Agreement.objects.count()
    with pytest.raises(ValidationError) as refused:
        write.create_agreement(actor=world.coordinator, data={
            "kind": AgreementKind.MOU, "title": "Nota Kesepakatan lain", "ombudsman_office": office,
            "government": world.regency})
    assert "ombudsman_office" in refused.value.message_dict
    assert Agreement.objects.count() == count


def test_in_a_draft_each_side_changes_only_its_own_party(world, sumsel):
    draft = write.create_agreement(actor=world.coordinator, data={
        "kind": AgreementKind.MOU, "title": "Draf", "ombudsman_office": world.office, "government": world.regency})
    # the coordinator manages the government, not the Ombudsman party
    with pytest.raises(PermissionDenied):
        write.update_agreement(actor=world.coordinator, agreement=draft, data={"government": world.other_regency})
    draft.refresh_from_db()
    assert draft.government == world.regency


def test_the_office_picker_offers_only_offices_of_the_users_provinces(world, sumsel):
    from pantau.agreements.forms import AgreementForm

    form = AgreementForm(user=world.coordinator, kind=AgreementKind.MOU)
    assert list(form.fields["ombudsman_office"].queryset) == [world.office]
