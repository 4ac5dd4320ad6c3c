"""Unit pages: details, the roles held on the unit (grant and revoke), and the unit's readable history."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pantau.accounts import actions as account_actions
from pantau.accounts.models import Permission, Role, RoleGrant, User
from pantau.accounts.scoping import units_for
from pantau.audit.models import AuditAction
from pantau.audit.timeline import HistoryLine, history
from pantau.organizations.models import Unit


class GrantForm(forms.Form):
    """Grant a role on a unit to an existing user, by username."""

    username = forms.CharField(label=gettext_lazy("username"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("role"), choices=Role.choices)

    def __init__(self, *args: object, roles: list[str] | None = None, **kwargs: object) -> None:
        """``roles``: the role codes offered (those the acting user may grant here); all roles when None."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if roles is not None:
            self.fields["role"].choices = [(code, label) for code, label in Role.choices if code in roles]

    def clean_username(self) -> User:
        """Return the user; raises ValidationError when no active user has that name."""
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this username."))
        return user


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).select_related("region", "parent").first()
    if unit is None:
        raise Http404
    return unit


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /units/<pk>/: the unit (kind, verification, region, parent, children), its role grants and its history.

    404 when the unit is outside the user's VIEW scope. Grants and history are shown to users who may manage roles.
    """
    unit = _visible_unit(request, pk)
    grantable = [role for role in Role.values if account_actions.can_grant(request.user, unit, role)]
    can_manage = bool(grantable)
    children = units_for(request.user, Permission.VIEW).filter(parent=unit).order_by("name")
    grants = RoleGrant.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")
    context = {
        "unit": unit,
        "children": children,
        "can_manage": can_manage,
        "grants": [(grant, grant.role in grantable) for grant in grants] if can_manage else [],
        "form": GrantForm(roles=grantable),
        "history": history(unit) or granted_lines(grants if can_manage else []),
    }
    return render(request, "organizations/unit_detail.html", context)


def granted_lines(grants: Any) -> list[HistoryLine]:
    """History lines for roles granted before the audit trail recorded them (loaded at set-up), newest first, so
    that a unit with roles never reads as unchanged (issue 15)."""
    return [
        HistoryLine(at=grant.granted_at, actor="—", label=str(AuditAction.GRANT_ROLE.label),
                    note=f"{grant.get_role_display()} · {grant.user.get_username()}", changes=[])
        for grant in sorted(grants, key=lambda g: g.granted_at, reverse=True)
    ]


@login_required
@require_POST
def grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /units/<pk>/roles/: grant a role (username, role). 404 outside scope, 403 without the right to grant."""
    unit = _visible_unit(request, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            account_actions.grant_role(actor=request.user, user=form.cleaned_data["username"], unit=unit,
                                       role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role granted."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("organizations:unit_detail", pk=unit.pk)


@login_required
@require_POST
def revoke_role(request: HttpRequest, pk: int, grant_id: int) -> HttpResponse:
    """POST /units/<pk>/roles/<grant_id>/revoke/: revoke a grant on this unit. 404 outside scope, 403 if not allowed."""
    unit = _visible_unit(request, pk)
    grant = get_object_or_404(RoleGrant, pk=grant_id, unit=unit)
    account_actions.revoke_role(actor=request.user, grant=grant)
    messages.success(request, _("Role revoked."))
    return redirect("organizations:unit_detail", pk=unit.pk)
