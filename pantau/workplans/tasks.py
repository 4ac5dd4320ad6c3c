"""Background tasks of work plans: a large action import run by a worker, its progress and summary on the page
"Tugas saya" (``pantau.tasks``).

The upload is kept in the default storage under ``tasks/uploads/`` until the task has read it. ``run_import`` is the
one place that calls the importer: it takes the bulk importer ``workplans.actions.import_actions_bulk`` when that
exists and the row-by-row ``xlsx.import_actions`` otherwise (same checks, same audit).
"""

import inspect
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.tasks.actions import Outcome, Progress, run_tracked, start
from pantau.tasks.models import TaskKind, TaskRun
from pantau.workplans import xlsx

ERRORS_SHOWN = 20
"""Import errors listed in a failed task's message (the first ones, with row and column)."""


def run_import(*, user: Any, plan: Agreement, data: bytes, file_name: str, progress: Progress) -> Any:
    """Import ``data`` into ``plan`` as ``user``; returns the importer's result (``ok``, ``errors``, ``summary()``)."""
    from pantau.workplans import actions

    bulk = getattr(actions, "import_actions_bulk", None)
    if bulk is not None:  # the bulk path (issue 11 item 4), when present
        accepted = inspect.signature(bulk).parameters
        extra = {name: value for name, value in (("work_plan", plan), ("file_name", file_name)) if name in accepted}
        return bulk(user=user, file=data, progress=progress, **extra)
    return xlsx.import_actions(actor=user, work_plan=plan, file=data, file_name=file_name)


def start_import(*, user: Any, plan: Agreement, data: bytes, file_name: str) -> TaskRun:
    """Keep the uploaded ``data`` and queue its import into work plan ``plan`` for ``user``. PermissionDenied
    without IMPORT_ACTIONS on the plan's government (nothing stored, nothing queued)."""
    if not has_unit_permission(user, Permission.IMPORT_ACTIONS, plan.government):
        raise PermissionDenied(_("You may not import actions into this work plan."))
    name = default_storage.save(f"tasks/uploads/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    label = _("Import of %(file)s into %(plan)s") % {"file": file_name or "-", "plan": plan.title}
    return start(user=user, kind=TaskKind.IMPORT, label=label, task=import_actions_task, plan_id=plan.pk,
                 stored_name=name, file_name=file_name[:200])


@task()
def import_actions_task(*, run_id: int, plan_id: int, stored_name: str, file_name: str) -> dict[str, Any]:
    """The worker side of ``start_import``: read the kept upload, import it, delete it. Import errors make the
    task fail with the first ``ERRORS_SHOWN`` errors (row, column, reason) as its message; nothing is written then
    (the import is all or nothing)."""

    def work(run: TaskRun, progress: Progress) -> Outcome:
        plan = (Agreement.objects.for_user(run.user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
                .select_related("government").filter(pk=plan_id).first())
        if plan is None:
            raise PermissionDenied(_("The work plan is no longer visible to you."))
        with default_storage.open(stored_name, "rb") as handle:
            data = handle.read()
        result = run_import(user=run.user, plan=plan, data=data, file_name=file_name, progress=progress)
        if not result.ok:
            shown = "; ".join(str(error) for error in result.errors[:ERRORS_SHOWN])
            more = len(result.errors) - ERRORS_SHOWN
            if more > 0:
                shown += " " + _("... and %(count)s more errors.") % {"count": more}
            raise ValidationError(_("Nothing was imported: %(errors)s") % {"errors": shown})
        return Outcome(message=f"{file_name or '-'}: {result.summary()}",
                       url=reverse("reports:work_plan_dashboard", args=[plan.pk]))

    try:
        return run_tracked(run_id, work)
    finally:
        default_storage.delete(stored_name)
