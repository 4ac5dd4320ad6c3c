"""Forms that are saved once: a one-time token in a hidden field, spent when the form is accepted, so that a double
click, a browser re-post or two tabs sending the same page create one record, not two.

The token is spent in the shared cache (``cache.add`` is atomic: of two requests with one token exactly one
succeeds); a form refused for another reason does not spend it, so the person can correct and send again.
"""

import secrets
from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

ONCE_FIELD = "once"
ONCE_TIMEOUT = 24 * 60 * 60
"""Seconds a spent token is remembered (a page left open longer gets a fresh token when reloaded)."""


def spend(token: str) -> bool:
    """True the first time ``token`` is spent, False for a token already spent (or empty)."""
    if not token:
        return False
    return bool(cache.add(f"pantau:once:{token}", 1, timeout=ONCE_TIMEOUT))


class OnceFormMixin(forms.Form):
    """A hidden ``once`` token (a fresh one each time the form is shown), spent after every other check has passed
    (so a form refused for another reason can be corrected and sent again); a token already spent makes the form
    invalid ("this form was already sent")."""

    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[ONCE_FIELD].initial = secrets.token_urlsafe(16)

    def _post_clean(self) -> None:
        """After every field and form check: spend the token when nothing is wrong, else leave it unspent."""
        super()._post_clean()  # type: ignore[misc]
        token = self.cleaned_data.get(ONCE_FIELD, "") if hasattr(self, "cleaned_data") else ""
        # a post without a token (a script, a test client) is not deduplicated; pages always send one
        if token and not self.errors and not spend(token):
            self.add_error(None, forms.ValidationError(
                _("This form was already sent (or has expired): check that it was saved before sending it again."),
                code="sent_twice",
            ))
