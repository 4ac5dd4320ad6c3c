"""Dashboard pages: the home page and the work-plan dashboard."""

from django.urls import path

from pantau.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("work-plans/<int:pk>/", views.work_plan_dashboard, name="work_plan_dashboard"),
]
