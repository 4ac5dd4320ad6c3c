"""Excel pages of a work plan: import template, export, and the upload page (see ``views_xlsx``)."""

from django.urls import path

from pantau.workplans import views_xlsx

urlpatterns = [
    path("work-plans/<int:pk>/actions/template.xlsx", views_xlsx.actions_template, name="actions_template"),
    path("work-plans/<int:pk>/actions/export.xlsx", views_xlsx.actions_export, name="actions_export"),
    path("work-plans/<int:pk>/actions/import/", views_xlsx.actions_import, name="actions_import"),
]
