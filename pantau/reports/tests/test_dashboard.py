"""The work-plan dashboard: numbers checked by hand, scoping, sample-data marking, and the home page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pantau.conftest import action_data
from pantau.core.templatetags.pantau_tags import bar_class, rupiah
from pantau.meetings.models import Meeting, MeetingKind, MeetingMode
from pantau.workplans import actions as wp
from pantau.workplans import summary as dashboard
from pantau.workplans.progress import Coverage, Status

PASSWORD = "correct-horse-battery-9"
TODAY = dt.date(2021, 7, 2)  # half-way through action_data's 2021 schedule
NOW = dt.datetime(2021, 7, 2, 10, 0, tzinfo=dt.UTC)  # 17:00 WIB on TODAY: the same day in Jambi


def make(world, unit=None, **overrides):
    """Create an action as the regency coordinator."""
    return wp.create_action(
        actor=world.coordinator, work_plan=world.plan, data=action_data(unit or world.dukcapil, **overrides)
    )


def report(world, action, actual, *, spent=0, accept=False, actor=None):
    """Report ``actual`` on ``action`` as the Dukcapil officer (or ``actor``); optionally accept it."""
    rep = wp.report_progress(
        actor=actor or world.officer, action=action, report_date=dt.date(2021, 3, 1),
        actual_value=Decimal(actual), narrative="progress", amount_spent=spent,
    )
    if accept:
        wp.accept_report(actor=world.assistant, report=rep)
    return rep


def load(world, user=None):
    """The dashboard's action list for ``user`` (the coordinator by default)."""
    return dashboard.load_actions(user or world.coordinator, world.plan)


def test_two_actions_without_weights_at_40_and_100_percent_give_70_overall(world):
    a = make(world, code="1")
    b = make(world, code="2")
    report(world, a, "4")
    report(world, b, "10")
    progress = dashboard.overall_progress(load(world))
    assert progress == {"reported": Decimal("70.00"), "verified": Decimal("0.00"), "top_level": 2,
                        "roots_reported": 2, "coverage": Coverage(reported=2, total=2)}


def test_accepting_the_reports_moves_the_verified_progress(world):
    a = make(world, code="1")
    b = make(world, code="2")
    report(world, a, "4", accept=True)
    report(world, b, "10", accept=True)
    assert dashboard.overall_progress(load(world))["verified"] == Decimal("70.00")


def test_weights_3_and_1_at_40_and_100_percent_give_55_overall(world):
    a = make(world, code="1", weight=Decimal("3"))
    b = make(world, code="2", weight=Decimal("1"))
    report(world, a, "4")
    report(world, b, "10")
    # (3 * 40 + 1 * 100) / 4 = 55
    assert dashboard.overall_progress(load(world))["reported"] == Decimal("55.00")


def test_a_cancelled_action_leaves_the_overall_progress(world):
    a = make(world, code="1")
    b = make(world, code="2")
    report(world, a, "4")
    wp.cancel_action(actor=world.coordinator, action=b, reason="Merged into action 1")
    assert dashboard.overall_progress(load(world)) == {
        "reported": Decimal("40.00"), "verified": Decimal("0.00"), "top_level": 1, "roots_reported": 1,
        "coverage": Coverage(reported=1, total=1),
    }


def test_sub_actions_count_through_their_parent_only(world):
    parent = make(world, code="1")
    child_a = make(world, code="1.1", parent=parent)
    child_b = make(world, code="1.2", parent=parent)
    other = make(world, code="2")
    report(world, child_a, "10")  # 100 %
    report(world, child_b, "2")  # 20 %
    report(world, other, "0")  # 0 %
    # parent = (100 + 20) / 2 = 60; overall = (60 + 0) / 2 = 30
    progress = dashboard.overall_progress(load(world))
    assert progress["reported"] == Decimal("30.00")
    assert progress["top_level"] == 2


def test_counts_by_status_list_all_seven_statuses_in_order(world):
    make(world, code="1")  # nothing reported, 50 % of time elapsed: at risk
    on_track = make(world, code="2")
    report(world, on_track, "6")  # 60 % >= 50 % elapsed: on track
    done = make(world, code="3")
    report(world, done, "10")  # 100 % reported: done
    verified = make(world, code="4")
    report(world, verified, "10", accept=True)
    cancelled = make(world, code="5")
    wp.cancel_action(actor=world.coordinator, action=cancelled, reason="Not needed")
    make(world, code="6", start_date=dt.date(2021, 8, 1))  # starts later: not started
    make(world, code="7", start_date=dt.date(2021, 1, 1), due_date=dt.date(2021, 6, 30))  # past due: overdue
    counts = dashboard.status_counts(load(world), NOW)
    assert [(c["code"], c["count"]) for c in counts] == [
        (Status.NOT_STARTED, 1), (Status.ON_TRACK, 1), (Status.AT_RISK, 1), (Status.OVERDUE, 1),
        (Status.DONE, 1), (Status.VERIFIED, 1), (Status.CANCELLED, 1),
    ]
    assert str(counts[4]["label"]) == "done, awaiting verification"
    assert [a.code for a in dashboard.overdue(load(world), NOW)] == ["7"]


def test_budget_totals_sum_planned_of_live_actions_and_money_in_accepted_reports(world):
    a = make(world, code="1", budget_planned=15_000_000)
    b = make(world, code="2", budget_planned=5_000_000)
    gone = make(world, code="3", budget_planned=7_000_000)
    report(world, a, "4", spent=2_500_000, accept=True)
    report(world, b, "4", spent=1_000_000)  # not accepted: not realized
    wp.cancel_action(actor=world.coordinator, action=gone, reason="Dropped")
    assert dashboard.budget_totals(load(world)) == {
        "planned": 20_000_000, "realized": 2_500_000, "share": Decimal("12.50"),
    }


def test_budget_share_is_none_when_nothing_is_planned(world):
    make(world, code="1", budget_planned=0, budget_source="none")
    assert dashboard.budget_totals(load(world)) == {"planned": 0, "realized": 0, "share": None}


def test_rollup_per_agency_groups_service_units_under_their_agency(world):
    a = make(world, code="1", unit=world.dukcapil)
    b = make(world, code="2", unit=world.dukcapil_upt)
    c = make(world, code="3", unit=world.dpmptsp, budget_planned=1_000_000)
    report(world, a, "10")
    report(world, b, "0")
    report(world, c, "5", actor=world.other_officer)
    rows = dashboard.rollup_by_agency(load(world), world.regency)
    assert [(r["unit"].short_name, r["count"], r["reported"], r["planned"]) for r in rows] == [
        ("Dukcapil", 2, Decimal("50.00"), 30_000_000),
        ("DPMPTSP", 1, Decimal("50.00"), 1_000_000),
    ]


def test_rollup_per_district_uses_the_first_three_parts_of_the_region_code(world):
    upt = make(world, code="1", unit=world.dukcapil_upt)  # region 15.04.02
    kec = make(world, code="2", unit=world.mersam)  # region 15.04.01
    desa = make(world, code="3", unit=world.tapah_sari)  # region 15.04.01.2001
    make(world, code="4", unit=world.dukcapil)  # no region: not in any district
    report(world, upt, "10")
    report(world, kec, "4", actor=world.district_officer)
    report(world, desa, "0", actor=world.district_officer)
    rows = dashboard.rollup_by_district(load(world))
    assert [(r["code"], r["region"].name, r["count"], r["reported"]) for r in rows] == [
        ("15.04.01", "Mersam", 2, Decimal("20.00")),
        ("15.04.02", "Muara Tembesi", 1, Decimal("100.00")),
    ]


def test_loading_the_dashboard_costs_the_same_queries_for_3_or_12_actions(world, client, django_assert_num_queries):
    client.force_login(world.coordinator)
    url = reverse("reports:work_plan_dashboard", args=[world.plan.pk])
    for i in range(3):
        parent = make(world, code=f"{i}")
        make(world, code=f"{i}.1", parent=parent)
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(3, 9):
        parent = make(world, code=f"{i}")
        make(world, code=f"{i}.1", parent=parent)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_dashboard_page_shows_hand_calculated_numbers(world, client):
    a = make(world, code="1")
    b = make(world, code="2", budget_planned=5_000_000)
    report(world, a, "4")
    report(world, b, "10", spent=1_250_000, accept=True)
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["progress"]["reported"] == Decimal("70.00")
    assert summary["progress"]["verified"] == Decimal("50.00")
    assert summary["budget"] == {"planned": 20_000_000, "realized": 1_250_000, "share": Decimal("6.25")}
    html = response.content.decode()
    assert "Rp 20.000.000" in html
    assert "Rp 1.250.000" in html
    assert "w-70" in html  # reported bar
    assert "Kantor Bupati Batanghari" in html
    assert 'style="' not in html


def test_the_dashboard_shows_the_mou_signing_and_meetings_with_unpublished_counts(world, client):
    Meeting.objects.create(
        agreement=world.plan, kind=MeetingKind.SIGNING, title="Penandatanganan Rencana Kerja",
        date=dt.date(2020, 11, 18), mode=MeetingMode.HYBRID, room_capacity=None, attendance_in_person=25,
        attendance_online=None,
    )
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Penandatanganan Rencana Kerja" in html
    assert "hybrid (hibrida)" in html
    assert html.count("not published") == 2
    assert "Nota Kesepakatan" in html
    assert "18 November 2020" in html


def test_an_assistant_of_another_regency_gets_404_on_the_dashboard(world, client):
    make(world)
    client.force_login(world.outsider)
    assert client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk])).status_code == 404


def test_an_officer_sees_only_its_own_agencys_actions_on_the_dashboard(world, client):
    a = make(world, code="1", unit=world.dukcapil)
    make(world, code="2", unit=world.dpmptsp)
    report(world, a, "4")
    client.force_login(world.officer)
    response = client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk]))
    assert response.status_code == 200
    assert [x.code for x in response.context["actions"]] == ["1"]
    assert response.context["summary"]["progress"]["reported"] == Decimal("40.00")


def test_a_huge_or_unknown_work_plan_id_is_404(world, client):
    client.force_login(world.superuser)
    assert client.get("/work-plans/99999999999999999999999/").status_code == 404
    assert client.get("/work-plans/987654/").status_code == 404
    assert client.get(reverse("reports:work_plan_dashboard", args=[world.mou.pk])).status_code == 404  # an MoU


def test_sample_actions_carry_a_badge_and_the_dashboard_a_notice(world, client):
    make(world, code="1", is_sample=True)
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["summary"]["has_sample"] is True
    assert "sample-notice" in response.content.decode()
    listing = client.get(reverse("workplans:action_list", args=[world.plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "SAMPLE DATA" in listing.content.decode()


def test_without_sample_actions_there_is_no_notice(world, client):
    make(world, code="1")
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:work_plan_dashboard", args=[world.plan.pk]))
    assert "sample-notice" not in response.content.decode()


def test_the_home_page_is_a_public_landing_for_anonymous_visitors(world, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("login") in html
    assert world.plan.title not in html


def test_the_home_page_lists_the_users_work_plans_with_progress(world, client):
    a = make(world, code="1")
    report(world, a, "4")
    client.force_login(world.officer)
    response = client.get("/")
    rows = response.context["rows"]
    assert [r["plan"].title for r in rows] == ["Rencana Kerja Pelayanan Publik 2020"]
    assert rows[0]["progress"]["reported"] == Decimal("40.00")


def test_the_home_page_of_a_user_without_roles_lists_nothing(world, client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password=PASSWORD)
    client.force_login(user)
    assert client.get("/").context["rows"] == []


def test_the_agreement_page_shows_the_mou_and_its_visible_work_plans(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("agreements:agreement_detail", args=[world.mou.pk]))
    assert response.status_code == 200
    assert [p.pk for p in response.context["children"]] == [world.plan.pk]
    client.force_login(world.outsider)
    assert client.get(reverse("agreements:agreement_detail", args=[world.mou.pk])).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [(15_000_000, "Rp 15.000.000"), (0, "Rp 0"), (999, "Rp 999"), (-2500, "-Rp 2.500"), (None, ""), ("x", "")],
)
def test_rupiah_is_written_the_indonesian_way(value, expected):
    assert rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("0"), "w-0"), (Decimal("4.99"), "w-0"), (Decimal("47.9"), "w-45"), (Decimal("70.00"), "w-70"),
     (Decimal("100"), "w-100"), (Decimal("140"), "w-100"), (Decimal("-3"), "w-0"), ("junk", "w-0")],
)
def test_bar_class_steps_down_to_five_percent(value, expected):
    assert bar_class(value) == expected


def test_an_assistant_sees_the_reports_awaiting_verification_on_the_home_page(world, client):
    import datetime as dt
    from decimal import Decimal

    from pantau.conftest import action_data
    from pantau.workplans import actions as wp

    mine = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    waiting = wp.report_progress(actor=world.officer, action=mine, report_date=dt.date(2021, 2, 1),
                                 actual_value=Decimal(2), narrative="n")
    reviewed = wp.report_progress(actor=world.officer, action=mine, report_date=dt.date(2021, 3, 1),
                                  actual_value=Decimal(3), narrative="n")
    wp.accept_report(actor=world.assistant, report=reviewed)
    client.force_login(world.assistant)
    assert [r.pk for r in client.get("/").context["pending"]] == [waiting.pk]
    client.force_login(world.outsider)  # an assistant of another regency
    assert client.get("/").context["pending"] == []
    client.force_login(world.coordinator)  # the government does not verify
    assert client.get("/").context["pending"] == []


def test_government_wide_links_are_shown_only_to_who_can_open_them(world, client):
    from pantau.conftest import action_data
    from pantau.workplans import actions as wp

    wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    standards_url = f"/units/{world.regency.pk}/standards/"
    client.force_login(world.coordinator)
    assert standards_url in client.get(f"/work-plans/{world.plan.pk}/").content.decode()
    client.force_login(world.officer)
    assert standards_url not in client.get(f"/work-plans/{world.plan.pk}/").content.decode()
    assert client.get(standards_url).status_code == 404


def test_a_reporter_sees_the_reports_returned_to_its_units_with_the_reason(world, client):
    import datetime as dt
    from decimal import Decimal

    from pantau.conftest import action_data
    from pantau.workplans import actions as wp

    mine = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    report = wp.report_progress(actor=world.officer, action=mine, report_date=dt.date(2021, 2, 1),
                                actual_value=Decimal(2), narrative="n")
    wp.return_report(actor=world.assistant, report=report, reason="Foto papan tidak terbaca")
    client.force_login(world.officer)
    page = client.get("/")
    assert [r.pk for r in page.context["returned"]] == [report.pk]
    assert "Foto papan tidak terbaca" in page.content.decode()
    client.force_login(world.other_officer)
    assert client.get("/").context["returned"] == []
