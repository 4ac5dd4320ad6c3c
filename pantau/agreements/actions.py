"""The write path of agreements (MoU, work plans, PKS): permission, validation, transaction, audit.

Who may: holders of MANAGE_AGREEMENTS (``accounts.models.ROLE_PERMISSIONS``) on one of the two parties, each for
their own party: the Ombudsman office's admin or the government's coordinator. Each function raises PermissionDenied
or ValidationError (messages in the active language, keyed by field) and saves nothing then. ``update_agreement``
takes ``expected_version`` (``core.concurrency``; a stale one is refused with ``StaleVersion``).

Lifecycle (``models.AgreementStatus``): a draft is signed (``sign_agreement``, with the signed document), comes into
force with its period, may be changed by addenda (``add_addendum``: a numbered version recording what changed; an
addendum that moves the period end later extends it) and ends with its period or early (``terminate_agreement``).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementVersion,
    DocumentKind,
    Signatory,
)
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.core.uploads import shorten_name, validate_document

AGREEMENT_FIELDS = (
    "kind", "title", "number", "parent", "ombudsman_office", "government", "is_signed", "signed_on",
    "signed_place", "period_start", "period_end", "terminated_on", "summary", "source_url",
)
"""Fields ``create_agreement`` and ``update_agreement`` take."""

ADDENDUM_FIELDS = ("title", "number", "period_start", "period_end", "summary")
"""Fields of an agreement an addendum may change (the parties and the signing stay those of the agreement)."""

FIRST_YEAR = 1990
"""Agreement dates before this year are refused as typing errors (the Ombudsman was founded in 2000, as the
Komisi Ombudsman Nasional; Pantau's plausibility bound)."""


def may_manage(actor: Any, agreement: Agreement) -> bool:
    """True when ``actor`` holds MANAGE_AGREEMENTS on the Ombudsman party or on the government party."""
    return any(
        has_unit_permission(actor, Permission.MANAGE_AGREEMENTS, party)
        for party in (agreement.ombudsman_office, agreement.government)
    )


def _require_manage(actor: Any, agreement: Agreement) -> None:
    if not may_manage(actor, agreement):
        raise PermissionDenied(_("You may not manage agreements of these parties."))


def _today(agreement: Agreement) -> dt.date:
    """Today in the government party's zone (domain/rules.md section 10)."""
    return agreement.government.local_today()


def office_covers(office: Any, government: Any) -> bool:
    """True when the Ombudsman ``office`` supervises ``government``: an office with a region covers the units of its
    province (UU 37/2008 art. 5 and 43: a Perwakilan per province); the national office (no region) covers all."""
    if not office.region_id:
        return True
    return government.province_code == str(office.region_id)[:2]


def _check(agreement: Agreement) -> None:
    """Parties of the right kinds, the layering of domain/rules.md section 7 (a work plan under an MoU of the same
    government, a PKS with one agency under a work plan of the same Ombudsman office whose government holds the
    agency), a coherent lifecycle; then the model's validation."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if agreement.ombudsman_office.kind != "ombudsman_office":
        add("ombudsman_office", _("The Ombudsman party must be an Ombudsman office."))
    elif not office_covers(agreement.ombudsman_office, agreement.government):
        # a Perwakilan supervises the governments of its own province (UU 37/2008 art. 5 and 43)
        add("ombudsman_office", _("%(office)s does not cover %(government)s: choose the Ombudsman office of its "
                                  "province.") % {"office": agreement.ombudsman_office,
                                                   "government": agreement.government})
    parent = agreement.parent
    if agreement.kind == AgreementKind.COOPERATION:
        if agreement.government.kind != "agency":
            add("government", _("The government party of a PKS is a single agency."))
        if parent is None or parent.kind != AgreementKind.WORK_PLAN:
            add("parent", _("A PKS stands under a work plan."))
        else:
            if not agreement.government.is_within(parent.government):
                add("government", _("The agency must belong to the government of the work plan."))
            if parent.ombudsman_office_id != agreement.ombudsman_office_id:
                add("ombudsman_office", _("The Ombudsman party of a PKS is that of its work plan."))
    else:
        if agreement.government.kind != "regional_government":
            add("government", _("The government party must be a regional government."))
        if parent is not None:
            if parent.kind != AgreementKind.MOU or agreement.kind == AgreementKind.MOU:
                add("parent", _("A work plan stands under an MoU; an MoU stands alone."))
            elif parent.government_id != agreement.government_id:
                add("parent", _("The MoU belongs to another government."))
    if agreement.pk is not None and parent is not None and parent.pk == agreement.pk:
        add("parent", _("An agreement cannot stand under itself."))
    today = _today(agreement)
    if agreement.signed_on and not agreement.is_signed:
        add("signed_on", _("A signing date is given only for a signed agreement."))
    if agreement.signed_on and agreement.signed_on > today:
        add("signed_on", _("The signing date cannot be in the future."))
    if agreement.terminated_on and not agreement.is_signed:
        add("terminated_on", _("Only a signed agreement can be terminated."))
    if agreement.terminated_on and agreement.terminated_on > today:
        add("terminated_on", _("The termination date cannot be in the future."))
    if agreement.period_start and agreement.period_end and agreement.period_end < agreement.period_start:
        add("period_end", _("The period cannot end before it starts."))
    for name in ("signed_on", "period_start", "period_end", "terminated_on"):
        value = getattr(agreement, name)
        if value and not FIRST_YEAR <= value.year <= 2100:
            add(name, _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": 2100})
    if errors:
        raise ValidationError(errors)
    agreement.full_clean(exclude=["document"])


def _check_or_restore(agreement: Agreement) -> None:
    """``_check``; on ValidationError the in-memory agreement gets its stored values back before re-raising, so a
    refused change leaves no trace in the caller's object either."""
    try:
        _check(agreement)
    except ValidationError:
        if agreement.pk is not None:
            agreement.refresh_from_db()
        raise


def _signatory_rows(agreement: Agreement, signatories: Iterable[Mapping[str, Any]]) -> list[Signatory]:
    """Validated signatories: each by position, from a unit of one of the parties (the Ombudsman office or the
    government party's subtree). Raises ValidationError keyed ``signatories``."""
    rows = []
    errors: list[str] = []
    for item in signatories:
        signatory = Signatory(agreement=agreement, **item)
        signatory.position = " ".join(str(signatory.position or "").split())
        try:
            signatory.full_clean(exclude=["agreement"])
        except ValidationError as exc:
            errors.extend(f"{signatory.position or '?'}: {m}" for m in exc.messages)
            continue
        unit = signatory.unit
        if not (unit.is_within(agreement.ombudsman_office) or unit.is_within(agreement.government)):
            errors.append(
                _("%(position)s: the unit %(unit)s is not one of the parties.")
                % {"position": signatory.position, "unit": unit}
            )
        rows.append(signatory)
    if errors:
        raise ValidationError({"signatories": errors})
    return rows


def _signatories_snapshot(agreement: Agreement) -> dict[str, Any]:
    return {"signatories": [
        {"unit": s.unit_id, "position": s.position, "capacity": s.capacity}
        for s in agreement.signatories.order_by("capacity", "pk")
    ]}


@transaction.atomic
def create_agreement(
    *, actor: Any, data: Mapping[str, Any], signatories: Iterable[Mapping[str, Any]] = ()
) -> Agreement:
    """Create an agreement from ``data`` (keys of AGREEMENT_FIELDS) with its signatories (``{unit, position,
    capacity}``, people by position) and return it. Requires MANAGE_AGREEMENTS on one of the parties. Audited."""
    agreement = Agreement(**{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
    if agreement.ombudsman_office_id is None or agreement.government_id is None:
        raise ValidationError({"government": [_("An agreement has an Ombudsman party and a government party.")]})
    _require_manage(actor, agreement)
    _check(agreement)
    rows = _signatory_rows(agreement, signatories)
    agreement.save()
    for signatory in rows:
        signatory.agreement = agreement
        signatory.save()
    record(actor=actor, action=AuditAction.CREATE, obj=agreement, after=snapshot(agreement),
           note=_("%(count)d signatories") % {"count": len(rows)})
    return agreement


@transaction.atomic
def update_agreement(
    *, actor: Any, agreement: Agreement, data: Mapping[str, Any], expected_version: int | None = None
) -> Agreement:
    """Change the fields of ``agreement`` given in ``data``; requires MANAGE_AGREEMENTS on one of the parties,
    before and after the change. A party changes only while the agreement is unsigned and only by whoever holds
    MANAGE_AGREEMENTS on both the party it leaves and the one it takes (each side for its own party); the Ombudsman
    office must cover the government's province (``office_covers``).
    ``expected_version``: the version the user's form was read at (StaleVersion when stale). Audited."""
    _require_manage(actor, agreement)
    before = snapshot(agreement)
    old_parties = {"ombudsman_office": agreement.ombudsman_office, "government": agreement.government}
    was_signed = agreement.is_signed
    claim_version(agreement, expected_version)
    for key, value in data.items():
        if key in AGREEMENT_FIELDS:
            setattr(agreement, key, value)
    _require_manage(actor, agreement)
    for name, old in old_parties.items():
        new = getattr(agreement, name)
        if new.pk == old.pk:
            continue
        if was_signed:
            agreement.refresh_from_db()
            raise ValidationError({name: [_("The parties of a signed agreement cannot change.")]})
        # each side changes only its own party: rights on the party it leaves and on the one it takes
        if not (has_unit_permission(actor, Permission.MANAGE_AGREEMENTS, old)
                and has_unit_permission(actor, Permission.MANAGE_AGREEMENTS, new)):
            agreement.refresh_from_db()
            raise PermissionDenied(_("You may change only your own party of an agreement."))
    _check_or_restore(agreement)
    agreement.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before, after=snapshot(agreement))
    return agreement


@transaction.atomic
def set_signatories(
    *, actor: Any, agreement: Agreement, signatories: Iterable[Mapping[str, Any]]
) -> list[Signatory]:
    """Replace the signatories of ``agreement`` (``{unit, position, capacity}`` each, people by position, units of
    the parties). Requires MANAGE_AGREEMENTS on a party. Audited with the list before and after."""
    _require_manage(actor, agreement)
    rows = _signatory_rows(agreement, signatories)
    before = _signatories_snapshot(agreement)
    agreement.signatories.all().delete()
    for signatory in rows:
        signatory.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before,
           after=_signatories_snapshot(agreement), note=_("signatories"))
    return rows


def _store_document(
    actor: Any, agreement: Agreement, upload: UploadedFile, kind: str, *, version: AgreementVersion | None = None,
    note: str = "",
) -> AgreementDocument:
    """Check ``upload`` (``core.uploads.validate_document``) and store it as a document of ``agreement``."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Unknown kind of document.")]})
    try:
        validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None
    document = AgreementDocument(
        agreement=agreement, version=version, kind=kind, file=upload,
        original_name=shorten_name(str(upload.name)), size=upload.size or 0, note=str(note).strip()[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean(exclude=["file"])
    document.save()
    record(actor=actor, action=AuditAction.CREATE, obj=document, after=snapshot(document),
           note=str(agreement)[:200])
    return document


@transaction.atomic
def upload_document(
    *, actor: Any, agreement: Agreement, upload: UploadedFile, kind: str, note: str = ""
) -> AgreementDocument:
    """Add a document (``models.DocumentKind``: signed, draft, addendum, annex) to ``agreement``. The file is
    checked by content and size (PDF, images, office documents). Requires MANAGE_AGREEMENTS on a party. Audited."""
    _require_manage(actor, agreement)
    return _store_document(actor, agreement, upload, kind, note=note)


@transaction.atomic
def remove_document(*, actor: Any, document: AgreementDocument) -> None:
    """Remove a document uploaded by mistake (the audit entry keeps its name). Requires MANAGE_AGREEMENTS."""
    _require_manage(actor, document.agreement)
    before = snapshot(document)
    record(actor=actor, action=AuditAction.DELETE, obj=document, before=before, note=str(document.agreement)[:200])
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def sign_agreement(
    *,
    actor: Any,
    agreement: Agreement,
    signed_on: dt.date,
    signed_place: str,
    document: UploadedFile | None = None,
    period_start: dt.date | None = None,
) -> Agreement:
    """Record the signing of a draft: date (not in the future), place, optionally the signed document and the
    start of the period (default: the signing date, when no start is set). Requires MANAGE_AGREEMENTS. Audited."""
    _require_manage(actor, agreement)
    if agreement.is_signed:
        raise ValidationError({"is_signed": [_("This agreement is already signed.")]})
    if not str(signed_place).strip():
        raise ValidationError({"signed_place": [_("Give the place of signing.")]})
    if document is not None:
        try:
            validate_document(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from None
    before = snapshot(agreement)
    agreement.is_signed = True
    agreement.signed_on = signed_on
    agreement.signed_place = " ".join(str(signed_place).split())
    if period_start is not None:
        agreement.period_start = period_start
    elif agreement.period_start is None:
        agreement.period_start = signed_on
    _check_or_restore(agreement)
    agreement.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before, after=snapshot(agreement),
           note=_("signed"))
    if document is not None:
        _store_document(actor, agreement, document, DocumentKind.SIGNED)
    return agreement


@transaction.atomic
def terminate_agreement(*, actor: Any, agreement: Agreement, on: dt.date, reason: str) -> Agreement:
    """End a signed agreement early on ``on`` (not in the future) with a reason (kept in the audit note). Requires
    MANAGE_AGREEMENTS. Audited."""
    _require_manage(actor, agreement)
    if not str(reason).strip():
        raise ValidationError({"reason": [_("Give a reason for terminating.")]})
    if agreement.terminated_on is not None:
        raise ValidationError({"terminated_on": [_("This agreement is already terminated.")]})
    before = snapshot(agreement)
    agreement.terminated_on = on
    _check_or_restore(agreement)
    agreement.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before, after=snapshot(agreement),
           note=_("terminated: %(reason)s") % {"reason": str(reason).strip()[:400]})
    return agreement


@transaction.atomic
def add_addendum(
    *,
    actor: Any,
    agreement: Agreement,
    title: str,
    signed_on: dt.date,
    summary: str,
    changes: Mapping[str, Any],
    document_number: str = "",
    document: UploadedFile | None = None,
) -> AgreementVersion:
    """Record a signed addendum to ``agreement`` as its next version and apply its ``changes`` (keys of
    ADDENDUM_FIELDS) to the agreement. ``summary`` says in words what changed (required). The version keeps
    ``{field: [before, after]}`` of what actually changed; moving ``period_end`` later marks it an extension (the
    agreement keeps its original end in ``original_period_end``, status "extended" beyond it).

    Refused (ValidationError): an unsigned or terminated agreement, an addendum signed before the agreement or in
    the future, unknown fields, nothing changed and no summary. Requires MANAGE_AGREEMENTS. Audited (the version
    and the agreement's change).
    """
    _require_manage(actor, agreement)
    errors: dict[str, list[str]] = {}
    if not agreement.is_signed:
        errors.setdefault("agreement", []).append(_("Only a signed agreement has addenda; edit the draft instead."))
    if agreement.terminated_on is not None:
        errors.setdefault("agreement", []).append(_("This agreement is terminated."))
    unknown = sorted(set(changes) - set(ADDENDUM_FIELDS))
    if unknown:
        errors.setdefault("changes", []).append(_("An addendum cannot change: %(fields)s") % {
            "fields": ", ".join(unknown)})
    if not str(summary).strip():
        errors.setdefault("summary", []).append(_("Say what the addendum changes."))
    if not str(title).strip():
        errors.setdefault("title", []).append(_("This field is required."))
    if signed_on > _today(agreement):
        errors.setdefault("signed_on", []).append(_("The signing date cannot be in the future."))
    if agreement.signed_on and signed_on < agreement.signed_on:
        errors.setdefault("signed_on", []).append(_("An addendum cannot be signed before the agreement."))
    if document is not None:
        try:
            validate_document(document)
        except ValidationError as exc:
            errors.setdefault("document", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    before = snapshot(agreement)
    old_end = agreement.period_end
    changed: dict[str, list[Any]] = {}
    for key, value in changes.items():
        old = getattr(agreement, key)
        if old != value:
            changed[key] = [_plain(old), _plain(value)]
            setattr(agreement, key, value)
    is_extension = bool(
        "period_end" in changed and (old_end is None or (agreement.period_end and agreement.period_end > old_end))
    )
    if is_extension and agreement.original_period_end is None and old_end is not None:
        agreement.original_period_end = old_end
    _check_or_restore(agreement)
    agreement.save()
    number = (agreement.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = AgreementVersion(
        agreement=agreement, number=number, title=" ".join(str(title).split()),
        document_number=str(document_number).strip(), signed_on=signed_on, summary=str(summary).strip(),
        changes=changed, is_extension=is_extension,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean(exclude=["agreement", "created_by"])
    version.save()
    record(actor=actor, action=AuditAction.CREATE, obj=version, after=snapshot(version), note=str(agreement)[:200])
    record(actor=actor, action=AuditAction.UPDATE, obj=agreement, before=before, after=snapshot(agreement),
           note=_("addendum %(number)d: %(title)s") % {"number": number, "title": version.title[:200]})
    if document is not None:
        _store_document(actor, agreement, document, DocumentKind.ADDENDUM, version=version)
    return version


def _plain(value: Any) -> Any:
    """A field value for ``AgreementVersion.changes`` (dates as ISO strings)."""
    return value.isoformat() if isinstance(value, dt.date) else value

