"""The read-only Open311 GeoReport v2 endpoints under /open311/v2/ (``complaints.open311``)."""

from django.urls import path

from pantau.complaints import open311

app_name = "open311"

urlpatterns = [
    path("discovery.json", open311.discovery, name="discovery"),
    path("services.json", open311.services, name="services"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<str:request_id>.json", open311.request_detail, name="request_detail"),
]
