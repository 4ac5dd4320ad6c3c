"""From complaints to improvement: 3 complaints about one service or standard component within 90 days become a
finding (complaints.patterns, Pantau's choice), the finding becomes an action in the work plan, and a later window
with fewer complaints closes it and credits the action."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from pantau.complaints import actions
from pantau.complaints.models import ComplaintWindow
from pantau.complaints.patterns import window_ending
from pantau.complaints.tests.conftest import at, submit
from pantau.findings.actions import propose_actions
from pantau.findings.models import Credit, Finding

D = dt.date


def test_the_window_is_ninety_days_ending_on_the_review_day():
    # 31 Mar 2025 - 89 days: 30 days back is 1 Mar, 58 is 1 Feb, 89 is 1 Jan
    assert window_ending(D(2025, 3, 31)) == (D(2025, 1, 1), D(2025, 3, 31))
    # 30 Jun 2025 - 89 days: 29 back is 1 Jun, 59 is 2 May, 89 is 2 Apr
    assert window_ending(D(2025, 6, 30)) == (D(2025, 4, 2), D(2025, 6, 30))


@pytest.fixture
def repeated(cw):
    for day in (D(2025, 2, 1), D(2025, 2, 15), D(2025, 3, 1)):
        submit(cw.regency, service=cw.ktp, now=at(day.year, day.month, day.day), component="jangka_waktu_penyelesaian")
    return cw


def test_three_complaints_about_a_service_in_ninety_days_become_findings(repeated):
    review = actions.review_patterns(actor=repeated.coordinator, government=repeated.regency, on=D(2025, 3, 31))
    keys = sorted(f.source_key for f in review.recorded)
    assert keys == ["complaint:component-jangka_waktu_penyelesaian", f"complaint:service-{repeated.ktp.pk}"]
    finding = Finding.objects.get(source_key=f"complaint:service-{repeated.ktp.pk}")
    assert (finding.source, finding.unit, finding.detected_on) == ("complaint", repeated.dukcapil, D(2025, 3, 31))
    assert (finding.baseline, finding.target) == (Decimal(3), Decimal(2))
    assert ComplaintWindow.objects.filter(start=D(2025, 1, 1), end=D(2025, 3, 31), count=3).count() == 2


def test_two_complaints_are_not_a_pattern(cw):
    for day in (1, 15):
        submit(cw.regency, service=cw.ktp, now=at(2025, 2, day))
    review = actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 3, 31))
    assert review.recorded == [] and not Finding.objects.exists()


def test_the_finding_becomes_an_action_and_a_later_quieter_window_closes_it_and_credits_the_action(repeated):
    cw = repeated
    actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 3, 31))
    finding = Finding.objects.get(source_key=f"complaint:service-{cw.ktp.pk}")
    [action] = propose_actions(actor=cw.coordinator, work_plan=cw.plan, findings=[finding], today=D(2025, 4, 1))
    assert (action.responsible_unit, action.baseline, action.target) == (cw.dukcapil, Decimal(3), Decimal(2))
    submit(cw.regency, service=cw.ktp, now=at(2025, 5, 10))
    # 15 Apr: the window (16 Jan - 15 Apr) began before the finding was detected: it is not a later measurement
    early = actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 4, 15))
    assert early.closing.closed == []
    # 30 Jun: window 2 Apr - 30 Jun, after the detection on 31 Mar, holds 1 complaint about the service: closed
    later = actions.review_patterns(actor=cw.assistant, government=cw.regency, on=D(2025, 6, 30))
    assert finding in later.closing.closed
    finding.refresh_from_db()
    assert (finding.closed_on, finding.closing_value) == (D(2025, 6, 30), Decimal(1))
    credit = Credit.objects.get(finding=finding)
    window = ComplaintWindow.objects.get(key=finding.source_key, start=D(2025, 4, 2), end=D(2025, 6, 30))
    assert (credit.action, credit.value_before, credit.value_after, credit.measurement) == (
        action, Decimal(3), Decimal(1), window)
    assert credit.change == Decimal(-2)


def test_a_pattern_that_comes_back_opens_the_finding_again(repeated):
    cw = repeated
    actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 3, 31))
    actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 6, 30))
    for day in (1, 8, 15):
        submit(cw.regency, service=cw.ktp, now=at(2025, 9, day))
    actions.review_patterns(actor=cw.coordinator, government=cw.regency, on=D(2025, 9, 30))
    finding = Finding.objects.get(source_key=f"complaint:service-{cw.ktp.pk}")
    assert (finding.closed_on, finding.detected_on, finding.baseline) == (None, D(2025, 9, 30), Decimal(3))


def test_only_handlers_and_the_ombudsman_review(repeated):
    with pytest.raises(PermissionDenied):
        actions.review_patterns(actor=repeated.viewer, government=repeated.regency, on=D(2025, 3, 31))
    assert not Finding.objects.exists()


def test_the_review_command(repeated):
    out = io.StringIO()
    call_command("review_complaint_patterns", "--government", "15.04", "--user", "coordinator", "--on",
                 "2025-03-31", stdout=out)
    assert "2 open, 0 closed, 0 credits." in out.getvalue()


def test_the_supervision_page_lists_complaint_findings_and_links_the_work_plan(client, repeated):
    actions.review_patterns(actor=repeated.coordinator, government=repeated.regency, on=D(2025, 3, 31))
    client.force_login(repeated.coordinator)
    body = client.get(reverse("complaints:supervision_unit", args=[repeated.regency.pk])).content.decode()
    assert "Complaints about the service Penerbitan KTP-el" in body
    assert reverse("findings:finding_list", args=[repeated.plan.pk]) in body and 'id="review"' in body
