"""Every edit page and PATCH of a record people edit carries its version (issue 10): agreements, meetings, survey
periods, services and service standards. Two people open the same page; the later save of the stale form answers 409
with the conflict page (the stored values beside the user's input, which is kept) and changes nothing; the API sends
the version as ETag and answers a stale If-Match with 412."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.forms import BoundField
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.meetings import actions as meetings
from pantau.standards import actions as standards
from pantau.surveys import actions as surveys


def form_data(form: Any) -> dict[str, Any]:
    """What a browser sends for ``form`` as shown (every field at its initial value)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        bound: BoundField = form[name]
        value = bound.value()
        widget = bound.field.widget
        if getattr(widget, "input_type", "") == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is None:
            data[bound.html_name] = ""
        else:
            data[bound.html_name] = widget.format_value(value) if hasattr(widget, "format_value") else str(value)
            if data[bound.html_name] is None:
                data[bound.html_name] = ""
    return data


def _meeting(world: Any) -> Any:
    return meetings.create_meeting(actor=world.coordinator, agreement=world.plan, data={
        "kind": "coordination", "title": "Rapat koordinasi", "date": dt.date(2021, 3, 2), "mode": "in_person",
        "place": "Aula Bupati",
    })


def _period(world: Any) -> Any:
    return surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2024, 1, 1),
                                 end_date=dt.date(2024, 6, 30), service_name="KTP-el", population=50)


def _service(world: Any) -> Any:
    return standards.create_service(actor=world.coordinator, unit=world.dukcapil, name="KTP-el")


# (page, object factory, field changed, how to read the stored value back)
PAGES: dict[str, tuple[str, Callable[[Any], Any], str, Callable[[Any], Any]]] = {
    "agreement": ("agreements:agreement_edit", lambda w: w.plan, "title", lambda o: o.title),
    "meeting": ("meetings:meeting_edit", _meeting, "title", lambda o: o.title),
    "survey period": ("surveys:period_edit", _period, "service_name", lambda o: o.service_name),
    "service": ("standards:service_edit", _service, "name", lambda o: o.name),
    "service standard": ("standards:standard_edit", _service, "title",
                         lambda o: (o.current_standard().title if o.current_standard() else "")),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_stale_edit_form_gets_the_conflict_page_and_changes_nothing(world, page):
    url_name, make, field, read = PAGES[page]
    obj = make(world)
    url = reverse(url_name, args=[obj.pk])
    first, second = Client(), Client()
    first.force_login(world.coordinator)
    second.force_login(world.coordinator if page != "agreement" else world.ombudsman_admin)
    form_first = first.get(url).context["form"]
    form_second = second.get(url).context["form"]
    assert form_first["version"].value() == form_second["version"].value() == 1

    saved = first.post(url, {**form_data(form_first), field: "Saved first"})
    assert saved.status_code == 302, saved.content.decode()[-1500:]
    stale = second.post(url, {**form_data(form_second), field: "Saved second"})

    assert stale.status_code == 409
    assert "Someone else saved this record after you opened it" in stale.content.decode()
    assert stale.context["form"][field].value() == "Saved second"  # the later input is kept
    obj.refresh_from_db()
    assert read(obj) == "Saved first"
    assert [r for r in stale.context["conflict"].rows if r.differs], "the table shows what differs"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("name, path, make, body", [
    ("agreement", "agreements", lambda w: w.plan, {"title": "Renamed"}),
    ("meeting", "meetings", _meeting, {"title": "Renamed"}),
    ("survey period", "survey-periods", _period, {"note": "Renamed"}),
    ("service", "services", _service, {"name": "Renamed"}),
])
def test_the_api_sends_etags_and_refuses_a_stale_if_match(world, name, path, make, body):
    obj = make(world)
    client = api(world.coordinator)
    url = f"/api/v1/{path}/{obj.pk}/"
    read = client.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    first = client.patch(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200, first.content
    assert first["ETag"] == '"2"'
    stale = client.patch(url, dict.fromkeys(body, "Again"), format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    obj.refresh_from_db()
    assert getattr(obj, next(iter(body))) == "Renamed"


def test_a_new_standard_sent_with_a_stale_if_match_is_refused(world):
    service = _service(world)
    client = api(world.coordinator)
    url = f"/api/v1/services/{service.pk}/standards/"
    body = {"components": {}, "title": "Versi 1"}
    assert client.post(url, body, format="json", HTTP_IF_MATCH='"1"').status_code == 201
    assert client.post(url, {**body, "title": "Versi lama"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert service.standards.count() == 1
