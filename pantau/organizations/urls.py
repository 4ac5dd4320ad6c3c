"""Unit pages."""

from django.urls import path

from pantau.organizations import views

app_name = "organizations"
urlpatterns = [
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/roles/", views.grant_role, name="unit_grant_role"),
    path("units/<int:pk>/roles/<int:grant_id>/revoke/", views.revoke_role, name="unit_revoke_role"),
]
