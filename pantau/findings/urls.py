"""Findings pages."""

from django.urls import path

from pantau.findings import views

app_name = "findings"
urlpatterns = [
    path("work-plans/<int:plan_pk>/findings/", views.finding_list, name="finding_list"),
]
