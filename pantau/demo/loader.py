"""The demo: all Indonesian regions, Pemerintah Kabupaten Batanghari's units, the Ombudsman's Jambi office, the MoU and
the 18 November 2020 work plan with its hybrid signing and the 2 March 2021 mentoring, sample actions and personas.

Real data: regions (data/wilayah/wilayah.csv), agencies (data/batanghari/agencies.csv: verified rows cite a source,
"typical" rows are marked as not yet confirmed by a Batanghari source), the two agreement events
(data/batanghari/agreement_events.csv).
Illustrative: the actions and their reports (``is_sample``), since the 2020 plan's actions are not public, and the
attendance list and one decision of the 2021 mentoring (``is_sample``; the sources publish neither); people appear
by position, never by name. Every write goes through the action functions, so the demo leaves an audit trail.
"""

import csv
import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from pantau.accounts.models import Role, RoleGrant, User
from pantau.agreements import actions as agreements
from pantau.agreements.models import Agreement, AgreementKind, Signatory
from pantau.demo.assessments import load_demo as load_assessment_demo
from pantau.demo.complaints import load_demo as load_complaint_demo
from pantau.demo.surveys import load_demo as load_survey_demo
from pantau.meetings import actions as meetings
from pantau.meetings.models import AttendanceMode, DecisionKind, MeetingKind, MeetingMode
from pantau.organizations.models import AgencyType, Unit, UnitKind, Verification
from pantau.regions.actions import import_regions
from pantau.regions.codes import KELURAHAN
from pantau.regions.models import Region
from pantau.workplans import actions as wp
from pantau.workplans.models import Action

REGENCY_CODE = "15.04"
PROVINCE_CODE = "15"
GOVERNMENT_NAME = "Pemerintah Kabupaten Batanghari"
OFFICE_NAME = "Ombudsman RI Perwakilan Provinsi Jambi"
MOU_TITLE = "Nota Kesepakatan Ombudsman Republik Indonesia dan Pemerintah Kabupaten Batanghari"
WORK_PLAN_TITLE = (
    "Rencana Kerja Pelayanan Publik Ombudsman RI Perwakilan Provinsi Jambi dan Pemerintah Kabupaten Batanghari"
)
ARTICLE_2020 = (
    "https://ombudsman.go.id/artikel/r/artikel--ombudsman-jambi-dan-pemkab-batanghari-tandatangani-rencana-kerja"
)

DEMO_USERS: list[tuple[str, str, str | None, str]] = [
    # username, role, unit name (None = superuser), position
    ("admin", "", None, "Administrator sistem"),
    ("ombudsman.admin", Role.OMBUDSMAN_ADMIN, OFFICE_NAME, "Kepala Keasistenan Pencegahan"),
    ("asisten", Role.OMBUDSMAN_ASSISTANT, GOVERNMENT_NAME, "Asisten Ombudsman"),
    ("koordinator", Role.COORDINATOR, GOVERNMENT_NAME, "Kepala Bagian Organisasi"),
    ("petugas.dukcapil", Role.UNIT_OFFICER, "Dinas Kependudukan dan Pencatatan Sipil", "Sekretaris Dinas"),
    ("petugas.mersam", Role.UNIT_OFFICER, "Kecamatan Mersam", "Sekretaris Kecamatan"),
    ("pemantau", Role.VIEWER, GOVERNMENT_NAME, "Staf Bagian Organisasi"),
]


@dataclass
class SampleReport:
    """An illustrative progress report: date, actual value, narrative, money spent (IDR), review outcome."""

    date: dt.date
    actual: str
    narrative: str
    spent: int = 0
    review: str = "accepted"  # accepted | returned | submitted
    reason: str = ""


@dataclass
class SampleAction:
    """An illustrative action of the demo work plan (see module docstring)."""

    code: str
    title: str
    unit: str
    finding: str
    start: dt.date
    due: dt.date
    pic: str
    indicator: str
    indicator_unit: str
    baseline: str
    target: str
    budget: int = 0
    source: str = "APBD"
    weight: str | None = None
    parent: str | None = None
    reporter: str = "koordinator"
    reports: list[SampleReport] = field(default_factory=list)
    cancel: str = ""


D = dt.date
SAMPLE_ACTIONS: list[SampleAction] = [
    SampleAction(
        "1", "Standar pelayanan ditetapkan dan dipublikasikan di setiap OPD", "Bagian Organisasi",
        "Standar pelayanan belum dipublikasikan di semua OPD, termasuk yang tidak melayani langsung",
        D(2021, 1, 4), D(2021, 12, 31), "Kepala Bagian Organisasi", "Rata-rata capaian sub-kegiatan", "persen",
        "0", "100", weight="3",
    ),
    SampleAction(
        "1.1", "Dukcapil menetapkan standar pelayanan 14 komponen untuk semua jenis layanan",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Komponen standar pelayanan tidak lengkap (UU 25/2009 pasal 21)", D(2021, 1, 4), D(2021, 6, 30),
        "Kepala Dinas Kependudukan dan Pencatatan Sipil", "Jenis layanan dengan standar pelayanan dipublikasikan",
        "layanan", "2", "12", budget=25_000_000, parent="1", reporter="petugas.dukcapil",
        reports=[
            SampleReport(D(2021, 3, 31), "6",
                         "SK standar pelayanan untuk 6 layanan ditetapkan; papan informasi dipasang.", 9_500_000),
            SampleReport(D(2021, 6, 28), "12", "Seluruh 12 layanan memiliki standar pelayanan yang dipublikasikan.",
                         14_000_000),
        ],
    ),
    SampleAction(
        "1.2", "DPMPTSP mempublikasikan standar pelayanan semua jenis perizinan",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Standar pelayanan perizinan hanya tersedia untuk sebagian izin", D(2021, 2, 1), D(2021, 6, 30),
        "Kepala DPMPTSP", "Jenis izin dengan standar pelayanan dipublikasikan", "izin", "10", "40",
        budget=30_000_000, parent="1",
        reports=[
            SampleReport(D(2021, 4, 30), "20", "20 jenis izin telah dipublikasikan di ruang tunggu dan situs web.",
                         12_000_000),
            SampleReport(D(2021, 7, 15), "40", "Seluruh 40 jenis izin dipublikasikan.", 15_000_000, "submitted"),
        ],
    ),
    SampleAction(
        "1.3", "Dinas Kesehatan menetapkan standar pelayanan dan maklumat pelayanan", "Dinas Kesehatan",
        "Maklumat pelayanan belum ditetapkan", D(2021, 3, 1), D(2021, 9, 30), "Kepala Dinas Kesehatan",
        "Jenis layanan dengan standar pelayanan dipublikasikan", "layanan", "0", "8", budget=20_000_000,
        parent="1",
        reports=[
            SampleReport(D(2021, 5, 31), "3", "Standar pelayanan 3 layanan disusun.", 4_000_000, "returned",
                         "Bukti foto papan standar pelayanan tidak terbaca; lampirkan SK penetapan."),
        ],
    ),
    SampleAction(
        "2", "Pengelolaan pengaduan yang terukur di setiap OPD", "Bagian Organisasi",
        "Pengaduan belum dikelola dengan prosedur dan waktu penyelesaian yang jelas", D(2021, 3, 1),
        D(2021, 12, 31), "Kepala Bagian Organisasi", "Rata-rata capaian sub-kegiatan", "persen", "0", "100",
        weight="2",
    ),
    SampleAction(
        "2.1", "Inspektorat menetapkan SOP penanganan pengaduan dan memantau waktu penyelesaiannya",
        "Inspektorat Daerah", "Waktu penyelesaian pengaduan tidak dipantau", D(2021, 3, 1), D(2021, 12, 31),
        "Inspektur Daerah", "Rata-rata waktu penyelesaian pengaduan", "hari", "30", "14", budget=10_000_000,
        parent="2",
        reports=[SampleReport(D(2021, 9, 30), "22", "SOP ditetapkan; rata-rata penyelesaian turun menjadi 22 hari.",
                              6_000_000)],
    ),
    SampleAction(
        "2.2", "Semua OPD terhubung dengan SP4N-LAPOR!", "Dinas Komunikasi dan Informatika",
        "Sebagian OPD belum memiliki admin SP4N-LAPOR!", D(2021, 3, 1), D(2021, 10, 31), "Kepala Diskominfo",
        "OPD terhubung SP4N-LAPOR!", "OPD", "5", "13", budget=5_000_000, parent="2",
        reports=[SampleReport(D(2021, 10, 20), "13", "Admin SP4N-LAPOR! ditunjuk di 13 OPD.", 4_500_000)],
    ),
    SampleAction(
        "3", "Pelatihan pelayanan prima bagi petugas layanan", "BKD",
        "Kompetensi pelaksana belum memadai", D(2021, 4, 1), D(2021, 11, 30), "Kepala BKD",
        "Petugas layanan terlatih", "orang", "0", "120", budget=60_000_000, weight="1",
        reports=[SampleReport(D(2021, 10, 15), "120", "Empat angkatan pelatihan, 120 petugas.", 58_750_000)],
    ),
    SampleAction(
        "4", "Kantor kecamatan menetapkan standar pelayanan dan maklumat", "Bagian Organisasi",
        "Standar pelayanan belum ada di kantor kecamatan", D(2026, 1, 5), D(2026, 12, 15),
        "Kepala Bagian Organisasi", "Rata-rata capaian kecamatan", "persen", "0", "100", weight="2",
    ),
    SampleAction(
        "5", "Pemerintah desa/kelurahan di Kecamatan Mersam mempublikasikan standar pelayanan", "Kecamatan Mersam",
        "Standar pelayanan wajib dipenuhi juga oleh desa dan kelurahan", D(2026, 3, 2), D(2027, 6, 30),
        "Camat Mersam", "Desa/kelurahan dengan standar pelayanan dipublikasikan", "desa/kelurahan", "0", "18",
        budget=18_000_000, source="APBDes", weight="1", reporter="petugas.mersam",
        reports=[SampleReport(D(2026, 10, 30), "6", "Enam desa memasang papan standar pelayanan.", 6_000_000)],
    ),
    SampleAction(
        "6", "Pemerintah desa/kelurahan di Kecamatan Muara Bulian mempublikasikan standar pelayanan",
        "Kecamatan Muara Bulian", "Standar pelayanan wajib dipenuhi juga oleh desa dan kelurahan",
        D(2026, 7, 1), D(2027, 6, 30), "Camat Muara Bulian",
        "Desa/kelurahan dengan standar pelayanan dipublikasikan", "desa/kelurahan", "0", "21",
        budget=21_000_000, source="APBDes", weight="1",
    ),
    SampleAction(
        "7", "Aplikasi antrean daring Dukcapil", "Dinas Kependudukan dan Pencatatan Sipil",
        "Antrean panjang di kantor Dukcapil", D(2021, 2, 1), D(2021, 8, 31),
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "Layanan dengan antrean daring", "layanan", "0", "4", budget=40_000_000, weight="1",
        cancel="Dibatalkan dalam rapat evaluasi: digantikan oleh layanan antrean nasional.",
    ),
]
# Action 4's children: one per district office, added by ``_district_actions``.
DISTRICT_REPORTS: dict[str, list[SampleReport]] = {
    "Mersam": [SampleReport(D(2026, 9, 30), "5", "Lima layanan kecamatan memiliki standar pelayanan.", 3_000_000)],
    "Muara Bulian": [SampleReport(D(2026, 11, 2), "4", "Empat layanan selesai disusun.", 2_000_000, "submitted")],
    "Bajubang": [SampleReport(D(2026, 6, 30), "2", "Dua layanan disusun.", 1_000_000)],
}


def _district_actions(districts: list[Region]) -> list[SampleAction]:
    out = []
    for number, district in enumerate(districts, start=1):
        out.append(
            SampleAction(
                f"4.{number}", f"Kecamatan {district.name} menetapkan standar pelayanan dan maklumat",
                f"Kecamatan {district.name}", "Standar pelayanan belum ada di kantor kecamatan",
                D(2026, 1, 5), D(2026, 12, 15), f"Camat {district.name}",
                "Layanan kecamatan dengan standar pelayanan", "layanan", "0", "5", budget=5_000_000,
                parent="4", reporter="petugas.mersam" if district.name == "Mersam" else "koordinator",
                reports=DISTRICT_REPORTS.get(district.name, []),
            )
        )
    return out


def demo_password() -> str:
    """The demo users' password: random per checkout, kept in var/demo_password (never committed)."""
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9))
    return path.read_text().strip()


def _unit(name: str, kind: str, parent: Unit | None = None, **extra: Any) -> Unit:
    unit = Unit.objects.filter(name=name, parent=parent).first()
    if unit is None:
        unit = Unit(name=name, kind=kind, parent=parent, **extra)
        unit.save()
    return unit



def public_note(note: str) -> str:
    """The note of an agency row of data/batanghari/agencies.csv as a sentence for the unit page: the file names and
    rule references of the curation ("dari opd.csv", "(domain/rules.md bagian 6)", "dari ingatan") left out, and
    "tipikal, belum terverifikasi" said as what it means (the agency is assumed because every regency has one; its
    existence is not yet confirmed by a Batanghari source)."""
    text = re.sub(r"\s*\(domain/rules\.md[^)]*\)", "", note)
    text = re.sub(r",?\s*dari ingatan", "", text).replace("()", "").strip()
    text = text.replace("dari opd.csv; ", "Sumber: daftar OPD Kabupaten Batanghari; ")
    text = text.replace("dari opd.csv", "Sumber: daftar OPD Kabupaten Batanghari")
    if text.startswith("tipikal, belum terverifikasi"):
        reason = text.removeprefix("tipikal, belum terverifikasi").lstrip(":").strip()
        if reason.startswith("(") and reason.endswith(")"):
            reason = f"lazim menurut {reason[1:-1]}"
        text = "Keberadaannya belum dipastikan dari sumber Batanghari"
        text += f"; dicatat karena {reason}." if reason else "."
    text = re.sub(r"\s+", " ", text).replace(" .", ".").strip()
    return text

def build_units() -> dict[str, Unit]:
    """Create (idempotently) the Ombudsman office, the regency and all its units; returns units by name."""
    root = _unit("Ombudsman Republik Indonesia", UnitKind.OMBUDSMAN_OFFICE, source_url="https://ombudsman.go.id")
    office = _unit(OFFICE_NAME, UnitKind.OMBUDSMAN_OFFICE, root, region_id=PROVINCE_CODE, short_name="ORI Jambi")
    regency = _unit(
        GOVERNMENT_NAME, UnitKind.REGIONAL_GOVERNMENT, region_id=REGENCY_CODE, short_name="Pemkab Batanghari"
    )
    units = {u.name: u for u in (root, office, regency)}
    with (settings.DATA_DIR / "batanghari" / "agencies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parent = units[row["parent"]] if row["parent"] else regency
            units[row["name"]] = _unit(
                row["name"], UnitKind.AGENCY, parent, short_name=row["short_name"],
                agency_type=AgencyType(row["agency_type"]), verification=Verification(row["verification"]),
                source_url=row["source_url"], note=public_note(row["note"]),
            )
    districts = list(Region.objects.filter(parent_id=REGENCY_CODE).order_by("code"))
    for district in districts:
        office_unit = _unit(
            f"Kecamatan {district.name}", UnitKind.DISTRICT_OFFICE, regency, region=district,
            agency_type=AgencyType.OTHER, source_url="data/wilayah/wilayah.csv",
        )
        units[office_unit.name] = office_unit
        existing = set(Unit.objects.filter(parent=office_unit).values_list("name", flat=True))
        for village in Region.objects.filter(parent=district).order_by("code"):
            prefix = "Kelurahan" if village.kind == KELURAHAN else "Pemerintah Desa"
            name = f"{prefix} {village.name}"
            if name not in existing:
                Unit(name=name, kind=UnitKind.VILLAGE_GOVERNMENT, parent=office_unit, region=village,
                     source_url="data/wilayah/wilayah.csv").save()
    return units


def build_users(units: dict[str, Unit], password: str) -> dict[str, User]:
    """Create the demo personas with their roles; returns users by username."""
    users: dict[str, User] = {}
    for username, role, unit_name, position in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, position=position, is_staff=unit_name is None,
                        is_superuser=unit_name is None)
        user.set_password(password)
        user.save()
        if unit_name is not None:
            RoleGrant.objects.get_or_create(user=user, unit=units[unit_name], role=role)
        users[username] = user
    _let_the_ombudsman_admin_correct_thresholds(users["ombudsman.admin"])
    return users


def _let_the_ombudsman_admin_correct_thresholds(user: User) -> None:
    """The Ombudsman admin corrects provisional thresholds (method bands and weights, rules.md 9) in the Django
    admin: staff access with the change permission on those two models only (edits there are audited)."""
    from django.contrib.auth.models import Permission as DjangoPermission

    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*DjangoPermission.objects.filter(
        content_type__app_label="assessments", codename__in=["change_band", "view_band", "change_dimension",
                                                             "view_dimension", "view_methodedition"],
    ))


def build_agreements(units: dict[str, Unit], users: dict[str, User]) -> Agreement:
    """The MoU, the 18 Nov 2020 work plan with its signatories, and its two meetings, entered through the write
    paths (``agreements.actions``, ``meetings.actions``) as the coordinator and the Ombudsman admin would on the
    pages; returns the work plan. The sources give no hour, room capacity or attendance count: those stay empty."""
    office, regency = units[OFFICE_NAME], units[GOVERNMENT_NAME]
    coordinator, ombudsman_admin = users["koordinator"], users["ombudsman.admin"]
    with (settings.DATA_DIR / "batanghari" / "agreement_events.csv").open(encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    signing, mentoring = events[0], events[1]
    mou = Agreement.objects.filter(kind=AgreementKind.MOU, title=MOU_TITLE).first()
    if mou is None:
        mou = agreements.create_agreement(actor=coordinator, data={
            "kind": AgreementKind.MOU, "title": MOU_TITLE,
            "ombudsman_office": units["Ombudsman Republik Indonesia"], "government": regency, "is_signed": True,
            "summary": "Ditandatangani sebelum Rencana Kerja; tanggal tidak disebutkan dalam sumber.",
            "source_url": signing["source_url"],
        })
    plan = Agreement.objects.filter(kind=AgreementKind.WORK_PLAN, title=WORK_PLAN_TITLE).first()
    if plan is not None:
        return plan
    signed_on = dt.date.fromisoformat(signing["date"])
    plan = agreements.create_agreement(
        actor=ombudsman_admin,
        data={
            "kind": AgreementKind.WORK_PLAN, "title": WORK_PLAN_TITLE, "parent": mou, "ombudsman_office": office,
            "government": regency, "is_signed": True, "signed_on": signed_on, "signed_place": signing["place"],
            "period_start": signed_on,
            "summary": (
                "Setiap tindak lanjut memuat perbaikan apa, kapan, siapa penanggung jawabnya dan anggarannya, "
                "dan pendampingan serta perbaikan harus terukur. Standar pelayanan wajib dipenuhi oleh semua OPD, "
                "kecamatan dan desa/kelurahan."
            ),
            "source_url": signing["source_url"],
        },
        signatories=[
            {"unit": regency, "position": "Pj. Sekretaris Daerah Kabupaten Batanghari",
             "capacity": Signatory.Capacity.SIGNED},
            {"unit": office, "position": "Kepala Perwakilan Ombudsman RI Provinsi Jambi",
             "capacity": Signatory.Capacity.WITNESSED},
        ],
    )
    meetings.create_meeting(actor=ombudsman_admin, agreement=plan, data={
        "kind": MeetingKind.SIGNING,
        "title": "Penandatanganan Rencana Kerja Pelayanan Publik Ombudsman RI Perwakilan Jambi dan "
                 "Pemerintah Kabupaten Batanghari",
        "date": signed_on, "place": signing["place"], "mode": MeetingMode.HYBRID, "host_unit": regency,
        "participants": "Pj. Sekretaris Daerah Kabupaten Batanghari (menandatangani); Kepala Perwakilan Ombudsman "
                        "RI Provinsi Jambi (menyaksikan); OPD dan pihak terkait (daring)",
        "minutes": "Tatap muka dengan peserta terbatas; OPD dan pihak terkait menyaksikan secara daring. "
                   "Kapasitas ruang dan jumlah peserta tidak dipublikasikan.",
        "source_url": signing["source_url"],
    })
    meetings.create_meeting(actor=ombudsman_admin, agreement=plan, data={
        "kind": MeetingKind.MENTORING,
        "title": MENTORING_TITLE,
        "date": dt.date.fromisoformat(mentoring["date"]), "place": mentoring["place"],
        "mode": MeetingMode.IN_PERSON, "host_unit": regency,
        "participants": "Kepala Perwakilan Ombudsman RI Provinsi Jambi; Wakil Bupati Batang Hari; kepala OPD",
        "minutes": "Tujuan: Pemerintah Daerah mengukur diri terhadap instrumen penilaian kepatuhan Ombudsman "
                   "sebelum survei, agar kekurangan diperbaiki lebih dahulu.",
        "source_url": mentoring["source_url"],
    })
    return plan


MENTORING_TITLE = "Pendampingan awal Survei Kepatuhan, tindak lanjut Rencana Kerja"

SAMPLE_ATTENDEES: list[tuple[str, str]] = [
    ("Kepala Perwakilan Ombudsman RI Provinsi Jambi", OFFICE_NAME),
    ("Asisten Ombudsman", OFFICE_NAME),
    ("Wakil Bupati Batang Hari", GOVERNMENT_NAME),
    ("Kepala Bagian Organisasi", "Bagian Organisasi"),
    ("Kepala Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("Kepala DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
]
"""Illustrative attendees of the 2 March 2021 mentoring (by position; the source lists who came but publishes no
attendance list): entered as sample rows, names are placeholders."""


def build_meeting_samples(plan: Agreement, units: dict[str, Unit], users: dict[str, User]) -> None:
    """Sample attendance and one sample decision for the 2 March 2021 mentoring, marked as sample data: the assistant
    keeps the attendance list and records the decision, the coordinator turns it into an action (the decision's
    link on the action's page). Skipped when the meeting already has decisions (idempotent)."""
    mentoring = plan.meetings.filter(title=MENTORING_TITLE).first()
    if mentoring is None or mentoring.decisions.exists():
        return
    assistant, coordinator = users["asisten"], users["koordinator"]
    for number, (position, unit_name) in enumerate(SAMPLE_ATTENDEES, start=1):
        meetings.record_attendance(
            actor=assistant, meeting=mentoring, name=f"Peserta contoh {number}", position=position,
            unit=units[unit_name], mode=AttendanceMode.IN_PERSON, is_sample=True,
        )
    decision = meetings.record_decision(
        actor=assistant, meeting=mentoring, kind=DecisionKind.CREATE_ACTION, is_sample=True,
        text="Setiap OPD melakukan penilaian mandiri dengan instrumen penilaian kepatuhan Ombudsman dan memperbaiki "
             "kekurangannya sebelum survei.",
        responsible_unit=units["Bagian Organisasi"], due_date=D(2021, 6, 30),
    )
    initial = meetings.action_initial(decision, plan)
    meetings.apply_decision(actor=coordinator, decision=decision, work_plan=plan, data={
        **initial,
        "title": "Penilaian mandiri kepatuhan oleh setiap OPD sebelum survei Ombudsman",
        "finding": "Keputusan 1 rapat pendampingan awal Survei Kepatuhan, 2 Maret 2021 (contoh)",
        "pic_position": "Kepala Bagian Organisasi", "budget_planned": 0, "budget_source": "none",
        "indicator_name": "OPD yang menyelesaikan penilaian mandiri", "indicator_unit": "OPD",
        # the plan's top-level actions carry weights: a new one needs one too (all or none, docs/status.md)
        "baseline": Decimal("0"), "target": Decimal("30"), "weight": Decimal("1"), "is_sample": True,
    })


def build_actions(plan: Agreement, units: dict[str, Unit], users: dict[str, User]) -> int:
    """Create the sample actions and their reviewed reports through the action functions; returns the count."""
    coordinator, assistant = users["koordinator"], users["asisten"]
    districts = list(Region.objects.filter(parent_id=REGENCY_CODE).order_by("code"))
    by_code: dict[str, Action] = {}
    for sample in SAMPLE_ACTIONS[:9] + _district_actions(districts) + SAMPLE_ACTIONS[9:]:
        action = wp.create_action(
            actor=coordinator, work_plan=plan,
            data={
                "code": sample.code, "title": sample.title, "finding": sample.finding,
                "parent": by_code.get(sample.parent) if sample.parent else None,
                "start_date": sample.start, "due_date": sample.due, "responsible_unit": units[sample.unit],
                "pic_position": sample.pic, "budget_planned": sample.budget, "budget_source": sample.source,
                "fiscal_year": sample.start.year, "indicator_name": sample.indicator,
                "indicator_unit": sample.indicator_unit, "baseline": Decimal(sample.baseline),
                "target": Decimal(sample.target), "weight": Decimal(sample.weight) if sample.weight else None,
                "is_sample": True,
            },
        )
        by_code[sample.code] = action
        for rep in sample.reports:
            report = wp.report_progress(
                actor=users[sample.reporter], action=action, report_date=rep.date,
                actual_value=Decimal(rep.actual), narrative=rep.narrative, amount_spent=rep.spent,
            )
            if rep.review == "accepted":
                wp.accept_report(actor=assistant, report=report, note="Bukti dukung sesuai.")
            elif rep.review == "returned":
                wp.return_report(actor=assistant, report=report, reason=rep.reason)
        if sample.cancel:
            wp.cancel_action(actor=coordinator, action=action, reason=sample.cancel, on=D(2021, 8, 2))
    return len(by_code)


def load_demo(*, stdout: Any = None) -> dict[str, Any]:
    """Load everything (idempotent: a second run changes nothing but the demo users' passwords).

    Returns {"regions": int, "units": int, "actions": int, "work_plan_id": int, "password": str}.
    """
    regions = Region.objects.count()
    if regions < 91_599:
        regions = sum(import_regions(settings.DATA_DIR / "wilayah" / "wilayah.csv").values())
    password = demo_password()
    with transaction.atomic():
        units = build_units()
        users = build_users(units, password)
        plan = build_agreements(units, users)
        if not plan.actions.exists():
            build_actions(plan, units, users)
        build_meeting_samples(plan, units, users)
        load_assessment_demo(work_plan=plan, units=units, users=users)
        load_survey_demo(work_plan=plan, units=units, users=users)
        load_complaint_demo(work_plan=plan, units=units, users=users)
    return {
        "regions": regions,
        "units": Unit.objects.subtree_of(units[GOVERNMENT_NAME]).count(),
        "actions": plan.actions.count(),
        "work_plan_id": plan.pk,
        "password": password,
    }
