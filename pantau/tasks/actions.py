"""The only write path of background tasks: start a job for a user, track its progress, finish or fail it, and keep
the checkpoint of a chunked recomputation.

A job is a django-tasks ``Task`` (defined in the ``tasks`` module of the app that owns the work, e.g.
``pantau.surveys.tasks``) whose function takes ``run_id`` and calls ``run_tracked`` with the work to do. The work
receives a ``Progress`` to report ``done``/``total`` and returns an ``Outcome``. With the database backend a
worker (``pantau db_worker``) picks the job up; with the immediate backend (tests) it runs inside ``start``.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pantau.tasks.models import Checkpoint, TaskKind, TaskRun, TaskStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 1.0
"""Progress is written at most once a second (and always at the end), so a fast loop does not flood the database."""


@dataclass
class Outcome:
    """What a finished job produced: a ``message`` for its user, an optional file (``file_name``, ``content``
    bytes) stored as the run's result file, and an optional ``url`` to what it made."""

    message: str = ""
    file_name: str = ""
    content: bytes | None = None
    url: str = ""


class Progress:
    """Callable ``progress(done, total=None, message=None)`` writing a run's progress (throttled to once a second)
    and echoing it to ``echo`` (e.g. a command's stdout) when given."""

    def __init__(self, run_id: int | None, echo: Callable[[str], None] | None = None) -> None:
        self.run_id = run_id
        self.echo = echo
        self.done = 0
        self.total = 0
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None, force: bool = False) -> None:
        """Record that ``done`` of ``total`` items are finished."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_EVERY_SECONDS and done < self.total:
            return
        self._written = now
        fields: dict[str, Any] = {"done": done, "total": self.total}
        if message is not None:
            fields["message"] = message[:2000]
        if self.run_id is not None:
            TaskRun.objects.filter(pk=self.run_id).update(**fields)
        if self.echo is not None:
            percent = f" ({done * 100 // self.total} %)" if self.total else ""
            self.echo(f"{done}/{self.total}{percent}")


def start(*, user: Any, kind: TaskKind | str, label: str, task: Any, **kwargs: Any) -> TaskRun:
    """Record a run for ``user`` and enqueue ``task(run_id=..., **kwargs)`` (JSON-serialisable arguments).

    The caller checks the user's permission for the work first (each app's ``tasks.start_*``). Returns the run
    (refreshed: with the immediate backend it has already finished).
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to start a task."))
    run = TaskRun.objects.create(user=user, kind=TaskKind(kind), label=label[:200])
    result = task.enqueue(run_id=run.pk, **kwargs)
    TaskRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def user_message(exc: BaseException) -> str:
    """The error of a failed job in the user's language: validation and permission messages as they are, anything
    else a generic sentence (the details go to the log, never to the page)."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You may not do this.")
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    return _("The task failed because of an unexpected error. The administrator can find the details in the server "
             "log; try again later.")


def run_tracked(run_id: int, work: Callable[[TaskRun, Progress], Outcome]) -> dict[str, Any]:
    """Run ``work(run, progress)`` for run ``run_id``: status running, then done with its outcome, or failed with
    the error in Pantau's language (``settings.LANGUAGE_CODE``, Indonesian). Re-raises the error after recording it
    so the task engine marks the job failed too. Returns a small JSON summary (the engine's return value)."""
    run = TaskRun.objects.select_related("user").get(pk=run_id)
    TaskRun.objects.filter(pk=run_id).update(status=TaskStatus.RUNNING, started_at=timezone.now())
    progress = Progress(run_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            outcome = work(run, progress)
        except Exception as exc:
            logger.exception("background task %s (%s) failed", run_id, run.label)
            TaskRun.objects.filter(pk=run_id).update(status=TaskStatus.FAILED, message=user_message(exc)[:2000],
                                                     finished_at=timezone.now())
            raise
    with transaction.atomic():
        run = TaskRun.objects.select_for_update().get(pk=run_id)
        run.status = TaskStatus.DONE
        run.finished_at = timezone.now()
        run.message = outcome.message[:2000]
        run.result_url = outcome.url[:300]
        run.done = max(run.done, progress.done)
        if run.total == 0:
            run.total = run.done
        if outcome.content is not None:
            run.result_file.save(outcome.file_name or "result.bin", ContentFile(outcome.content), save=False)
        run.save()
    return {"run": run_id, "status": run.status, "message": run.message}


def checkpoint_key(name: str) -> tuple[int, int]:
    """(last processed key, items done) of the checkpoint ``name``; (0, 0) when there is none."""
    row = Checkpoint.objects.filter(name=name).values_list("last_key", "done").first()
    return (row[0], row[1]) if row else (0, 0)


def save_checkpoint(*, name: str, last_key: int, done: int) -> None:
    """Remember that job ``name`` committed everything up to primary key ``last_key`` (``done`` items)."""
    Checkpoint.objects.update_or_create(name=name, defaults={"last_key": last_key, "done": done})


def clear_checkpoint(*, name: str) -> None:
    """Forget the checkpoint of a job that completed."""
    Checkpoint.objects.filter(name=name).delete()
