"""The national recomputation streams chunk by chunk: a stopped run resumes after its checkpoint, an unchanged
period writes nothing, and progress counts periods. Expected IKM values by hand in the comments."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from pantau.surveys.actions import recompute_checkpoint_name, recompute_results
from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.tasks.models import Checkpoint


class Stop(Exception):
    """Stands for a worker killed mid-run."""


def periods(world, count):
    """``count`` Dukcapil periods, period i with one response scoring 1 + i % 4 on every element, so its IKM is
    25 x (1 + i % 4): 25.00 D, 50.00 D, 75.00 C, 100.00 A."""
    made = []
    for i in range(count):
        period = SurveyPeriod.objects.create(unit=world.dukcapil, service_name=f"s{i}",
                                             start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30))
        Response.objects.create(period=period, source="paper_import", province_code="15",
                                **{f"u{j}": 1 + i % 4 for j in range(1, 10)})
        made.append(period)
    return made


@pytest.mark.django_db(transaction=True)
def test_a_stopped_run_resumes_after_its_checkpoint(world):
    made = periods(world, 5)
    name = recompute_checkpoint_name(None, "exact")
    seen = []

    def stop_after_two_chunks(done, total, force=False):
        seen.append((done, total))
        if done == 4:
            raise Stop

    with pytest.raises(Stop):
        recompute_results(actor=world.superuser, chunk_size=2, checkpoint=name, progress=stop_after_two_chunks)

    assert seen == [(0, 5), (2, 5), (4, 5)]
    assert Checkpoint.objects.get(name=name).last_key == made[3].pk
    assert IkmResult.objects.count() == 4  # two chunks committed

    report = recompute_results(actor=world.superuser, chunk_size=2, checkpoint=name, resume=True)

    assert (report.resumed_after, report.periods, report.created, report.stored) == (made[3].pk, 1, 1, 1)
    assert [str(IkmResult.objects.get(period=p).ikm) for p in made] == ["25.00", "50.00", "75.00", "100.00",
                                                                         "25.00"]
    assert not Checkpoint.objects.filter(name=name).exists()


def test_an_unchanged_period_writes_nothing_and_a_changed_one_appends_a_result(world):
    made = periods(world, 3)
    recompute_results(actor=world.superuser, chunk_size=2)
    # period 1 gets a second response all 4: totals 2 x 9 + 4 x 9 = 54 over n = 2 -> 25 x 54 / 18 = 75.00 C
    Response.objects.create(period=made[1], source="paper_import", province_code="15",
                            **{f"u{j}": 4 for j in range(1, 10)})

    report = recompute_results(actor=world.superuser, chunk_size=2)

    assert (report.periods, report.unchanged, report.changed, report.created, report.stored) == (3, 2, 1, 0, 1)
    assert IkmResult.objects.count() == 4
    latest = IkmResult.objects.filter(period=made[1]).order_by("-computed_at", "-id").first()
    assert (str(latest.ikm), latest.grade, latest.n_responses) == ("75.00", "C", 2)


def test_the_command_prints_its_progress(world):
    periods(world, 2)
    out = StringIO()

    call_command("recompute_ikm", "--user", "root", "--progress", stdout=out)

    assert "Progress: 2/2 (100 %) periods" in out.getvalue()
