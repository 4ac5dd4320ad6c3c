"""Service-standard storage, completeness roll-ups and findings (domain/rules.md section 1).

- ``import_standard``: store a standard given in the shared JSON layout (data/batanghari/standar_pelayanan_*.json),
  one row per component; null stays "not available".
- ``completeness_of`` / ``rollup_for`` / ``rollup_children``: the pure rules of ``standards.completeness`` fed
  from the database, per service, and rolled up per unit subtree (service -> unit -> agency -> regency).
- ``record_standard_findings``: every gap becomes a finding through the shared mechanism
  ``findings.actions.record_finding(source="standard")``; gaps that are now closed close their findings
  (``findings.actions.close_findings``).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission
from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.core.concurrency import claim_version
from pantau.core.workdays import WIT, local_date
from pantau.findings.actions import close_findings, record_finding
from pantau.findings.models import Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind
from pantau.standards.completeness import (
    NO_STANDARD,
    ComponentState,
    Rollup,
    StandardCompleteness,
    evaluate,
    roll_up,
)
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS, ComponentCode
from pantau.standards.models import Service, ServiceStandard, StandardComponent

ENTRY_PERMISSION = Permission.MANAGE_STANDARDS
"""Who may enter a service and its standard (form, API, file import): holders of MANAGE_STANDARDS on the unit, i.e.
the unit's own officers and the regional coordinator (accounts.ROLE_PERMISSIONS). The standard is the government's
own document (UU 25/2009 art. 20-22: the provider drafts and adopts it), so the Ombudsman's roles read and check it
but do not write it."""

CHECK_PERMISSION = Permission.REVIEW_STANDARDS
"""Who may turn a standard's gaps into findings: the government's planners and the Ombudsman's assistants."""


EARLIEST_ADOPTION = dt.date(2000, 1, 1)
"""No standard is adopted before this day (UU 25/2009 came later still; older dates are typing errors)."""

MAX_TEXT = 10_000
"""At most this many characters in a free-text field: a component's text, a service's description, the publication
media, the maklumat text and the note."""


def check_adopted_on(adopted_on: dt.date | None, *, today: dt.date | None = None) -> None:
    """Raise ValidationError on ``adopted_on`` unless it is empty or within ``EARLIEST_ADOPTION`` .. ``today``
    (the unit's own local date; default: today in the easternmost zone, WIT, the widest bound a form can check
    before the write path checks the unit's own date, rules.md section 10)."""
    today = today or local_date(timezone.now(), WIT)
    if adopted_on is not None and not EARLIEST_ADOPTION <= adopted_on <= today:
        raise ValidationError({"adopted_on": [
            _("The adoption date must lie between %(earliest)s and today (%(today)s).")
            % {"earliest": date_format(EARLIEST_ADOPTION, "j F Y"), "today": date_format(today, "j F Y")}
        ]})


def _too_long(value: str, limit: int) -> str:
    return _("At most %(limit)d characters (this has %(length)d).") % {"limit": limit, "length": len(value)}


@transaction.atomic
def import_standard(
    *,
    actor: Any,
    unit: Unit,
    data: Mapping[str, Any],
    service_name: str = "",
    published: bool = False,
    adopted_on: dt.date | None = None,
    maklumat_adopted: bool = False,
    maklumat_published: bool = False,
    is_sample: bool = False,
) -> ServiceStandard:
    """Store one standard from the shared JSON layout and return it (a new version of the service's standard).

    ``data``: a mapping with ``components`` (component code -> content or null) and optional ``title``,
    ``legal_instrument``, ``source_url``, ``completeness``. ``service_name`` defaults to the title without its
    "Standar Pelayanan:" prefix. ``published``: whether the standard's present delivery components are published
    to users (for example on the unit's website). ``maklumat_adopted`` / ``maklumat_published``: the state of the
    maklumat pelayanan. ``is_sample`` marks an illustrative standard (and its service when created now).
    Raises PermissionDenied without ENTRY_PERMISSION on ``unit`` and ValidationError for an unknown component code,
    a missing ``components`` mapping or an ``adopted_on`` outside 2000-01-01 .. today. Audited.
    """
    if not has_unit_permission(actor, ENTRY_PERMISSION, unit):
        raise PermissionDenied(_("You may not record service standards for this unit."))
    check_adopted_on(adopted_on, today=unit.local_today())
    components = data.get("components")
    if not isinstance(components, Mapping):
        raise ValidationError({"components": [_("A mapping of the 14 components is required.")]})
    unknown = sorted(set(components) - set(ALL_COMPONENTS))
    if unknown:
        raise ValidationError({"components": [_("Unknown components: %(codes)s") % {"codes": ", ".join(unknown)}]})
    title = str(data.get("title", ""))
    name = service_name or title.split(":", 1)[-1].strip() or title
    service, created = Service.objects.get_or_create(unit=unit, name=name[:300], defaults={"is_sample": is_sample})
    if created:
        record(actor=actor, action=AuditAction.CREATE, obj=service, after=snapshot(service))
    standard = ServiceStandard.objects.create(
        service=service, title=title[:300], decree_number=str(data.get("legal_instrument", ""))[:200],
        adopted_on=adopted_on, source_url=str(data.get("source_url", "")), note=str(data.get("completeness", "")),
        publication_media=str(data.get("source_url", "")) if published else "",
        maklumat_adopted=maklumat_adopted, maklumat_published=maklumat_published, is_sample=is_sample,
    )
    rows = [
        StandardComponent(
            standard=standard, code=code, content=components.get(code),
            is_published=published and code in DELIVERY_COMPONENTS and components.get(code) is not None,
        )
        for code in ALL_COMPONENTS
    ]
    StandardComponent.objects.bulk_create(rows)
    record(actor=actor, action=AuditAction.CREATE, obj=standard, after=snapshot(standard),
           note=_("%(count)s components") % {"count": len(rows)})
    return standard


def completeness_of(standard: ServiceStandard | None) -> StandardCompleteness:
    """Completeness of one standard (``NO_STANDARD`` for None). Uses prefetched ``components`` when present."""
    if standard is None:
        return NO_STANDARD
    return evaluate({
        component.code: ComponentState(present=component.is_present, published=component.is_published)
        for component in standard.components.all()
    })


def _services_below(unit: Unit) -> list[Service]:
    return list(
        Service.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .prefetch_related("standards__components")
    )


def _current(service: Service) -> ServiceStandard | None:
    """The current standard from prefetched data (same order as ``Service.current_standard``)."""
    standards = list(service.standards.all())
    if not standards:
        return None
    dated = [s for s in standards if s.adopted_on is not None]
    if dated:
        return max(dated, key=lambda s: (s.adopted_on, s.pk))
    return max(standards, key=lambda s: s.pk)


def rollup_for(unit: Unit) -> Rollup:
    """Completeness of every service of ``unit`` and of the units below it (each by its current standard; a
    service without one counts as nothing present). Three queries whatever the size of the subtree."""
    return roll_up(completeness_of(_current(service)) for service in _services_below(unit))


def rollup_children(unit: Unit) -> list[tuple[Unit, Rollup]]:
    """One roll-up per direct child of ``unit`` (each over the child's subtree), children in tree order; plus the
    unit itself first when it has services of its own (its roll-up then covers only those services)."""
    services = _services_below(unit)
    states = [(service.unit.path, completeness_of(_current(service))) for service in services]
    result: list[tuple[Unit, Rollup]] = []
    own = [state for path, state in states if path == unit.path]
    if own:
        result.append((unit, roll_up(own)))
    for child in Unit.objects.filter(parent=unit).order_by("path"):
        result.append((child, roll_up(state for path, state in states if path.startswith(child.path))))
    return result


def _gap_key(service: Service, gap: str) -> str:
    return f"standard:service-{service.pk}:{gap}"


@transaction.atomic
def create_service(*, actor: Any, unit: Unit, name: str, description: str = "") -> Service:
    """Create a service of ``unit`` and return it. Requires ENTRY_PERMISSION on ``unit`` (else PermissionDenied);
    raises ValidationError for an empty or too long name, a description longer than ``MAX_TEXT`` or a name already
    used in the unit. Audited."""
    if not has_unit_permission(actor, ENTRY_PERMISSION, unit):
        raise PermissionDenied(_("You may not record services of this unit."))
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    if len(name) > 300:
        raise ValidationError({"name": [_("At most 300 characters.")]})
    if len(str(description)) > MAX_TEXT:
        raise ValidationError({"description": [_too_long(str(description), MAX_TEXT)]})
    taken = ValidationError({"name": [_("The unit already has a service with this name.")]})
    if Service.objects.filter(unit=unit, name=name).exists():
        raise taken
    try:
        with transaction.atomic():  # a savepoint: the same name saved at the same moment by someone else
            service = Service.objects.create(unit=unit, name=name, description=str(description))
    except IntegrityError:
        raise taken from None
    record(actor=actor, action=AuditAction.CREATE, obj=service, after=snapshot(service))
    return service


@transaction.atomic
def update_service(
    *, actor: Any, service: Service, name: str, description: str = "", expected_version: int | None = None,
) -> Service:
    """Rename ``service`` or change its description. Requires ENTRY_PERMISSION on its unit (else PermissionDenied);
    ValidationError for an empty or too long name, a description longer than ``MAX_TEXT`` or a name another service
    of the unit has; ``expected_version`` as in ``record_standard`` (StaleVersion when stale). Audited."""
    if not has_unit_permission(actor, ENTRY_PERMISSION, service.unit):
        raise PermissionDenied(_("You may not record services of this unit."))
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    if len(name) > 300:
        raise ValidationError({"name": [_("At most 300 characters.")]})
    if len(str(description)) > MAX_TEXT:
        raise ValidationError({"description": [_too_long(str(description), MAX_TEXT)]})
    if Service.objects.filter(unit=service.unit, name=name).exclude(pk=service.pk).exists():
        raise ValidationError({"name": [_("The unit already has a service with this name.")]})
    before = snapshot(service)
    claim_version(service, expected_version)
    service.name = name
    service.description = str(description)
    service.save(update_fields=["name", "description", "version"])
    record(actor=actor, action=AuditAction.UPDATE, obj=service, before=before, after=snapshot(service))
    return service


ComponentInput = Mapping[str, tuple[str | None, bool]]
"""Components entered by a person: component code -> (text, or None / blank when not available; published)."""


@transaction.atomic
def record_standard(
    *,
    actor: Any,
    service: Service,
    components: ComponentInput,
    title: str = "",
    decree_number: str = "",
    adopted_on: dt.date | None = None,
    publication_media: str = "",
    maklumat_text: str = "",
    maklumat_adopted: bool = False,
    maklumat_published: bool = False,
    note: str = "",
    detected_on: dt.date | None = None,
    expected_version: int | None = None,
) -> ServiceStandard:
    """Record a new version of ``service``'s standard as entered in the form, the API or the Excel import, and
    bring the service's standard findings up to date (``record_standard_findings``' gaps, without its permission
    check: the findings come from the actor's own data). Earlier versions stay as history.

    The findings are drawn from the service's CURRENT standard after saving (``_current``: the latest adoption
    date, else the latest version), not from the version just entered: a back-dated version is history and
    neither raises nor closes the gaps of the current one.

    ``components``: see ``ComponentInput``; a code left out counts as not available. Text is stored as given
    (stripped); blank text is stored as null ("not available"). ``published`` may only be set on one of the 6
    delivery components (domain/rules.md section 1.2) that is present. ``detected_on`` (default today) dates the
    findings. Requires ENTRY_PERMISSION on the service's unit, else PermissionDenied; ValidationError for an unknown
    component, a published flag on a missing or management component, text fields longer than the model allows
    (title 300, decree number 200, other text ``MAX_TEXT``), an ``adopted_on`` outside 2000-01-01 .. today, or a
    published maklumat without text. Nothing is written on error. Audited.

    A new version is an edit of the service's standard: ``expected_version`` is the service's version the form
    was read at, and a stale one is refused with ``core.concurrency.StaleVersion`` (two people editing the same
    standard from the same version cannot both save; None: not checked). The service's version goes up by one.
    """
    if not has_unit_permission(actor, ENTRY_PERMISSION, service.unit):
        raise PermissionDenied(_("You may not record service standards for this unit."))
    claim_version(service, expected_version)
    unknown = sorted(set(components) - set(ALL_COMPONENTS))
    if unknown:
        raise ValidationError({"components": [_("Unknown components: %(codes)s") % {"codes": ", ".join(unknown)}]})
    errors: dict[str, list[str]] = {}
    rows = []
    for code in ALL_COMPONENTS:
        text, published = components.get(code, (None, False))
        content = str(text).strip() if text is not None else ""
        present = bool(content)
        if len(content) > MAX_TEXT:
            errors.setdefault(code, []).append(_too_long(content, MAX_TEXT))
        if published and code not in DELIVERY_COMPONENTS:
            errors.setdefault(code, []).append(
                _("Only the 6 service-delivery components are published to users."))
        elif published and not present:
            errors.setdefault(code, []).append(_("A component that is not available cannot be published."))
        rows.append((code, content if present else None, bool(published)))
    for key, value, limit in (("title", title, 300), ("decree_number", decree_number, 200),
                              ("publication_media", publication_media, MAX_TEXT),
                              ("maklumat_text", maklumat_text, MAX_TEXT), ("note", note, MAX_TEXT)):
        if len(str(value)) > limit:
            errors.setdefault(key, []).append(_too_long(str(value), limit))
    try:
        check_adopted_on(adopted_on, today=service.unit.local_today())
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if maklumat_published and not str(maklumat_text).strip() and not maklumat_adopted:
        errors.setdefault("maklumat_published", []).append(
            _("A published maklumat must be adopted or have its text recorded."))
    if errors:
        raise ValidationError(errors)
    standard = ServiceStandard.objects.create(
        service=service, title=str(title).strip(), decree_number=str(decree_number).strip(), adopted_on=adopted_on,
        publication_media=str(publication_media).strip(), maklumat_text=str(maklumat_text).strip(),
        maklumat_adopted=maklumat_adopted, maklumat_published=maklumat_published, note=str(note).strip(),
    )
    StandardComponent.objects.bulk_create(
        StandardComponent(standard=standard, code=code, content=content, is_published=published)
        for code, content, published in rows
    )
    present = sum(1 for _code, content, _published in rows if content is not None)
    record(actor=actor, action=AuditAction.CREATE, obj=standard, after=snapshot(standard),
           note=_("%(present)s of 14 components present") % {"present": present})
    current = _current(Service.objects.prefetch_related("standards__components").get(pk=service.pk))
    assert current is not None  # the version just saved exists
    _standard_findings(actor, current, detected_on or service.unit.local_today())
    return standard


@transaction.atomic
def record_standard_findings(*, actor: Any, standard: ServiceStandard, detected_on: dt.date) -> list[Finding]:
    """Turn every gap of ``standard`` into an open finding on the service's unit and close the findings of gaps
    that are now filled. Returns the open findings of this service's standard.

    Gaps (domain/rules.md sections 1.2-1.4): each component not present (key ``<code>``); each delivery component
    present but not published (``<code>:published``); the maklumat not adopted (``maklumat``). Keys are
    ``standard:service-<id>:<gap>``. Raises PermissionDenied unless ``actor`` holds CHECK_PERMISSION
    (REVIEW_STANDARDS) on the service's unit. Audited through the findings mechanism.
    """
    if not has_unit_permission(actor, CHECK_PERMISSION, standard.service.unit):
        raise PermissionDenied(_("You may not record findings for this unit."))
    return _standard_findings(actor, standard, detected_on)


def _standard_findings(actor: Any, standard: ServiceStandard, detected_on: dt.date) -> list[Finding]:
    """The work of ``record_standard_findings`` without its permission check (callers check their own)."""
    service = standard.service
    unit = service.unit
    state = completeness_of(standard)
    labels = dict(ComponentCode.choices)
    gaps: dict[str, tuple[str, str]] = {}
    for code in state.missing:
        gaps[code] = (
            _("%(service)s: the service standard lacks \"%(component)s\"")
            % {"service": service.name, "component": labels[code]},
            _("Law 25/2009 art. 21 requires all 14 components of a service standard."),
        )
    for code in state.unpublished_delivery:
        gaps[f"{code}:published"] = (
            _("%(service)s: \"%(component)s\" is not published to users")
            % {"service": service.name, "component": labels[code]},
            _("The 6 service-delivery components must be published (PermenPANRB 15/2014)."),
        )
    if not standard.maklumat_adopted:
        gaps["maklumat"] = (
            _("%(service)s: no adopted maklumat pelayanan") % {"service": service.name},
            _("Every provider adopts and publishes a maklumat pelayanan (service pledge)."),
        )
    findings = [
        record_finding(
            actor=actor, source=FindingSource.STANDARD, source_key=_gap_key(service, gap), unit=unit, title=title,
            detected_on=detected_on, detail=detail, is_sample=standard.is_sample,
        )
        for gap, (title, detail) in gaps.items()
    ]
    open_keys = {_gap_key(service, gap) for gap in gaps}
    filled = Finding.objects.filter(
        source=FindingSource.STANDARD, unit=unit, closed_on__isnull=True,
        source_key__startswith=_gap_key(service, ""),
    ).exclude(source_key__in=open_keys)
    close_findings(
        actor=actor, measurements={finding: Decimal(1) for finding in filled}, on=detected_on, measurement=standard,
        label=_("Service standard of %(service)s, version of %(date)s")
        % {"service": service.name, "date": standard.adopted_on or detected_on},
    )
    return findings


def components_percent(rollup: Rollup) -> Decimal | None:
    """Share of the 14 components present over all services of a roll-up, in percent rounded half-up to 2
    decimals (Pantau's summary measure; the rule itself is ``sp_complete``, domain/rules.md section 1.4). None when
    there is no service."""
    if rollup.services == 0:
        return None
    possible = rollup.services * len(ALL_COMPONENTS)
    present = possible - sum(rollup.missing_by_component.values())
    return (Decimal(100) * present / possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RegisterRow:
    """One unit of a government's register: the unit, the roll-up over its subtree (``rollup``), its percent of
    components present, and for a district office the roll-up over its villages only (``villages``)."""

    unit: Unit
    rollup: Rollup
    percent: Decimal | None
    villages: Rollup | None = None


@dataclass(frozen=True)
class Register:
    """A government's standards register, grouped: agencies (with their sub-units), district offices (their own
    services; villages apart) and village governments; ``total`` covers the whole subtree."""

    total: Rollup
    agencies: list[RegisterRow]
    districts: list[RegisterRow]
    villages: list[RegisterRow]


def register_for(unit: Unit, *, villages_with_services_only: bool = False) -> Register:
    """The completeness register below ``unit`` in three queries plus one for the units. Agencies: the direct
    children of kind agency or service unit (each over its subtree). Districts: district offices below ``unit``
    (own services only; ``villages`` = their villages' services). Villages: village governments below ``unit``
    (all of them, or only those with services)."""
    states = [(service.unit.path, completeness_of(_current(service))) for service in _services_below(unit)]

    def over(prefix: str, *, exact: bool = False) -> Rollup:
        return roll_up(state for path, state in states if (path == prefix if exact else path.startswith(prefix)))

    below = Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).order_by("path")
    agencies, districts, villages = [], [], []
    for child in below:
        if child.kind in (UnitKind.AGENCY, UnitKind.SERVICE_UNIT) and child.parent_id == unit.pk:
            rollup = over(child.path)
            agencies.append(RegisterRow(child, rollup, components_percent(rollup)))
        elif child.kind == UnitKind.DISTRICT_OFFICE:
            own = over(child.path, exact=True)
            below_villages = roll_up(
                state for path, state in states if path.startswith(child.path) and path != child.path
            )
            districts.append(RegisterRow(child, own, components_percent(own), below_villages))
        elif child.kind == UnitKind.VILLAGE_GOVERNMENT:
            rollup = over(child.path)
            if rollup.services or not villages_with_services_only:
                villages.append(RegisterRow(child, rollup, components_percent(rollup)))
    return Register(total=roll_up(state for _path, state in states), agencies=agencies, districts=districts,
                    villages=villages)
