"""Benchmark: render a work-plan table of 400 actions (about ten A4 pages) to PDF with pantau.core.pdf.

Run: ``.venv/bin/python bench/bench_pdf.py`` (after ``make install-test``: pypdf counts the pages). Prints the page
count, the first rendering in a fresh process (WeasyPrint import, Pango and fontconfig start-up included) and the
median of five more renderings.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
from pypdf import PdfReader

ROWS = 400
TEMPLATE = """{% extends "core/pdf_base.html" %}{% block content %}<h1>{{ title }}</h1>
<table><thead><tr><th>No.</th><th>Aksi</th><th>Unit penanggung jawab</th><th class="num">Anggaran (Rp)</th></tr></thead>
<tbody>{% for n, action, unit, budget in rows %}<tr><td>{{ n }}</td><td>{{ action }}</td><td>{{ unit }}</td>
<td class="num">{{ budget }}</td></tr>{% endfor %}</tbody></table>{% endblock %}"""


def main() -> None:
    """Render once cold, then five times warm; print the figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    django.setup()
    from django.conf import settings

    folder = Path(tempfile.mkdtemp())
    (folder / "bench_pdf.html").write_text(TEMPLATE)
    settings.TEMPLATES[0]["DIRS"].append(folder)

    started = time.perf_counter()
    from pantau.core.pdf import render_pdf

    rows = [(n, f"Aksi perbaikan layanan nomor {n}", "Dinas Kependudukan dan Pencatatan Sipil",
             f"{n * 12_500:,}".replace(",", ".")) for n in range(1, ROWS + 1)]
    context = {"title": "Rencana Kerja Pelayanan Publik 2020", "rows": rows}
    pdf = render_pdf("bench_pdf.html", context, language="id")
    first = time.perf_counter() - started
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        render_pdf("bench_pdf.html", context, language="id")
        warm.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{ROWS} rows, {pages} pages, {len(pdf) / 1024:.0f} KiB: first {first:.2f} s (import included), "
          f"then median {statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f})")


if __name__ == "__main__":
    main()
