"""Roll-ups say what they count (issue 10; docs/status.md): a child without a report counts as 0 % and every roll-up
carries how many reported; sibling weights are all set or all unset, a mix refused naming the action without
weight; scaling every weight changes nothing. Expected values by hand in the comments."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans import summary
from pantau.workplans.models import Action
from pantau.workplans.progress import Coverage


def make(world: Any, code: str, unit: Any = None, **overrides: Any) -> Action:
    return wp.create_action(actor=world.coordinator, work_plan=world.plan,
                            data=action_data(unit or world.dukcapil, code=code, **overrides))


def report(world: Any, action: Action, actual: str) -> None:
    wp.report_progress(actor=world.coordinator, action=action, report_date=dt.date(2021, 3, 1),
                       actual_value=Decimal(actual), narrative="x")


@pytest.fixture
def family(world: Any) -> Any:
    """Parent 1 with children 1.1 (100 %), 1.2 (0 % reported), 1.3 and 1.4 (no report); a second top-level 2 at
    40 %. Target 10 from baseline 0 everywhere."""
    world.p = make(world, "1")
    world.kids = [make(world, f"1.{n}", parent=world.p) for n in range(1, 5)]
    report(world, world.kids[0], "10")
    report(world, world.kids[1], "0")
    world.other = make(world, "2", world.dpmptsp)
    report(world, world.other, "4")
    return world


def test_a_parent_counts_a_silent_child_as_zero_and_says_so(family, client):
    [parent] = [a for a in summary.load_trees([family.plan.pk]) if a.code == "1"]
    # (100 + 0 + 0 + 0) / 4 = 25 %: the two children without a report count as 0 %, not left out (that would be 50)
    assert parent.progress() == Decimal("25.00")
    assert parent.coverage() == Coverage(reported=2, total=4)
    client.force_login(family.coordinator)
    html = client.get(reverse("workplans:action_detail", args=[family.p.pk])).content.decode()
    assert "2 of 4 reported" in html
    assert html.count("no report") == 2


def test_a_cancelled_child_leaves_the_count(family):
    wp.cancel_action(actor=family.coordinator, action=family.kids[3], reason="Merged")
    [parent] = [a for a in summary.load_trees([family.plan.pk]) if a.code == "1"]
    assert parent.coverage() == Coverage(reported=2, total=3)
    # (100 + 0 + 0) / 3 = 33.33
    assert parent.progress() == Decimal("33.33")


def test_the_dashboard_the_list_the_api_and_the_export_carry_the_coverage(family, client):
    client.force_login(family.coordinator)
    page = client.get(reverse("reports:work_plan_dashboard", args=[family.plan.pk]))
    progress = page.context["summary"]["progress"]
    # top level: 1 (a child reported) and 2 (reported): 2 of 2
    assert progress["coverage"] == Coverage(reported=2, total=2)
    agencies = {row["unit"].pk: row for row in page.context["summary"]["agencies"]}
    assert agencies[family.dukcapil.pk]["coverage"] == Coverage(reported=1, total=1)
    assert "2 of 2 reported" in page.content.decode()
    rows = client.get(reverse("workplans:action_list", args=[family.plan.pk])).context["rows"]
    assert {r["action"].code: r["coverage"] for r in rows}["1"] == Coverage(reported=2, total=4)

    api = APIClient()
    api.force_authenticate(family.coordinator)
    body = api.get(f"/api/v1/actions/{family.p.pk}/").json()
    assert (body["children_reported"], body["children_count"]) == (2, 4)
    plan = api.get(f"/api/v1/work-plans/{family.plan.pk}/").json()["progress_summary"]
    assert (plan["top_level_reported"], plan["top_level"]) == (2, 2)


def test_home_page_cards_carry_the_coverage(family, client):
    client.force_login(family.coordinator)
    assert "2 of 2 reported" in client.get(reverse("reports:home")).content.decode()


# --- weights: all or none ----------------------------------------------------------------------------------------


def test_a_child_without_weight_beside_weighted_siblings_is_refused_by_name(world):
    parent = make(world, "1")
    make(world, "1.1", parent=parent, weight=Decimal("2"))
    with pytest.raises(ValidationError) as refused:
        make(world, "1.2", parent=parent)
    assert refused.value.message_dict == {"weight": [
        "Give action 1.2 a weight: its sibling actions 1.1 have weights, and sibling weights are set on all "
        "siblings or on none."
    ]}
    assert not Action.objects.filter(code="1.2").exists()


def test_weighting_one_of_unweighted_siblings_is_refused_naming_the_others(world):
    parent = make(world, "1")
    first = make(world, "1.1", parent=parent)
    make(world, "1.2", parent=parent)
    with pytest.raises(ValidationError) as refused:
        wp.update_action(actor=world.coordinator, action=first, data={"weight": Decimal("3")})
    assert refused.value.message_dict["weight"][0].startswith("Sibling actions 1.2 have no weight while 1.1 have one")
    assert Action.objects.get(pk=first.pk).weight is None


def test_the_weights_page_sets_a_group_together_and_refuses_a_mix(world, client):
    parent = make(world, "1")
    kids = [make(world, f"1.{n}", parent=parent) for n in (1, 2)]
    client.force_login(world.coordinator)
    url = reverse("workplans:action_weights", args=[parent.pk])
    form = client.get(url).context["form"]
    data = {f"version_{k.pk}": "1" for k in kids}

    mixed = client.post(url, {**data, f"weight_{kids[0].pk}": "3", f"weight_{kids[1].pk}": ""})
    assert mixed.status_code == 200
    assert "Sibling actions 1.2 have no weight" in mixed.content.decode()
    assert [Action.objects.get(pk=k.pk).weight for k in kids] == [None, None]

    saved = client.post(url, {**data, f"weight_{kids[0].pk}": "3", f"weight_{kids[1].pk}": "1"})
    assert saved.status_code == 302
    assert [Action.objects.get(pk=k.pk).weight for k in kids] == [Decimal("3.00"), Decimal("1.00")]
    assert len(form.rows()) == 2


def test_the_top_level_weights_need_rights_on_the_government(world, client):
    make(world, "1")
    client.force_login(world.officer)
    assert client.get(reverse("workplans:plan_weights", args=[world.plan.pk])).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(reverse("workplans:plan_weights", args=[world.plan.pk])).status_code == 200


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_zero_or_negative_weights_are_refused(world, weight):
    with pytest.raises(ValidationError) as refused:
        make(world, "1", weight=Decimal(weight))
    assert "weight" in refused.value.message_dict
    assert not Action.objects.exists()


def test_scaling_every_sibling_weight_leaves_the_parents_progress_unchanged(world):
    parent = make(world, "1")
    a = make(world, "1.1", parent=parent, weight=Decimal("1"))
    b = make(world, "1.2", parent=parent, weight=Decimal("3"))
    report(world, a, "10")  # 100 %
    report(world, b, "2")   # 20 %

    def progress() -> Decimal:
        return next(x for x in summary.load_trees([world.plan.pk]) if x.code == "1").progress()

    # (1 * 100 + 3 * 20) / 4 = 160 / 4 = 40
    assert progress() == Decimal("40.00")
    wp.set_weights(actor=world.coordinator, work_plan=world.plan, parent=parent,
                   weights={a.pk: Decimal("10"), b.pk: Decimal("30")})
    assert progress() == Decimal("40.00")
    wp.set_weights(actor=world.coordinator, work_plan=world.plan, parent=parent,
                   weights={a.pk: Decimal("0.25"), b.pk: Decimal("0.75")})
    assert progress() == Decimal("40.00")


def test_an_excel_import_that_mixes_weights_names_the_row_without_weight(world):
    from pantau.workplans.tests.test_xlsx import row, run, workbook

    result = run(world, workbook([row(code="1", weight=2), row(code="2")]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "weight")]
    assert "Give action 2 a weight" in result.errors[0].message
    assert not Action.objects.exists()
