"""The demo loads the real Batanghari structure and the founding work plan, and is idempotent."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from pantau.agreements.models import Agreement, AgreementKind
from pantau.audit.models import AuditEntry
from pantau.meetings.models import Attendance, Decision, Meeting, MeetingMode
from pantau.organizations.models import Unit, UnitKind, Verification
from pantau.workplans.models import Action


@pytest.fixture
def demo(full_demo, db, settings, tmp_path):
    """The demo, loaded once for this module (``full_demo``); each test's changes are rolled back."""
    settings.VAR_DIR = tmp_path


def check_batanghari_from_the_real_regions():
    regency = Unit.objects.get(name="Pemerintah Kabupaten Batanghari")
    assert regency.region_id == "15.04"
    below = Unit.objects.subtree_of(regency)
    # 8 district offices and 124 village governments (rules.md T13: 14 kelurahan + 110 desa)
    assert below.filter(kind=UnitKind.DISTRICT_OFFICE).count() == 8
    assert below.filter(kind=UnitKind.VILLAGE_GOVERNMENT).count() == 124
    assert below.filter(kind=UnitKind.VILLAGE_GOVERNMENT, name__startswith="Kelurahan ").count() == 14
    mersam = Unit.objects.get(name="Kecamatan Mersam")
    assert mersam.region_id == "15.04.01"
    assert Unit.objects.get(name="Kelurahan Kembang Paseban").parent == mersam  # opd.csv: 15.04.01.1001


def check_agencies_without_a_source_are_marked_typical():
    assert Unit.objects.get(name="Dinas Komunikasi dan Informatika").verification == Verification.VERIFIED
    assert Unit.objects.get(name="Dinas Kependudukan dan Pencatatan Sipil").verification == Verification.TYPICAL
    assert Unit.objects.get(name="Bagian Organisasi").parent.name == "Sekretariat Daerah Kabupaten Batanghari"


def check_the_founding_work_plan_and_its_hybrid_signing():
    plan = Agreement.objects.get(kind=AgreementKind.WORK_PLAN)
    assert plan.signed_on == dt.date(2020, 11, 18)
    assert plan.parent.kind == AgreementKind.MOU
    assert plan.parent.signed_on is None  # the MoU's date is not in the source
    positions = set(plan.signatories.values_list("position", flat=True))
    assert positions == {"Pj. Sekretaris Daerah Kabupaten Batanghari", "Kepala Perwakilan Ombudsman RI Provinsi Jambi"}
    signing, mentoring = Meeting.objects.filter(agreement=plan).order_by("date")
    assert (signing.date, signing.mode) == (dt.date(2020, 11, 18), MeetingMode.HYBRID)
    assert (mentoring.date, mentoring.mode) == (dt.date(2021, 3, 2), MeetingMode.IN_PERSON)
    # the sources publish no hour, room capacity or attendance count: all stay unknown
    for meeting in (signing, mentoring):
        assert (meeting.starts_at, meeting.room_capacity) == (None, None)
        assert (meeting.attendance_in_person, meeting.attendance_online) == (None, None)
        assert meeting.zone == "Asia/Jakarta"  # Jambi, WIB (rules.md section 10)
    # entered through the write paths: each has its audit trail
    for obj in (plan, plan.parent, signing, mentoring):
        assert AuditEntry.objects.for_object(obj).filter(action="create").count() == 1


def check_the_mentorings_sample_attendance_and_decision_are_marked():
    mentoring = Meeting.objects.get(date=dt.date(2021, 3, 2))
    rows = mentoring.attendances.all()
    assert rows.count() == 6 and all(r.is_sample and r.mode == "in_person" for r in rows)
    assert not Meeting.objects.get(date=dt.date(2020, 11, 18)).attendances.exists()
    decision = mentoring.decisions.get()
    assert (decision.is_sample, decision.status, decision.kind) == (True, "applied", "create")
    assert decision.action.is_sample and decision.action.responsible_unit.name == "Bagian Organisasi"
    assert list(decision.action.decisions.all()) == [decision]


def check_sample_actions_are_flagged_and_audited():
    actions = Action.objects.all()
    # 12 listed actions + one per district (8) from core/demo.py + one created by the sample decision of the
    # 2 March 2021 mentoring; the assessment and survey demos add actions proposed from their findings
    # (F<finding id> codes), each linked to its finding
    listed = actions.exclude(code__startswith="F")
    assert listed.count() == 21
    assert all(a.findings.exists() for a in actions.filter(code__startswith="F"))
    assert not actions.filter(is_sample=False).exists()
    assert AuditEntry.objects.filter(action="create", content_type__model="action").count() == actions.count()


def test_the_demo_holds_batanghari_and_its_work_plan(demo):
    """One load (it imports all 91,599 regions), several checks."""
    check_batanghari_from_the_real_regions()
    check_agencies_without_a_source_are_marked_typical()
    check_the_founding_work_plan_and_its_hybrid_signing()
    check_the_mentorings_sample_attendance_and_decision_are_marked()
    check_sample_actions_are_flagged_and_audited()


def test_loading_twice_changes_nothing(demo):
    def counts():
        return (Unit.objects.count(), Action.objects.count(), Agreement.objects.count(), Meeting.objects.count(),
                Attendance.objects.count(), Decision.objects.count())

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_ombudsman_admin_may_correct_provisional_thresholds_and_nothing_else_in_the_admin(demo):
    from django.test import Client

    from pantau.accounts.models import User
    from pantau.assessments.models import Band

    client = Client()
    client.force_login(User.objects.get(username="ombudsman.admin"))
    band = Band.objects.filter(is_provisional=True).first()
    assert client.get(f"/admin/assessments/band/{band.pk}/change/").status_code == 200
    assert client.get("/admin/workplans/action/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403


def test_the_demos_public_page_labels_every_sample_row_and_names_no_person(demo, client):
    """The demo's actions are all sample data (README): on Batanghari's public page every action row carries the
    label and so does every row of the action file; no user name is shown."""
    import re

    from django.conf import settings
    from django.core.cache import cache

    from pantau.accounts.models import User
    from pantau.reports.public import ACTIONS_PER_PAGE

    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get("/publik/15.04/").content.decode()
    rows = re.findall(r'<tr id="aksi-\d+"[^>]*>(.*?)</tr>', page, re.S)
    assert len(rows) == min(Action.objects.filter(work_plan__kind=AgreementKind.WORK_PLAN).count(), ACTIONS_PER_PAGE)
    assert all("CONTOH" in row for row in rows)
    assert "Hanya kemajuan yang diverifikasi Ombudsman" in page
    files = "".join(client.get(f"/publik/15.04/data/{slug}.csv").content.decode("utf-8-sig")
                    for slug in ("rencana-kerja", "aksi", "kepatuhan", "ikm"))
    assert files.count(",true,/api/v1/actions/") == Action.objects.count()  # is_sample on every action row
    for user in User.objects.all():  # the demo's users have no names; their user names are never shown
        assert f">{user.username}<" not in page and f",{user.username}," not in files
    cache.clear()
