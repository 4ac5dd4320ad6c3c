"""Supervision figures computed by hand: open, overdue, medians, shares on time, rankings only from 5 complaints."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pantau.complaints import actions, supervision
from pantau.complaints.models import Complaint
from pantau.complaints.tests.conftest import at, submit

D = dt.date


@pytest.fixture
def year(cw):
    """Seven complaints received Mon 2 Jun 2025 (first answer due 16 Jun; see each for the rest)."""
    def new(unit):
        return submit(cw.regency, unit=unit, now=at(2025, 6, 2)).complaint

    one = new(cw.dukcapil)  # first answer 3 Jun (1 day, on time); resolution due 3 Jun + 60 = 2 Aug; answered
    actions.check_file(actor=cw.officer, complaint=one, complete=True, now=at(2025, 6, 3))  # 10 Jun (8 days)
    actions.answer(actor=cw.officer, complaint=one, text="OK", now=at(2025, 6, 10))
    actions.close(actor=cw.officer, complaint=one, satisfied=True, now=at(2025, 6, 11))
    two = new(cw.dukcapil)  # first answer 20 Jun (18 days, late); resolution due 19 Aug; answered 1 Sep (91 days)
    actions.check_file(actor=cw.officer, complaint=two, complete=True, now=at(2025, 6, 20))
    actions.answer(actor=cw.officer, complaint=two, text="OK", now=at(2025, 9, 1))
    new(cw.dukcapil)  # never answered: first answer late, overdue, open
    four = new(cw.dukcapil)  # first answer 4 Jun (2 days); resolution due 3 Aug, never answered: late, overdue
    actions.check_file(actor=cw.officer, complaint=four, complete=True, now=at(2025, 6, 4))
    five = new(cw.dukcapil)  # withdrawn before any answer: not judged, not open
    actions.withdraw(actor=cw.officer, complaint=five, now=at(2025, 6, 3))
    for _ in range(2):  # DPMPTSP: first answer 3 Jun (1 day), answered 5 Jun (3 days): all on time
        other = new(cw.dpmptsp)
        actions.check_file(actor=cw.other_officer, complaint=other, complete=True, now=at(2025, 6, 3))
        actions.answer(actor=cw.other_officer, complaint=other, text="OK", now=at(2025, 6, 5))
    assert (two.resolution_due, four.resolution_due) == (None, None)  # in memory; the stored values follow
    assert list(Complaint.objects.filter(pk__in=[two.pk, four.pk]).order_by("id")
                .values_list("resolution_due", flat=True)) == [D(2025, 8, 19), D(2025, 8, 3)]
    return cw


TODAYS = {"Asia/Jakarta": D(2026, 1, 5), "Asia/Makassar": D(2026, 1, 5), "Asia/Jayapura": D(2026, 1, 5)}


def test_the_figures_of_one_unit(year):
    f = supervision.figures(supervision.rows(Complaint.objects.filter(unit=year.dukcapil)), TODAYS)
    assert (f.received, f.open, f.overdue) == (5, 3, 2)  # open: two (answered), three, four
    assert (f.median_first_answer, f.median_resolution) == (2.0, 49.5)  # of 1, 2, 18 days; of 8, 91 days
    # first answers judged: one on time, two late, three late (due passed), four on time: 2 of 4
    assert (f.first_answer_judged, f.first_answer_on_time) == (4, Decimal("50.0"))
    # resolutions judged: one on time, two late, four late (due passed): 1 of 3 = 33.3 %
    assert (f.resolution_judged, f.resolution_on_time) == (3, Decimal("33.3"))


def test_the_figures_of_the_government(year):
    f = supervision.figures(supervision.rows(Complaint.objects.filter(government=year.regency)), TODAYS)
    assert (f.received, f.open, f.overdue) == (7, 5, 2)
    assert (f.median_first_answer, f.median_resolution) == (1.0, 5.5)  # 1,1,1,2,18; 3,3,8,91
    assert (f.first_answer_on_time, f.resolution_on_time) == (Decimal("66.7"), Decimal("60.0"))  # 4 of 6; 3 of 5


def test_only_units_with_five_complaints_are_ranked(year):
    rows = supervision.rows(Complaint.objects.all())
    per_unit = supervision.by_unit(rows, TODAYS)
    ranked, others = supervision.rank([(year.dukcapil, per_unit[year.dukcapil.pk]),
                                       (year.dpmptsp, per_unit[year.dpmptsp.pk])])
    assert [(n, u) for n, u, _f in ranked] == [(1, year.dukcapil)]
    assert [u for u, _f in others] == [year.dpmptsp]  # all on time, but only 2 complaints


def test_nothing_judged_gives_no_share():
    f = supervision.figures([], TODAYS)
    assert (f.received, f.first_answer_on_time, f.median_resolution) == (0, None, None)


def test_the_supervision_pages_show_the_figures_and_label_the_ranking(client, year, django_assert_max_num_queries):
    client.force_login(year.assistant)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("complaints:supervision_unit", args=[year.regency.pk]) + "?year=2025")
    body = response.content.decode()
    assert 'id="ranking-label"' in body and "at least 5 complaints" in body
    ranking = body.split('id="ranking"')[1].split("</table>")[0]
    assert "Dinas Kependudukan dan Pencatatan Sipil" in ranking and "Penanaman Modal" not in ranking
    assert "Penanaman Modal" in body.split('id="not-ranked"')[1]
    with django_assert_max_num_queries(8):
        index = client.get(reverse("complaints:supervision_index") + "?year=2025").content.decode()
    assert "Pemerintah Kabupaten Batanghari" in index


def test_the_complaint_list_keeps_its_query_budget(client, year, django_assert_max_num_queries):
    for _ in range(20):
        submit(year.regency, unit=year.mersam, now=at(2025, 6, 2))
    client.force_login(year.coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:complaint_list"))
    assert response.status_code == 200 and response.content.decode().count("PGD-") >= 27
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/complaints/").json()["count"] == 27
    with django_assert_max_num_queries(4):
        assert len(client.get("/open311/v2/requests.json?start_date=2025-05-15T00:00:00Z"
                              "&end_date=2025-08-01T00:00:00Z").json()) == 27


def test_the_overdue_filter_of_the_list(client, year):
    client.force_login(year.coordinator)
    body = client.get(reverse("complaints:complaint_list") + "?overdue=on").content.decode()
    assert body.count('<tr>') - 1 == 2  # three (no first answer) and four (no answer)
