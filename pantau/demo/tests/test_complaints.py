"""The demo complaints: sample data, written through the write paths, idempotent, and the loop from a repeated
complaint to an action in the work plan."""

import pytest

from pantau.audit.models import AuditEntry
from pantau.complaints.models import Complaint, OmbudsmanReport
from pantau.demo import complaints as demo
from pantau.findings.models import Finding
from pantau.standards.models import Service


@pytest.fixture
def loaded(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Service.objects.create(unit=world.dukcapil, name="Penerbitan KTP-el")
    Service.objects.create(unit=world.dpmptsp, name="Persetujuan Bangunan Gedung")
    world.units = {demo.DUKCAPIL: world.dukcapil, demo.DPMPTSP: world.dpmptsp, demo.MERSAM: world.mersam,
                   demo.GOVERNMENT: world.regency}
    world.users = {"petugas.dukcapil": world.officer, "koordinator": world.coordinator, "asisten": world.assistant}
    world.created = demo.load_demo(work_plan=world.plan, units=world.units, users=world.users)
    return world


def test_six_sample_complaints_in_every_stage(loaded):
    assert loaded.created == {"complaints": 6, "actions": 1}
    stages = dict(Complaint.objects.values_list("external_ticket", "stage"))
    assert stages == {"CONTOH-01": "closed", "CONTOH-02": "not_resolved", "CONTOH-03": "in_progress",
                      "CONTOH-04": "received", "CONTOH-05": "answered", "CONTOH-06": "received"}
    assert not Complaint.objects.filter(is_sample=False).exists()
    assert all(c.identity.name.startswith("Pelapor Contoh") and not c.identity.nik for c in Complaint.objects.all())
    assert OmbudsmanReport.objects.get().stage == "verification"
    assert AuditEntry.objects.filter(content_type__model="complaint", action="create").count() == 6


def test_the_repeated_ktp_complaints_became_an_action_in_the_work_plan(loaded):
    finding = Finding.objects.get(source="complaint")
    assert finding.title == "Complaints about the service Penerbitan KTP-el" and finding.is_sample
    assert finding.baseline == 4  # CONTOH-01 to -04, received 80, 60, 40 and 20 days ago
    [action] = finding.actions.all()
    assert action.work_plan == loaded.plan and action.is_sample


def test_loading_twice_changes_nothing(loaded):
    counts = (Complaint.objects.count(), Finding.objects.count(), loaded.plan.actions.count())
    entries = AuditEntry.objects.count()
    again = demo.load_demo(work_plan=loaded.plan, units=loaded.units, users=loaded.users)
    assert again == {"complaints": 0, "actions": 0}
    assert (Complaint.objects.count(), Finding.objects.count(), loaded.plan.actions.count()) == counts
    assert AuditEntry.objects.count() == entries
