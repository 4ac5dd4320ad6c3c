"""Benchmark: recompute the IKM of every SKM period at national scale, Pantau's path next to a plain numpy aggregate.

Run: ``.venv/bin/python bench/bench_ikm.py`` (options: ``--periods 130000 --responses 3000000 --seed 14 --store``).
It makes a temporary SQLite database (deleted afterwards), migrates it, loads synthetic periods and responses
(scores 1-4 leaning towards a per-period level, fixed seed) and then times, on the same data in one run:

- numpy: ``bincount`` of the nine score columns by period, arrays already in memory (DESIGN.md's reference point);
- Pantau, aggregate: ``services.period_totals_many``, one GROUP BY with nine SUMs over the response table (ORM);
- Pantau, per-period path: ``ikm.compute_from_totals`` (Decimal, exact ratios, grades) and ``ikm.required_sample``
  for every period, what ``services.compute_result`` does for one period;
- Pantau, bulk path: ``ikm.compute_many`` (exact integer arrays, same rounding), checked equal to the per-period
  path for every period;
- with ``--store``: writing 130,000 IkmResult rows with ``bulk_create`` (off by default to stay under 2 minutes).
It checks that numpy and Pantau give identical element totals and IKM (numpy's exact integer rounding) everywhere.

Figures measured here (2 shared cores, SQLite, 130,000 periods, 3,000,000 responses, Python 3.11, numpy 2.4; whole
run 1 min 40 s with --store, about 65 s without):

    load (not part of the comparison): 130,000 periods in 10.5 s, 3,000,000 responses in 35.5 s
    numpy bincount, in memory:                          0.12 s
    Pantau aggregate (GROUP BY via the ORM):            3.21 s
    Pantau compute (ikm.compute_from_totals x 130,000): 10.49 s (81 us a period)
    Pantau total, per-period path:                     13.70 s  (113 x numpy)
    Pantau compute_many (exact integer arrays):         0.34 s
    Pantau total, bulk path (aggregate + bulk):         3.55 s  (29 x numpy; 1.2 x DESIGN.md's numpy 3 s for 26 M)
    agreement: totals identical, IKM identical for 130,000 of 130,000 periods
    store 130,000 IkmResult rows (bulk_create):        36.18 s

Reading: numpy over arrays already in memory is the floor. Pantau's bulk path spends 90 % of its time reading the
response table through one SQL aggregate, which is the honest comparison with DuckDB's 5 s group-by; the per-period
Decimal path (81 us a period) is fine for one unit's page but is the wrong tool for a national recomputation, which
should use ``compute_many``. Storing results is the slowest step and is where PostgreSQL's COPY would help.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ELEMENTS = 9


def numpy_reference(period_idx: np.ndarray, scores: np.ndarray, periods: int) -> tuple[np.ndarray, np.ndarray]:
    """Element totals (periods x 9) and counts per period by ``np.bincount``."""
    n = np.bincount(period_idx, minlength=periods)
    totals = np.stack(
        [np.bincount(period_idx, weights=scores[:, j], minlength=periods) for j in range(ELEMENTS)], axis=1
    ).astype(np.int64)
    return totals, n


def exact_hundredths(grand: np.ndarray, n: np.ndarray) -> np.ndarray:
    """IKM x 100 rounded half-up, exactly, with integers: round(2500 grand / 9n) = (5000 grand + 9n) // 18n."""
    return (5000 * grand + 9 * n) // (18 * n)


def main() -> None:
    """Generate, load, time both paths, compare, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--periods", type=int, default=130_000)
    parser.add_argument("--responses", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--store", action="store_true", help="also time storing the results (bulk_create)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="pantau-bench-ikm-")
    db = Path(tmp.name) / "bench.sqlite3"
    os.environ.update(DJANGO_SETTINGS_MODULE="pantau.settings", DATABASE_URL=f"sqlite:///{db}",
                      PANTAU_VAR_DIR=tmp.name)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from pantau.organizations.models import Unit, UnitKind
    from pantau.surveys import actions as services
    from pantau.surveys import ikm
    from pantau.surveys.models import IkmResult, SurveyPeriod

    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(args.seed)
    # Each period gets a satisfaction level; answers lean towards it (so grades spread over A-D).
    level = rng.uniform(1.6, 3.9, args.periods)
    period_idx = np.sort(rng.integers(0, args.periods, args.responses))
    # make sure every period has at least one response
    period_idx[: args.periods] = np.arange(args.periods)
    period_idx.sort()
    noise = rng.normal(0.0, 0.7, (args.responses, ELEMENTS))
    scores = np.clip(np.rint(level[period_idx][:, None] + noise), 1, 4).astype(np.int8)

    started = time.perf_counter()
    unit = Unit.objects.create(name="Bench unit", kind=UnitKind.AGENCY)
    population = rng.integers(50, 20_000, args.periods)
    today = timezone.localdate()
    with transaction.atomic():
        SurveyPeriod.objects.bulk_create(
            [SurveyPeriod(unit=unit, start_date=today, end_date=today, population=int(population[i]),
                          province_code="15", service_name=f"bench {i}") for i in range(args.periods)],
            batch_size=5000,
        )
    ids = np.array(SurveyPeriod.objects.order_by("id").values_list("id", flat=True), dtype=np.int64)
    load_periods = time.perf_counter() - started

    started = time.perf_counter()
    now = timezone.now().isoformat()
    sql = (
        "INSERT INTO surveys_response (period_id, u1, u2, u3, u4, u5, u6, u7, u8, u9, respondent_ref, sex, "
        "education, occupation, service_received, comment, submitted_at, source, province_code) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        step = 250_000
        for begin in range(0, args.responses, step):
            chunk_ids = ids[period_idx[begin:begin + step]].tolist()
            chunk = scores[begin:begin + step].tolist()
            cursor.executemany(sql, [
                (pid, *row, "", "", "", "", "", "", now, "paper_import", "15")
                for pid, row in zip(chunk_ids, chunk, strict=True)
            ])
    load_responses = time.perf_counter() - started
    print(f"load (not part of the comparison): {args.periods:,} periods in {load_periods:.1f} s, "
          f"{args.responses:,} responses in {load_responses:.1f} s")

    started = time.perf_counter()
    np_totals, np_n = numpy_reference(period_idx, scores, args.periods)
    np_ikm = 25 * np_totals.sum(axis=1) / (ELEMENTS * np_n)
    np_hundredths = exact_hundredths(np_totals.sum(axis=1), np_n)
    t_numpy = time.perf_counter() - started
    print(f"numpy bincount, in memory:                       {t_numpy:6.2f} s")

    position = {int(pid): i for i, pid in enumerate(ids)}
    started = time.perf_counter()
    grouped = services.period_totals_many(SurveyPeriod.objects.all())
    t_aggregate = time.perf_counter() - started
    started = time.perf_counter()
    computed = {}
    for period_id, (totals, n) in grouped.items():
        required = ikm.required_sample(int(population[position[period_id]]))
        computed[period_id] = (ikm.compute_from_totals(totals, n), required)
    t_compute = time.perf_counter() - started
    total = t_aggregate + t_compute
    print(f"Pantau aggregate (GROUP BY via the ORM):         {t_aggregate:6.2f} s")
    print(f"Pantau compute (ikm.compute_from_totals x {len(computed):,}): {t_compute:6.2f} s "
          f"({1e6 * t_compute / max(1, len(computed)):.0f} us a period)")
    print(f"Pantau total, per-period path:                   {total:6.2f} s  ({total / t_numpy:.0f} x numpy)")

    started = time.perf_counter()
    order = sorted(grouped)
    bulk = ikm.compute_many([[grouped[p][0][c] for c in ikm.ELEMENT_CODES] for p in order],
                            [grouped[p][1] for p in order])
    t_bulk = time.perf_counter() - started
    print(f"Pantau compute_many (exact integer arrays):      {t_bulk:6.2f} s")
    print(f"Pantau total, bulk path (aggregate + bulk):      {t_aggregate + t_bulk:6.2f} s  "
          f"({(t_aggregate + t_bulk) / t_numpy:.0f} x numpy)")
    bulk_equal = all(
        int(bulk.ikm[i]) == int(computed[p][0].ikm * 100) and bulk.grade[i] == computed[p][0].grade.letter
        for i, p in enumerate(order)
    )
    print(f"bulk path equals the per-period path for every period: {bulk_equal}")

    totals_equal = all(
        grouped[pid][1] == np_n[position[pid]]
        and [grouped[pid][0][c] for c in ikm.ELEMENT_CODES] == np_totals[position[pid]].tolist()
        for pid in grouped
    )
    ikm_equal = sum(int(computed[pid][0].ikm * 100) == np_hundredths[position[pid]] for pid in computed)
    max_float_gap = max(abs(float(computed[pid][0].ikm) - np_ikm[position[pid]]) for pid in computed)
    print(f"agreement: totals {'identical' if totals_equal else 'DIFFERENT'}, IKM identical for {ikm_equal:,} of "
          f"{len(computed):,} periods (largest gap to numpy's unrounded float: {max_float_gap:.4f})")

    if not args.store:
        connection.close()
        tmp.cleanup()
        return
    started = time.perf_counter()
    results = []
    for period_id, (result, required) in computed.items():
        values = {}
        for element in result.elements:
            values[f"nrr_{element.code.lower()}"] = element.nrr
            values[f"converted_{element.code.lower()}"] = element.converted
        results.append(IkmResult(period_id=period_id, ikm=result.ikm, grade=result.grade.letter,
                                 weight_variant=result.weight.value, rounding_rule=result.rounding_rule,
                                 n_responses=result.n, required_sample=required, **values))
    with transaction.atomic():
        IkmResult.objects.bulk_create(results, batch_size=2000)
    print(f"store {len(results):,} IkmResult rows (bulk_create):  {time.perf_counter() - started:6.2f} s")
    grades = np.unique([r.grade for r in results], return_counts=True)
    print("grades:", ", ".join(f"{g} {c:,}" for g, c in zip(*grades, strict=True)))
    connection.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
