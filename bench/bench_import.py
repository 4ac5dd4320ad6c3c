"""Benchmark: import 20,000 actions from one Excel file through the bulk path, on SQLite and on PostgreSQL.

Run: ``.venv/bin/python bench/bench_import.py [--rows 20000] [--sample 1000]`` (PostgreSQL at 127.0.0.1:5432, user
postgres, trust auth; it creates and drops the database ``pantau_bench_import``). Each backend runs in a fresh
process on an empty, migrated database holding a Batanghari-like government (the regency, its agencies, district
offices and villages, named as in the demo) and a work plan. The file (openpyxl, written once): 2,000 main actions,
each with 9 sub-actions, every third with two supporting units. Prints per backend: the time to import the file
(``xlsx.import_actions`` as ``pantau import_actions`` calls it: streamed read, every row checked, batched writes),
the queries it took, the rows and audit entries written, the same for ``--sample`` rows row by row (the path
before issue 11) for comparison, and the peak memory of the process.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = [
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Dinas Kesehatan", "Dinkes"), ("Dinas Pendidikan dan Kebudayaan", "Disdikbud"),
    ("Dinas Sosial", "Dinsos"), ("Dinas Perhubungan", "Dishub"), ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
    ("Dinas Lingkungan Hidup", "DLH"), ("Badan Pendapatan Daerah", "Bapenda"),
    ("Rumah Sakit Umum Daerah Hamba", "RSUD Hamba"),
]
DISTRICTS = ["Mersam", "Muara Tembesi", "Muara Bulian", "Bathin XXIV", "Pemayung", "Maro Sebo Ulu",
             "Bajubang", "Maro Sebo Ilir"]

CODE = r"""
import io, resource, sys, time, datetime as dt
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from pantau.accounts.models import User
from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.models import AuditEntry
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region
from pantau.regions import codes
from pantau.workplans import xlsx
from pantau.workplans.models import Action

agencies, districts, path, sample_path = eval(sys.argv[1]), eval(sys.argv[2]), sys.argv[3], sys.argv[4]
for code, name in [("15", "Jambi"), ("15.04", "Kabupaten Batanghari")]:
    Region.objects.create(code=code, name=name, level=codes.level_of(code), kind=codes.kind_of(code),
                          parent_id=codes.parent_of(code), province_code="15")
office = Unit.objects.create(name="Ombudsman RI Perwakilan Jambi", kind=UnitKind.OMBUDSMAN_OFFICE, region_id="15")
regency = Unit.objects.create(name="Pemerintah Kabupaten Batanghari", kind=UnitKind.REGIONAL_GOVERNMENT,
                              region_id="15.04")
for name, short in agencies:
    Unit.objects.create(name=name, short_name=short, kind=UnitKind.AGENCY, parent=regency)
for name in districts:
    Unit.objects.create(name=f"Kecamatan {name}", kind=UnitKind.DISTRICT_OFFICE, parent=regency)
plan = Agreement.objects.create(kind=AgreementKind.WORK_PLAN, title="Rencana Kerja Batanghari", ombudsman_office=office,
                                government=regency, is_signed=True, signed_on=dt.date(2020, 11, 18))
sample_plan = Agreement.objects.create(kind=AgreementKind.WORK_PLAN, title="Rencana Kerja (contoh)",
                                       ombudsman_office=office, government=regency, is_signed=True)
user = User.objects.create_superuser("bench", password="x")

def run(target, file_path, bulk):
    data = open(file_path, "rb").read()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = xlsx.import_actions(actor=user, work_plan=target, file=data, file_name=file_path,
                                     max_rows=xlsx.MAX_BULK_ROWS, bulk=bulk)
        took = time.perf_counter() - started
    assert result.ok, [str(e) for e in result.errors[:5]]
    return took, len(queries), result.created

took, queries, created = run(plan, path, True)
print(f"bulk: {created} actions in {took:.1f} s ({created / took:,.0f} rows/s), {queries} queries, "
      f"{Action.objects.filter(work_plan=plan).count()} rows, {AuditEntry.objects.count()} audit entries")
took, queries, created = run(sample_plan, sample_path, False)
print(f"row by row: {created} actions in {took:.1f} s ({created / took:,.0f} rows/s), {queries} queries "
      f"({queries / created:.1f} per action)")
print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
"""


def write_file(path: Path, rows: int) -> None:
    """The workbook: ``rows`` actions, main actions with 9 sub-actions each, Batanghari units by name."""
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    import django

    django.setup()
    from pantau.workplans.xlsx import COLUMNS

    units = [name for name, _short in AGENCIES] + [f"Kecamatan {d}" for d in DISTRICTS]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rencana Aksi")
    ws.append([column.label for column in COLUMNS])
    for index in range(rows):
        main, sub = divmod(index, 10)
        code = f"{main + 1}" if sub == 0 else f"{main + 1}.{sub}"
        unit = units[main % len(units)]
        supporting = "; ".join(units[(main + k) % len(units)] for k in (1, 2)) if index % 3 == 0 else None
        ws.append([
            code, None if sub == 0 else f"{main + 1}", f"Perbaikan layanan {code}", "Uraian aksi",
            "Standar pelayanan belum dipublikasikan", "01/01/2024", "31/12/2024", unit, "Kepala Dinas", supporting,
            1_500_000 * (sub + 1), "APBD", 2024, "Layanan dengan standar terpublikasi", "layanan", 0, 10 + sub, None,
        ])
    wb.save(path)


def run(label: str, env: dict[str, str], path: Path, sample: Path) -> None:
    """One backend in a fresh process; prints its figures."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CODE, repr(AGENCIES), repr(DISTRICTS), str(path), str(sample)],
                         env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        print(out.stdout, out.stderr[-3000:])
        raise SystemExit(out.returncode)
    for line in out.stdout.strip().splitlines():
        print(f"[{label}] {line}")
    print(f"[{label}] process {time.perf_counter() - started:.1f} s (migrations included)")


def main() -> None:
    """Write the files, then benchmark SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1_000, help="rows imported row by row for comparison")
    args = parser.parse_args()
    tmp = ROOT / "var" / "bench"
    tmp.mkdir(parents=True, exist_ok=True)
    path, sample = tmp / "actions_20000.xlsx", tmp / "actions_sample.xlsx"
    started = time.perf_counter()
    write_file(path, args.rows)
    write_file(sample, args.sample)
    took = time.perf_counter() - started
    print(f"file: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, written in {took:.1f} s")
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "pantau.settings", "PANTAU_VAR_DIR": str(tmp),
            "PANTAU_MAX_UPLOAD_BYTES": str(50 * 1024 * 1024), "DEBUG": "0"}
    db = tmp / "bench_import.sqlite3"
    db.unlink(missing_ok=True)
    run("sqlite", {**base, "DATABASE_URL": f"sqlite:///{db}"}, path, sample)
    name = "pantau_bench_import"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        run("postgresql", {**base, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}, path, sample)
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)


if __name__ == "__main__":
    main()
