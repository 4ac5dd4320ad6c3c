"""Test URLconf: the project's URLs plus the survey pages and API (until the lead adds them to pantau/urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pantau.surveys.api import IkmResultViewSet, SurveyPeriodViewSet
from pantau.urls import urlpatterns as project_urlpatterns

router = DefaultRouter()
router.register("survey-periods", SurveyPeriodViewSet, basename="survey-period")
router.register("ikm-results", IkmResultViewSet, basename="ikm-result")

urlpatterns = [
    *project_urlpatterns,
    path("", include("pantau.surveys.urls")),
    path("api/v1/", include(router.urls)),
]
