"""Action codes sort as people number them (F1, F2, F2.1, F2.10, F5, F10, F45), never as text, in SQL (the stored
``sort_key``, so paginated querysets are right), on the pages, in the API, the Excel export and the to-do list."""

import io

import openpyxl
from django.test import Client
from rest_framework.test import APIClient

from pantau.conftest import action_data
from pantau.core.natural import sort_key
from pantau.workplans import actions as wp
from pantau.workplans import xlsx
from pantau.workplans.models import Action

NATURAL = ["F1", "F2", "F2.1", "F2.10", "F5", "F10", "F45"]
CREATED = ["F45", "F2.10", "F10", "F5", "F1", "F2.1", "F2"]  # neither natural nor text order


def make_codes(world):
    for code in CREATED:
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code=code))


def test_the_sort_key_writes_digit_runs_by_length_then_value():
    assert sort_key("F2") == "f012"
    assert sort_key("F10") == "f0210"
    assert sort_key("F2.10") == "f012.0210"
    assert sort_key("f007") == "f017"  # leading zeros do not count
    assert sorted(["F45", "F5", "F10", "F2.10", "F2.1", "F2", "F1"], key=sort_key) == NATURAL


def test_sql_ordering_is_natural_and_follows_a_changed_code(world):
    make_codes(world)
    assert list(Action.objects.filter(work_plan=world.plan).values_list("code", flat=True)) == NATURAL
    assert list(Action.objects.order_by("-sort_key").values_list("code", flat=True)) == NATURAL[::-1]
    f45 = Action.objects.get(code="F45")
    wp.update_action(actor=world.coordinator, action=f45, data={"code": "F3"})
    assert list(Action.objects.filter(work_plan=world.plan).values_list("code", flat=True)) == [
        "F1", "F2", "F2.1", "F2.10", "F3", "F5", "F10"]


def test_the_api_lists_actions_in_natural_order(world):
    make_codes(world)
    client = APIClient()
    client.force_authenticate(world.coordinator)
    rows = client.get("/api/v1/actions/").json()["results"]
    assert [row["code"] for row in rows] == NATURAL


def test_the_action_list_page_and_the_export_are_in_natural_order(world):
    make_codes(world)
    client = Client()
    client.force_login(world.coordinator)
    html = client.get(f"/work-plans/{world.plan.pk}/actions/").content.decode()
    positions = [html.index(f">{code}</td>") for code in NATURAL]
    assert positions == sorted(positions)

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.export_actions(actor=world.coordinator, work_plan=world.plan)))
    assert [row[0] for row in wb["Rencana Aksi"].iter_rows(min_row=2, values_only=True)] == NATURAL
