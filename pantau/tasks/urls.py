"""Pages of background tasks: the list "Tugas saya", one task, its result file."""

from django.urls import path

from pantau.tasks import views

app_name = "tasks"
urlpatterns = [
    path("tugas/", views.task_list, name="task_list"),
    path("tugas/<int:pk>/", views.task_detail, name="task_detail"),
    path("tugas/<int:pk>/hasil/", views.download, name="download"),
]
