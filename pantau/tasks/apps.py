"""Background tasks: who started which long job (large import, national recomputation, report rendering), its
status and progress, and the page "Tugas saya" where the user who started it follows it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """TaskRun (progress of a django-tasks job for its user) and Checkpoint (resumable recomputation)."""

    name = "pantau.tasks"
    label = "pantau_tasks"
    verbose_name = _("Background tasks")
