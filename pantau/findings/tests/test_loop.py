"""The whole loop for each measuring source: finding -> action -> re-measurement -> the change credited to the
action, shown on the action page, the plan's dashboard and the API (DESIGN.md, "The loop the product closes")."""

import datetime as dt
from decimal import Decimal

from django.test import Client

from pantau.assessments.actions import record_round
from pantau.assessments.models import MethodEdition, RoundKind
from pantau.findings.actions import propose_actions
from pantau.findings.models import Credit, Finding
from pantau.standards import actions as standards
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS
from pantau.surveys import actions as surveys
from pantau.surveys.tests.helpers import csv_bytes, t1_rows


def shown_everywhere(world, action, text_before, text_after):
    """The credit appears on the action page, the plan's dashboard and the action in the API."""
    client = Client()
    client.force_login(world.coordinator)
    for url in (f"/actions/{action.pk}/", f"/work-plans/{world.plan.pk}/"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert text_before in html and text_after in html, url
    data = client.get(f"/api/v1/actions/{action.pk}/").json()
    assert [(c["value_before"], c["value_after"]) for c in data["credits"]] == [(text_before, text_after)]


def test_a_survey_element_at_grade_c_becomes_an_action_and_the_next_period_credits_it(world):
    first = surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2023, 1, 1),
                                  end_date=dt.date(2023, 6, 30))
    assert surveys.import_responses(actor=world.coordinator, period=first, data=csv_bytes(t1_rows()),
                                    file_name="t1.csv").ok
    # rules.md T1: U3 total 30 of 10 respondents -> 25 x 30 / 10 = 75.00, grade C: a finding with target 76.61
    surveys.compute_result(actor=world.coordinator, period=first, today=dt.date(2023, 7, 10))
    finding = Finding.objects.get(source_key=f"skm:{first.pk}:U3")
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[finding],
                               today=dt.date(2023, 7, 11))
    later = surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2023, 7, 1),
                                  end_date=dt.date(2023, 12, 31))
    rows = [[i + 1, *[4 if i < 3 else 3] * 9] for i in range(10)]  # each element 3 x 4 + 7 x 3 = 33 -> 82.50
    assert surveys.import_responses(actor=world.coordinator, period=later, data=csv_bytes(rows),
                                    file_name="s2.csv").ok
    result = surveys.compute_result(actor=world.coordinator, period=later, today=dt.date(2024, 1, 15))
    [credit] = Credit.objects.all()
    assert (credit.action, credit.finding, credit.measurement) == (action, finding, result)
    assert (credit.value_before, credit.value_after, credit.change) == (
        Decimal("75.00"), Decimal("82.50"), Decimal("7.50"))
    shown_everywhere(world, action, "75.00", "82.50")


def test_a_missing_standard_component_becomes_an_action_and_the_new_version_credits_it(world):
    service = standards.create_service(actor=world.officer, unit=world.dukcapil, name="Akta Kelahiran")
    everything_but_fees = {code: (f"isi {code}", code in DELIVERY_COMPONENTS) for code in ALL_COMPONENTS
                           if code != "biaya_tarif"}
    standards.record_standard(actor=world.officer, service=service, components=everything_but_fees,
                              maklumat_adopted=True, adopted_on=dt.date(2023, 1, 5), detected_on=dt.date(2023, 1, 5))
    finding = Finding.objects.get(source="standard", closed_on__isnull=True)
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[finding],
                               today=dt.date(2023, 1, 6))
    complete = {**everything_but_fees, "biaya_tarif": ("Tidak dipungut biaya", True)}
    version = standards.record_standard(actor=world.officer, service=service, components=complete,
                                        maklumat_adopted=True, adopted_on=dt.date(2023, 9, 1),
                                        detected_on=dt.date(2023, 9, 1))
    [credit] = Credit.objects.all()
    # a component without a measure: 0 (absent) -> 1 (present)
    assert (credit.action, credit.measurement, credit.value_before, credit.value_after) == (
        action, version, Decimal("0"), Decimal("1"))
    shown_everywhere(world, action, "0.00", "1.00")


def test_a_failed_assessment_dimension_becomes_an_action_and_the_next_round_credits_it(world):
    edition = MethodEdition.objects.get(code="ombudsman-2022")

    def assess(on, pengaduan):
        return record_round(actor=world.coordinator, edition=edition, year=on.year, kind=RoundKind.SELF_ASSESSMENT,
                            assessed_on=on, unit=world.dukcapil,
                            dimension_scores={"input": "82", "proses": "90", "output": "85", "pengaduan": pengaduan})

    first = assess(dt.date(2023, 5, 15), "70")  # below the pass mark 78.00 (lowest green bound, rules.md 2.3)
    [finding] = first.open_findings
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[finding],
                               today=dt.date(2023, 6, 5))
    later = assess(dt.date(2024, 5, 20), "84")
    [credit] = later.credits
    assert (credit.action, credit.measurement, credit.value_before, credit.value_after) == (
        action, later.round, Decimal("70.00"), Decimal("84.00"))
    shown_everywhere(world, action, "70.00", "84.00")


def test_the_credit_of_an_action_the_user_may_not_see_is_not_shown(world):
    test_a_survey_element_at_grade_c_becomes_an_action_and_the_next_period_credits_it(world)
    client = Client()
    client.force_login(world.other_officer)  # DPMPTSP: the credited action is Dukcapil's
    assert client.get("/api/v1/credits/").json()["count"] == 0
    assert "82.50" not in client.get(f"/work-plans/{world.plan.pk}/").content.decode()
