"""Issue 15: the API root answers JSON to programs and a page to browsers, linking the documentation page (Swagger
UI served by Pantau from drf-spectacular-sidecar, no CDN); the favicon is Pantau's."""

from django.test import override_settings


def test_the_api_root_is_json_for_programs_and_a_page_for_browsers(client):
    data = client.get("/api/v1/").json()
    assert data["actions"] == "http://testserver/api/v1/actions/"
    page = client.get("/api/v1/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert 'href="/api/v1/docs/"' in html and "<code>actions</code>" in html
    assert "Django REST framework" not in html


@override_settings(LANGUAGE_CODE="id")
def test_the_docs_page_serves_swagger_ui_from_pantau(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # its set-up script is a separate file (CSP script-src 'self')
    assert "cdn" not in html.lower()
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_the_favicon(client):
    assert client.get("/favicon.ico")["Location"] == "/static/pantau/favicon.ico"
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/static/pantau/favicon.svg"' in html
