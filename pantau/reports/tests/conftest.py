"""Fixtures of the public-page tests: ``pw``, the ``world`` with published and verified figures that must appear on
the public pages, and seeded traps (drafts, unverified figures, personal data) that must never appear.

Figures chosen by hand (rules in the comments) so that each trap is a distinctive string:

- action 1 (Dukcapil, 0 -> 100 persen): a report of 10.00 accepted (Rp 2.500.000 spent), then a claim of 77.77
  (Rp 4.444.000) not yet verified: verified 10.00 %, realised Rp 2.500.000; the reported 77.77 % and the
  Rp 6.944.000 of both reports together are traps.
- action 2 (DPMPTSP): a report of 31.41 returned: nothing verified (trap 31.41).
- action 3: sample data. Action 4: cancelled (the cancel reason names Zaenab).
- action 5 with sub-actions 5.1 (50 of 100 accepted: 50.00 %) and 5.2 (nothing): the parent's verified roll-up is
  (50 + 0) / 2 = 25.00 %.
- an unsigned (draft) work plan "Rencana Draf Rahasia".
- compliance: the Ombudsman's published 2022 result of Batanghari, 92.03 (rules.md T8); a self-assessment of
  DPMPTSP published with every dimension at 56.78 (total 56.78, the weights sum to 100); a draft one of Dukcapil
  at 12.34 (trap).
- IKM: Dukcapil 2024H1 computed from rules.md T1 (85.00, B) and published; then recomputed as a draft changed to
  43.21 (trap: a later draft never replaces the published result); DPMPTSP 2024H2 a draft only (43.21 too).
- people: "Zaenab Trapname" (a unit officer with e-mail, whose position holds a phone number) reports, and her name
  and phone are typed into the action's description, finding, person in charge, narratives, review and cancel
  reasons; a complaint by "Rahmawati Jebakan" with phone and e-mail, whose NIK is set to the planted
  3201012345678901.
"""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache

from pantau.accounts.models import Role
from pantau.agreements.models import Agreement, AgreementKind, Signatory
from pantau.assessments.actions import publish_round, record_round
from pantau.assessments.models import ComplianceResult, MethodEdition, RoundKind
from pantau.complaints import actions as complaints
from pantau.complaints.models import ComplainantIdentity
from pantau.conftest import action_data, make_user
from pantau.surveys import actions as surveys
from pantau.surveys.models import IkmResult
from pantau.surveys.tests.helpers import csv_bytes, t1_rows
from pantau.workplans import actions as wp

PUBLISHED_AT = dt.datetime(2024, 8, 1, 3, 0, tzinfo=dt.UTC)

TEXT_TRAPS = [
    "Zaenab", "Trapname", "zaenab.trapname", "081298765432", "3201012345678901", "081311223344", "Rahmawati",
    "Jebakan", "rahma.jebakan", "Rencana Draf Rahasia", "KTP-el belum jadi juga", "csrfmiddlewaretoken",
]
"""Personal data, a draft plan's title, a complaint's subject and a CSRF token: never in a public response."""

DECIMAL_TRAPS = ["12.34", "43.21", "77.77", "31.41"]
"""Draft and unverified figures, searched in both notations (12.34 and 12,34) and not inside a longer number."""

MONEY_TRAPS = ["6.944.000", "6944000"]
"""The money of an unverified report counted as realised (both reports together)."""


def trap_hits(text: str) -> list[str]:
    """The traps found in ``text``."""
    hits = [t for t in TEXT_TRAPS if t.lower() in text.lower()]
    for number in DECIMAL_TRAPS:
        whole, fraction = number.split(".")
        if re.search(rf"(?<![\d.,]){whole}[.,]{fraction}(?!\d)", text):
            hits.append(number)
    return hits + [t for t in MONEY_TRAPS if t in text]


@pytest.fixture(autouse=True)
def _fresh_cache(db: Any) -> Any:
    """The public pages keep their data in Django's cache: every test starts and ends with it empty."""
    cache.clear()
    yield
    cache.clear()


def make(world: SimpleNamespace, unit: Any, **overrides: Any) -> Any:
    """Create an action in the plan as the regency coordinator (indicator 0 -> 100 persen unless overridden)."""
    data = action_data(unit, **{"target": Decimal(100), "indicator_unit": "persen", **overrides})
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=data)


def report(actor: Any, action: Any, value: str, *, on: dt.date = dt.date(2021, 3, 1), spent: int = 0,
           narrative: str = "progress") -> Any:
    """A progress report of ``value`` on ``action``."""
    return wp.report_progress(actor=actor, action=action, report_date=on, actual_value=Decimal(value),
                              narrative=narrative, amount_spent=spent)


@pytest.fixture
def pw(world: SimpleNamespace, settings: Any, tmp_path: Any) -> SimpleNamespace:
    """``world`` with the published figures and the traps of the module docstring."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Signatory.objects.create(agreement=world.plan, unit=world.regency, position="Sekretaris Daerah",
                             capacity=Signatory.Capacity.SIGNED)
    Signatory.objects.create(agreement=world.plan, unit=world.office, position="Kepala Perwakilan",
                             capacity=Signatory.Capacity.WITNESSED)
    zaenab = make_user("zaenab.trapname", Role.UNIT_OFFICER, world.dukcapil, first_name="Zaenab",
                       last_name="Trapname", email="zaenab.trapname@example.org",
                       position="Kepala Seksi, telepon 081298765432")
    world.zaenab = zaenab
    trap_text = "Hubungi Zaenab Trapname di 081298765432"

    world.verified = make(world, world.dukcapil, code="1", title="Standar pelayanan KTP-el dipublikasikan",
                          description=trap_text, finding=trap_text, pic_position="Kepala Seksi Zaenab Trapname",
                          indicator_name="Layanan dengan standar terbit", indicator_unit="persen",
                          baseline=Decimal(0), target=Decimal(100))
    accepted = report(zaenab, world.verified, "10.00", spent=2_500_000, narrative=trap_text)
    wp.accept_report(actor=world.assistant, report=accepted, note=trap_text)
    report(zaenab, world.verified, "77.77", on=dt.date(2021, 4, 1), spent=4_444_000, narrative=trap_text)

    world.returned = make(world, world.dpmptsp, code="2", title="Maklumat pelayanan perizinan dipasang")
    returned = report(world.other_officer, world.returned, "31.41", narrative=trap_text)
    wp.return_report(actor=world.assistant, report=returned, reason=trap_text)

    world.sample = make(world, world.dukcapil, code="3", title="Aksi ilustrasi antrean daring", is_sample=True)
    world.cancelled = make(world, world.dpmptsp, code="4", title="Aksi yang dibatalkan")
    wp.cancel_action(actor=world.coordinator, action=world.cancelled, reason=trap_text, on=dt.date(2021, 2, 1))

    world.parent = make(world, world.dukcapil, code="5", title="Pengaduan dikelola di setiap kecamatan")
    world.child1 = make(world, world.dukcapil, code="5.1", title="Unit pengaduan Mersam", parent=world.parent)
    world.child2 = make(world, world.dukcapil, code="5.2", title="Unit pengaduan Muara Tembesi",
                        parent=world.parent)
    wp.accept_report(actor=world.assistant, report=report(zaenab, world.child1, "50"))

    world.draft_plan = Agreement.objects.create(
        kind=AgreementKind.WORK_PLAN, title="Rencana Draf Rahasia", ombudsman_office=world.office,
        government=world.regency, is_signed=False)

    edition = MethodEdition.objects.get(code="ombudsman-2022")
    world.result = ComplianceResult.objects.create(
        region_id="15.04", province_code="15", entity_name="Kabupaten Batanghari", year=2022, edition=edition,
        score=Decimal("92.03"), published_zone="hijau", published_category="A",
        source_url="https://example.org/kepatuhan-2022; javascript:alert(1)")
    on = dt.date(2023, 5, 15)
    world.draft_round = record_round(
        actor=world.coordinator, edition=edition, year=2023, kind=RoundKind.SELF_ASSESSMENT, assessed_on=on,
        unit=world.dukcapil, dimension_scores=dict.fromkeys(("input", "proses", "output", "pengaduan"), "12.34"),
        note=trap_text).round
    world.published_round = record_round(
        actor=world.coordinator, edition=edition, year=2023, kind=RoundKind.SELF_ASSESSMENT, assessed_on=on,
        unit=world.dpmptsp, dimension_scores=dict.fromkeys(("input", "proses", "output", "pengaduan"), "56.78"),
        note=trap_text).round
    publish_round(actor=world.assistant, assessment=world.published_round, now=PUBLISHED_AT)

    period = surveys.create_period(actor=world.officer, unit=world.dukcapil, service_name="KTP-el",
                                   start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30), population=10)
    surveys.import_responses(actor=world.officer, period=period, data=csv_bytes(t1_rows()), file_name="t1.csv")
    world.ikm = surveys.compute_result(actor=world.officer, period=period, today=dt.date(2024, 7, 1))
    surveys.publish_result(actor=world.assistant, result=world.ikm, now=PUBLISHED_AT)
    later = surveys.compute_result(actor=world.officer, period=period, today=dt.date(2024, 7, 2))
    IkmResult.objects.filter(pk=later.pk).update(ikm=Decimal("43.21"), grade="D")
    other = surveys.create_period(actor=world.coordinator, unit=world.dpmptsp, service_name="Perizinan",
                                  start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31), population=10)
    surveys.import_responses(actor=world.coordinator, period=other, data=csv_bytes(t1_rows()), file_name="t1.csv")
    draft_ikm = surveys.compute_result(actor=world.coordinator, period=other, today=dt.date(2025, 1, 2))
    IkmResult.objects.filter(pk=draft_ikm.pk).update(ikm=Decimal("43.21"), grade="D")

    complaint = complaints.submit_complaint(
        government=world.regency, unit=world.dukcapil, subject="KTP-el belum jadi juga",
        description="Sudah tiga bulan menunggu.", name="Rahmawati Jebakan", nik="1504014107880042",
        phone="081311223344", email="rahma.jebakan@example.org").complaint
    ComplainantIdentity.objects.filter(complaint=complaint).update(nik="3201012345678901")
    return world
