"""Background tasks seen by their users: started from the pages, run by django-tasks (the immediate backend in
tests, see pantau/conftest.py), with status, progress, result and a clear error on "Tugas saya"; nobody else sees
them. Expected counts are read off the fixtures by hand."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client

from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.surveys.tasks import start_recompute
from pantau.tasks import actions
from pantau.tasks.models import TaskKind, TaskRun, TaskStatus
from pantau.workplans.models import Action
from pantau.workplans.tests.test_xlsx import row, upload, workbook


def client_for(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def import_in_background(world, content, user=None):
    """POST the import page with background=1 as ``user`` (default: the coordinator); returns the response."""
    return client_for(user or world.coordinator).post(
        f"/work-plans/{world.plan.pk}/actions/import/", {"file": upload(content), "background": "1"})


def add_periods(world, count):
    """``count`` periods of Dukcapil with two responses each (all 3, so IKM 75.00 C: 25 x 27 / 9 = 75)."""
    for i in range(count):
        period = SurveyPeriod.objects.create(unit=world.dukcapil, service_name=f"layanan {i}",
                                             start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30))
        for _ in range(2):
            Response.objects.create(period=period, source="paper_import", province_code="15",
                                    **{f"u{j}": 3 for j in range(1, 10)})


def test_a_background_import_shows_its_progress_and_summary_to_its_user_only(world):
    response = import_in_background(world, workbook([row(), row(code="2")]))

    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert (run.user, run.kind, run.status) == (world.coordinator, TaskKind.IMPORT, TaskStatus.DONE)
    assert run.task_id
    assert Action.objects.count() == 2
    mine = client_for(world.coordinator)
    page = mine.get(f"/tugas/{run.pk}/").content.decode()
    assert "Done" in page
    assert "actions.xlsx: 2 created, 0 updated, 0 unchanged" in page
    assert f'href="/work-plans/{world.plan.pk}/"' in page
    listing = mine.get("/tugas/").content.decode()
    assert f'id="task-{run.pk}"' in listing
    # another user: not in their list, 404 on the page
    other = client_for(world.officer)
    assert f'id="task-{run.pk}"' not in other.get("/tugas/").content.decode()
    assert other.get(f"/tugas/{run.pk}/").status_code == 404
    assert other.get(f"/tugas/{run.pk}/hasil/").status_code == 404
    # a superuser may open it
    assert client_for(world.superuser).get(f"/tugas/{run.pk}/").status_code == 200


def test_a_failed_import_shows_its_error_and_writes_nothing(world):
    import_in_background(world, workbook([row(due_date="2020-01-01")]))

    run = TaskRun.objects.get()
    assert run.status == TaskStatus.FAILED
    assert run.message.startswith("Nothing was imported: Row 2, column ")
    assert Action.objects.count() == 0
    page = client_for(world.coordinator).get(f"/tugas/{run.pk}/").content.decode()
    assert 'role="alert"' in page
    assert "Nothing was imported: Row 2, column " in page
    assert "Traceback" not in page


def test_a_failed_task_speaks_indonesian_by_default(world, settings):
    settings.LANGUAGE_CODE = "id"
    import_in_background(world, workbook([row(due_date="2020-01-01")]))

    run = TaskRun.objects.get()
    assert run.status == TaskStatus.FAILED
    assert run.message.startswith("Tidak ada yang diimpor: Baris 2, kolom ")


def test_an_unexpected_error_gives_a_plain_message_without_details(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("pantau.reports.tasks.render_work_plan_quarter", broken)
    response = client_for(world.coordinator).post(
        f"/work-plans/{world.plan.pk}/report.pdf/background/", {"quarter": "2021Q1", "lang": "id"})

    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert run.status == TaskStatus.FAILED
    assert "secret" not in run.message
    assert run.message.startswith("The task failed because of an unexpected error.")


def test_a_background_pdf_is_the_result_file_of_its_user(world):
    response = client_for(world.coordinator).post(
        f"/work-plans/{world.plan.pk}/report.pdf/background/", {"quarter": "2021Q1", "lang": "en"})

    run = TaskRun.objects.get()
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert (run.kind, run.status, run.done, run.total, run.percent) == (TaskKind.REPORT, TaskStatus.DONE, 1, 1, 100)
    pdf = client_for(world.coordinator).get(f"/tugas/{run.pk}/hasil/")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client_for(world.officer).get(f"/tugas/{run.pk}/hasil/").status_code == 404


def test_a_bad_quarter_or_an_invisible_plan_starts_nothing(world):
    client = client_for(world.coordinator)
    assert client.post(f"/work-plans/{world.plan.pk}/report.pdf/background/", {"quarter": "2021Q9"}).status_code == 400
    assert client.post(f"/work-plans/{world.other_plan.pk}/report.pdf/background/",
                       {"quarter": "2021Q1"}).status_code == 404
    assert TaskRun.objects.count() == 0


def test_the_national_recomputation_reports_periods_done_of_total(world):
    add_periods(world, 3)

    response = client_for(world.superuser).post("/surveys/recompute/")

    run = TaskRun.objects.get()
    assert response["Location"] == f"/tugas/{run.pk}/"
    assert (run.kind, run.status, run.done, run.total, run.percent) == (
        TaskKind.RECOMPUTE, TaskStatus.DONE, 3, 3, 100)
    assert IkmResult.objects.filter(ikm="75.00", grade="C").count() == 3
    assert "3/3 (100 %)" in client_for(world.superuser).get("/tugas/").content.decode()


def test_only_who_may_recompute_starts_a_recomputation(world):
    add_periods(world, 1)

    assert client_for(world.coordinator).post("/surveys/recompute/").status_code == 403
    with pytest.raises(PermissionDenied):
        start_recompute(user=world.ombudsman_admin)  # national: superusers only
    assert TaskRun.objects.count() == 0
    assert IkmResult.objects.count() == 0


def test_progress_is_written_for_the_run_and_echoed():
    lines = []
    progress = actions.Progress(None, echo=lines.append)

    progress(0, 4, force=True)
    progress(4, 4)

    assert lines == ["0/4 (0 %)", "4/4 (100 %)"]


def test_anonymous_users_are_sent_to_the_login(client, db):
    assert client.get("/tugas/").status_code == 302
