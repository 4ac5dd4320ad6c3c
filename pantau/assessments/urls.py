"""Pages of the compliance assessment and the standards register (include with ``path("", include(...))``)."""

from django.urls import path

from pantau.assessments import views
from pantau.standards import views as standards_views

app_name = "assessments"

urlpatterns = [
    path("report-cards/<str:code>/", views.region_report_card, name="region_report_card"),
    path("report-cards/<str:code>/trend.svg", views.region_report_card_chart, name="region_report_card_chart"),
    path("units/<int:pk>/report-card/", views.unit_report_card, name="unit_report_card"),
    path("units/<int:pk>/report-card/trend.svg", views.unit_report_card_chart, name="unit_report_card_chart"),
    path("units/<int:pk>/standards/", standards_views.standards_register, name="standards_register"),
    path("assessment-methods/", views.method_list, name="method_list"),
    path("units/<int:pk>/assessment-rounds/new/", views.round_create, name="round_create"),
    path("assessment-rounds/import/", views.scores_import, name="scores_import"),
    path("assessment-rounds/template.xlsx", views.scores_template, name="scores_template"),
    path("units/<int:pk>/services/new/", standards_views.service_create, name="service_create"),
    path("services/<int:pk>/standard/", standards_views.standard_edit, name="standard_edit"),
]
