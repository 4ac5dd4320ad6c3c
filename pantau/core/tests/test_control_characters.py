"""One guard against control characters: a NUL byte (or another control character but tab, newline and carriage
return) anywhere a view could read it is a clear 400, never a 500 (PostgreSQL refuses NUL in text; these URLs
answered 500 before the guard). The suite runs on SQLite and, in CI, on PostgreSQL: each URL is checked on both."""

import base64
import json

import pytest
from django.test import Client

from pantau.assessments.models import AssessmentRound
from pantau.workplans.models import Action

REFUSED = ("The request was refused: {where} contains a control character ({character}), which Pantau does not "
           "accept. Remove it and try again.")

ANONYMOUS_URLS = [
    # region search and filters are public reference data
    ("/api/v1/regions/?q=Sa%00dan", "the query parameter “q”", "U+0000"),
    ("/api/v1/regions/?parent=15%00", "the query parameter “parent”", "U+0000"),
    ("/api/v1/regions/?kind=desa%01", "the query parameter “kind”", "U+0001"),
    # report cards are addressed by region code (the guard answers before the login redirect)
    ("/report-cards/15%00/", "the address", "U+0000"),
    ("/report-cards/15.04%00/trend.svg", "the address", "U+0000"),
]

LOGGED_IN_URLS = [
    ("/api/v1/organizations/?region=15.04%00", "the query parameter “region”", "U+0000"),
    ("/api/v1/organizations/?q=Dukcapil%00", "the query parameter “q”", "U+0000"),
    ("/api/v1/compliance-results/?province=15%00", "the query parameter “province”", "U+0000"),
    ("/work-plans/1/actions/?q=a%1fb", "the query parameter “q”", "U+001F"),
    ("/api/v1/actions/?st%00atus=x", "the query parameter “st\\x00atus”", "U+0000"),
]


@pytest.mark.parametrize(("url", "where", "character"), ANONYMOUS_URLS)
def test_anonymous_urls_with_a_control_character_are_refused_with_400(world, url, where, character):
    response = Client().get(url)

    assert response.status_code == 400
    expected = REFUSED.format(where=where, character=character)
    if url.startswith("/api/"):
        assert response.json() == {"detail": expected}
    else:
        assert response.content.decode() == expected


@pytest.mark.parametrize(("url", "where", "character"), LOGGED_IN_URLS)
def test_logged_in_urls_with_a_control_character_are_refused_with_400(world, url, where, character):
    client = Client()
    client.force_login(world.superuser)

    response = client.get(url)

    assert response.status_code == 400
    expected = REFUSED.format(where=where, character=character)
    assert (response.json()["detail"] if url.startswith("/api/") else response.content.decode()) == expected


def test_the_same_urls_without_the_control_character_answer_normally(world):
    client = Client()
    client.force_login(world.superuser)
    assert Client().get("/api/v1/regions/?q=Mersam").json()["count"] == 1
    assert client.get("/api/v1/organizations/?region=15.04").status_code == 200
    assert client.get("/report-cards/15.04/").status_code == 200


def test_a_basic_auth_user_name_with_nul_is_refused_before_authentication(world):
    credentials = base64.b64encode(b"ro\x00ot:correct-horse-battery-9").decode()

    response = Client().get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert response.status_code == 400
    assert response.json() == {"detail": REFUSED.format(where="the user name or password", character="U+0000")}


def test_a_valid_basic_auth_still_works(world):
    credentials = base64.b64encode(b"root:correct-horse-battery-9").decode()
    assert Client().get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Basic {credentials}").status_code == 200


def test_a_header_or_cookie_with_a_control_character_is_refused(world):
    response = Client().get("/api/v1/regions/", HTTP_USER_AGENT="bot\x00")
    assert response.status_code == 400
    assert response.json()["detail"] == REFUSED.format(where="the header “User-Agent”", character="U+0000")

    client = Client()
    client.cookies["sessionid"] = "abc\x07def"
    response = client.get("/report-cards/15.04/")
    assert response.status_code == 400
    assert response.content.decode() == REFUSED.format(where="the cookie “sessionid”", character="U+0007")


def test_a_form_field_with_a_control_character_is_refused_and_nothing_is_saved(world):
    client = Client()
    client.force_login(world.coordinator)

    response = client.post(f"/work-plans/{world.plan.pk}/actions/new/", {"code": "1", "title": "Publish\x0bstandards"})

    assert response.status_code == 400
    assert response.content.decode() == REFUSED.format(where="the form field “title”", character="U+000B")
    assert Action.objects.count() == 0


def test_tab_newline_and_carriage_return_are_ordinary_text(world):
    response = Client().get("/api/v1/regions/?q=Mer%09sam%0D%0A")
    assert response.status_code == 200


def test_an_assessment_round_whose_edition_holds_nul_is_a_400_naming_the_json_field(world):
    client = Client()
    client.force_login(world.superuser)
    body = {"edition": "2022\u0000", "kind": "official", "unit": world.dukcapil.pk, "assessed_on": "2024-01-01",
            "dimension_scores": {"input": 85}}

    response = client.post("/api/v1/assessment-rounds/", json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"edition": [REFUSED.format(where="the JSON value “edition”", character="U+0000")]}
    assert AssessmentRound.objects.count() == 0


def test_a_nested_json_value_or_key_is_named_by_its_path(world):
    client = Client()
    client.force_login(world.superuser)
    body = {"edition": "x", "indicator_scores": [{"code": "ok"}, {"name": "bad\u0001"}]}
    response = client.post("/api/v1/assessment-rounds/", json.dumps(body), content_type="application/json")
    assert response.json() == {"indicator_scores[1].name": [
        REFUSED.format(where="the JSON value “indicator_scores[1].name”", character="U+0001")]}

    response = client.post("/api/v1/actions/", json.dumps({"ti\u0000tle": "x"}), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"ti\\x00tle": [REFUSED.format(where="the JSON key “ti\\x00tle”", character="U+0000")]}


def test_a_public_complaint_whose_subject_holds_a_noncharacter_is_refused(world):
    """Found by the adversarial trial: U+FFFF went into a complaint and broke the staff XLSX export."""
    from pantau.complaints.models import Complaint

    response = Client().post(f"/pengaduan/{world.regency.pk}/", {"subject": "Antrean \uffff panjang"})
    assert response.status_code == 400
    assert response.content.decode() == REFUSED.format(where="the form field “subject”", character="U+FFFF")
    assert Complaint.objects.count() == 0
