"""The page "Tugas saya": the background tasks a user started, their status, progress, error and result.
Only the user who started a task (and superusers) see it; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pantau.tasks.models import TaskRun

PAGE_SIZE = 50


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """GET /tugas/: the user's tasks, newest first, 50 a page (superusers see their own too; others' by id)."""
    runs = TaskRun.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /tugas/<id>/: one task with its progress; 404 unless the user started it or is a superuser. The page
    refreshes itself every 5 seconds while the task is queued or running."""
    run = get_object_or_404(TaskRun.objects.visible_to(request.user), pk=pk)
    return render(request, "tasks/task_detail.html", {"run": run})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """GET /tugas/<id>/hasil/: the task's result file, as an attachment; 404 for anyone else or without a file."""
    run = get_object_or_404(TaskRun.objects.visible_to(request.user), pk=pk)
    if not run.result_file:
        raise Http404
    name = run.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(run.result_file.open("rb"), as_attachment=True, filename=name)
