"""The permission matrix: every role x every page and endpoint x an object of the user's own unit, of a unit below
it, and of unrelated units (another agency, a district, another regency). Each cell is allowed or denied as designed
below, and every denied write leaves the database unchanged.

The design, written out by hand from the role table (accounts.models, issue "Roles per unit"):
- view: a role reaches its unit's subtree; an Ombudsman admin on the Jambi office reaches every unit in Jambi.
- edit actions: coordinator (its government), Ombudsman admin (its province).
- report progress: coordinator, unit officers (their own units).
- verify progress: Ombudsman assistants (assigned regencies) and the Ombudsman admin.
A denied cell answers 404 when the user may not even see the object, 403 when it may see it but not act.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase

from pantau.accounts.models import User
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Action, Evidence, ProgressReport

PDF = b"%PDF-1.4\n%%EOF\n"
OBJECTS = ["dukcapil", "upt", "dpmptsp", "mersam", "other"]
ALL = set(OBJECTS)
REGENCY = {"dukcapil", "upt", "dpmptsp", "mersam"}

VIEW = {
    "superuser": ALL, "ombudsman_admin": ALL, "assistant": REGENCY, "coordinator": REGENCY, "viewer": REGENCY,
    "officer": {"dukcapil", "upt"}, "other_officer": {"dpmptsp"}, "district_officer": {"mersam"},
    "outsider": {"other"},
}
EDIT = {"superuser": ALL, "ombudsman_admin": ALL, "coordinator": REGENCY}
REPORT = {
    "superuser": ALL, "coordinator": REGENCY, "officer": {"dukcapil", "upt"}, "other_officer": {"dpmptsp"},
    "district_officer": {"mersam"},
}
VERIFY = {"superuser": ALL, "ombudsman_admin": ALL, "assistant": REGENCY, "outsider": {"other"}}
PERSONAS = list(VIEW)


@pytest.fixture
def matrix(world, settings, tmp_path):
    """One action per object unit, each with a submitted report (by a second superuser, so that every verifier
    persona is someone else than the reporter) carrying one evidence file."""
    settings.MEDIA_ROOT = tmp_path
    reporter = User.objects.create_superuser("reporter", password="correct-horse-battery-9")
    units = {"dukcapil": world.dukcapil, "upt": world.dukcapil_upt, "dpmptsp": world.dpmptsp,
             "mersam": world.mersam, "other": world.other_regency}
    objs = {}
    for number, (key, unit) in enumerate(units.items(), start=1):
        plan = world.other_plan if key == "other" else world.plan
        action = wp.create_action(actor=world.superuser, work_plan=plan,
                                  data=action_data(unit, code=str(number), title=f"Action of {key}"))
        with TestCase.captureOnCommitCallbacks(execute=True):  # evidence is written when the report commits
            report = wp.report_progress(
                actor=reporter, action=action, report_date=dt.date(2021, 2, 1), actual_value=Decimal(2),
                narrative="first", files=[SimpleUploadedFile(f"{key}.pdf", PDF)],
            )
        objs[key] = {"action": action, "report": report, "evidence": Evidence.objects.get(report=report),
                     "plan": plan}
    world.objs = objs
    return world


def state():
    """Everything a write could change, as plain values."""
    return (
        sorted(Action.objects.values_list("id", "title", "cancelled_on", "actual_reported", "actual_verified")),
        sorted(ProgressReport.objects.values_list("id", "status", "actual_value")),
    )


def edit_form(action):
    return {
        "code": action.code, "title": "Changed title", "description": "", "finding": "f",
        "start_date": "2021-01-01", "due_date": "2021-12-31", "responsible_unit": action.responsible_unit_id,
        "pic_position": "Kepala", "budget_planned": "1000", "budget_source": "APBD", "fiscal_year": "2021",
        "indicator_name": "i", "indicator_unit": "u", "baseline": "0", "target": "10", "weight": "",
        "version": action.version,  # the version the page was read at, as the browser sends it
    }


REPORT_FORM = {"report_date": "2021-03-01", "actual_value": "5", "narrative": "n", "amount_spent": "0"}

# (name, permission, method, url(obj), data(obj), success codes, code when hidden, is_write, api)
ENDPOINTS = [
    ("page action detail", VIEW, "get", lambda o: f"/actions/{o['action'].pk}/", None, {200}, 404, False, False),
    ("page edit form", EDIT, "get", lambda o: f"/actions/{o['action'].pk}/edit/", None, {200}, 404, False, False),
    ("page edit", EDIT, "post", lambda o: f"/actions/{o['action'].pk}/edit/", lambda o: edit_form(o["action"]),
     {302}, 404, True, False),
    ("page cancel", EDIT, "post", lambda o: f"/actions/{o['action'].pk}/cancel/",
     lambda o: {"cancel_reason": "no longer needed"}, {302}, 404, True, False),
    ("page report form", REPORT, "get", lambda o: f"/actions/{o['action'].pk}/report/", None, {200}, 404, False,
     False),
    ("page report", REPORT, "post", lambda o: f"/actions/{o['action'].pk}/report/", lambda o: REPORT_FORM, {302},
     404, True, False),
    ("page accept", VERIFY, "post", lambda o: f"/reports/{o['report'].pk}/accept/", lambda o: {}, {302}, 404, True,
     False),
    ("page return", VERIFY, "post", lambda o: f"/reports/{o['report'].pk}/return/",
     lambda o: {"review_reason": "evidence unreadable"}, {302}, 404, True, False),
    ("evidence download", VIEW, "get", lambda o: f"/evidence/{o['evidence'].pk}/", None, {200}, 404, False, False),
    ("api action detail", VIEW, "get", lambda o: f"/api/v1/actions/{o['action'].pk}/", None, {200}, 404, False,
     True),
    ("api action patch", EDIT, "patch", lambda o: f"/api/v1/actions/{o['action'].pk}/",
     lambda o: {"title": "Changed title"}, {200}, 404, True, True),
    ("api action cancel", EDIT, "post", lambda o: f"/api/v1/actions/{o['action'].pk}/cancel/",
     lambda o: {"reason": "no longer needed"}, {200}, 404, True, True),
    ("api report create", REPORT, "post", lambda o: "/api/v1/progress-reports/",
     lambda o: {"action": o["action"].pk, **REPORT_FORM}, {201}, 400, True, True),
    ("api report detail", VIEW, "get", lambda o: f"/api/v1/progress-reports/{o['report'].pk}/", None, {200}, 404,
     False, True),
    ("api report accept", VERIFY, "post", lambda o: f"/api/v1/progress-reports/{o['report'].pk}/accept/",
     lambda o: {}, {200}, 404, True, True),
    ("api report return", VERIFY, "post", lambda o: f"/api/v1/progress-reports/{o['report'].pk}/return/",
     lambda o: {"reason": "evidence unreadable"}, {200}, 404, True, True),
]


def send(client, method, url, data, api):
    if data is None:
        return getattr(client, method)(url)
    if api:
        return getattr(client, method)(url, data=data, content_type="application/json")
    return getattr(client, method)(url, data=data)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_matrix(matrix, persona, endpoint):
    name, permission, method, url, data, ok, hidden, is_write, api = endpoint
    client = Client()
    client.force_login(getattr(matrix, persona))
    for key in OBJECTS:
        obj = matrix.objs[key]
        with transaction.atomic():
            before = state()
            response = send(client, method, url(obj), data(obj) if data else None, api)
            if key in permission.get(persona, set()):
                expected = ok
            elif key in VIEW[persona]:
                expected = {403}
            else:
                expected = {hidden}
            assert response.status_code in expected, (persona, name, key, response.status_code)
            if response.status_code not in ok and is_write:
                assert state() == before, (persona, name, key, "a denied write changed the database")
            transaction.set_rollback(True)


def export_codes(client, plan):
    response = client.get(f"/work-plans/{plan.pk}/actions/export.xlsx")
    if response.status_code != 200:
        return response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return sorted(str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] is not None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_hold_only_the_visible_actions(matrix, persona):
    client = Client()
    client.force_login(getattr(matrix, persona))
    codes = {"dukcapil": "1", "upt": "2", "dpmptsp": "3", "mersam": "4"}
    expected = sorted(codes[k] for k in VIEW[persona] if k in codes)
    assert export_codes(client, matrix.plan) == (expected if expected else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboards_and_unit_pages_follow_the_scope(matrix, persona):
    client = Client()
    client.force_login(getattr(matrix, persona))
    sees_plan = bool(VIEW[persona] & REGENCY)
    assert client.get(f"/work-plans/{matrix.plan.pk}/").status_code == (200 if sees_plan else 404)
    for key, unit in [("dukcapil", matrix.dukcapil), ("dpmptsp", matrix.dpmptsp), ("mersam", matrix.mersam)]:
        assert client.get(f"/units/{unit.pk}/").status_code == (200 if key in VIEW[persona] else 404), (persona, key)


IMPORTERS = {"superuser", "ombudsman_admin", "coordinator"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_imports_need_the_import_permission_and_change_nothing_when_denied(matrix, persona):
    client = Client()
    client.force_login(getattr(matrix, persona))
    template = Client()
    template.force_login(matrix.superuser)
    workbook = template.get(f"/work-plans/{matrix.plan.pk}/actions/export.xlsx").content
    before = state()
    response = client.post(f"/work-plans/{matrix.plan.pk}/actions/import/",
                           {"file": SimpleUploadedFile("plan.xlsx", workbook)})
    if persona in IMPORTERS:
        assert response.status_code == 200
    else:
        assert response.status_code == (403 if VIEW[persona] & REGENCY else 404)
        assert state() == before
