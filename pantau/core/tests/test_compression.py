"""Compression (issue 11): HTML and API responses are gzip-encoded for clients that accept it; static files are
stored compressed with content-hashed names by whitenoise."""

from django.conf import settings
from django.test import Client

from pantau.conftest import TEST_STORAGES


def test_a_dashboard_is_gzip_encoded_when_the_client_accepts_it(world):
    client = Client()
    client.force_login(world.coordinator)
    plain = client.get(f"/work-plans/{world.plan.pk}/")
    zipped = client.get(f"/work-plans/{world.plan.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content)


def test_an_api_list_is_gzip_encoded_when_the_client_accepts_it(world):
    from pantau.conftest import action_data
    from pantau.workplans.actions import create_action

    create_action(actor=world.superuser, work_plan=world.plan, data=action_data(world.dukcapil))  # > 200 bytes
    client = Client()
    client.force_login(world.coordinator)
    response = client.get("/api/v1/actions/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_static_files_are_compressed_and_hashed_in_production():
    from pantau import settings as production

    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE
    assert TEST_STORAGES["staticfiles"]["BACKEND"] != production.STORAGES["staticfiles"]["BACKEND"]
