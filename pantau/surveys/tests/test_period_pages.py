"""Survey periods are created and edited on a page (and over the API) by the officers who own them: Indonesian
dates and numbers, the write path's checks, audit, scoping."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.surveys import actions as services
from pantau.surveys.models import SurveyPeriod


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_creates_a_period_of_the_unit_typing_indonesian_dates_and_numbers(world):
    client = client_for(world.officer)
    assert client.get(reverse("surveys:period_create")).status_code == 200
    response = client.post(reverse("surveys:period_create"), {
        "unit": world.dukcapil.pk, "service_name": "KTP-el", "start_date": "1 Juli 2024",
        "end_date": "31/12/2024", "population": "2.200", "public_form": "on", "note": ""})
    period = SurveyPeriod.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:period_detail",
                                                                           args=[period.pk])
    # "2.200" is two thousand two hundred in Indonesian notation (Krejcie & Morgan N = 2200)
    assert (period.unit, period.start_date, period.end_date, period.population, period.public_form) == (
        world.dukcapil, dt.date(2024, 7, 1), dt.date(2024, 12, 31), 2200, True)


def test_the_unit_choice_offers_only_units_the_user_manages_surveys_for(world):
    response = client_for(world.officer).post(reverse("surveys:period_create"), {
        "unit": world.dpmptsp.pk, "start_date": "1 Juli 2024", "end_date": "31/12/2024"})
    assert response.status_code == 200 and not SurveyPeriod.objects.exists()
    assert client_for(world.viewer).get(reverse("surveys:period_create")).status_code == 403


def test_an_officer_edits_the_period_and_a_bad_order_of_dates_is_refused(world):
    period = services.create_period(actor=world.officer, unit=world.dukcapil, start_date=dt.date(2024, 7, 1),
                                    end_date=dt.date(2024, 12, 31))
    client = client_for(world.officer)
    url = reverse("surveys:period_edit", args=[period.pk])
    bad = client.post(url, {"service_name": "", "start_date": "1 Juli 2024", "end_date": "30 Juni 2024",
                            "version": 1})
    assert bad.status_code == 200 and "The end date cannot be before the start date." in bad.content.decode()
    ok = client.post(url, {"service_name": "Akta", "start_date": "1 Juli 2024", "end_date": "30 September 2024",
                           "population": "400", "version": 1})
    assert ok.status_code == 302
    period.refresh_from_db()
    assert (period.service_name, period.end_date, period.population) == ("Akta", dt.date(2024, 9, 30), 400)
    assert AuditEntry.objects.for_object(period).filter(action=AuditAction.UPDATE).count() == 1
    assert client_for(world.other_officer).get(url).status_code == 404  # DPMPTSP does not see Dukcapil's period
    assert client_for(world.viewer).get(url).status_code == 403


def test_periods_over_the_api(world):
    api = APIClient()
    api.force_authenticate(world.officer)
    created = api.post("/api/v1/survey-periods/", {"unit": world.dukcapil.pk, "start_date": "2024-07-01",
                                                   "end_date": "2024-12-31", "population": 300}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    patched = api.patch(f"/api/v1/survey-periods/{pk}/", {"start_date": "2024-07-01", "end_date": "2024-08-31"},
                        format="json")
    assert patched.status_code == 200 and patched.json()["end_date"] == "2024-08-31"
    typed = api.patch(f"/api/v1/survey-periods/{pk}/", {"start_date": "1/7/2024", "end_date": "2024-08-31"},
                      format="json")
    assert typed.status_code == 400
    api.force_authenticate(world.viewer)
    assert api.patch(f"/api/v1/survey-periods/{pk}/", {"start_date": "2024-07-01", "end_date": "2024-07-31"},
                     format="json").status_code == 403
    assert SurveyPeriod.objects.get().end_date == dt.date(2024, 8, 31)
