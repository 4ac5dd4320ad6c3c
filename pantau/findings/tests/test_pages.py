"""The findings page: scoped list and the bulk action that turns findings into proposed actions."""

import datetime as dt
from decimal import Decimal

from pantau.audit.models import AuditEntry
from pantau.conftest import action_data
from pantau.findings.actions import record_finding
from pantau.findings.models import Finding
from pantau.workplans import actions as wp
from pantau.workplans.models import Action


def finding(world, unit, key):
    return record_finding(
        actor=world.assistant, source="survey", source_key=f"skm:1:{key}", unit=unit, title=f"{key} graded C",
        detected_on=dt.date(2021, 6, 1), indicator_name=f"{key} converted score", indicator_unit="points",
        baseline=Decimal("75.00"), target=Decimal("76.61"),
    )


def an_action_of_dukcapil(world):
    """The officer sees the work plan once its agency holds an action in it."""
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code="0"))


def test_the_list_is_scoped_to_what_the_user_may_see(world, client):
    an_action_of_dukcapil(world)
    finding(world, world.dukcapil, "U3")
    finding(world, world.dpmptsp, "U2")
    client.force_login(world.officer)
    rows = client.get(f"/work-plans/{world.plan.pk}/findings/").context["rows"]
    assert [r["finding"].unit for r in rows] == [world.dukcapil]
    client.force_login(world.outsider)
    assert client.get(f"/work-plans/{world.plan.pk}/findings/").status_code == 404


def test_a_coordinator_turns_chosen_findings_into_actions_in_one_step(world, client):
    a, b = finding(world, world.dukcapil, "U3"), finding(world, world.dpmptsp, "U2")
    client.force_login(world.coordinator)
    response = client.post(f"/work-plans/{world.plan.pk}/findings/",
                           {"finding": [a.pk, b.pk], "due_date": "31 Desember 2099"})  # typed, day first
    assert response.status_code == 302
    actions = Action.objects.order_by("responsible_unit__name")
    assert [(x.responsible_unit, x.due_date, x.baseline, x.target, x.code) for x in actions] == [
        (world.dukcapil, dt.date(2099, 12, 31), Decimal("75.00"), Decimal("76.61"), f"F{a.pk}"),
        (world.dpmptsp, dt.date(2099, 12, 31), Decimal("75.00"), Decimal("76.61"), f"F{b.pk}"),
    ]
    assert set(Finding.objects.filter(actions__isnull=False)) == {a, b}


def test_an_officer_cannot_propose_and_nothing_changes(world, client):
    an_action_of_dukcapil(world)
    a = finding(world, world.dukcapil, "U3")
    client.force_login(world.officer)
    before = (Action.objects.count(), AuditEntry.objects.count())
    response = client.post(f"/work-plans/{world.plan.pk}/findings/", {"finding": [a.pk]})
    assert response.status_code == 403
    assert (Action.objects.count(), AuditEntry.objects.count()) == before


def test_junk_ids_and_dates_are_messages_not_errors(world, client):
    client.force_login(world.coordinator)
    for data in ({"finding": ["x", "99999999999999999999"]}, {"finding": [], "due_date": "0000-00-00"}):
        assert client.post(f"/work-plans/{world.plan.pk}/findings/", data).status_code == 302
    assert Action.objects.count() == 0


def test_proposing_without_the_right_is_a_403_and_out_of_scope_ids_propose_nothing(world, client):
    """Found by the adversarial trial: an officer without the right got "0 proposed actions" instead of a refusal,
    and findings outside the user's scope were dropped without a word."""
    import datetime as dt

    from pantau.findings.actions import record_finding
    from pantau.findings.models import Finding
    from pantau.workplans.models import Action

    mine = record_finding(actor=world.assistant, source="survey", source_key="skm:9:U3", unit=world.dukcapil,
                          title="U3 rendah", detected_on=dt.date(2021, 1, 1))
    theirs = record_finding(actor=world.assistant, source="survey", source_key="skm:9:U5", unit=world.dpmptsp,
                            title="U5 rendah", detected_on=dt.date(2021, 1, 1))
    url = f"/work-plans/{world.plan.pk}/findings/"
    client.force_login(world.assistant)  # sees the plan and its findings; the government plans its actions
    assert client.post(url, {"finding": [mine.pk]}).status_code == 403
    assert Action.objects.count() == 0
    # the coordinator's view of another regency's finding: not proposed, and said so
    other = Finding.objects.create(source="survey", source_key="skm:9:U1", unit=world.other_regency, title="lain",
                                   detected_on=dt.date(2021, 1, 1))
    client.force_login(world.coordinator)
    response = client.post(url, {"finding": [theirs.pk, other.pk]}, follow=True)
    assert "not yours to see" in response.content.decode()
    assert Action.objects.count() == 0


def test_the_list_shows_fifty_findings_a_page_and_the_rest_on_the_next(world, client):
    for i in range(53):
        finding(world, world.dukcapil, f"E{i}")
    client.force_login(world.coordinator)
    first = client.get(f"/work-plans/{world.plan.pk}/findings/")
    assert len(first.context["rows"]) == 50
    assert 'href="?open=true&amp;page=2"' in first.content.decode() or "page=2" in first.content.decode()
    second = client.get(f"/work-plans/{world.plan.pk}/findings/?open=true&page=2")
    assert len(second.context["rows"]) == 3
    shown = {r["finding"].pk for r in first.context["rows"]} | {r["finding"].pk for r in second.context["rows"]}
    assert len(shown) == 53
