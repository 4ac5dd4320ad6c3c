"""URL map: pages, the Django admin, auth (login, own password change, reset by e-mail), language switch, the REST API
under /api/v1/ and the read-only Open311 GeoReport v2 feed of complaints under /open311/v2/, the public transparency
pages and open data under /publik/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from pantau.accounts import views as account_views
from pantau.accounts.forms import LoginForm


class FaviconRedirect(RedirectView):
    """GET /favicon.ico: to the static icon, its (hashed) name looked up when asked, not when the URLs load (the
    manifest of collected static files may not exist yet for commands such as ``makemigrations``)."""

    def get_redirect_url(self, *args, **kwargs):
        """The icon's static URL."""
        return static("pantau/favicon.ico")


admin.site.site_header = _("Pantau administration")
admin.site.site_title = "Pantau"

urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view(permanent=False)),
    path("", include("pantau.reports.urls")),
    path("", include("pantau.workplans.urls")),
    path("", include("pantau.findings.urls")),
    path("", include("pantau.agreements.urls")),
    path("", include("pantau.meetings.urls")),
    path("", include("pantau.organizations.urls")),
    path("", include("pantau.surveys.urls")),
    path("", include("pantau.assessments.urls")),
    path("", include("pantau.standards.urls")),
    path("", include("pantau.complaints.urls")),
    path("open311/v2/", include("pantau.complaints.open311_urls")),
    path("publik/", include("pantau.reports.public_urls")),
    path("", include("pantau.notifications.urls")),
    path("", include("pantau.tasks.urls")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", account_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", account_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("pantau.api_urls")),
]
