"""Pages of the compliance assessment: report cards, methods, round entry and the score import."""

from django.urls import path

from pantau.assessments import views

app_name = "assessments"

urlpatterns = [
    path("report-cards/<str:code>/", views.region_report_card, name="region_report_card"),
    path("report-cards/<str:code>/trend.svg", views.region_report_card_chart, name="region_report_card_chart"),
    path("units/<int:pk>/report-card/", views.unit_report_card, name="unit_report_card"),
    path("units/<int:pk>/report-card/trend.svg", views.unit_report_card_chart, name="unit_report_card_chart"),
    path("assessment-methods/", views.method_list, name="method_list"),
    path("units/<int:pk>/assessment-rounds/new/", views.round_create, name="round_create"),
    path("assessment-rounds/import/", views.scores_import, name="scores_import"),
    path("assessment-rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("assessment-rounds/template.xlsx", views.scores_template, name="scores_template"),
]
