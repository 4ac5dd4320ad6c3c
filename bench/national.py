# ruff: noqa: S608  (SQL assembled from module constants; parameters go through the driver)
"""Benchmark: all of Indonesia on one PostgreSQL, Pantau's pages and recomputations beside a bare SQL reference.

Run: ``.venv/bin/python bench/national.py`` (or ``make bench-national``). PostgreSQL from ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``); the script (re)creates its own database ``pantau_national`` (``--database``)
unless ``--reuse`` finds one already built. Options: ``--scale 0.05`` for a quick run (every size times the
fraction, at least one of each), explicit sizes (``--regencies 514 --units 96700 --actions 20500 --reports 52000
--periods 126000 --responses 2900000``), ``--seed 11``, ``--repeat 5`` (timed runs per figure, median reported),
``--timeout 120`` (seconds: a figure whose warm-up run takes longer is not repeated, and PostgreSQL cancels a
statement after that long), ``--only home,api`` (figures whose name contains one of the words), ``--explain``
(EXPLAIN (ANALYZE, BUFFERS) of the hot filters and of the slowest query of each figure; docs/scale.md quotes them),
``--sizes`` (row counts and bytes on disk per table), ``--no-measure`` (build only).

Build (seeded, reproducible): the real Kemendagri regions through ``regions.actions.import_regions`` (the loader of
``pantau import_regions``); one unit tree with the national Ombudsman office, one office per province, one
government per regency and city with its agencies, and the real districts and villages of that regency as units;
one MoU and one signed work plan per regency; actions (about a fifth of them sub-actions), progress reports
(accepted, waiting or returned), SKM periods and their responses; the IKM of every period through the surveys bulk
recompute (``surveys.actions.recompute_results``), nine in ten published; compliance results per regency and year,
banded through ``assessments.actions.reband_results``. Units, agreements, actions, progress reports, periods and
compliance results have no bulk write path in Pantau yet (per-row write paths: hours for a country): they are written
with ``bulk_create`` of model instances carrying the fields their write path (``<app>/actions.py``) fills, including
the derived ones (unit ``path`` and ``province_code``; action ``actual_reported``, ``actual_verified`` and
``budget_realized`` as ``workplans.actions`` keeps them: latest report not returned, latest accepted, sum of
accepted money). Responses, the biggest table, go in with PostgreSQL's COPY in the columns the paper import fills.
Nothing is audited (the write paths would add one audit row per write).

Measure: each page through Django's test Client logged in (``force_login``) as a national Ombudsman admin and
assistant (grants on the national office, the way the tests make one, and on every province's office: on main a
national grant reaches only the national office's own subtree), each recomputation through its management command
as a superuser; beside each a bare SQL query giving the same figures or rows (status by one SQL expression of
``workplans.progress.derive_status`` on stored actuals), and SQL plus numpy for the IKM. Per figure: median ms over
``--repeat`` runs after one warm-up run, the reference's median, the ratio, queries (CaptureQueriesContext), response
bytes, and the peak Python memory of one extra untimed run (tracemalloc; for a figure over ``--timeout``, which is
run once, the growth of the process's peak resident size instead). A page that fails (status >= 400 or an
exception) is reported as such; the run goes on. Caches are cleared before every run.
"""

import argparse
import datetime as dt
import gc
import io
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NATIONAL = {"regencies": 514, "units": 96_700, "actions": 20_500, "reports": 52_000, "periods": 126_000,
            "responses": 2_900_000}
"""Sizes of the national data set (issue 11): regencies and cities, units, actions, progress reports, SKM periods,
SKM responses."""

AGENCIES = ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", "Dinas Kesehatan",
            "Dinas Pendidikan", "Dinas Sosial", "Dinas Perhubungan", "Dinas Pekerjaan Umum dan Penataan Ruang",
            "Badan Pendapatan Daerah", "Dinas Lingkungan Hidup", "Dinas Tenaga Kerja", "Inspektorat",
            "Sekretariat Daerah", "RSUD", "Puskesmas", "Dinas Pertanian", "Dinas Perumahan dan Permukiman"]
SERVICES = ["Penerbitan KTP-el", "Akta kelahiran", "Perizinan berusaha", "Rawat jalan", "Pelayanan pajak daerah",
            "Izin mendirikan bangunan", "Surat keterangan", "Kartu keluarga"]
YEARS = range(2019, 2025)
"""Years of compliance results per regency."""


def database_urls(name: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` database, URL of database ``name``) from ``DATABASE_URL``."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/"
    parts = urlsplit(base)
    return (urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}")))


def psql(admin_url: str, sql: str) -> str:
    """Run ``sql`` with psql on the server's maintenance database; returns its output."""
    return subprocess.run(["psql", admin_url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout


# --------------------------------------------------------------------------------------------------------------------
# Build


def sizes(args: argparse.Namespace) -> dict[str, int]:
    """The sizes to build: explicit options, else the national sizes times ``--scale`` (at least 1)."""
    return {key: getattr(args, key) or max(1, round(value * args.scale)) for key, value in NATIONAL.items()}


def next_id(model: Any) -> int:
    """The first free primary key of ``model`` (the build assigns keys itself, then moves the sequence)."""
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(*models: Any) -> None:
    """Move the id sequences of ``models`` past the keys the build assigned."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


@dataclass
class Built:
    """What the measurements need from the build."""

    national_user: Any = None
    admin: Any = None
    plan_id: int = 0
    province: str = ""
    regency: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def build(size: dict[str, int], seed: int) -> Built:
    """Build the national data set (module docstring) in the current database; returns the users and the largest
    work plan."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from pantau.accounts.models import Role, RoleGrant, User
    from pantau.agreements.models import Agreement, AgreementKind
    from pantau.assessments.actions import reband_results
    from pantau.assessments.models import ComplianceResult, MethodEdition
    from pantau.organizations.models import Unit, UnitKind
    from pantau.regions.actions import import_regions
    from pantau.regions.models import Region
    from pantau.surveys.actions import recompute_results
    from pantau.surveys.models import SurveyPeriod
    from pantau.workplans.models import Action, ProgressReport, ReportStatus

    rng = np.random.default_rng(seed)
    out = Built()
    t = time.perf_counter()
    import_regions(settings.DATA_DIR / "wilayah" / "wilayah.csv")
    out.timings["regions (import_regions)"] = time.perf_counter() - t

    # ---- units (no bulk write path: bulk_create with path and province_code as Unit.save sets them) ------------------
    t = time.perf_counter()
    regions = list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))
    provinces = [r for r in regions if r[2] == 1]
    all_regencies = [r for r in regions if r[2] == 2]
    count = min(size["regencies"], len(all_regencies))
    regencies = [all_regencies[int(i * len(all_regencies) / count)] for i in range(count)]
    chosen = {r[0] for r in regencies}
    districts = [r for r in regions if r[2] == 3 and r[3] in chosen]
    district_codes = {r[0] for r in districts}
    villages = [r for r in regions if r[2] == 4 and r[3] in district_codes]
    fixed = 1 + len(provinces) + len(regencies)
    # agencies fill what districts and villages leave (at least 3 a regency); villages are thinned evenly to fit
    room = size["units"] - fixed - len(districts) - 3 * len(regencies)
    if room < len(villages):
        keep = max(0, room)
        villages = [villages[int(i * len(villages) / keep)] for i in range(keep)] if keep else []
    per_regency = max(3, (size["units"] - fixed - len(districts) - len(villages)) // max(1, len(regencies)))

    units: list[Unit] = []
    unit_id = next_id(Unit)

    def add(name: str, kind: str, parent: Unit | None, region: str | None, province: str, **extra: Any) -> Unit:
        nonlocal unit_id
        path = (parent.path if parent else "/") + f"{unit_id}/"
        unit = Unit(id=unit_id, name=name[:200], kind=kind, parent=parent, region_id=region, province_code=province,
                    path=path, **extra)
        units.append(unit)
        unit_id += 1
        return unit

    national = add("Ombudsman Republik Indonesia", UnitKind.OMBUDSMAN_OFFICE, None, None, "")
    offices = {code: add(f"Ombudsman RI Perwakilan {name}", UnitKind.OMBUDSMAN_OFFICE, None, code, code)
               for code, name, _level, _parent in provinces}
    governments: dict[str, Unit] = {}
    agencies: dict[str, list[Unit]] = {}
    for code, name, _level, _parent in regencies:
        gov = add(f"Pemerintah {name}", UnitKind.REGIONAL_GOVERNMENT, None, code, code[:2])
        governments[code] = gov
        agencies[code] = []
        for i in range(per_regency):
            base = AGENCIES[i % len(AGENCIES)]
            label = base if i < len(AGENCIES) else f"{base} {i // len(AGENCIES) + 1}"
            agencies[code].append(add(label, UnitKind.AGENCY, gov, None, code[:2], agency_type="dinas"))
    district_unit: dict[str, Unit] = {}
    for code, name, _level, parent in districts:
        district_unit[code] = add(f"Kecamatan {name}", UnitKind.DISTRICT_OFFICE, governments[parent], code,
                                  code[:2])
    for code, name, _level, parent in villages:
        add(f"Desa {name} {code}", UnitKind.VILLAGE_GOVERNMENT, district_unit[parent], code, code[:2])
    with transaction.atomic():
        Unit.objects.bulk_create(units, batch_size=5000)
    reset_sequences(Unit)
    out.timings[f"{len(units):,} units (bulk_create)"] = time.perf_counter() - t

    # ---- users: a national Ombudsman admin and assistant, and a superuser for the national commands --------------
    out.national_user = User.objects.create_user("ombudsman-ri", password=None, position="Asisten Ombudsman RI")
    # On main a grant on the national office reaches only that office's own subtree (accounts.scoping.Reach): the
    # head office sees the country through a grant on each province's office, which it gets here too.
    RoleGrant.objects.bulk_create([RoleGrant(user=out.national_user, unit=office, role=role)
                                   for office in [national, *offices.values()]
                                   for role in (Role.OMBUDSMAN_ADMIN, Role.OMBUDSMAN_ASSISTANT)])
    out.admin = User.objects.create_superuser("bench-admin", password=None)

    # ---- agreements (no bulk write path: bulk_create, signed, with their period) ------------------------------------
    t = time.perf_counter()
    agreements: list[Agreement] = []
    plans: dict[str, Agreement] = {}
    agreement_id = next_id(Agreement)
    for code, name, _level, _parent in regencies:
        signed = dt.date(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 400)))
        common = {"ombudsman_office": offices[code[:2]], "government": governments[code], "is_signed": True,
                  "signed_on": signed, "signed_place": name[:200], "period_start": signed,
                  "period_end": signed + dt.timedelta(days=3 * 365)}
        mou = Agreement(id=agreement_id, kind=AgreementKind.MOU, title=f"Nota Kesepakatan {name}", **common)
        plan = Agreement(id=agreement_id + 1, kind=AgreementKind.WORK_PLAN, parent=mou,
                         title=f"Rencana Kerja Pelayanan Publik {name}", **common)
        agreement_id += 2
        agreements += [mou, plan]
        plans[code] = plan
    with transaction.atomic():
        Agreement.objects.bulk_create(agreements, batch_size=2000)
    reset_sequences(Agreement)

    # ---- actions and progress reports (no bulk write path: bulk_create with the actuals workplans.actions keeps) ---
    today = timezone.localdate()
    share = rng.dirichlet(np.full(len(regencies), 2.0)) * size["actions"]
    per_plan = np.maximum(1, np.floor(share)).astype(int)
    report_fields = {f.name for f in ProgressReport._meta.concrete_fields}
    actions: list[Action] = []
    reports: list[ProgressReport] = []
    report_rate = size["reports"] / max(1, size["actions"])
    action_id = next_id(Action)
    report_id = next_id(ProgressReport)
    user_id = out.national_user.pk
    reviewed_at = timezone.now()
    for (code, _name, _level, _parent), n_actions in zip(regencies, per_plan, strict=True):
        plan = plans[code]
        parent: Action | None = None
        for n in range(n_actions):
            start = dt.date(2023, 7, 1) + dt.timedelta(days=int(rng.integers(0, 700)))
            due = start + dt.timedelta(days=int(rng.integers(30, 500)))
            child = parent is not None and rng.random() < 0.25
            unit = agencies[code][int(rng.integers(0, len(agencies[code])))]
            action = Action(
                id=action_id, work_plan=plan, parent=parent if child else None,
                code=f"{parent.code}.{n}" if child and parent else str(n + 1),
                title=f"Standar pelayanan {SERVICES[n % len(SERVICES)]} ditetapkan dan dipublikasikan {n + 1}",
                start_date=start, due_date=due, responsible_unit=unit, pic_position="Kepala Bidang Pelayanan",
                budget_planned=int(rng.integers(0, 500)) * 1_000_000, budget_source="APBD", fiscal_year=start.year,
                indicator_name="Jenis layanan dengan standar pelayanan dipublikasikan", indicator_unit="layanan",
                baseline=Decimal(0), target=Decimal(100), province_code=code[:2],
                cancelled_on=today if rng.random() < 0.02 else None,
            )
            action_id += 1
            if not child:
                parent = action
            # reports: Poisson around the national rate, after the start, rising values
            n_reports = int(rng.poisson(report_rate)) if start < today else 0
            value = Decimal(0)
            for k in range(n_reports):
                value = min(Decimal(100), value + Decimal(int(rng.integers(5, 50))))
                when = start + dt.timedelta(days=int(rng.integers(1, 60)) * (k + 1))
                roll = rng.random()
                status = (ReportStatus.ACCEPTED if roll < 0.6 else
                          ReportStatus.SUBMITTED if roll < 0.9 else ReportStatus.RETURNED)
                spent = int(rng.integers(0, 50)) * 1_000_000
                extra = {"province_code": code[:2]} if "province_code" in report_fields else {}
                reviewed = status != ReportStatus.SUBMITTED
                reports.append(ProgressReport(
                    id=report_id, action=action, report_date=min(when, today), actual_value=value,
                    narrative="Standar pelayanan disusun bersama pengguna layanan.", amount_spent=spent,
                    status=status, submitted_by_id=user_id, reviewed_by_id=user_id if reviewed else None,
                    reviewed_at=reviewed_at if reviewed else None,
                    review_reason="Bukti belum lengkap" if status == ReportStatus.RETURNED else "", **extra))
                report_id += 1
                # what workplans.actions keeps on the action: latest not returned, latest accepted, accepted money
                if status != ReportStatus.RETURNED:
                    action.actual_reported = value
                if status == ReportStatus.ACCEPTED:
                    action.actual_verified = value
                    action.budget_realized += spent
            actions.append(action)
    with transaction.atomic():
        Action.objects.bulk_create(actions, batch_size=5000)
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
    reset_sequences(Action, ProgressReport)
    biggest = max(zip(per_plan, regencies, strict=True), key=lambda p: p[0])[1][0]
    out.plan_id, out.regency, out.province = plans[biggest].pk, biggest, biggest[:2]
    out.timings[f"{len(agreements):,} agreements, {len(actions):,} actions, {len(reports):,} reports (bulk_create)"] = (
        time.perf_counter() - t)

    # ---- survey periods (bulk_create, province copied from the unit as SurveyPeriod.save does) and responses (COPY)
    t = time.perf_counter()
    measured = [u for u in units if u.kind in (UnitKind.AGENCY, UnitKind.DISTRICT_OFFICE, UnitKind.VILLAGE_GOVERNMENT)]
    pick = rng.integers(0, len(measured), size["periods"])
    first_period = next_id(SurveyPeriod)
    periods = []
    for i, idx in enumerate(pick):
        unit = measured[int(idx)]
        start = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(0, 6 * 365)))
        periods.append(SurveyPeriod(id=first_period + i, unit=unit, service_name=SERVICES[i % len(SERVICES)],
                                    start_date=start, end_date=start + dt.timedelta(days=180),
                                    population=int(rng.integers(50, 20_000)), province_code=unit.province_code))
    with transaction.atomic():
        SurveyPeriod.objects.bulk_create(periods, batch_size=5000)
    reset_sequences(SurveyPeriod)
    ids = np.arange(first_period, first_period + len(periods), dtype=np.int64)
    province_of = np.array([int(p.province_code or 0) for p in periods], dtype=np.int64)
    del periods
    level = rng.uniform(1.6, 3.9, len(ids))
    owner = rng.integers(0, len(ids), size["responses"])
    owner[: min(len(ids), len(owner))] = np.arange(min(len(ids), len(owner)))  # every period answered
    owner.sort()
    now = timezone.now().isoformat()
    columns = ("period_id", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "respondent_ref", "sex",
               "education", "occupation", "service_received", "comment", "submitted_at", "source", "province_code")
    copy_sql = f"COPY surveys_response ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor:
        chunk = 200_000
        for begin in range(0, len(owner), chunk):
            sel = owner[begin:begin + chunk]
            noise = rng.normal(0.0, 0.7, (len(sel), 9))
            scores = np.clip(np.rint(level[sel][:, None] + noise), 1, 4).astype(np.int8)
            buffer = io.StringIO()
            for pid, prov, row in zip(ids[sel].tolist(), province_of[sel].tolist(), scores.tolist(), strict=True):
                buffer.write(f"{pid}\t" + "\t".join(map(str, row)) +
                             f"\t\t\t\t\t\t\t{now}\tpaper_import\t{prov:02d}\n")
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(buffer.getvalue())
    out.timings[f"{len(ids):,} periods (bulk_create), {len(owner):,} responses (COPY)"] = time.perf_counter() - t

    t = time.perf_counter()
    recompute_results(actor=out.admin)
    with connection.cursor() as cursor:  # nine in ten results published, as the Ombudsman would
        cursor.execute("UPDATE surveys_ikmresult SET published_at = now(), published_by_id = %s WHERE id %% 10 <> 0",
                       [out.admin.pk])
    out.timings["IKM of every period (surveys.actions.recompute_results)"] = time.perf_counter() - t

    t = time.perf_counter()
    edition = MethodEdition.objects.filter(code="ombudsman-2022").first() or MethodEdition.objects.first()
    results = [ComplianceResult(region_id=code, province_code=code[:2], entity_name=name, year=year, edition=edition,
                                score=Decimal(int(rng.integers(3000, 10000))) / 100)
               for code, name, _level, _parent in regencies for year in YEARS]
    with transaction.atomic():
        ComplianceResult.objects.bulk_create(results, batch_size=5000)
    reband_results()
    out.timings[f"{len(results):,} compliance results (bulk_create + reband_results)"] = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    out.timings["VACUUM ANALYZE"] = time.perf_counter() - t
    return out


def load_built() -> Built:
    """The users and largest work plan of a database built earlier (``--reuse``)."""
    from django.db.models import Count

    from pantau.accounts.models import User
    from pantau.agreements.models import Agreement

    plan = (Agreement.objects.filter(kind="work_plan").annotate(n=Count("actions")).order_by("-n", "pk")
            .select_related("government").first())
    return Built(national_user=User.objects.get(username="ombudsman-ri"),
                 admin=User.objects.get(username="bench-admin"),
                 plan_id=plan.pk, regency=plan.government.region_id, province=plan.government.region_id[:2])


# --------------------------------------------------------------------------------------------------------------------
# Measure


@dataclass
class Figure:
    """One measured figure."""

    what: str
    pantau_ms: float | None = None
    reference_ms: float | None = None
    queries: int | None = None
    size: int | None = None
    peak_mb: float | None = None
    runs: int = 0
    note: str = ""
    slow_sql: list[tuple[float, str]] = field(default_factory=list)


def sql_rows(sql: str, params: Any = ()) -> int:
    """Run a bare SQL query and fetch every row; returns the number of rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def timed(fn: Callable[[], Any], repeat: int, timeout: float) -> list[float]:
    """Run ``fn`` ``repeat`` times (fewer when a run exceeds ``timeout`` s); returns the times in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
        if times[-1] > 1000 * timeout:
            break
    return times


def measure(what: str, pantau: Callable[[], Any], reference: Callable[[], Any] | None, args: argparse.Namespace,
            ) -> Figure:
    """A warm-up run of ``pantau`` under CaptureQueriesContext (queries, bytes), a run under tracemalloc (peak
    Python memory), then timed runs of both; a warm-up over ``--timeout`` is the figure (memory: peak RSS growth).
    Failures are reported in the figure, not raised. ``pantau`` returns a response or None."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figure = Figure(what)

    def run() -> Any:
        cache.clear()
        return pantau()

    gc.collect()
    try:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = run()
        first = 1000 * (time.perf_counter() - started)
        figure.queries = len(ctx.captured_queries)
        figure.slow_sql = sorted(((float(q["time"]), q["sql"]) for q in ctx.captured_queries), reverse=True)[:3]
        del ctx
        if response is not None:
            status = getattr(response, "status_code", 200)
            figure.size = len(response.content) if hasattr(response, "content") else None
            del response
            if status >= 400:
                figure.note = f"HTTP {status}"
                return figure
        if first > 1000 * args.timeout:
            # too slow to repeat, or to trace: the warm-up run is the figure; memory is the growth of the process's
            # peak resident size during it (0 when an earlier figure already peaked higher)
            figure.pantau_ms, figure.runs = first, 1
            figure.peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
            figure.note = f"over {args.timeout:.0f} s: 1 run; memory: peak RSS growth"
        else:
            gc.collect()
            tracemalloc.start()
            run()
            figure.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            times = timed(run, args.repeat, args.timeout)
            figure.pantau_ms, figure.runs = statistics.median(times), len(times)
    except Exception as exc:  # noqa: BLE001 - a failing figure is reported, the run goes on
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        connection.close()
        figure.note = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80] if str(exc) else ''}"
        return figure
    if reference is not None:
        try:
            reference()
            figure.reference_ms = statistics.median(timed(reference, args.repeat, args.timeout))
        except Exception as exc:  # noqa: BLE001
            connection.close()
            figure.note += f" reference failed: {type(exc).__name__}: {exc}"[:120]
    return figure


PROGRESS = "LEAST(100, GREATEST(0, COALESCE((a.{col} - a.baseline) * 100 / NULLIF(a.target - a.baseline, 0), 0)))"
ELAPSED = ("LEAST(100, GREATEST(0, (CURRENT_DATE - a.start_date) * 100.0 "
           "/ GREATEST(1, a.due_date - a.start_date)))")
STATUS_SQL = f"""CASE
  WHEN a.cancelled_on IS NOT NULL THEN 'cancelled'
  WHEN {PROGRESS.format(col='actual_verified')} >= 100 THEN 'verified'
  WHEN {PROGRESS.format(col='actual_reported')} >= 100 THEN 'done'
  WHEN CURRENT_DATE > a.due_date THEN 'overdue'
  WHEN CURRENT_DATE < a.start_date OR (a.actual_reported IS NULL AND {ELAPSED} <= 25) THEN 'not_started'
  WHEN {ELAPSED} - {PROGRESS.format(col='actual_reported')} > 25 THEN 'at_risk'
  ELSE 'on_track' END"""
"""``workplans.progress.derive_status`` in SQL on an action's stored actuals (leaf actions; the server's date)."""


def references(built: Built) -> dict[str, Callable[[], Any]]:
    """The bare SQL references by figure name: the same figures (or rows) each page shows, a page of 100 rows plus
    a count for lists, in one to three statements."""
    plan = built.plan_id
    home = (f"SELECT p.id, p.title, g.name, o.name, count(a.id), avg({PROGRESS.format(col='actual_reported')}),"
            f" avg({PROGRESS.format(col='actual_verified')}), bool_or(a.is_sample) "
            "FROM agreements_agreement p JOIN organizations_unit g ON g.id = p.government_id "
            "JOIN organizations_unit o ON o.id = p.ombudsman_office_id "
            "LEFT JOIN workplans_action a ON a.work_plan_id = p.id AND a.parent_id IS NULL AND a.cancelled_on IS NULL "
            "WHERE p.kind = 'work_plan' GROUP BY p.id, g.name, o.name ORDER BY p.signed_on DESC, p.title")
    pending = ("SELECT r.id, r.report_date, a.code, a.title, u.name, p.title FROM workplans_progressreport r "
               "JOIN workplans_action a ON a.id = r.action_id "
               "JOIN organizations_unit u ON u.id = a.responsible_unit_id "
               "JOIN agreements_agreement p ON p.id = a.work_plan_id WHERE r.status = 'submitted' "
               "ORDER BY r.report_date, r.id LIMIT 200")
    todo = (f"SELECT count(*) FILTER (WHERE s = 'overdue'), count(*) FILTER (WHERE s IN ('on_track', 'at_risk', "
            f"'not_started') AND due_date <= CURRENT_DATE + 30) FROM (SELECT {STATUS_SQL} AS s, a.due_date "
            "FROM workplans_action a) x")
    dashboard = (f"SELECT u.name, {STATUS_SQL} AS s, count(*), sum(a.budget_planned), sum(a.budget_realized), "
                 f"avg({PROGRESS.format(col='actual_reported')}) "
                 "FROM workplans_action a JOIN organizations_unit u ON u.id = a.responsible_unit_id "
                 "WHERE a.work_plan_id = %s GROUP BY ROLLUP (u.name, 2)")
    action_rows = (f"SELECT a.id, a.code, a.title, a.start_date, a.due_date, a.budget_planned, a.actual_reported, "
                   f"a.actual_verified, u.name, {STATUS_SQL} AS status FROM workplans_action a "
                   "JOIN organizations_unit u ON u.id = a.responsible_unit_id ")
    national = ("SELECT left(g.region_id, 2), g.region_id, count(DISTINCT p.id), count(a.id), "
                f"count(a.id) FILTER (WHERE {PROGRESS.format(col='actual_verified')} > 0) "
                "FROM agreements_agreement p JOIN organizations_unit g ON g.id = p.government_id "
                "LEFT JOIN workplans_action a ON a.work_plan_id = p.id WHERE p.kind = 'work_plan' AND p.is_signed "
                "GROUP BY ROLLUP (left(g.region_id, 2), g.region_id)")
    region = (action_rows + "JOIN agreements_agreement p ON p.id = a.work_plan_id "
              "JOIN organizations_unit g ON g.id = p.government_id WHERE g.region_id LIKE %s ORDER BY a.id")
    latest = ("SELECT DISTINCT ON (r.period_id) r.period_id, r.ikm, r.grade FROM surveys_ikmresult r "
              "WHERE r.published_at IS NOT NULL ORDER BY r.period_id, r.computed_at DESC, r.id DESC")
    survey_list = ("SELECT s.id, s.service_name, s.start_date, s.end_date, u.name, l.ikm, l.grade "
                   f"FROM surveys_surveyperiod s JOIN organizations_unit u ON u.id = s.unit_id LEFT JOIN ({latest}) l "
                   "ON l.period_id = s.id ORDER BY s.start_date DESC, s.id")
    rollup = (f"SELECT s.province_code, count(*), avg(l.ikm), min(l.ikm), max(l.ikm) FROM ({latest}) l "
              "JOIN surveys_surveyperiod s ON s.id = l.period_id GROUP BY s.province_code")
    band_sql = ("SELECT c.id, b.id FROM assessments_complianceresult c LEFT JOIN LATERAL ("
                "SELECT b.id FROM assessments_band b WHERE b.edition_id = c.edition_id AND c.score >= b.lower_bound "
                "ORDER BY b.lower_bound DESC LIMIT 1) b ON true")

    def several(*statements: str, params: Any = ()) -> Callable[[], Any]:
        return lambda: [sql_rows(s, params if "%s" in s else ()) for s in statements]

    def ikm_numpy() -> Any:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT period_id, count(*), sum(u1), sum(u2), sum(u3), sum(u4), sum(u5), sum(u6), "
                           "sum(u7), sum(u8), sum(u9) FROM surveys_response GROUP BY period_id")
            rows = np.array(cursor.fetchall(), dtype=np.int64)
        n, grand = rows[:, 1], rows[:, 2:].sum(axis=1)
        return (5000 * grand + 9 * n) // (18 * n)  # IKM x 100, half up, exact (bench_ikm.exact_hundredths)

    return {
        "home": several(home, pending, todo),
        "dashboard": several(dashboard, params=[plan]),
        "action list": several(action_rows + "WHERE a.work_plan_id = %s ORDER BY a.code", params=[plan]),
        "api actions page 1": several(action_rows + "ORDER BY a.work_plan_id, a.code LIMIT 100",
                                      "SELECT count(*) FROM workplans_action"),
        "api actions overdue": several(f"SELECT * FROM ({action_rows}) x WHERE x.status = 'overdue' "
                                       "ORDER BY x.id LIMIT 100",
                                       f"SELECT count(*) FROM workplans_action a WHERE ({STATUS_SQL}) = 'overdue'"),
        "public national": several(national),
        "public province": several(region, params=[built.province + ".%"]),
        "public regency": several(region, params=[built.regency]),
        "survey list": several(survey_list),
        "survey roll-up": several(rollup),
        "recompute ikm": ikm_numpy,
        "reband": several(band_sql),
    }


def figures(built: Built, args: argparse.Namespace) -> list[Figure]:
    """Measure every figure (module docstring)."""
    from django.core.management import call_command
    from django.test import Client

    client = Client()
    client.force_login(built.national_user)
    refs = references(built)
    pages = [
        ("home", "/"),
        ("dashboard", f"/work-plans/{built.plan_id}/"),
        ("action list", f"/work-plans/{built.plan_id}/actions/"),
        ("api actions page 1", "/api/v1/actions/"),
        ("api actions overdue", "/api/v1/actions/?status=overdue"),
        ("public national", "/publik/"),
        ("public province", f"/publik/{built.province}/"),
        ("public regency", f"/publik/{built.regency}/"),
        ("survey list", "/surveys/"),
        ("survey roll-up", "/surveys/rollup/"),
    ]
    commands = [
        ("recompute ikm", ["recompute_ikm", "--user", built.admin.username, "--format", "json"]),
        ("reband", ["reband_results", "--user", built.admin.username, "--format", "json"]),
    ]
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    out = []
    for what, url in pages:
        if wanted and not any(w in what for w in wanted):
            continue
        label = f"{what} {url}"
        print(f"  measuring {label} ...", flush=True)
        out.append(measure(label, lambda url=url: client.get(url), refs[what], args))
    for what, command in commands:
        if wanted and not any(w in what for w in wanted):
            continue
        label = f"{what} (pantau {command[0]})"
        print(f"  measuring {label} ...", flush=True)

        def run(command: list[str] = command) -> None:
            call_command(*command, stdout=io.StringIO())

        out.append(measure(label, run, refs[what], args))
    return out


def print_table(rows: list[Figure]) -> None:
    """The figures table (markdown)."""
    print("| what | Pantau median ms | reference median ms | ratio | queries | bytes | peak MB | runs | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for f in rows:
        ratio = f"{f.pantau_ms / f.reference_ms:.1f}x" if f.pantau_ms and f.reference_ms else "-"
        print(f"| {f.what} | {f'{f.pantau_ms:,.0f}' if f.pantau_ms is not None else '-'} | "
              f"{f'{f.reference_ms:,.1f}' if f.reference_ms is not None else '-'} | {ratio} | "
              f"{f.queries if f.queries is not None else '-'} | {f'{f.size:,}' if f.size is not None else '-'} | "
              f"{f'{f.peak_mb:,.1f}' if f.peak_mb is not None else '-'} | {f.runs} | {f.note} |")


def table_sizes() -> None:
    """Rows and bytes on disk (pg_total_relation_size: table, indexes, TOAST) of the biggest tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid) "
                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 2 DESC LIMIT 14")
        rows = cursor.fetchall()
        print("| table | rows | total (with indexes) | heap |")
        print("|---|---:|---:|---:|")
        for name, total, heap in rows:
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            print(f"| {name} | {cursor.fetchone()[0]:,} | {total / 2**20:,.1f} MiB | {heap / 2**20:,.1f} MiB |")
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"database: {cursor.fetchone()[0] / 2**20:,.0f} MiB")


HOT = {
    "actions of a work plan": "SELECT * FROM workplans_action WHERE work_plan_id = %(plan)s ORDER BY code",
    "actions of a province": "SELECT count(*) FROM workplans_action WHERE province_code = %(province)s",
    "reports awaiting verification": ("SELECT * FROM workplans_progressreport WHERE status = 'submitted' "
                                      "ORDER BY report_date, id LIMIT 200"),
    "reports of a province": ("SELECT count(*) FROM workplans_progressreport r JOIN workplans_action a ON "
                              "a.id = r.action_id WHERE a.province_code = %(province)s"),
    "units of a regency subtree": "SELECT count(*) FROM organizations_unit WHERE path LIKE %(path)s",
    "responses of one period": "SELECT sum(u1), count(*) FROM surveys_response WHERE period_id = %(period)s",
    "responses of a province": ("SELECT period_id, count(*) FROM surveys_response WHERE province_code = %(province)s "
                                "GROUP BY period_id"),
    "IKM results of a unit's periods": ("SELECT * FROM surveys_ikmresult r JOIN surveys_surveyperiod s ON "
                                        "s.id = r.period_id WHERE s.unit_id = %(unit)s ORDER BY r.computed_at DESC"),
    "compliance results of a province": ("SELECT * FROM assessments_complianceresult WHERE province_code = "
                                         "%(province)s AND year = 2024"),
}
"""The hot filters of the national pages (``--explain``)."""


def explain(built: Built, rows: list[Figure]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the hot filters and of the slowest query of each measured figure."""
    from django.db import connection

    from pantau.organizations.models import Unit
    from pantau.surveys.models import SurveyPeriod

    gov = Unit.objects.filter(region_id=built.regency, kind="regional_government").first()
    sample = SurveyPeriod.objects.order_by("pk").values_list("pk", "unit_id")[100:101].get()
    params = {"plan": built.plan_id, "province": built.province, "path": (gov.path if gov else "/") + "%",
              "period": sample[0], "unit": sample[1]}
    quoted = {k: f"'{v}'" if isinstance(v, str) else v for k, v in params.items()}
    statements = [(name, sql % quoted) for name, sql in HOT.items()]
    statements += [(f"slowest query of {f.what} ({f.slow_sql[0][0] * 1000:.0f} ms)", f.slow_sql[0][1])
                   for f in rows if f.slow_sql and f.slow_sql[0][1].lstrip().upper().startswith("SELECT")]
    with connection.cursor() as cursor:
        for name, sql in statements:
            print(f"\n### {name}\n{sql[:600]}{' ...' if len(sql) > 600 else ''}\n")
            try:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(r[0] for r in cursor.fetchall()))
            except Exception as exc:  # noqa: BLE001
                connection.close()
                print(f"(failed: {exc})")


def main() -> None:
    """Build (or reuse) the national database, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 2)[1])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national sizes (default 1)")
    for key, value in NATIONAL.items():
        parser.add_argument(f"--{key}", type=int, default=None, help=f"national: {value:,}")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run before giving up repeats")
    parser.add_argument("--database", default="pantau_national")
    parser.add_argument("--reuse", action="store_true", help="measure the database built by an earlier run")
    parser.add_argument("--only", default="", help="comma-separated words: measure only figures naming one")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) of the hot queries")
    parser.add_argument("--sizes", action="store_true", help="row counts and bytes per table")
    parser.add_argument("--no-measure", action="store_true", help="build only")
    args = parser.parse_args()

    admin_url, url = database_urls(args.database)
    exists = psql(admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'").strip() == "1"
    if not (args.reuse and exists):
        psql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        psql(admin_url, f'CREATE DATABASE "{args.database}"')
    os.environ.update(DJANGO_SETTINGS_MODULE="pantau.settings", DATABASE_URL=url)
    os.environ.setdefault("PANTAU_VAR_DIR", str(ROOT / "var" / "bench"))
    Path(os.environ["PANTAU_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.reuse and exists:
        built = load_built()
        print(f"reusing database {args.database}")
    else:
        size = sizes(args)
        print(f"building {args.database}: " + ", ".join(f"{k} {v:,}" for k, v in size.items()) + f", seed {args.seed}")
        built = build(size, args.seed)
        for step, seconds in built.timings.items():
            print(f"  {step}: {seconds:.1f} s")
        print(f"build (with migrate): {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")
    if args.sizes:
        table_sizes()
    rows: list[Figure] = []
    if not args.no_measure:
        print(f"measuring: median of {args.repeat} runs after a warm-up run, national Ombudsman user, "
              f"largest work plan {built.plan_id} ({built.regency}), province {built.province}", flush=True)
        rows = figures(built, args)
        print()
        print_table(rows)
    if args.explain:
        explain(built, rows)


if __name__ == "__main__":
    main()
