"""Own password change and password reset by e-mail: Django's auth views with Pantau's templates and forms.

The reset request always answers the same page whether or not the address belongs to an account (no account
enumeration), is rate limited per client (``core.ratelimit``, 429 with the form), and never logs the user in: the
next login goes through django-axes like any other, so a reset does not lift a lockout.
"""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from pantau.accounts.forms import EmailSetPasswordForm, OwnPasswordChangeForm
from pantau.core import ratelimit

RESET_RATE_LIMIT = 5
"""At most this many reset requests per client per hour (the e-mail is sent only to an existing account)."""

RESET_RATE_WINDOW = 3600
"""Window of RESET_RATE_LIMIT in seconds."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """GET/POST /accounts/password/: change one's own password (login required; the old password is needed)."""

    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        """Django's kwargs plus the request (django-axes needs it to count a wrong old password)."""
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """GET /accounts/password/done/: the password was changed."""

    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """GET/POST /accounts/password/reset/: ask for a reset link by e-mail (same answer for any address)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Send the link unless this client asked too often (then 429 and nothing is sent)."""
        if ratelimit.hit(self.request, "accounts:password_reset", limit=RESET_RATE_LIMIT, window=RESET_RATE_WINDOW):
            return render(self.request, self.template_name, {"form": form, "limited": True}, status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """GET /accounts/password/reset/sent/: 'if the address belongs to an account, a link was sent'."""

    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """GET/POST /accounts/password/reset/<uidb64>/<token>/: choose a new password (the link works once)."""

    form_class = EmailSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """GET /accounts/password/reset/done/: the password was set; log in."""

    template_name = "registration/password_reset_complete.html"
