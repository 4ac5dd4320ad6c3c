"""Unit pages."""

from django.urls import path

from pantau.organizations import views

urlpatterns = [
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/roles/", views.grant_role, name="unit-grant-role"),
    path("units/<int:pk>/roles/<int:grant_id>/revoke/", views.revoke_role, name="unit-revoke-role"),
]
