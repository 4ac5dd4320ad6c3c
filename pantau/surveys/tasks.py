"""Background tasks of surveys: the national IKM recomputation (``recompute_results``) run by a worker, with its
progress on the page "Tugas saya" (``pantau.tasks``)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from pantau.accounts.commands import may_recompute
from pantau.audit.actions import record
from pantau.audit.models import AuditAction
from pantau.surveys import ikm
from pantau.surveys.actions import recompute_checkpoint_name, recompute_results
from pantau.surveys.models import SurveyPeriod
from pantau.tasks.actions import Outcome, Progress, run_tracked, start
from pantau.tasks.models import TaskKind, TaskRun


def start_recompute(*, user: Any, province: str | None = None, weight: str = ikm.Weight.EXACT.value,
                    resume: bool = False) -> TaskRun:
    """Queue the IKM recomputation of ``province`` (two-digit code; None: all of Indonesia) for ``user``.

    Same permission as ``pantau recompute_ikm`` (``accounts.commands.may_recompute``: a superuser nationally, an
    Ombudsman admin for their province); PermissionDenied otherwise, nothing queued. Returns the TaskRun.
    """
    if not may_recompute(user, province):
        raise PermissionDenied(_("You may not recompute these scores."))
    where = (_("province %(code)s") % {"code": province}) if province else _("all provinces")
    label = _("IKM recomputation (%(where)s)") % {"where": where}
    return start(user=user, kind=TaskKind.RECOMPUTE, label=label, task=recompute_ikm_task,
                 province=province, weight=ikm.Weight(weight).value, resume=resume)


@task()
def recompute_ikm_task(*, run_id: int, province: str | None, weight: str, resume: bool = False) -> dict[str, Any]:
    """The worker side of ``start_recompute``: chunked, resumable recomputation with progress in periods, then one
    audit entry summarising the run (as the command records)."""

    def work(run: TaskRun, progress: Progress) -> Outcome:
        if not may_recompute(run.user, province):  # the right may have been withdrawn while queued
            raise PermissionDenied(_("You may not recompute these scores."))
        periods = SurveyPeriod.objects.all()
        if province:
            periods = periods.filter(province_code=province)
        report = recompute_results(actor=run.user, periods=periods, weight=weight, progress=progress,
                                   checkpoint=recompute_checkpoint_name(province, weight), resume=resume,
                                   keep_changes=0)
        note = _("IKM: %(periods)s periods, %(skipped)s without responses, %(stored)s results stored") % {
            "periods": report.periods, "skipped": report.skipped, "stored": report.stored}
        with transaction.atomic():
            record(actor=run.user, action=AuditAction.UPDATE, obj=None,
                   after={"command": "recompute_ikm", "province": province, "weight": weight,
                          "periods": report.periods, "created": report.created, "changed": report.changed,
                          "stored": report.stored},
                   note=f"recompute_ikm ({province or 'all'}); {note}")
        return Outcome(message=note)

    return run_tracked(run_id, work)
