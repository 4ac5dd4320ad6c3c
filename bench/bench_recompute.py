# ruff: noqa: S608  (the SQL here is built from constant text only, never from input)
"""Benchmark: national IKM recomputation (``pantau recompute_ikm``) next to the bare SQL aggregate, on PostgreSQL.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/pantau_bench .venv/bin/python bench/bench_recompute.py``
(options: ``--periods 126000 --responses 2900000 --seed 11 --repeat 3``). The database named in DATABASE_URL is
dropped and re-created (``--keep`` keeps an already loaded one). Synthetic data (fixed seed): periods spread over 514
units in 34 provinces, responses loaded with COPY, scores 1-4 leaning towards a per-period level.

Side by side in one run, each in a fresh child process (so its peak resident memory is its own):

- reference: the hand-written aggregate ``SELECT period_id, count(*), sum(u1) .. sum(u9) FROM surveys_response
  GROUP BY period_id`` fetched by the client (what the recomputation must read at least);
- Pantau, first run: ``recompute_results`` over every period, all results new (aggregate + IKM + bulk_create);
- Pantau, nothing changed: the same run again (aggregate + comparison with the stored results, nothing written);
- reference write: ``INSERT INTO surveys_ikmresult ... SELECT`` the same aggregate with the IKM done in SQL
  (exact 1/9 weight, half-up) - the hand-written floor of the first run.

Each line gives the median of ``--repeat`` runs (the first run once: it writes), the ratio to its reference, and
the child's peak RSS in MB (Python + Django baseline included). It also checks that the stored IKM equals the SQL
IKM for every period.

Figures measured here (2 shared cores, busy with other test runs, PostgreSQL 15, 126,000 periods, 2,900,000
responses; load 46 s), 4 December 2026:

    reference SQL aggregate (GROUP BY, fetched):           2.73 s    133 MB
    reference SQL INSERT ... SELECT (IKM in SQL):           8.41 s     86 MB
    Pantau recompute, first run (every result new):       31.71 s    118 MB  11.6 x aggregate,  3.8 x INSERT ... SELECT
    Pantau recompute, nothing changed:                     9.54 s    101 MB   3.5 x aggregate
    stored IKM different from SQL's half-up IKM: 0 periods

On a quieter moment of the same machine: aggregate 1.0-1.2 s, nothing changed 4.3-4.6 s (3.7x), first run 9.3 s (2.1x
INSERT ... SELECT). Before this work (issue 11): 24x the aggregate, 6x when nothing changed, 820 MB growing with the
history. Memory no longer depends on the country or the history: 10,000 periods a chunk, about 100 MB of which
~85 MB is Python, Django and numpy.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGGREGATE = ("SELECT period_id, count(*), " + ", ".join(f"sum(u{j})" for j in range(1, 10))
             + " FROM surveys_response GROUP BY period_id")  # noqa: S608 (constant text)


def child(phase: str) -> None:
    """Run one measured phase in this (child) process and print 'seconds peak_mb'."""
    import resource

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from pantau.surveys.actions import recompute_results

    started = time.perf_counter()
    if phase == "sql":
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE)
            rows = cursor.fetchall()
        assert rows
    elif phase == "sql_write":
        sums = " + ".join(f"sum(u{j})" for j in range(1, 10))
        conv = ", ".join(f"round(25.0 * sum(u{j}) / count(*), 2)" for j in range(1, 10))
        nrr = ", ".join(f"round(1.0 * sum(u{j}) / count(*), 4)" for j in range(1, 10))
        cols = ", ".join(f"nrr_u{j}" for j in range(1, 10)) + ", " + ", ".join(f"converted_u{j}" for j in range(1, 10))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO surveys_ikmresult (period_id, ikm, grade, weight_variant, rounding_rule, n_responses, "
                f"{cols}, computed_at) SELECT period_id, round(25.0 * ({sums}) / (9 * count(*)), 2), "
                f"CASE WHEN round(25.0 * ({sums}) / (9 * count(*)), 2) >= 88.31 THEN 'A' "
                f"WHEN round(25.0 * ({sums}) / (9 * count(*)), 2) >= 76.61 THEN 'B' "
                f"WHEN round(25.0 * ({sums}) / (9 * count(*)), 2) >= 65 THEN 'C' ELSE 'D' END, 'exact', 'sql', "
                f"count(*), {nrr}, {conv}, now() FROM surveys_response GROUP BY period_id")  # noqa: S608
            transaction.set_rollback(True)
    else:
        actor = get_user_model().objects.get(username="bench")
        report = recompute_results(actor=actor, keep_changes=0)
        assert report.periods
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak:.0f}")


def measure(phase: str) -> tuple[float, float]:
    """Run ``phase`` in a child process: (seconds, peak MB)."""
    out = subprocess.run([sys.executable, __file__, "--child", phase], check=True, capture_output=True, text=True,
                         env=os.environ).stdout.split()
    return float(out[0]), float(out[1])


def load(periods: int, responses: int, seed: int) -> None:
    """Drop, migrate and fill the bench database."""
    import django
    import numpy as np
    from django.core.management import call_command
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from pantau.organizations.models import Unit, UnitKind

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    units = Unit.objects.bulk_create([
        Unit(name=f"Unit {i}", kind=UnitKind.AGENCY, province_code=f"{11 + i % 34:02d}", path="/")
        for i in range(514)
    ])
    rng = np.random.default_rng(seed)
    level = rng.uniform(1.6, 3.9, periods)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy("COPY surveys_surveyperiod (unit_id, service_name, start_date, end_date, population, "
                      "public_form, is_sample, province_code, note, version, created_at) FROM STDIN") as copy:
            for i in range(periods):
                unit = units[i % len(units)]
                copy.write_row((unit.pk, f"layanan {i}", "2026-01-01", "2026-06-30", int(50 + i % 5000), False,
                                False, unit.province_code, "", 1, "2026-07-01T00:00:00Z"))
        cursor.execute("SELECT id, province_code FROM surveys_surveyperiod ORDER BY id")
        ids = cursor.fetchall()
        period_idx = np.sort(rng.integers(0, periods, responses))
        period_idx[:periods] = np.arange(periods)
        period_idx.sort()
        step = 200_000
        with raw.copy("COPY surveys_response (period_id, u1, u2, u3, u4, u5, u6, u7, u8, u9, respondent_ref, sex, "
                      "education, occupation, service_received, comment, submitted_at, source, province_code) "
                      "FROM STDIN") as copy:
            for begin in range(0, responses, step):
                idx = period_idx[begin:begin + step]
                noise = rng.normal(0.0, 0.7, (len(idx), 9))
                scores = np.clip(np.rint(level[idx][:, None] + noise), 1, 4).astype(np.int64).tolist()
                for k, row in zip(idx.tolist(), scores, strict=True):
                    pid, province = ids[k]
                    copy.write_row((pid, *row, "", "", "", "", "", "", "2026-03-01T00:00:00Z", "paper_import",
                                    province))
        cursor.execute("ANALYZE")
    print(f"load: {periods:,} periods and {responses:,} responses in {time.perf_counter() - started:.1f} s")


def main() -> None:
    """Load, measure each phase in a child process, print side by side."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--periods", type=int, default=126_000)
    parser.add_argument("--responses", type=int, default=2_900_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database, results deleted")
    parser.add_argument("--child")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and re-created)")
    if args.child:
        child(args.child)
        return
    name = url.rsplit("/", 1)[1]
    if not args.keep:
        base = url.rsplit("/", 1)[0]
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        load(args.periods, args.responses, args.seed)
        # measure from a fresh process: Linux keeps ru_maxrss across exec, so children of this (now large) process
        # would report its peak instead of their own
        os.execv(sys.executable, [sys.executable, __file__, "--keep", "--repeat", str(args.repeat)])  # noqa: S606
    else:
        subprocess.run(["psql", url, "-qc", "DELETE FROM surveys_ikmresult"], check=True)

    def median(phase: str, repeat: int) -> tuple[float, float]:
        runs = [measure(phase) for _ in range(repeat)]
        return statistics.median(r[0] for r in runs), max(r[1] for r in runs)

    sql, sql_mb = median("sql", args.repeat)
    sql_write, write_mb = median("sql_write", args.repeat)
    first, first_mb = measure("recompute")
    again, again_mb = median("recompute", args.repeat)
    print(f"reference SQL aggregate (GROUP BY, fetched):         {sql:6.2f} s  {sql_mb:5.0f} MB")
    print(f"reference SQL INSERT ... SELECT (IKM in SQL):         {sql_write:6.2f} s  {write_mb:5.0f} MB")
    print(f"Pantau recompute, first run (every result new):      {first:6.2f} s  {first_mb:5.0f} MB  "
          f"{first / sql:4.1f} x aggregate, {first / sql_write:4.1f} x INSERT ... SELECT")
    print(f"Pantau recompute, nothing changed:                   {again:6.2f} s  {again_mb:5.0f} MB  "
          f"{again / sql:4.1f} x aggregate")
    check = subprocess.run(["psql", url, "-tAc",
                            "SELECT count(*) FROM surveys_ikmresult r JOIN (SELECT period_id, round(25.0 * ("
                            + " + ".join(f"sum(u{j})" for j in range(1, 10))
                            + ") / (9 * count(*)), 2) AS ikm FROM surveys_response GROUP BY period_id) s "
                            "USING (period_id) WHERE r.ikm <> s.ikm"], check=True, capture_output=True, text=True)
    print(f"stored IKM different from SQL's half-up IKM: {check.stdout.strip()} periods")


if __name__ == "__main__":
    main()
