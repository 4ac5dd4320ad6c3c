"""Survey pages: the public questionnaire under /skm/ and the staff pages under /surveys/."""

from django.urls import path

from pantau.surveys import views

app_name = "surveys"

urlpatterns = [
    path("skm/<int:pk>/", views.public_form, name="public_form"),
    path("skm/<int:pk>/thanks/", views.public_thanks, name="public_thanks"),
    path("surveys/", views.period_list, name="period_list"),
    path("surveys/recompute/", views.recompute_start, name="recompute_start"),
    path("surveys/new/", views.period_create, name="period_create"),
    path("surveys/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("surveys/<int:pk>/", views.period_detail, name="period_detail"),
    path("surveys/<int:pk>/counter/", views.period_counter, name="period_counter"),
    path("surveys/<int:pk>/import/", views.period_import, name="period_import"),
    path("surveys/<int:pk>/compute/", views.period_compute, name="period_compute"),
    path("surveys/<int:pk>/elements.svg", views.chart_elements, name="chart_elements"),
    path("surveys/<int:pk>/trend.svg", views.chart_trend, name="chart_trend"),
    path("surveys/<int:pk>/report.xlsx", views.period_report, name="period_report"),
    path("surveys/results/<int:pk>/publish/", views.result_publish, name="result_publish"),
    path("surveys/rollup/", views.period_rollup, name="rollup"),
    path("surveys/rollup/<int:unit_pk>/", views.period_rollup, name="rollup_unit"),
]
