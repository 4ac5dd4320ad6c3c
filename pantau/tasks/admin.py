"""Background tasks in the admin: read-only (runs are written by ``tasks.actions`` only)."""

from typing import Any

from django.contrib import admin

from pantau.tasks.models import Checkpoint, TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    """Runs, read-only."""

    list_display = ("label", "user", "kind", "status", "done", "total", "created_at")
    list_filter = ("kind", "status")

    def has_add_permission(self, request: Any) -> bool:
        """Runs are started by the pages and commands that do the work."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Progress is written by the task only."""
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin):
    """Checkpoints of chunked recomputations, read-only."""

    list_display = ("name", "last_key", "done", "updated_at")

    def has_add_permission(self, request: Any) -> bool:
        """Written by the recomputation only."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Written by the recomputation only."""
        return False
