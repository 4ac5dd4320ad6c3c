"""Demo complaints for Batanghari: ILLUSTRATIVE, marked as sample data, written only through the write paths.

No Batanghari complaint data is public, and complaints carry personal data, so the demo invents six complaints and
says so: each is ``is_sample``, its channel reference is "CONTOH-0n" and its complainant is "Pelapor Contoh n"
(no NIK, no phone, no e-mail). Dates are counted back from the day the demo is first loaded, so the deadlines,
the overdue flags and the 90-day pattern window are current:

- CONTOH-01 KTP-el, in person, 80 days ago: file complete, answered, resolved, closed satisfied.
- CONTOH-02 KTP-el, SP4N-LAPOR!, 60 days ago: answered late, not resolved, forwarded to the Ombudsman, whose
  assistant has it in verification.
- CONTOH-03 KTP-el, phone, 40 days ago: file incomplete, completed by the complainant, in progress.
- CONTOH-04 KTP-el, social media, 20 days ago, identity confidential: nobody answered, overdue.
- CONTOH-05 Persetujuan Bangunan Gedung (DPMPTSP), letter, 30 days ago: answered.
- CONTOH-06 Kecamatan Mersam, in person, 5 days ago: just received.

Four complaints about "Penerbitan KTP-el" within 90 days make a finding (complaints.patterns), which the coordinator
proposes as an action of the work plan. Idempotent: a sample complaint whose reference exists is not created again;
the review and the proposal skip what exists.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from pantau.agreements.models import Agreement
from pantau.complaints import actions
from pantau.complaints.models import Complaint
from pantau.findings.actions import propose_actions
from pantau.findings.models import Finding, FindingSource
from pantau.organizations.models import Unit
from pantau.standards.models import Service

DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
MERSAM = "Kecamatan Mersam"
GOVERNMENT = "Pemerintah Kabupaten Batanghari"
WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class SampleComplaint:
    """An illustrative complaint: reference, unit, service (or none), channel, days before the first load, and the
    steps taken afterwards as (step, days after receipt, argument)."""

    key: str
    unit: str
    service: str | None
    channel: str
    days_ago: int
    subject: str
    description: str
    component: str = ""
    confidential: bool = False
    steps: list[tuple[str, int, Any]] = field(default_factory=list)


SAMPLES: list[SampleComplaint] = [
    SampleComplaint("CONTOH-01", DUKCAPIL, "Penerbitan KTP-el", "walk_in", 80, "KTP-el belum terbit",
                    "Contoh ilustratif: perekaman sudah dua bulan, KTP-el belum terbit.", "jangka_waktu_penyelesaian",
                    steps=[("check", 1, True), ("answer", 9, "KTP-el sudah dicetak dan dapat diambil di kantor."),
                           ("outcome", 10, True), ("close", 12, True)]),
    SampleComplaint("CONTOH-02", DUKCAPIL, "Penerbitan KTP-el", "sp4n_lapor", 60, "Blangko KTP-el habis",
                    "Contoh ilustratif: petugas menyatakan blangko habis tanpa kepastian waktu.",
                    "jangka_waktu_penyelesaian",
                    steps=[("check", 2, True), ("answer", 20, "Blangko menunggu kiriman dari pusat."),
                           ("outcome", 21, False), ("forward", 25, "Pelapor tidak puas."), ("verify", 27, None)]),
    SampleComplaint("CONTOH-03", DUKCAPIL, "Penerbitan KTP-el", "phone", 40, "Syarat tambahan tidak tertulis",
                    "Contoh ilustratif: diminta surat pengantar RT yang tidak ada dalam standar pelayanan.",
                    "persyaratan",
                    steps=[("check", 1, False), ("message", 5, "Foto surat penolakan sudah saya kirim."),
                           ("check", 6, True)]),
    SampleComplaint("CONTOH-04", DUKCAPIL, "Penerbitan KTP-el", "social_media", 20, "Antrean KTP-el",
                    "Contoh ilustratif: antrean sejak pagi, loket dibuka siang.", "sarana_prasarana",
                    confidential=True),
    SampleComplaint("CONTOH-05", DPMPTSP, "Persetujuan Bangunan Gedung", "letter", 30, "Biaya PBG tidak jelas",
                    "Contoh ilustratif: diminta biaya di luar retribusi yang ditetapkan.", "biaya_tarif",
                    steps=[("check", 3, True), ("answer", 15, "Biaya hanya retribusi sesuai Perda; petugas ditegur.")]),
    SampleComplaint("CONTOH-06", MERSAM, None, "walk_in", 5, "Surat keterangan lama",
                    "Contoh ilustratif: surat keterangan domisili belum selesai."),
]


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=WIB)


def _run(sample: SampleComplaint, complaint: Complaint, received: dt.date, users: dict[str, Any]) -> None:
    officer = users["petugas.dukcapil"] if sample.unit == DUKCAPIL else users["koordinator"]
    for step, after, argument in sample.steps:
        now = _moment(received + dt.timedelta(days=after))
        complaint.refresh_from_db()
        if step == "check":
            actions.check_file(actor=officer, complaint=complaint, complete=argument, now=now,
                               question="" if argument else "Mohon kirim foto atau salinan surat penolakan.")
        elif step == "answer":
            actions.answer(actor=officer, complaint=complaint, text=argument, now=now)
        elif step == "outcome":
            actions.record_outcome(actor=officer, complaint=complaint, resolved=argument, now=now)
        elif step == "close":
            actions.close(actor=officer, complaint=complaint, satisfied=argument, comment="Terima kasih.", now=now)
        elif step == "message":
            actions.complainant_message(complaint=complaint, text=argument)
        elif step == "forward":
            actions.forward_to_ombudsman(actor=users["koordinator"], complaint=complaint, note=argument, now=now)
        elif step == "verify":
            actions.advance_report(actor=users["asisten"], report=complaint.ombudsman_report, stage="verification",
                                   note="Contoh ilustratif: verifikasi formil.", now=now)


def load_demo(*, work_plan: Agreement, units: dict[str, Unit], users: dict[str, Any]) -> dict[str, int]:
    """Create the sample complaints, review their patterns and propose the finding as an action (module
    docstring). ``units``: name -> Unit (``demo.loader.build_units``); ``users``: username -> User with
    "petugas.dukcapil", "koordinator" and "asisten". Returns {"complaints", "actions"} created by this call."""
    created = {"complaints": 0, "actions": 0}
    today = timezone.localdate()
    for sample in SAMPLES:
        if Complaint.objects.filter(is_sample=True, external_ticket=sample.key).exists():
            continue
        unit = units[sample.unit]
        service = Service.objects.filter(unit=unit, name=sample.service).first() if sample.service else None
        received = today - dt.timedelta(days=sample.days_ago)
        actor = users["petugas.dukcapil"] if sample.unit == DUKCAPIL else users["koordinator"]
        number = sample.key.rsplit("-", 1)[-1]
        submitted = actions.enter_complaint(
            actor=actor, channel=sample.channel, unit=unit if service is None else None, service=service,
            component=sample.component, subject=sample.subject, description=sample.description,
            name=f"Pelapor Contoh {number}", confidential=sample.confidential, external_ticket=sample.key,
            now=_moment(received), is_sample=True,
        )
        _run(sample, submitted.complaint, received, users)
        created["complaints"] += 1
    government = units[GOVERNMENT]
    actions.review_patterns(actor=users["koordinator"], government=government, on=today)
    findings = Finding.objects.filter(source=FindingSource.COMPLAINT, unit__path__startswith=government.path,
                                      closed_on__isnull=True, is_sample=True)
    # the plan's top-level actions carry weights: a proposed one needs one too (all or none, docs/status.md)
    created["actions"] = len(propose_actions(actor=users["koordinator"], work_plan=work_plan,
                                             findings=list(findings), today=today, weight=Decimal(1)))
    return created
