"""Benchmark: import all 91,599 Kemendagri regions, on SQLite and on PostgreSQL, side by side in one run.

Run: ``.venv/bin/python bench/bench_regions.py`` (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth; it creates
and drops the database ``pantau_bench``). Prints, per database, the first (empty database) and the second (idempotent
re-run, all upserts) import time, and the peak memory of the process.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = """
import time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from pantau.regions.actions import import_regions
from django.conf import settings
path = settings.DATA_DIR / "wilayah" / "wilayah.csv"
for label in ("first", "again"):
    t = time.perf_counter(); counts = import_regions(path); dt = time.perf_counter() - t
    print(f"{label}: {sum(counts.values())} regions in {dt:.2f} s")
"""


def run(label: str, env: dict[str, str]) -> None:
    """Run the import in a fresh process with ``env``; prints its timings and peak memory."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CODE], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"[{label}] {out.stdout.strip()} | process {time.perf_counter() - started:.1f} s, peak RSS {peak:.0f} MiB")


def main() -> None:
    """Benchmark SQLite then PostgreSQL."""
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "pantau.settings"}
    tmp = ROOT / "var" / "bench"
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "bench.sqlite3"
    db.unlink(missing_ok=True)
    run("sqlite", {**base, "DATABASE_URL": f"sqlite:///{db}", "PANTAU_VAR_DIR": str(tmp)})
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "pantau_bench"], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "pantau_bench"], check=True)
    try:
        run("postgresql", {**base, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/pantau_bench",
                           "PANTAU_VAR_DIR": str(tmp)})
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "pantau_bench"], check=True)


if __name__ == "__main__":
    main()
