"""The standards register of a unit: its services with the 14 components present or missing, the 6 delivery
components published or not, the maklumat, completeness, and for a government the roll-up per agency, district and
village. Login required; 404 outside the user's VIEW scope. Writes go through ``standards.services``: the entry
forms (a new service, a new version of a service's standard) answer 404 outside the VIEW scope and 403 without
``actions.ENTRY_PERMISSION`` on the unit."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.audit.timeline import last_change
from pantau.core.concurrency import StaleVersion, add_version, conflict_page, form_version, shown
from pantau.organizations.models import Unit, UnitKind
from pantau.standards.actions import (
    ENTRY_PERMISSION,
    _current,
    completeness_of,
    create_service,
    record_standard,
    register_for,
    update_service,
)
from pantau.standards.completeness import StandardCompleteness
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS, ComponentCode
from pantau.standards.forms import ServiceForm, StandardForm
from pantau.standards.models import Service, ServiceStandard

MAX_ID = 2**63 - 1

PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class Cell:
    """One component of one service: ``state`` is "published", "present" (a delivery component not published),
    "internal" (a present management component) or "missing"."""

    number: int
    code: str
    label: str
    state: str


@dataclass(frozen=True)
class ServiceRow:
    """A service with its current standard, its 14 cells and its completeness."""

    service: Service
    standard: ServiceStandard | None
    cells: list[Cell]
    completeness: StandardCompleteness
    percent: Decimal


def _row(service: Service) -> ServiceRow:
    standard = _current(service)  # from the prefetched standards
    state = completeness_of(standard)
    components = {c.code: c for c in standard.components.all()} if standard else {}
    labels = dict(ComponentCode.choices)
    cells = []
    for number, code in enumerate(ALL_COMPONENTS, start=1):
        component = components.get(code)
        if component is None or not component.is_present:
            kind = "missing"
        elif code in DELIVERY_COMPONENTS:
            kind = "published" if component.is_published else "present"
        else:
            kind = "internal"
        cells.append(Cell(number, code, str(labels[code]), kind))
    percent = (Decimal(100) * state.present_count / len(ALL_COMPONENTS)).quantize(PERCENT)
    return ServiceRow(service, standard, cells, state, percent)


@login_required
def standards_register(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /units/<pk>/standards/: the unit's services and, below it, the roll-up per agency, district and
    village. 404 outside the user's VIEW scope."""
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).first()
    if unit is None:
        raise Http404
    services = Service.objects.filter(unit=unit).prefetch_related("standards__components").order_by("name")
    rows = [_row(service) for service in services]
    register = register_for(unit, villages_with_services_only=True)
    labels = dict(ComponentCode.choices)
    villages_total = Unit.objects.filter(
        path__startswith=unit.path, kind=UnitKind.VILLAGE_GOVERNMENT
    ).exclude(pk=unit.pk).count()
    context = {
        "unit": unit,
        "rows": rows,
        "register": register,
        "legend": [(number, str(labels[code]), code in DELIVERY_COMPONENTS)
                   for number, code in enumerate(ALL_COMPONENTS, start=1)],
        "labels": {code: str(label) for code, label in labels.items()},
        "villages_without": villages_total - len(register.villages),
        "numbers": range(1, len(ALL_COMPONENTS) + 1),
        "has_sample": any(row.service.is_sample or (row.standard and row.standard.is_sample) for row in rows)
        or Service.objects.filter(unit__path__startswith=unit.path, is_sample=True).exists(),
        "has_below": bool(register.agencies or register.districts or villages_total),
        "can_enter": has_unit_permission(request.user, ENTRY_PERMISSION, unit),
    }
    return render(request, "standards/register.html", context)


def _apply_errors(form: Form, exc: ValidationError) -> None:
    """Put a write-path ValidationError on ``form`` (on the field it names when the form has it)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else (f"text_{name}" if f"text_{name}" in form.fields else None)
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _entry_unit(request: HttpRequest, pk: int) -> Unit:
    """The unit ``pk`` when visible (else 404) and the user may enter standards there (else 403)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    unit = units_for(request.user, Permission.VIEW).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if not has_unit_permission(request.user, ENTRY_PERMISSION, unit):
        raise PermissionDenied(_("You may not record service standards for this unit."))
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /units/<pk>/services/new/: add a service to the unit, then go on to its standard."""
    unit = _entry_unit(request, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = create_service(actor=request.user, unit=unit, name=form.cleaned_data["name"],
                                     description=form.cleaned_data["description"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("standards:standard_edit", service.pk)
    return render(request, "standards/service_form.html", {"unit": unit, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /services/<pk>/edit/: rename a service or change its description. 404 outside the VIEW scope, 403
    without ENTRY_PERMISSION on its unit."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    service = Service.objects.for_user(request.user, Permission.VIEW).select_related("unit").filter(pk=pk).first()
    if service is None:
        raise Http404
    unit = _entry_unit(request, service.unit_id)

    def build(data: Any, instance: Service) -> ServiceForm:
        form = ServiceForm(data, initial={"name": instance.name, "description": instance.description})
        return add_version(form, instance)  # type: ignore[return-value]

    form = build(request.POST or None, service)
    if request.method == "POST" and form.is_valid():
        try:
            update_service(actor=request.user, service=service, name=form.cleaned_data["name"],
                           description=form.cleaned_data["description"], expected_version=form_version(form))
        except StaleVersion as exc:
            return conflict_page(request, exc, form, rebuild=build, template="standards/service_form.html",
                                 context={"unit": unit, "service": service}, fields=("name", "description"),
                                 entry_for=last_change, zone=unit.zone)
        except ValidationError as exc:
            service.refresh_from_db()
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("standards:standards_register", unit.pk)
    return render(request, "standards/service_form.html", {"unit": unit, "form": form, "service": service})


def _stored_standard(service: Service) -> dict[str, str]:
    """The service's current standard as the standard form's fields, shown as text (the conflict page's "stored
    now" column)."""
    fresh = Service.objects.prefetch_related("standards__components").get(pk=service.pk)
    return {name: shown(value) for name, value in StandardForm.initial_from(_current(fresh)).items()}


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /services/<pk>/standard/: record a new version of the service's standard, starting from the current
    one; its gaps become findings. 404 outside the VIEW scope, 403 without ENTRY_PERMISSION on the unit."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    service = (
        Service.objects.for_user(request.user, Permission.VIEW).select_related("unit")
        .prefetch_related("standards__components").filter(pk=pk).first()
    )
    if service is None:
        raise Http404
    unit = _entry_unit(request, service.unit_id)
    current = _current(service)
    if request.method == "POST":
        form = add_version(StandardForm(request.POST), service)
        if form.is_valid():
            try:
                record_standard(actor=request.user, service=service, components=form.components(),
                                expected_version=form_version(form), **form.standard_values())
            except StaleVersion as exc:
                return conflict_page(
                    request, exc, form, template="standards/standard_form.html",
                    rebuild=lambda data, instance: add_version(StandardForm(data), instance),
                    context={"unit": unit, "service": service, "current": current},
                    fields=(), entry_for=last_change, zone=unit.zone, stored_for=_stored_standard,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The service standard was saved."))
                return redirect("standards:standards_register", unit.pk)
    else:
        form = add_version(StandardForm(initial=StandardForm.initial_from(current)), service)
    return render(request, "standards/standard_form.html",
                  {"unit": unit, "service": service, "current": current, "form": form})
