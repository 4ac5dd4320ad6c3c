"""Background tasks of reports: rendering a work plan's quarterly PDF report of a large scope (a province's or the
whole country's plan takes long) on a worker; the PDF is the task's result file on "Tugas saya"."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement, AgreementKind
from pantau.reports.pdfs import LANGUAGES, render_work_plan_quarter
from pantau.tasks.actions import Outcome, Progress, run_tracked, start
from pantau.tasks.models import TaskKind, TaskRun
from pantau.workplans.quarters import Quarter


def _visible_plan(user: Any, plan_id: int) -> Agreement | None:
    """The work plan ``plan_id`` if ``user`` may VIEW it, else None."""
    plans = Agreement.objects.for_user(user, Permission.VIEW).filter(kind=AgreementKind.WORK_PLAN)
    return plans.select_related("government", "government__region", "ombudsman_office").filter(pk=plan_id).first()


def start_work_plan_pdf(*, user: Any, plan: Agreement, quarter: Quarter, language: str = "id") -> TaskRun:
    """Queue the quarterly PDF report of ``plan`` (which ``user`` may VIEW, else PermissionDenied) in ``language``
    (``id`` or ``en``) for ``user``; the report covers the actions the user may see, as the page does."""
    if _visible_plan(user, plan.pk) is None:
        raise PermissionDenied(_("You may not view this work plan."))
    label = _("Quarterly report %(quarter)s: %(plan)s") % {"quarter": quarter, "plan": plan.title}
    return start(user=user, kind=TaskKind.REPORT, label=label, task=work_plan_pdf_task, plan_id=plan.pk,
                 quarter=str(quarter), language=language if language in LANGUAGES else "id")


@task()
def work_plan_pdf_task(*, run_id: int, plan_id: int, quarter: str, language: str) -> dict[str, Any]:
    """The worker side of ``start_work_plan_pdf``: render the PDF (``reports.pdfs.render_work_plan_quarter``) with
    the starting user's scope, store it as the run's result file."""

    def work(run: TaskRun, progress: Progress) -> Outcome:
        plan = _visible_plan(run.user, plan_id)
        if plan is None:
            raise PermissionDenied(_("The work plan is no longer visible to you."))
        progress(0, 1, force=True)
        content = render_work_plan_quarter(user=run.user, plan=plan, quarter=Quarter.parse(quarter),
                                           language=language)
        progress(1, 1, force=True)
        return Outcome(message=_("%(size)s KB") % {"size": (len(content) + 1023) // 1024},
                       file_name=f"{slugify(plan.title)[:60] or 'work-plan'}-{quarter}.pdf", content=content)

    return run_tracked(run_id, work)
