"""Agreement pages: list, detail, create/edit, signatories, signing, addenda, termination, documents."""

from django.urls import path

from pantau.agreements import views

app_name = "agreements"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/signatories/", views.signatories_edit, name="signatories"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/addenda/new/", views.addendum_create, name="addendum_create"),
    path("agreements/<int:pk>/terminate/", views.agreement_terminate, name="agreement_terminate"),
    path("agreements/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("agreements/<int:pk>/document/", views.legacy_document_download, name="legacy_document"),
    path("agreement-documents/<int:pk>/", views.document_download, name="document_download"),
    path("agreement-documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
]
