"""Evidence files and crashes (issue 10): a file is written to storage only when its report's transaction commits,
so a transaction that rolls back, or a request killed before its commit, leaves no file on disk; ``pantau
sweep_orphan_files`` finds (dry run) and removes (``--delete``) files no row references."""

import datetime as dt
import io
import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def send(world: Any, action: Any, name: str = "SK.pdf") -> ProgressReport:
    return wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                              actual_value=Decimal("4"), narrative="x", files=[SimpleUploadedFile(name, PDF)])


@pytest.fixture
def action(world: Any) -> Any:
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))


def test_a_committed_report_writes_its_file_under_the_name_its_row_holds(world, action, media,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = send(world, action)
    evidence = report.evidence.get()
    assert files_under(media) == [evidence.file.name]
    assert (media / evidence.file.name).read_bytes() == PDF


def test_a_transaction_that_rolls_back_leaves_no_file(world, action, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        send(world, action)
        raise RuntimeError("a later step of the same request fails")
    assert callbacks == []  # nothing left to write once the transaction is gone
    assert files_under(media) == []
    assert not Evidence.objects.exists()


def test_a_killed_upload_leaves_no_file(world, action, media, monkeypatch, django_capture_on_commit_callbacks):
    """The process dies after the evidence rows were written but before the commit (here: the audit step raises
    as a kill would interrupt it); the rows roll back and no byte reached the disk."""
    def killed(**kwargs: Any) -> None:
        raise SystemExit("worker killed")

    monkeypatch.setattr(wp, "record", killed)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(SystemExit):
        send(world, action)
    assert callbacks == [] and files_under(media) == []
    assert not ProgressReport.objects.exists()


def age(path: Path, minutes: int) -> None:
    past = time.time() - minutes * 60
    os.utime(path, (past, past))


def test_the_sweep_lists_orphans_in_a_dry_run_and_removes_them_with_delete(world, action, media,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kept = send(world, action).evidence.get().file.name
    orphan = media / "evidence" / "left-by-a-crash.pdf"
    orphan.write_bytes(PDF)
    young = media / "evidence" / "being-written-now.pdf"
    young.write_bytes(PDF)
    age(media / kept, 120)
    age(orphan, 120)

    out = io.StringIO()
    call_command("sweep_orphan_files", stdout=out)
    assert out.getvalue().splitlines() == [
        f"orphan: evidence/left-by-a-crash.pdf ({len(PDF)} B)",
        f"1 orphan file(s), {len(PDF)} bytes, found (dry run; --delete removes them).",
    ]
    assert orphan.exists()  # a dry run deletes nothing

    out = io.StringIO()
    call_command("sweep_orphan_files", "--delete", stdout=out)
    assert "deleted: evidence/left-by-a-crash.pdf" in out.getvalue()
    assert not orphan.exists()
    assert (media / kept).exists() and young.exists()  # referenced, and too young to judge


def test_the_sweep_counts_every_file_field_of_every_model(world, media):
    from pantau.core.management.commands.sweep_orphan_files import referenced_names

    (media / "agreements").mkdir(parents=True)
    (media / "agreements" / "mou.pdf").write_bytes(PDF)
    type(world.plan).objects.filter(pk=world.plan.pk).update(document="agreements/mou.pdf")
    assert "agreements/mou.pdf" in referenced_names()
