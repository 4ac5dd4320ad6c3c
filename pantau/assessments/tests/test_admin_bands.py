"""Correcting provisional bands in the admin keeps every score in exactly one band; weights are read-only."""

from decimal import Decimal

import pytest
from django.test import Client

from pantau.assessments.models import Band, Dimension


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world.superuser)
    return client


def bands_2022():
    return {b.code: b for b in Band.objects.filter(edition__code="ombudsman-2022")}


def post_band(client, band, bound):
    return client.post(f"/admin/assessments/band/{band.pk}/change/", {
        "label": band.label, "lower_bound": str(bound), "is_provisional": "on", "source_note": band.source_note,
    })


def test_a_bound_moves_between_its_neighbours(admin_client):
    a = bands_2022()["A"]
    assert post_band(admin_client, a, "87.00").status_code == 302  # B starts at 78, so 87 is fine
    assert Band.objects.get(pk=a.pk).lower_bound == Decimal("87.00")


@pytest.mark.parametrize(("code", "bound"), [("A", "77.00"), ("A", "100.01"), ("E", "5.00"), ("C", "88.00")])
def test_a_bound_that_breaks_the_order_or_leaves_a_gap_is_refused(admin_client, code, bound):
    band = bands_2022()[code]
    before = band.lower_bound
    response = post_band(admin_client, band, bound)
    assert response.status_code == 200  # the form again, with the error
    assert Band.objects.get(pk=band.pk).lower_bound == before


def test_dimension_weights_cannot_be_edited_one_at_a_time(admin_client):
    dim = Dimension.objects.filter(edition__code="ombudsman-2022").first()
    admin_client.post(f"/admin/assessments/dimension/{dim.pk}/change/", {"weight": "99"})
    assert Dimension.objects.get(pk=dim.pk).weight == dim.weight
