"""Progress of background work, shown to the user who started it.

The work itself runs on django-tasks (database backend: no broker on a laptop, many workers on PostgreSQL; the
engine keeps its own queue rows). ``TaskRun`` is what Pantau shows: the starting user, the kind of job, the
engine's task id, status, progress (``done`` of ``total`` items), a message (the error in the user's language when
it failed) and the result (a stored file such as a PDF, or a link). ``Checkpoint`` keeps the last primary key a
chunked recomputation committed, so that ``--resume`` continues where a stopped run ended.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    """What a background task does."""

    IMPORT = "import", _("Import")
    RECOMPUTE = "recompute", _("Recomputation")
    REPORT = "report", _("Report rendering")


class TaskStatus(models.TextChoices):
    """Life of a task: queued, running, then done or failed."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TaskRunQuerySet(models.QuerySet):
    """Task runs, visible only to the user who started them (and superusers)."""

    def visible_to(self, user) -> "TaskRunQuerySet":  # noqa: ANN001
        """The runs ``user`` may see: their own; every run for an active superuser; none for anonymous users."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser and user.is_active:
            return self
        return self.filter(user=user)


class TaskRun(models.Model):
    """One background job as its user sees it. ``done``/``total`` count items (rows, periods, pages; ``total`` 0
    while unknown); ``message`` is a short status line or the error; ``result_file`` a produced file (served only
    to the user through ``tasks:download``), ``result_url`` a link to what the job produced."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE,
                             related_name="task_runs")
    kind = models.CharField(_("kind"), max_length=12, choices=TaskKind.choices)
    label = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    result_file = models.FileField(_("result file"), upload_to="tasks/%Y/%m/", blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="taskrun_user_created")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def percent(self) -> int | None:
        """Progress in percent 0-100 (rounded down), None while the total is unknown."""
        if not self.total:
            return 100 if self.status == TaskStatus.DONE else None
        return min(100, self.done * 100 // self.total)


class Checkpoint(models.Model):
    """The last primary key a chunked job committed (``name`` says which job and scope, e.g.
    ``recompute_ikm:15:exact``). Deleted when the job completes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_key = models.BigIntegerField(_("last processed key"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_key}"
