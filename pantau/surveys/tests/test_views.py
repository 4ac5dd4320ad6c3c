"""The public questionnaire (no login, honeypot, rate limit), the staff pages and the read-only API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pantau.audit.models import AuditEntry
from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.surveys import actions as services
from pantau.surveys import views
from pantau.surveys.models import IkmResult, Response
from pantau.surveys.tests.helpers import csv_bytes, t1_rows

ANSWERS = {f"U{i}": "3" for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


@pytest.fixture
def open_period(world):
    today = dt.date.today()
    return services.create_period(actor=world.coordinator, unit=world.dukcapil, service_name="KTP-el",
                                  start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=10),
                                  public_form=True)


def test_a_member_of_the_public_answers_without_logging_in(client, open_period):
    page = client.get(reverse("surveys:public_form", args=[open_period.pk]))
    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(page.content.decode()) and b"style=" not in page.content
    answer = client.post(reverse("surveys:public_form", args=[open_period.pk]), {**ANSWERS, "U3": "1", "age": "40"})
    assert answer.status_code == 302
    response = Response.objects.get()
    assert (response.u3, response.u1, response.age, response.source) == (1, 3, 40, "public_form")
    assert response.province_code == "15"


def test_a_missing_answer_shows_the_form_again_and_saves_nothing(client, open_period):
    data = {k: v for k, v in ANSWERS.items() if k != "U9"}
    page = client.post(reverse("surveys:public_form", args=[open_period.pk]), data)
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"U9"}
    assert Response.objects.count() == 0


def test_a_filled_honeypot_is_thanked_but_not_saved(client, open_period):
    answer = client.post(reverse("surveys:public_form", args=[open_period.pk]), {**ANSWERS, "website": "spam"})
    assert answer.status_code == 302
    assert Response.objects.count() == 0


def test_too_many_answers_from_one_address_are_refused(client, open_period, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_RATE_LIMIT", 2)
    url = reverse("surveys:public_form", args=[open_period.pk])
    assert [client.post(url, ANSWERS).status_code for _ in range(3)] == [302, 302, 429]
    assert Response.objects.count() == 2


def test_wrong_attempts_do_not_use_up_the_limit(client, open_period, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_RATE_LIMIT", 2)
    url = reverse("surveys:public_form", args=[open_period.pk])
    incomplete = {k: v for k, v in ANSWERS.items() if k != "U9"}
    assert [client.post(url, incomplete).status_code for _ in range(5)] == [200] * 5
    assert client.post(url, ANSWERS).status_code == 302
    assert Response.objects.count() == 1


def test_the_rate_limit_key_does_not_contain_the_address(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    from pantau.core.ratelimit import client_key

    assert "203.0.113.7" not in client_key(request, "surveys:public")


def test_a_closed_or_private_period_has_no_public_form(client, world, open_period):
    private = services.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2020, 1, 1),
                                     end_date=dt.date(2030, 1, 1))
    assert client.get(reverse("surveys:public_form", args=[private.pk])).status_code == 404
    past = services.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2020, 1, 1),
                                  end_date=dt.date(2020, 6, 30), public_form=True)
    assert client.post(reverse("surveys:public_form", args=[past.pk]), ANSWERS).status_code == 404
    assert Response.objects.count() == 0


def test_a_coordinator_imports_and_computes_from_the_results_page(client, world, open_period):
    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("t1.csv", csv_bytes(t1_rows()), content_type="text/csv")
    assert client.post(reverse("surveys:period_import", args=[open_period.pk]), {"file": upload}).status_code == 302
    assert client.post(reverse("surveys:period_compute", args=[open_period.pk]), {"weight": "exact"}).status_code == 302
    result = IkmResult.objects.get()
    assert (result.ikm, result.grade) == (Decimal("85.00"), "B")
    page = client.get(reverse("surveys:period_detail", args=[open_period.pk]))
    assert page.status_code == 200
    assert b"85.00" in page.content and b"Waktu penyelesaian" in page.content
    assert b"style=" not in page.content
    listing = client.get(reverse("surveys:period_list"))
    assert list(listing.context["periods"]) == [open_period]


def test_a_bad_upload_lists_every_error_and_saves_nothing(client, world, open_period):
    client.force_login(world.coordinator)
    rows = t1_rows()
    rows[0][1] = 5
    rows[1][2] = "x"
    upload = SimpleUploadedFile("bad.csv", csv_bytes(rows), content_type="text/csv")
    page = client.post(reverse("surveys:period_import", args=[open_period.pk]), {"file": upload})
    assert page.status_code == 400
    assert len(page.context["errors"]) == 2
    assert Response.objects.count() == 0


def test_a_viewer_sees_results_but_cannot_import(client, world, open_period):
    client.force_login(world.viewer)
    assert client.get(reverse("surveys:period_detail", args=[open_period.pk])).context["can_manage"] is False
    entries = AuditEntry.objects.count()
    upload = SimpleUploadedFile("t1.csv", csv_bytes(t1_rows()), content_type="text/csv")
    assert client.post(reverse("surveys:period_import", args=[open_period.pk]), {"file": upload}).status_code == 403
    assert (Response.objects.count(), AuditEntry.objects.count()) == (0, entries)


def test_an_outsider_gets_404_on_a_period_outside_the_scope(client, world, open_period):
    client.force_login(world.outsider)
    assert client.get(reverse("surveys:period_detail", args=[open_period.pk])).status_code == 404


def test_the_api_lists_periods_and_results_within_scope(client, world, open_period):
    services.import_responses(actor=world.coordinator, period=open_period, data=csv_bytes(t1_rows()),
                              file_name="t1.csv")
    computed = services.compute_result(actor=world.coordinator, period=open_period)
    client.force_login(world.viewer)
    assert client.get(f"/api/v1/ikm-results/?period={open_period.pk}").json()["count"] == 0  # a draft
    services.publish_result(actor=world.assistant, result=computed)
    periods = client.get("/api/v1/survey-periods/").json()
    assert [p["id"] for p in periods["results"]] == [open_period.pk]
    [result] = client.get(f"/api/v1/ikm-results/?period={open_period.pk}").json()["results"]
    assert (result["ikm"], result["grade"], result["weight_variant"]) == ("85.00", "B", "exact")
    assert result["elements"][2] == {"code": "U3", "term": "Waktu penyelesaian", "nrr": "3.0000",
                                     "converted": "75.00", "grade": "C"}
    client.force_login(world.outsider)
    assert client.get("/api/v1/survey-periods/").json()["count"] == 0
