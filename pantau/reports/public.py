"""Public transparency pages and open-data downloads (issue 14 item 4): no login, light, cached, Indonesian first.

Addresses (namespace ``public``, Indonesian paths under ``/publik/``; regions by their Kemendagri code):

- ``/publik/``: the national index by province of the regencies and cities (and provinces) with a signed work plan.
- ``/publik/<code>/`` (``/publik/15.04/``): a regency's agreements and work plans, every action's public fields
  with the progress verified by the Ombudsman, budget planned and realised, compliance history and published IKM;
  ``?halaman=N`` pages the actions (``ACTIONS_PER_PAGE``).
- ``/publik/<code>/data/<dataset>.csv`` and ``.json``: the same rows as files (datasets in ``opendata.DATASETS``:
  ``rencana-kerja``, ``aksi``, ``kepatuhan``, ``ikm``); ``/publik/data/<dataset>.csv|json`` for the whole country.
- ``/publik/data/``: the data dictionary (every column: name, meaning, unit, source), the codes and the licence.
- ``/publik/bahasa/``: the ID/EN switch of the public pages (below).

What is shown and what never is, and the rule on unverified progress: ``reports.opendata``.

Cache policy (``settings.PANTAU_PUBLIC_CACHE_SECONDS``, default 300 s): the rows of a page and the bytes of each
file are kept in Django's cache for that long and are not invalidated on writes, so a change reaches the public at
most twice that time later (the server's copy, then a browser's or proxy's). Anonymous page views and every file
answer ``Cache-Control: public, max-age=<seconds>``; pages add ``Vary: Cookie`` (the language cookie chooses the
language); a logged-in user's page view stays ``private, no-store`` (its header names the user's position and holds
a CSRF token, ``core.middleware.SecurityHeadersMiddleware``). The public pages carry no CSRF token and set no cookie,
so a shared cache may keep them: their language switch posts to ``language``, which needs no token because all it
does is set the language cookie.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from pantau.agreements.models import AgreementStatus, Signatory
from pantau.assessments.models import RoundKind, Zone
from pantau.regions.models import Region, RegionKind
from pantau.reports import opendata
from pantau.surveys import ikm
from pantau.workplans.models import BudgetSource

ACTIONS_PER_PAGE = 30
"""Actions per page of a regency page (the page stays under 100 KB with its assets; the files hold them all)."""

ROWS_SHOWN = 20
"""Assessment rounds and IKM results shown on a regency page, newest first; the files hold them all."""

CACHE_PREFIX = "pantau:public:v1:"


def _seconds() -> int:
    return int(settings.PANTAU_PUBLIC_CACHE_SECONDS)


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value cached under ``key`` (prefixed), else ``build()`` stored for ``PANTAU_PUBLIC_CACHE_SECONDS``; a
    None result (an unknown region) is not stored."""
    full = CACHE_PREFIX + key
    value = cache.get(full)
    if value is None:
        value = build()
        if value is not None:
            cache.set(full, value, _seconds())
    return value


def _region_data(code: str) -> dict[str, Any] | None:
    """A region's public data (cached): ``{"region", "province" (None for a province), "generated_at", "datasets":
    {slug: rows}}``; None when ``code`` is not a province, regency or city."""

    def build() -> dict[str, Any] | None:
        region = Region.objects.filter(code=code, level__lte=2).select_related("parent").first()
        if region is None:
            return None
        now = timezone.now().replace(microsecond=0)
        province = region.parent if region.level == 2 else None
        return {
            "region": {"code": region.code, "name": region.name, "kind": region.kind},
            "province": {"code": province.code, "name": province.name} if province else None,
            "generated_at": now,
            "datasets": opendata.build(region.code, now),
        }

    return cached(f"region:{code}", build)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a public page: shared caches may keep an anonymous view (``public, max-age``); ``Vary: Cookie``."""
    context.setdefault("licence", opendata.LICENCE)
    context.setdefault("cache_minutes", _seconds() // 60)
    response = render(request, template, context)
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=_seconds())
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """GET /publik/: per province, the regencies and cities (and provinces) whose government signed a work plan,
    with the number of plans, actions, actions with progress verified by the Ombudsman and sample actions."""
    data = cached("index", lambda: {"provinces": opendata.index_rows(),
                                    "generated_at": timezone.now().replace(microsecond=0)})
    provinces = data["provinces"]
    return _page(request, "reports/public/index.html", {
        "provinces": provinces, "generated_at": data["generated_at"],
        "totals": {key: sum(p[key] for p in provinces) for key in ("plans", "actions", "verified_actions")},
        "regions_count": sum(len(p["regions"]) for p in provinces),
    })


@require_safe
def region(request: HttpRequest, code: str) -> HttpResponse:
    """GET /publik/<code>/[?halaman=N]: the public page of a regency, city or province (404 for another code)."""
    data = _region_data(code)
    if data is None:
        raise Http404
    datasets = data["datasets"]
    actions = datasets[opendata.ACTIONS.slug]
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("halaman"))
    on_page = list(page.object_list)
    statuses: dict[int, Counter[str]] = {}
    for row in actions:
        statuses.setdefault(row["work_plan"], Counter())[row["public_status"]] += 1
    plans = [
        {
            "plan": plan,
            "sources": links(plan["source_url"]),
            "rows": [row for row in on_page if row["work_plan"] == plan["id"]],
            "statuses": [{"code": code, "label": label, "count": statuses.get(plan["id"], Counter())[code]}
                         for code, label in opendata.PublicStatus.choices],
        }
        for plan in datasets[opendata.WORK_PLANS.slug]
    ]
    compliance = datasets[opendata.COMPLIANCE.slug]
    results = [r for r in compliance if r["record"] == opendata.Record.RESULT]
    rounds = [r for r in compliance if r["record"] == opendata.Record.ROUND]
    rounds.sort(key=lambda r: (r["year"], r["assessed_on"]), reverse=True)
    ikm_rows = datasets[opendata.IKM_RESULTS.slug]
    return _page(request, "reports/public/region.html", {
        "region": data["region"], "province": data["province"], "generated_at": data["generated_at"],
        "plans": plans, "page": page, "first_page": page.number == 1, "actions_count": len(actions),
        "results": [{**r, "sources": links(r["source_url"])}
                    for r in sorted(results, key=lambda r: r["year"], reverse=True)],
        "rounds": rounds[:ROWS_SHOWN], "rounds_count": len(rounds),
        "ikm_rows": ikm_rows[:ROWS_SHOWN], "ikm_count": len(ikm_rows),
        "has_sample": any(r["is_sample"] for r in actions) or any(r["is_sample"] for r in compliance)
        or any(r["is_sample"] for r in ikm_rows),
        "datasets": list(opendata.DATASETS.values()),
        "labels": labels(), "region_kinds": dict(RegionKind.choices),
    })


def links(text: str) -> list[str]:
    """The web addresses in ``text`` (separated by ";"), http and https only (never a ``javascript:`` link)."""
    return [u.strip() for u in text.split(";") if u.strip().lower().startswith(("https://", "http://"))]


def labels() -> dict[str, dict[str, Any]]:
    """Translated labels of the codes the pages and the dictionary show."""
    return {
        "public_status": opendata.label_map(opendata.PublicStatus),
        "agreement_status": opendata.label_map(AgreementStatus),
        "budget_source": opendata.label_map(BudgetSource),
        "round_kind": {"published_result": opendata.Record.RESULT.label, **opendata.label_map(RoundKind)},
        "zone": opendata.label_map(Zone),
        "capacity": opendata.label_map(Signatory.Capacity),
        "grade": dict(ikm.PERFORMANCE_LABELS),
        "record": opendata.label_map(opendata.Record),
    }


@require_safe
def dictionary(request: HttpRequest) -> HttpResponse:
    """GET /publik/data/: every dataset with its national downloads and the address of a region's files, every
    column (name, meaning, unit, source), the codes used, and the licence."""
    codes = labels()
    return _page(request, "reports/public/dictionary.html", {
        "datasets": list(opendata.DATASETS.values()),
        "code_lists": [
            ("public_status", codes["public_status"]), ("status", codes["agreement_status"]),
            ("budget_source", codes["budget_source"]), ("record", codes["record"]), ("kind", codes["round_kind"]),
            ("computed_zone, published_zone", codes["zone"]), ("grade", codes["grade"]),
            ("signatories · capacity", codes["capacity"]),
        ],
        "attribution": opendata.ATTRIBUTION,
    })


def _file(request: HttpRequest, code: str | None, slug: str, fmt: str) -> HttpResponse:
    """A dataset of region ``code`` (None: the whole country) as CSV or JSON, cached; 404 for an unknown dataset
    or region."""
    dataset = opendata.DATASETS.get(slug)
    if dataset is None:
        raise Http404
    dictionary_url = request.build_absolute_uri(reverse("public:dictionary"))

    def body() -> bytes | None:
        if code is None:
            generated_at: dt.datetime = timezone.now().replace(microsecond=0)
            rows = opendata.build(None, generated_at, [slug])[slug]
        else:
            data = _region_data(code)
            if data is None:
                return None
            generated_at, rows = data["generated_at"], data["datasets"][slug]
        if fmt == "csv":
            return opendata.csv_file(dataset, rows)
        return opendata.json_file(dataset, rows, region=code, dictionary_url=dictionary_url,
                                  generated_at=generated_at)

    content = cached(f"file:{code or 'national'}:{slug}:{fmt}", body)
    if content is None:
        raise Http404
    name = f"pantau-{code or 'indonesia'}-{slug}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = HttpResponse(content, content_type="application/json")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Link"] = f'<{opendata.LICENCE["url"]}>; rel="license", <{dictionary_url}>; rel="describedby"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=_seconds())
    return response


@require_safe
def region_file(request: HttpRequest, code: str, slug: str, fmt: str) -> HttpResponse:
    """GET /publik/<code>/data/<dataset>.csv|json: a region's dataset (the rows its page shows, all of them)."""
    return _file(request, code, slug, fmt)


@require_safe
def national_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """GET /publik/data/<dataset>.csv|json: a dataset for the whole country."""
    return _file(request, None, slug, fmt)


@csrf_exempt
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """POST /publik/bahasa/ with ``language`` (id or en) and ``next``: set the language cookie the
    ``IndonesianFirstLocaleMiddleware`` reads and go back to ``next`` (a public page; else the index).

    Exempt from CSRF on purpose: the public pages must carry no per-visitor token so that shared caches may keep
    them, and the only effect of a forged post is the visitor's language."""
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    if not safe or not next_url.startswith("/publik/"):
        next_url = reverse("public:index")
    response = HttpResponseRedirect(next_url)
    chosen = request.POST.get("language", "")
    if chosen in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
