"""Password change and reset forms: Django's own forms, saving through ``accounts.actions.set_password`` (audit)
and counting a wrong old password as a failed login (django-axes), so the change form cannot be used to guess it."""

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from pantau.accounts import actions


class OwnPasswordChangeForm(PasswordChangeForm):
    """Change one's own password: the old password is checked through ``authenticate`` (so django-axes counts a
    wrong one and refuses while the account is locked out), then saved by ``actions.set_password``."""

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        """The old password, or a ValidationError when it is wrong or the account is locked out."""
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                _("Your old password was entered incorrectly (or too many attempts failed: try again later)."),
                code="password_incorrect",
            )
        return old_password

    def save(self, commit: bool = True) -> Any:
        """Save the new password through the write path; returns the user."""
        return actions.set_password(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])


class EmailSetPasswordForm(SetPasswordForm):
    """The new password after following the e-mailed one-time link, saved by ``actions.set_password``."""

    def save(self, commit: bool = True) -> Any:
        """Save the new password through the write path; returns the user."""
        return actions.set_password(actor=None, user=self.user, password=self.cleaned_data["new_password1"],
                                    by_email=True)


class LoginForm(AuthenticationForm):
    """Django's sign-in form with Pantau's own wording of a refused sign-in (Django's Indonesian catalogue puts the
    field name inside a sentence that already names it: "nama pengguna nama pengguna")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct username and password. Both may be case-sensitive."),
    }
