"""Test URLconf: the project's URLs plus the assessment pages (until the lead includes them in pantau/urls.py)."""

from django.urls import include, path

from pantau.urls import urlpatterns as project_urlpatterns

_included = any(getattr(p, "namespace", None) == "assessments" for p in project_urlpatterns)
urlpatterns = list(project_urlpatterns)
if not _included:
    urlpatterns.append(path("", include("pantau.assessments.urls")))
