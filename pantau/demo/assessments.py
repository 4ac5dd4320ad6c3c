"""Demo data for issue 4: Batanghari's real compliance history, an illustrative self-assessment whose findings become
actions and a later self-assessment that closes some of them, and illustrative service standards of agencies,
districts and villages with gaps (called from ``pantau.demo.loader.load_demo`` once the work plan exists).

Real: every published result of data/ombudsman/kepatuhan_jambi.csv (imported through ``actions.import_results``), the
Batanghari rows (entity code 15.04) linked to "Pemerintah Kabupaten Batanghari". Illustrative and marked
``is_sample``: the 2023 and 2024 self-assessments (the Ombudsman's per-unit scores are not public; a
self-assessment's findings are closed only by a later self-assessment, ``rounds.KIND_GROUP``), the findings and
proposed actions they produce, and the service standards (no Batanghari standar pelayanan was found, data/README "Not
found"). Everything goes through the write functions, so it is audited; a second load changes nothing."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from pantau.agreements.models import Agreement
from pantau.assessments.actions import import_results, link_results, publish_round, record_round
from pantau.assessments.models import AssessmentRound, MethodEdition, RoundKind
from pantau.findings.actions import propose_actions
from pantau.findings.models import Finding, FindingSource
from pantau.organizations.models import Unit, UnitKind
from pantau.standards.actions import import_standard, record_standard_findings
from pantau.standards.components import ALL_COMPONENTS
from pantau.standards.models import Service
from pantau.workplans import actions as wp

GOVERNMENT_NAME = "Pemerintah Kabupaten Batanghari"
RESULTS_FILE = "kepatuhan_jambi.csv"
SAMPLE_NOTE = "Data contoh (ilustratif), bukan hasil resmi."

DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
DINKES = "Dinas Kesehatan"
MERSAM = "Kecamatan Mersam"
MUARA_BULIAN = "Kecamatan Muara Bulian"
VILLAGE_CODES = ("15.04.01.2006", "15.04.01.2002", "15.04.03.1001")
"""Desa Mersam and Desa Sengkati Kecil (Kecamatan Mersam), Kelurahan Muara Bulian (data/wilayah/wilayah.csv)."""


@dataclass(frozen=True)
class SampleRound:
    """An illustrative round of one unit: dimension scores (2022-2024 edition) and optional indicator scores."""

    unit: str
    scores: dict[str, str]
    indicators: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


SELF_ASSESSMENT_ON = dt.date(2023, 5, 15)
PROPOSED_ON = dt.date(2023, 6, 5)
ACTIONS_DUE = dt.date(2024, 6, 28)
SELF_ASSESSMENT: list[SampleRound] = [
    SampleRound(DUKCAPIL, {"input": "82", "proses": "90", "output": "85", "pengaduan": "70"}),
    SampleRound(
        DPMPTSP, {"input": "75", "proses": "88", "output": "80", "pengaduan": "72"},
        {"input": {"kompetensi": ("Kompetensi pelaksana", "70"), "sarana": ("Sarana prasarana", "80")}},
    ),
    SampleRound(DINKES, {"input": "80", "proses": "76", "output": "82", "pengaduan": "79"}),
    SampleRound(MERSAM, {"input": "70", "proses": "74", "output": "80", "pengaduan": "60"}),
]
FOLLOW_UP_ON = dt.date(2024, 8, 20)
FOLLOW_UP: list[SampleRound] = [
    SampleRound(DUKCAPIL, {"input": "84", "proses": "92", "output": "86", "pengaduan": "84"}),
    SampleRound(
        DPMPTSP, {"input": "79", "proses": "90", "output": "83", "pengaduan": "80"},
        {"input": {"kompetensi": ("Kompetensi pelaksana", "76"), "sarana": ("Sarana prasarana", "82")}},
    ),
]


@dataclass(frozen=True)
class SampleStandard:
    """An illustrative standard: unit (name, or region code for a village), service, missing components, whether
    its delivery components are published, and the maklumat's state."""

    unit: str
    service: str
    missing: tuple[str, ...] = ()
    published: bool = True
    maklumat_adopted: bool = True
    maklumat_published: bool = True


STANDARDS_CHECKED_ON = dt.date(2024, 3, 4)
STANDARDS: list[SampleStandard] = [
    SampleStandard(DUKCAPIL, "Penerbitan KTP-el"),
    SampleStandard(DUKCAPIL, "Penerbitan Akta Kelahiran",
                   ("jaminan_keamanan_keselamatan", "evaluasi_kinerja_pelaksana")),
    SampleStandard(DPMPTSP, "Persetujuan Bangunan Gedung", ("kompetensi_pelaksana", "jumlah_pelaksana"),
                   published=False, maklumat_published=False),
    SampleStandard(DINKES, "Surat Izin Praktik Tenaga Kesehatan",
                   ("dasar_hukum", "biaya_tarif", "sarana_prasarana", "pengawasan_internal", "jaminan_pelayanan",
                    "evaluasi_kinerja_pelaksana"), maklumat_adopted=False, maklumat_published=False),
    SampleStandard(MERSAM, "Legalisasi Dokumen Kependudukan"),
    SampleStandard(MUARA_BULIAN, "Surat Keterangan Ahli Waris",
                   ("jangka_waktu_penyelesaian", "penanganan_pengaduan_saran_masukan", "jumlah_pelaksana",
                    "jaminan_keamanan_keselamatan"), maklumat_adopted=False, maklumat_published=False),
    SampleStandard("15.04.01.2006", "Surat Keterangan Domisili"),
    SampleStandard("15.04.01.2002", "Surat Keterangan Usaha",
                   ("dasar_hukum", "sistem_mekanisme_prosedur", "biaya_tarif", "kompetensi_pelaksana",
                    "pengawasan_internal", "jaminan_pelayanan", "jaminan_keamanan_keselamatan",
                    "evaluasi_kinerja_pelaksana"), published=False, maklumat_adopted=False, maklumat_published=False),
    SampleStandard("15.04.03.1001", "Surat Pengantar SKCK", ("biaya_tarif", "evaluasi_kinerja_pelaksana"),
                   maklumat_published=False),
]

GENERIC_CONTENT: dict[str, Any] = {
    "dasar_hukum": ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"],
    "persyaratan": ["Formulir permohonan", "Fotokopi KTP-el pemohon"],
    "sistem_mekanisme_prosedur": ["Pemohon mengajukan berkas", "Petugas memeriksa berkas", "Produk diserahkan"],
    "jangka_waktu_penyelesaian": "3 hari kerja",
    "biaya_tarif": "Tidak dipungut biaya",
    "produk_pelayanan": "Dokumen sesuai jenis layanan",
    "sarana_prasarana": ["Ruang tunggu", "Loket pelayanan", "Fasilitas bagi kelompok rentan"],
    "kompetensi_pelaksana": "Memahami prosedur dan mampu mengoperasikan komputer",
    "pengawasan_internal": "Atasan langsung dan Inspektorat Daerah",
    "penanganan_pengaduan_saran_masukan": ["Kotak saran", "SP4N-LAPOR!"],
    "jumlah_pelaksana": "2 orang",
    "jaminan_pelayanan": "Pelayanan diberikan sesuai standar pelayanan",
    "jaminan_keamanan_keselamatan": "Data pemohon dijaga kerahasiaannya",
    "evaluasi_kinerja_pelaksana": "Evaluasi kinerja pelaksana setiap tahun",
}
"""Generic wording of an illustrative component (not taken from any real Batanghari standard)."""


def _unit(name_or_code: str, units: dict[str, Unit], government: Unit) -> Unit | None:
    if name_or_code in units:
        return units[name_or_code]
    if name_or_code[:1].isdigit():
        return Unit.objects.filter(
            region_id=name_or_code, kind=UnitKind.VILLAGE_GOVERNMENT, path__startswith=government.path
        ).first()
    return Unit.objects.filter(name=name_or_code, path__startswith=government.path).first()


def load_results(*, users: dict[str, Any], government: Unit) -> dict[str, int]:
    """Import the published Jambi results (idempotent) and link the government's region to it."""
    admin = users["ombudsman.admin"]
    path = settings.DATA_DIR / "ombudsman" / RESULTS_FILE
    report = import_results(actor=admin, text=path.read_text(encoding="utf-8"), file_name=RESULTS_FILE)
    if not report.ok:
        raise ValueError("; ".join(str(error) for error in report.errors))
    linked = link_results(actor=admin, unit=government)
    return {"results": len(report.rows), "changed": sum(row.changed for row in report.rows), "linked": linked}


PROPOSED_WEIGHT = Decimal(1)
"""Weight of the demo's actions proposed from findings: the plan's top-level sample actions carry weights (1 to 3),
and a proposed action weighs as much as the lightest of them (sibling weights are set on all or on none)."""


def publish(actor: Any, rounds: Any) -> None:
    """The Ombudsman assistant publishes the demo's rounds, so that every demo user sees them (drafts are shown
    only to who entered them and the Ombudsman; DESIGN.md, "Figures are drafts until published")."""
    for assessment in rounds:
        publish_round(actor=actor, assessment=assessment)


def load_rounds(*, work_plan: Agreement, units: dict[str, Unit], users: dict[str, Any], government: Unit) -> int:
    """The 2023 self-assessment (coordinator), its findings as proposed actions, and the 2024 self-assessment
    (coordinator) that closes some findings and credits their actions, whose progress the Ombudsman assistant
    verifies. Returns the actions proposed now."""
    edition = MethodEdition.objects.get(code="ombudsman-2022")
    title = "Penilaian mandiri 2023 (contoh)"
    findings: list[Finding] = []
    for sample in SELF_ASSESSMENT:
        unit = _unit(sample.unit, units, government)
        if unit is None:
            continue
        outcome = record_round(
            actor=users["koordinator"], edition=edition, year=2023, kind=RoundKind.SELF_ASSESSMENT,
            assessed_on=SELF_ASSESSMENT_ON, unit=unit, dimension_scores=sample.scores,
            indicator_scores=sample.indicators, title=title, is_sample=True, note=SAMPLE_NOTE,
        )
        findings.extend(outcome.open_findings)
        if not outcome.created:  # a second load: the findings of the stored round
            findings.extend(Finding.objects.filter(
                source=FindingSource.ASSESSMENT, unit=unit, detected_on=SELF_ASSESSMENT_ON
            ))
    publish(users["asisten"], AssessmentRound.objects.filter(title=title, published_at__isnull=True))
    # the plan's top-level actions carry weights, so proposed ones need one too (all or none, docs/status.md)
    actions = propose_actions(actor=users["koordinator"], work_plan=work_plan, findings=findings,
                              due_date=ACTIONS_DUE, today=PROPOSED_ON, weight=PROPOSED_WEIGHT)
    for sample in FOLLOW_UP:
        unit = _unit(sample.unit, units, government)
        if unit is None:
            continue
        outcome = record_round(
            actor=users["koordinator"], edition=edition, year=2024, kind=RoundKind.SELF_ASSESSMENT,
            assessed_on=FOLLOW_UP_ON, unit=unit, dimension_scores=sample.scores,
            indicator_scores=sample.indicators, title="Penilaian mandiri 2024 (contoh)", is_sample=True,
            note=SAMPLE_NOTE,
        )
        if outcome.created:
            publish_round(actor=users["asisten"], assessment=outcome.round)
        for credit in outcome.credits:  # only when the round is new: the action reports the measured value
            report = wp.report_progress(
                actor=users["koordinator"], action=credit.action, report_date=FOLLOW_UP_ON,
                actual_value=credit.value_after,
                narrative="Nilai hasil penilaian mandiri 2024 (contoh ilustratif).",
            )
            wp.accept_report(actor=users["asisten"], report=report, note="Sesuai hasil penilaian mandiri.")
    return len(actions)


def load_standards(*, units: dict[str, Unit], users: dict[str, Any], government: Unit) -> int:
    """The illustrative standards and their gaps as findings. Returns the standards created now."""
    created = 0
    for sample in STANDARDS:
        unit = _unit(sample.unit, units, government)
        if unit is None or Service.objects.filter(unit=unit, name=sample.service).exists():
            continue
        components = {code: (None if code in sample.missing else GENERIC_CONTENT[code]) for code in ALL_COMPONENTS}
        standard = import_standard(
            actor=users["koordinator"], unit=unit, service_name=sample.service,
            data={"title": f"Standar Pelayanan: {sample.service}", "components": components,
                  "completeness": SAMPLE_NOTE},
            published=sample.published, maklumat_adopted=sample.maklumat_adopted,
            maklumat_published=sample.maklumat_published, is_sample=True,
        )
        record_standard_findings(actor=users["asisten"], standard=standard, detected_on=STANDARDS_CHECKED_ON)
        created += 1
    return created


def load_demo(*, work_plan: Agreement, units: dict[str, Unit], users: dict[str, Any]) -> dict[str, int]:
    """Load issue 4's demo data (see the module docstring) into ``work_plan`` of the government in ``units``.

    ``units``: name -> Unit as built by ``core.demo.build_units``; ``users``: username -> User with "asisten",
    "koordinator" and "ombudsman.admin". Idempotent. Returns counts: results in the file, results changed now,
    results linked now, actions proposed now, standards created now.
    """
    government = units[GOVERNMENT_NAME]
    with transaction.atomic():
        counts = load_results(users=users, government=government)
        counts["actions"] = load_rounds(work_plan=work_plan, units=units, users=users, government=government)
        counts["standards"] = load_standards(units=units, users=users, government=government)
    return counts

