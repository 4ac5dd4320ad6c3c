"""Roll-up: the population-weighted IKM (hand calculations), ranking, and the roll-up page per persona."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pantau.core.tests.helpers import INLINE_SCRIPT
from pantau.demo import surveys as demo
from pantau.surveys.models import SurveyPeriod
from pantau.surveys.rollup import RollupEntry, RollupRow, rank_rows, rollup


def test_the_roll_up_weights_each_unit_by_its_service_users():
    value = rollup([
        RollupEntry(Decimal("80.00"), 1000, 300, True),
        RollupEntry(Decimal("90.00"), 3000, 350, True),
    ])
    # (80 x 1000 + 90 x 3000) / 4000 = 350000 / 4000 = 87.50 -> B
    assert (value.ikm, value.grade.letter, value.population, value.responses) == (Decimal("87.50"), "B", 4000, 650)


def test_the_roll_up_rounds_once_half_up():
    # (88.30 x 1 + 88.31 x 1) / 2 = 88.305 -> 88.31 -> A
    value = rollup([RollupEntry(Decimal("88.30"), 1, 1, True), RollupEntry(Decimal("88.31"), 1, 1, True)])
    assert (value.ikm, value.grade.letter) == (Decimal("88.31"), "A")


def test_periods_below_the_minimum_sample_or_without_population_are_left_out():
    value = rollup([
        RollupEntry(Decimal("60.00"), 300, 120, False),
        RollupEntry(Decimal("95.00"), None, 50, None),
        RollupEntry(None, 500, 0, None),
        RollupEntry(Decimal("70.00"), 500, 220, True),
    ])
    assert (value.ikm, value.grade.letter, value.included, value.excluded) == (Decimal("70.00"), "C", 1, 3)
    nothing = rollup([RollupEntry(Decimal("60.00"), 300, 120, False)])
    assert (nothing.ikm, nothing.grade, nothing.included, nothing.excluded) == (None, None, 0, 1)


def test_equal_values_share_a_rank_and_rows_without_a_value_are_not_ranked():
    def row(name, value):
        return RollupRow(name, rollup([RollupEntry(Decimal(value), 10, 10, True)] if value else []))

    ranked = rank_rows([row("c", "75.00"), row("z", None), row("a", "80.00"), row("b", "80.00")])
    assert [(r.unit, r.rank) for r in ranked] == [("a", 1), ("b", 1), ("c", 3), ("z", None)]


@pytest.fixture
def surveyed(world):
    units = {demo.DUKCAPIL: world.dukcapil, demo.DPMPTSP: world.dpmptsp, demo.MERSAM: world.mersam}
    demo.load_demo(work_plan=world.plan, units=units,
                   users={"koordinator": world.coordinator, "petugas.dukcapil": world.officer,
                          "asisten": world.assistant})
    # the demo's open questionnaire belongs to the current half-year, whatever year the tests run in: the roll-up
    # figures below are about the four fixed past periods only
    SurveyPeriod.objects.filter(public_form=True, responses__isnull=True).delete()
    return world


def test_the_coordinator_sees_the_regency_roll_up_with_ranked_agencies(client, surveyed):
    client.force_login(surveyed.coordinator)
    page = client.get(reverse("surveys:rollup"), {"year": "2026"})
    assert page.status_code == 200
    node = page.context["node"]
    assert node.unit == surveyed.regency
    # Dukcapil 82.56 (N 2200) and DPMPTSP 80.49 (N 400); Mersam (120 < 169 responses) left out:
    # (82.56 x 2200 + 80.49 x 400) / 2600 = 213828 / 2600 = 82.2415 -> 82.24 B
    assert (node.value.ikm, node.value.grade.letter, node.value.included, node.value.excluded) == (
        Decimal("82.24"), "B", 2, 1)
    assert [(r.unit.name, r.rank, r.value.ikm) for r in node.rows] == [
        ("Dinas Kependudukan dan Pencatatan Sipil", 1, Decimal("82.56")),
        ("Dinas Penanaman Modal dan PTSP", 2, Decimal("80.49")),
        ("Kecamatan Mersam", None, None),
    ]
    html = page.content.decode()
    assert "grade grade-C" not in html  # Mersam's C is shown without colour
    assert not INLINE_SCRIPT.search(html) and "style=" not in html


def test_the_default_year_is_the_latest_and_2025_holds_one_period(client, surveyed):
    client.force_login(surveyed.coordinator)
    assert client.get(reverse("surveys:rollup")).context["node"].year == 2026
    node = client.get(reverse("surveys:rollup"), {"year": "2025"}).context["node"]
    assert (node.value.ikm, node.value.included) == (Decimal("80.89"), 1)


def test_the_printed_weight_has_no_results_until_computed_with_it(client, surveyed):
    client.force_login(surveyed.coordinator)
    node = client.get(reverse("surveys:rollup"), {"year": "2026", "weight": "0.11"}).context["node"]
    assert (node.value.ikm, node.value.included, node.value.excluded) == (None, 0, 3)


def test_a_district_officer_sees_only_the_district(client, surveyed):
    client.force_login(surveyed.district_officer)
    node = client.get(reverse("surveys:rollup")).context["node"]
    assert node.unit == surveyed.mersam
    assert [line.period.unit for line in node.periods] == [surveyed.mersam]
    assert client.get(reverse("surveys:rollup_unit", args=[surveyed.regency.pk])).status_code == 404


def test_an_officer_of_another_regency_sees_nothing(client, surveyed):
    client.force_login(surveyed.outsider)
    page = client.get(reverse("surveys:rollup"))
    assert page.status_code == 200 and page.context["node"] is None
    assert client.get(reverse("surveys:rollup_unit", args=[surveyed.dukcapil.pk])).status_code == 404


# --- the scope each user works at (issue 11): national -> provinces, Perwakilan -> its province, coordinator -> its
# regency, officer -> its unit. Jambi's figures: Dukcapil 82.56 (N 2200) and DPMPTSP 80.49 (N 400) counted, Mersam
# left out: (82.56 x 2200 + 80.49 x 400) / 2600 = 82.2415 -> 82.24 B, 2 counted, 1 left out.


def test_the_national_ombudsman_sees_one_row_per_province(client, surveyed):
    client.force_login(surveyed.superuser)
    page = client.get(reverse("surveys:rollup"), {"year": "2026"})
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert row.unit.pk == "15"
    assert (row.value.ikm, row.value.grade.letter, row.value.included, row.value.excluded) == (
        Decimal("82.24"), "B", 2, 1)
    assert 'href="?region=15&amp;year=2026' in page.content.decode()


def test_a_province_drills_down_to_its_governments(client, surveyed):
    client.force_login(surveyed.superuser)
    page = client.get(reverse("surveys:rollup"), {"year": "2026", "region": "15"})
    [row] = page.context["rows"]
    assert row.unit == surveyed.regency
    assert (row.value.ikm, row.value.included, row.value.excluded) == (Decimal("82.24"), 2, 1)


def test_a_perwakilan_sees_its_province(client, surveyed):
    client.force_login(surveyed.ombudsman_admin)
    page = client.get(reverse("surveys:rollup"), {"year": "2026"})
    assert page.context["region"] == "15"
    assert [r.unit for r in page.context["rows"]] == [surveyed.regency]
    # another province is not theirs: the page falls back to their own province
    assert client.get(reverse("surveys:rollup"), {"year": "2026", "region": "31"}).context["region"] == "15"


def test_the_coordinator_sees_the_regency_and_the_officer_their_unit(client, surveyed):
    client.force_login(surveyed.coordinator)
    assert client.get(reverse("surveys:rollup"), {"year": "2026"}).context["node"].unit == surveyed.regency
    client.force_login(surveyed.officer)
    node = client.get(reverse("surveys:rollup"), {"year": "2026"}).context["node"]
    # Dukcapil alone: 82.56, 1 counted
    assert node.unit == surveyed.dukcapil
    assert (node.value.ikm, node.value.included) == (Decimal("82.56"), 1)


def test_the_survey_list_is_paginated_keeping_the_query(client, surveyed, settings):
    from pantau.core import pagination

    client.force_login(surveyed.coordinator)
    total = SurveyPeriod.objects.count()  # the demo's four periods
    assert total >= 3
    original = pagination.PAGE_SIZE
    try:
        pagination.paginate.__defaults__ = (2, "page")
        first = client.get(reverse("surveys:period_list"), {"q": "x"})
        second = client.get(reverse("surveys:period_list"), {"q": "x", "page": "2"})
    finally:
        pagination.paginate.__defaults__ = (original, "page")
    assert len(first.context["periods"]) == 2
    assert second.context["page"].number == 2
    assert "q=x&amp;page=2" in first.content.decode()
