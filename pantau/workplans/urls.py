"""Work-plan pages: actions, their forms, progress reports, review, evidence downloads and the Excel pages."""

from django.urls import path

from pantau.workplans import views

app_name = "workplans"
urlpatterns = [
    path("work-plans/<int:plan_pk>/actions/", views.action_list, name="action_list"),
    path("work-plans/<int:plan_pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path("actions/<int:pk>/report/", views.action_report, name="action_report"),
    path("actions/<int:pk>/weights/", views.action_weights, name="action_weights"),
    path("work-plans/<int:plan_pk>/weights/", views.plan_weights, name="plan_weights"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("work-plans/<int:pk>/actions/template.xlsx", views.actions_template, name="actions_template"),
    path("work-plans/<int:pk>/actions/export.xlsx", views.actions_export, name="actions_export"),
    path("work-plans/<int:pk>/actions/import/", views.actions_import, name="actions_import"),
]
