"""Who may do what with a complaint, and what the others see of the complainant (issue 13, "identity protected").

- Everyone with VIEW on the complaint's unit sees the complaint, with the identity masked.
- The handlers of the complaint (HANDLE_COMPLAINTS on its unit: the unit's officers and the regional coordinator,
  ``accounts.models.ROLE_PERMISSIONS``) and the Ombudsman (SUPERVISE_COMPLAINTS on the unit: the Ombudsman admin and
  assistants) may see the identity and the files. A confidential identity is shown only on request and every such
  view is audited (``actions.reveal_identity``); lists, exports, the API's complaint records, Open311 and audit
  snapshots always carry the mask (``identity.mask_*``) or a fingerprint (``identity.fingerprint``).
"""

from typing import Any

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.complaints.identity import mask_name, mask_value
from pantau.complaints.models import ComplainantIdentity, Complaint

HANDLE = Permission.HANDLE_COMPLAINTS
SUPERVISE = Permission.SUPERVISE_COMPLAINTS


def can_handle(user: Any, complaint: Complaint) -> bool:
    """True when ``user`` handles complaints of the complaint's unit (HANDLE_COMPLAINTS there)."""
    return has_unit_permission(user, HANDLE, complaint.unit)


def can_supervise(user: Any, complaint: Complaint) -> bool:
    """True when ``user`` acts for the Ombudsman over the complaint's unit (SUPERVISE_COMPLAINTS there)."""
    return has_unit_permission(user, SUPERVISE, complaint.unit)


def can_see_identity(user: Any, complaint: Complaint) -> bool:
    """True for the handlers of the complaint and the Ombudsman (module docstring)."""
    return can_handle(user, complaint) or can_supervise(user, complaint)


def masked(identity: ComplainantIdentity | None, *, confidential: bool) -> dict[str, str]:
    """``{name, nik, phone, email}`` as the mask shows them (initials of the name unless confidential; nothing of
    the NIK, phone and e-mail)."""
    if identity is None:
        return {"name": "", "nik": "", "phone": "", "email": ""}
    return {
        "name": mask_name(identity.name, confidential=confidential),
        "nik": mask_value(identity.nik),
        "phone": mask_value(identity.phone),
        "email": mask_value(identity.email),
    }


def in_clear(identity: ComplainantIdentity | None) -> dict[str, str]:
    """``{name, nik, phone, email}`` as stored: only for ``can_see_identity`` users (through
    ``actions.reveal_identity`` when confidential)."""
    if identity is None:
        return {"name": "", "nik": "", "phone": "", "email": ""}
    return {"name": identity.name, "nik": identity.nik, "phone": identity.phone, "email": identity.email}
