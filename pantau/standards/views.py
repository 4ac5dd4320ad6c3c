"""The standards register of a unit: its services with the 14 components present or missing, the 6 delivery
components published or not, the maklumat, completeness, and for a government the roll-up per agency, district and
village. Login required; 404 outside the user's VIEW scope. Read-only: writes go through ``standards.services``."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.organizations.models import Unit, UnitKind
from pantau.standards.completeness import StandardCompleteness
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS, ComponentCode
from pantau.standards.models import Service, ServiceStandard
from pantau.standards.services import _current, completeness_of, register_for

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
    }
    return render(request, "standards/register.html", context)
