"""Demo satisfaction surveys (SKM) for Batanghari units: ILLUSTRATIVE responses, marked as sample data.

No Batanghari per-respondent SKM data is public (data/skm/README.md), so the demo invents answers and says so: every
period is ``is_sample`` and its note says "illustrative". The answers are fixed counts per element and score
(``DEMO_PERIODS``), spread over the respondents by a fixed-seed shuffle, so every load produces the same rows and the
same results, and each element's converted score can be checked by hand (25 x total / n):

- Dinas Kependudukan dan Pencatatan Sipil, 2025 semester II (N = 2000 -> required 322; 330 responses): IKM 80.89 B,
  U3 68.18 C and U9 69.32 C become findings and proposed actions.
- the same unit, 2026 semester I (N = 2200 -> 327; 340 responses): IKM 82.56 B; U3 77.21 and U9 77.21 reach B and
  close the earlier findings; U8 69.85 C is a new finding (the trend chart shows two points).
- Dinas Penanaman Modal dan PTSP, 2026 semester I (N = 400 -> 196; 200 responses): IKM 80.49 B; U2 67.50 C and U3
  76.25 C (just under 76.61) become findings.
- Kecamatan Mersam, 2026 semester I (N = 300 -> 169; only 120 responses): IKM 73.84 C with U3 61.46 D, U5 76.04 C,
  U8 67.71 C, U9 54.17 D; the sample is deliberately too small, so the adequacy flag shows and the roll-up leaves
  the period out of its ranking.

Everything is written through ``pantau.surveys.actions`` (create_period, import_responses of a generated CSV,
compute_result) and ``findings.actions.propose_actions``, so the audit trail holds it. Idempotent: a period that
exists is not created again, responses are imported only into an empty period, a period with a result is not
recomputed, and propose_actions skips findings that already have an action in the plan.
"""

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pantau.agreements.models import Agreement
from pantau.findings.actions import propose_actions
from pantau.findings.models import Finding
from pantau.organizations.models import Unit
from pantau.surveys import actions as services
from pantau.surveys import ikm
from pantau.surveys.choices import Education, Occupation, Sex
from pantau.surveys.models import SurveyPeriod

DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
MERSAM = "Kecamatan Mersam"
SEED = 20170414
"""Fixed seed of the shuffle (the regulation's date, 14 April 2017); changing it changes rows, never totals."""

NOTE = "Data ilustratif (contoh), bukan hasil survei sebenarnya."

Counts = tuple[int, int, int, int]


@dataclass(frozen=True)
class DemoPeriod:
    """An illustrative SKM period: unit, service, dates, population N, the persona who runs it, and per element the
    number of answers scoring 1, 2, 3 and 4 (each element's counts add up to the number of responses)."""

    key: str
    unit: str
    service: str
    start: dt.date
    end: dt.date
    population: int
    operator: str
    counts: dict[str, Counts]

    @property
    def n(self) -> int:
        """Number of responses."""
        return sum(self.counts["U1"])

    @property
    def computed_on(self) -> dt.date:
        """The day the unit computes its IKM: two weeks after the period closes."""
        return self.end + dt.timedelta(days=14)


D = dt.date
DEMO_PERIODS: tuple[DemoPeriod, ...] = (
    DemoPeriod(
        "dukcapil-2025-2", DUKCAPIL, "KTP-el dan Kartu Keluarga", D(2025, 7, 1), D(2025, 12, 31), 2000,
        "petugas.dukcapil",
        {"U1": (0, 20, 180, 130), "U2": (0, 30, 200, 100), "U3": (10, 110, 170, 40), "U4": (0, 0, 60, 270),
         "U5": (0, 20, 190, 120), "U6": (0, 15, 185, 130), "U7": (0, 10, 160, 160), "U8": (0, 40, 200, 90),
         "U9": (15, 80, 200, 35)},
    ),
    DemoPeriod(
        "dukcapil-2026-1", DUKCAPIL, "KTP-el dan Kartu Keluarga", D(2026, 1, 1), D(2026, 6, 30), 2200,
        "petugas.dukcapil",
        {"U1": (0, 15, 180, 145), "U2": (0, 25, 195, 120), "U3": (0, 55, 200, 85), "U4": (0, 0, 50, 290),
         "U5": (0, 15, 195, 130), "U6": (0, 10, 185, 145), "U7": (0, 10, 150, 180), "U8": (10, 100, 180, 50),
         "U9": (0, 50, 210, 80)},
    ),
    DemoPeriod(
        "dpmptsp-2026-1", DPMPTSP, "Perizinan berusaha", D(2026, 1, 1), D(2026, 6, 30), 400, "koordinator",
        {"U1": (0, 15, 120, 65), "U2": (5, 70, 105, 20), "U3": (0, 30, 130, 40), "U4": (0, 0, 40, 160),
         "U5": (0, 10, 130, 60), "U6": (0, 10, 120, 70), "U7": (0, 5, 110, 85), "U8": (0, 20, 130, 50),
         "U9": (0, 25, 135, 40)},
    ),
    DemoPeriod(
        "mersam-2026-1", MERSAM, "Pelayanan administrasi kecamatan", D(2026, 1, 1), D(2026, 6, 30), 300,
        "koordinator",
        {"U1": (0, 15, 80, 25), "U2": (0, 10, 90, 20), "U3": (10, 50, 55, 5), "U4": (0, 5, 35, 80),
         "U5": (0, 15, 85, 20), "U6": (0, 10, 85, 25), "U7": (0, 5, 75, 40), "U8": (5, 35, 70, 10),
         "U9": (25, 55, 35, 5)},
    ),
)


def sample_rows(spec: DemoPeriod) -> list[dict[str, Any]]:
    """The period's respondents as rows (respondent, U1..U9, profile), identical on every call."""
    rng = random.Random(f"{SEED}:{spec.key}")  # noqa: S311 - reproducible sample data, not security
    columns: dict[str, list[int]] = {}
    for code in ikm.ELEMENT_CODES:
        scores = [score for score, count in enumerate(spec.counts[code], start=1) for _ in range(count)]
        if len(scores) != spec.n:
            raise ValueError(f"{spec.key} {code}: {len(scores)} answers, expected {spec.n}")
        rng.shuffle(scores)
        columns[code] = scores
    sexes, educations, occupations = list(Sex.values), list(Education.values), list(Occupation.values)
    rows = []
    for i in range(spec.n):
        rows.append({
            "respondent": f"CONTOH-{i + 1:04d}",
            **{code: columns[code][i] for code in ikm.ELEMENT_CODES},
            "age": rng.randint(18, 70), "sex": rng.choice(sexes), "education": rng.choice(educations),
            "occupation": rng.choice(occupations), "service_received": spec.service,
        })
    return rows


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _period(spec: DemoPeriod, unit: Unit, actor: Any) -> SurveyPeriod:
    period = SurveyPeriod.objects.filter(
        unit=unit, service_name=spec.service, start_date=spec.start, is_sample=True
    ).first()
    if period is None:
        period = services.create_period(
            actor=actor, unit=unit, start_date=spec.start, end_date=spec.end, service_name=spec.service,
            population=spec.population, is_sample=True, note=NOTE,
        )
    return period


def load_demo(*, work_plan: Agreement, units: dict[str, Unit], users: dict[str, Any]) -> dict[str, int]:
    """Create the illustrative periods, responses, results, findings and proposed actions (see the module docstring).

    ``units`` maps unit names to units (core.demo.build_units), ``users`` usernames to users (it needs
    "koordinator", "petugas.dukcapil" and "asisten", who publishes the results). Returns {"periods", "responses",
    "results", "actions"} created by this call (all 0 on a second call).
    """
    created = {"periods": 0, "responses": 0, "results": 0, "actions": 0}
    coordinator = users["koordinator"]
    for spec in DEMO_PERIODS:
        actor = users[spec.operator]
        before = SurveyPeriod.objects.count()
        period = _period(spec, units[spec.unit], actor)
        created["periods"] += SurveyPeriod.objects.count() - before
        if not period.responses.exists():
            imported = services.import_responses(
                actor=actor, period=period, data=_csv(sample_rows(spec)), file_name=f"contoh-{spec.key}.csv",
            )
            if not imported.ok:  # pragma: no cover - the generated file is valid by construction
                raise ValueError("; ".join(str(e) for e in imported.errors))
            created["responses"] += imported.created
        if not period.results.exists():
            services.compute_result(actor=actor, period=period, today=spec.computed_on)
            created["results"] += 1
        for result in period.results.filter(published_at__isnull=True):  # the Ombudsman publishes what the demo shows
            services.publish_result(actor=users["asisten"], result=result)
        findings = Finding.objects.filter(
            source=services.FINDING_SOURCE, source_key__startswith=f"skm:{period.pk}:", closed_on__isnull=True,
        ).order_by("source_key")
        actions = propose_actions(
            actor=coordinator, work_plan=work_plan, findings=list(findings), today=spec.computed_on,
            weight=Decimal(1),  # the plan's top-level actions are weighted: all or none (docs/status.md)
        )
        created["actions"] += len(actions)
    created["periods"] += _open_public_period(units, users)
    return created


def _open_public_period(units: dict[str, Unit], users: dict[str, Any]) -> int:
    """An open period for the current half-year of Dukcapil's KTP-el service with its public questionnaire on, so
    that a newcomer can answer the survey at /skm/<id>/ on the day the demo is loaded (illustrative, no answers
    yet). Returns 1 when created, 0 when it already exists."""
    today = units["Dinas Kependudukan dan Pencatatan Sipil"].local_today()
    start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    end = dt.date(today.year, 6, 30) if today.month <= 6 else dt.date(today.year, 12, 31)
    unit = units["Dinas Kependudukan dan Pencatatan Sipil"]
    if SurveyPeriod.objects.filter(unit=unit, start_date=start, end_date=end, public_form=True).exists():
        return 0
    services.create_period(
        actor=users["petugas.dukcapil"], unit=unit, start_date=start, end_date=end,
        service_name="KTP-el dan Kartu Keluarga (kuesioner daring)", population=2200, is_sample=True,
        public_form=True, note=NOTE,
    )
    return 1
