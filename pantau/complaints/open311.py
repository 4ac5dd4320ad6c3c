"""A read-only Open311 GeoReport v2 feed of complaints, so that existing civic tools can read it (issue 13).

Endpoints under /open311/v2/ (JSON only; no account; nothing personal):

- ``discovery.json``: the endpoint and its specification.
- ``services.json`` (``?jurisdiction_id=``): one service per ``standards.Service`` (``service_code`` "S<id>",
  ``group`` the unit) plus ``other`` for complaints about a unit without a named service. ``metadata`` false,
  ``type`` "realtime".
- ``requests.json``: complaints as service requests. Parameters of the specification: ``service_request_id``
  (comma-separated; overrides the others), ``service_code`` (comma-separated), ``start_date`` and ``end_date``
  (W3C date-times on ``requested_datetime``; at most 90 days apart), ``status`` (``open``, ``closed``), and
  ``jurisdiction_id`` (the Kemendagri code of a regional government, e.g. ``15.04``). Without dates: the last 90
  days. At most 1000 requests, newest first.
- ``requests/<id>.json``: one request (an array of one, as the specification says).

What a request carries: ``service_request_id`` (the complaint's number, not its tracking code), ``status`` and
``status_notes`` (the stage), ``service_name``/``service_code``, ``description`` (the standard component concerned,
never the complainant's text, which may hold personal data), ``agency_responsible`` (the unit),
``service_notice`` (marks sample data), ``requested_datetime``/``updated_datetime`` (ISO 8601 in the unit's zone),
``expected_datetime`` (end of the current due date, local), and empty ``address``, ``address_id``, ``zipcode``,
``lat``, ``long``, ``media_url``: Pantau does not publish where the complainant is or their files. Errors are an
array of ``{code, description}`` with the HTTP status.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pantau.complaints.models import OPEN_STAGES, Complaint, Stage
from pantau.organizations.models import Unit, UnitKind
from pantau.standards.models import Service

MAX_REQUESTS = 1000
"""Most requests returned by one call (the specification's default page)."""

MAX_SPAN = dt.timedelta(days=90)
"""Longest span between start_date and end_date, and the default window (GeoReport v2)."""

OTHER = "other"
CLOSED_STAGES = (Stage.CLOSED, Stage.WITHDRAWN)


def _error(status: int, description: str) -> JsonResponse:
    response = JsonResponse([{"code": status, "description": description}], safe=False, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data: Any) -> JsonResponse:
    response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _BadRequest(Exception):
    pass


def _government(request: HttpRequest) -> Unit | None:
    """The regional government named by ``jurisdiction_id`` (its region code), or None for every government;
    _BadRequest for an unknown one."""
    code = request.GET.get("jurisdiction_id", "").strip()
    if not code:
        return None
    government = Unit.objects.filter(kind=UnitKind.REGIONAL_GOVERNMENT, region_id=code[:20]).first()
    if government is None:
        raise _BadRequest(_("Unknown jurisdiction_id."))
    return government


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    """GET /open311/v2/discovery.json."""
    return _json({
        "changeset": "2026-01-01T00:00:00Z",
        "contact": "",
        "key_service": "",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": request.build_absolute_uri(reverse("open311:services")).rsplit("/", 1)[0],
            "changeset": "2026-01-01T00:00:00Z",
            "type": "production",
            "formats": ["application/json"],
        }],
    })


@require_GET
def services(request: HttpRequest) -> JsonResponse:
    """GET /open311/v2/services.json: the services complaints can be about (module docstring)."""
    try:
        government = _government(request)
    except _BadRequest as exc:
        return _error(400, str(exc))
    qs = Service.objects.select_related("unit").order_by("unit__path", "name")
    if government is not None:
        qs = qs.filter(unit__path__startswith=government.path)
    data = [{
        "service_code": f"S{s.pk}", "service_name": s.name, "description": s.description[:500],
        "metadata": False, "type": "realtime", "keywords": "pengaduan", "group": s.unit.name,
    } for s in qs]
    data.append({"service_code": OTHER, "service_name": _("Other complaint about a unit"), "description": "",
                 "metadata": False, "type": "realtime", "keywords": "pengaduan", "group": ""})
    return _json(data)


def _w3c(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _BadRequest(_("%(name)s is not a W3C date-time, e.g. 2026-01-31T00:00:00+07:00.")
                          % {"name": name}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
    return moment


def _local(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def _expected(complaint: Complaint) -> str | None:
    due = complaint.current_due() if complaint.stage != Stage.INCOMPLETE else None
    if due is None or complaint.stage not in OPEN_STAGES:
        return None
    end = dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=ZoneInfo(complaint.zone))
    return end.isoformat(timespec="seconds")


def as_request(complaint: Complaint) -> dict[str, Any]:
    """A complaint as a GeoReport v2 service request (module docstring): nothing personal, no free text."""
    service = complaint.service
    return {
        "service_request_id": str(complaint.pk),
        "status": "closed" if complaint.stage in CLOSED_STAGES else "open",
        "status_notes": str(complaint.get_stage_display()),
        "service_name": service.name if service else str(_("Other complaint about a unit")),
        "service_code": f"S{service.pk}" if service else OTHER,
        "description": str(complaint.get_component_display()) if complaint.component else "",
        "agency_responsible": complaint.unit.name,
        "service_notice": str(_("Sample data, not a real complaint")) if complaint.is_sample else "",
        "requested_datetime": _local(complaint.received_at, complaint.zone),
        "updated_datetime": _local(complaint.updated_at, complaint.zone),
        "expected_datetime": _expected(complaint),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _requests(request: HttpRequest) -> Any:
    qs = Complaint.objects.select_related("unit", "service").order_by("-received_at", "-id")
    government = _government(request)
    if government is not None:
        qs = qs.filter(government=government)
    ids = request.GET.get("service_request_id", "").strip()
    if ids:
        wanted = [part.strip() for part in ids.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) < 19 for part in wanted):
            raise _BadRequest(_("service_request_id takes numbers separated by commas."))
        return qs.filter(pk__in=[int(part) for part in wanted])
    codes = [part.strip() for part in request.GET.get("service_code", "").split(",") if part.strip()]
    if codes:
        service_ids = []
        other = False
        for code in codes:
            if code == OTHER:
                other = True
            elif code[:1] == "S" and code[1:].isdigit() and len(code) < 19:
                service_ids.append(int(code[1:]))
            else:
                raise _BadRequest(_("Unknown service_code %(code)s.") % {"code": code[:40]})
        q = Q(service_id__in=service_ids)
        if other:
            q |= Q(service__isnull=True)
        qs = qs.filter(q)
    start_raw, end_raw = request.GET.get("start_date", "").strip(), request.GET.get("end_date", "").strip()
    end = _w3c(end_raw, "end_date") if end_raw else None
    start = _w3c(start_raw, "start_date") if start_raw else None
    if start is None and end is None:
        end = dt.datetime.now(dt.UTC)
        start = end - MAX_SPAN
    elif start is None and end is not None:
        start = end - MAX_SPAN
    elif end is None and start is not None:
        end = start + MAX_SPAN
    if start is not None and end is not None:
        if end < start:
            raise _BadRequest(_("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise _BadRequest(_("start_date and end_date may not be more than 90 days apart."))
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
    statuses = {part.strip() for part in request.GET.get("status", "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        raise _BadRequest(_("status is open, closed or both."))
    if statuses == {"open"}:
        qs = qs.filter(stage__in=OPEN_STAGES)
    elif statuses == {"closed"}:
        qs = qs.filter(stage__in=CLOSED_STAGES)
    return qs


@require_GET
def requests(request: HttpRequest) -> JsonResponse:
    """GET /open311/v2/requests.json (module docstring)."""
    try:
        qs = _requests(request)
    except _BadRequest as exc:
        return _error(400, str(exc))
    return _json([as_request(c) for c in qs[:MAX_REQUESTS]])


@require_GET
def request_detail(request: HttpRequest, request_id: str) -> JsonResponse:
    """GET /open311/v2/requests/<id>.json: an array of the one request; 404 (as an error array) when unknown."""
    if not request_id.isdigit() or len(request_id) >= 19:
        return _error(404, _("No such service request."))
    complaint = Complaint.objects.select_related("unit", "service").filter(pk=int(request_id)).first()
    if complaint is None:
        return _error(404, _("No such service request."))
    return _json([as_request(complaint)])
