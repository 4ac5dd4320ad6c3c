"""Pages of services and their standards: the register of a unit, a new or renamed service, a standard's entry."""

from django.urls import path

from pantau.standards import views

app_name = "standards"
urlpatterns = [
    path("units/<int:pk>/standards/", views.standards_register, name="standards_register"),
    path("units/<int:pk>/services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/standard/", views.standard_edit, name="standard_edit"),
]
