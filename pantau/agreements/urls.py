"""Agreement pages (MoU and work-plan header)."""

from django.urls import path

from pantau.agreements import views

app_name = "agreements"
urlpatterns = [
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
