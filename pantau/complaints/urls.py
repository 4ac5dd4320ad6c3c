"""Complaint pages: the public form and tracking page under /pengaduan/, the staff pages under /complaints/."""

from django.urls import path

from pantau.complaints import views

app_name = "complaints"

urlpatterns = [
    path("pengaduan/", views.public_index, name="public_index"),
    path("pengaduan/<int:pk>/", views.public_form, name="public_form"),
    path("pengaduan/terkirim/", views.public_thanks, name="public_thanks"),
    path("pengaduan/lacak/", views.track_start, name="track_start"),
    path("pengaduan/lacak/status/", views.track_status, name="track_status"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/export.xlsx", views.complaint_export, name="complaint_export"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/import/", views.complaint_import, name="complaint_import"),
    path("complaints/import/template.xlsx", views.import_template, name="import_template"),
    path("complaints/supervision/", views.supervision_index, name="supervision_index"),
    path("complaints/supervision/<int:pk>/", views.supervision_unit, name="supervision_unit"),
    path("complaints/supervision/<int:pk>/review/", views.supervision_review, name="supervision_review"),
    path("complaints/rules/", views.rule_list, name="rule_list"),
    path("complaints/rules/new/", views.rule_new, name="rule_new"),
    path("complaints/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("complaints/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("complaints/calendar/", views.calendar_page, name="calendar"),
    path("complaints/calendar/<int:pk>/remove/", views.calendar_remove, name="calendar_remove"),
    path("complaints/reports/<int:pk>/", views.report_advance, name="report_advance"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/identity/", views.complaint_reveal, name="complaint_reveal"),
    path("complaints/<int:pk>/files/<int:file_pk>/", views.attachment_download, name="attachment_download"),
    path("complaints/<int:pk>/<slug:step>/", views.complaint_step, name="complaint_step"),
]
