"""Forms saved once: a double click, a re-post or two tabs create one record (found by the adversarial trial:
complaints and meetings posted twice were saved twice)."""

import re

from django.core.cache import cache
from django.test import Client

from pantau.complaints.models import Complaint


def form_token(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def test_the_public_complaint_form_posted_twice_saves_one_complaint(world):
    cache.clear()
    client = Client()
    url = f"/pengaduan/{world.regency.pk}/"
    token = form_token(client.get(url).content.decode())
    sent = {"subject": "Antrean panjang", "description": "Tiga jam menunggu di loket.", "name": "Budi",
            "once": token}
    first = client.post(url, sent)
    second = client.post(url, sent)
    assert first.status_code == 302
    assert second.status_code == 200 and "already sent" in second.content.decode()
    assert Complaint.objects.count() == 1


def test_a_form_refused_for_another_reason_can_be_corrected_and_sent_with_the_same_token(world):
    cache.clear()
    client = Client()
    url = f"/pengaduan/{world.regency.pk}/"
    token = form_token(client.get(url).content.decode())
    refused = client.post(url, {"subject": "", "description": "x", "name": "Budi", "once": token})
    assert refused.status_code in (200, 400) and Complaint.objects.count() == 0
    accepted = client.post(url, {"subject": "Antrean", "description": "x", "name": "Budi", "once": token})
    assert accepted.status_code == 302 and Complaint.objects.count() == 1


def test_the_public_questionnaire_sent_twice_counts_one_answer(world):
    import datetime as dt

    from pantau.surveys import actions as surveys
    from pantau.surveys.models import Response

    cache.clear()
    period = surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2020, 1, 1),
                                   end_date=dt.date(2100, 12, 31), public_form=True)
    client = Client()
    url = f"/skm/{period.pk}/"
    token = form_token(client.get(url).content.decode())
    answers = {f"U{i}": "3" for i in range(1, 10)} | {"once": token}
    assert client.post(url, answers).status_code == 302
    assert client.post(url, answers).status_code == 200
    assert Response.objects.count() == 1
