"""Dashboard pages: the home page, the work-plan dashboard and the PDF reports."""

from django.urls import path

from pantau.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("work-plans/<int:pk>/", views.work_plan_dashboard, name="work_plan_dashboard"),
    path("work-plans/<int:pk>/report.pdf", views.work_plan_pdf, name="work_plan_pdf"),
    path("work-plans/<int:pk>/report.pdf/background/", views.work_plan_pdf_background,
         name="work_plan_pdf_background"),
    path("report-cards/<str:code>/report.pdf", views.report_card_pdf, name="report_card_pdf"),
    path("surveys/<int:pk>/report.pdf", views.survey_pdf, name="survey_pdf"),
]
