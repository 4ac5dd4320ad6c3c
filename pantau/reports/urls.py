"""Dashboard pages."""

from django.urls import path

from pantau.reports import views

urlpatterns = [
    path("", views.home, name="home"),
]
