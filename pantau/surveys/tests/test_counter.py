"""Issue 15: the staff page of a survey period shows the questionnaire's full address and links a printable page
with its QR code; the page is scoped like the survey page."""

import datetime as dt

from pantau.surveys import actions as services


def _period(world, public_form=True):
    return services.create_period(
        actor=world.coordinator, unit=world.dukcapil, service_name="KTP-el", population=10,
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31), public_form=public_form,
    )


def test_the_survey_page_shows_the_full_address_and_the_counter_page_its_qr_code(client, world):
    period = _period(world)
    client.force_login(world.coordinator)
    html = client.get(f"/surveys/{period.pk}/").content.decode()
    assert f"http://testserver/skm/{period.pk}/" in html
    assert f'href="/surveys/{period.pk}/counter/"' in html
    counter = client.get(f"/surveys/{period.pk}/counter/")
    assert counter.status_code == 200
    body = counter.content.decode()
    assert 'id="counter-qr"' in body and "data:image/svg+xml" in body
    assert f"http://testserver/skm/{period.pk}/" in body


def test_the_counter_page_is_scoped_and_needs_an_open_form(client, world):
    period = _period(world)
    client.force_login(world.outsider)
    assert client.get(f"/surveys/{period.pk}/counter/").status_code == 404
    closed = _period(world, public_form=False)
    client.force_login(world.coordinator)
    assert client.get(f"/surveys/{closed.pk}/counter/").status_code == 404
