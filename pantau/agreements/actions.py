"""The write path of agreements (MoU, work plans): permission, validation, transaction, audit.

Who may: holders of MANAGE_AGREEMENTS (``accounts.models.ROLE_PERMISSIONS``) on one of the two parties, each for
their own party: the Ombudsman office's admin or the government's coordinator. Each function raises PermissionDenied
or ValidationError (messages in the active language, keyed by field) and saves nothing then. ``update_agreement``
takes ``expected_version`` (``core.concurrency``; a stale one is refused with ``StaleVersion``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import Agreement, AgreementKind, Signatory
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version

AGREEMENT_FIELDS = (
    "kind", "title", "number", "parent", "ombudsman_office", "government", "is_signed", "signed_on",
    "signed_place", "period_start", "period_end", "terminated_on", "summary", "source_url",
)
"""Fields ``create_agreement`` and ``update_agreement`` take."""


def may_manage(actor: Any, agreement: Agreement) -> bool:
    """True when ``actor`` holds MANAGE_AGREEMENTS on the Ombudsman party or on the government party."""
    return any(
        has_unit_permission(actor, Permission.MANAGE_AGREEMENTS, party)
        for party in (agreement.ombudsman_office, agreement.government)
    )


def _check(agreement: Agreement) -> None:
    """Parties of the right kinds; a work plan under an MoU of the same parties; then the model's validation."""
    errors: dict[str, list[str]] = {}
    if agreement.ombudsman_office.kind != "ombudsman_office":
        errors.setdefault("ombudsman_office", []).append(_("The Ombudsman party must be an Ombudsman office."))
    if agreement.government.kind != "regional_government":
        errors.setdefault("government", []).append(_("The government party must be a regional government."))
    parent = agreement.parent
    if parent is not None:
        if parent.kind != AgreementKind.MOU or agreement.kind == AgreementKind.MOU:
            errors.setdefault("parent", []).append(_("A work plan stands under an MoU; an MoU stands alone."))
        elif parent.government_id != agreement.government_id:
            errors.setdefault("parent", []).append(_("The MoU belongs to another government."))
    if errors:
        raise ValidationError(errors)
    agreement.full_clean()


@transaction.atomic
def create_agreement(
    *, actor: Any, data: Mapping[str, Any], signatories: Iterable[Mapping[str, Any]] = ()
) -> Agreement:
    """Create an agreement from ``data`` (keys of AGREEMENT_FIELDS) with its signatories (``{unit, position,
    capacity}``, people by position) and return it. Requires MANAGE_AGREEMENTS on one of the parties. Audited."""
    agreement = Agreement(**{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
    if agreement.ombudsman_office_id is None or agreement.government_id is None:
        raise ValidationError({"government": [_("An agreement has an Ombudsman party and a government party.")]})
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage agreements of these parties."))
    _check(agreement)
    agreement.save()
    for item in signatories:
        signatory = Signatory(agreement=agreement, **item)
        signatory.full_clean()
        signatory.save()
    record(actor=actor, action=AuditAction.CREATE, obj=agreement, after=snapshot(agreement),
           note=_("%(count)d signatories") % {"count": agreement.signatories.count()})
    return agreement


@transaction.atomic
def update_agreement(
    *, actor: Any, agreement: Agreement, data: Mapping[str, Any], expected_version: int | None = None
) -> Agreement:
    """Change the fields of ``agreement`` given in ``data``; requires MANAGE_AGREEMENTS on one of the parties,
    before and after the change (a party cannot be swapped for one the actor does not manage).
    ``expected_version``: the version the user's form was read at (StaleVersion when stale). Audited."""
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage agreements of these parties."))
    before = snapshot(agreement)
    claim_version(agreement, expected_version)
    for key, value in data.items():
        if key in AGREEMENT_FIELDS:
            setattr(agreement, key, value)
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage agreements of these parties."))
    _check(agreement)
    agreement.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before, after=snapshot(agreement))
    return agreement
