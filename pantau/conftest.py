"""Shared pytest fixtures: a small government tree, a work plan, and personas (STYLE.md habit 8).

Personas: ``superuser``, ``ombudsman_admin`` (on the Jambi office), ``assistant`` (Ombudsman assistant on the
regency), ``coordinator`` (regional coordinator on the regency), ``officer`` (unit officer of Dukcapil),
``other_officer`` (unit officer of DPMPTSP, another agency), ``district_officer`` (officer of Kecamatan Mersam),
``viewer`` (viewer on the regency), ``outsider`` (an assistant assigned to another regency, Muaro Jambi).
"""

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from pantau.accounts.models import Role, RoleGrant, User
from pantau.agreements.models import Agreement, AgreementKind
from pantau.organizations.models import AgencyType, Unit, UnitKind
from pantau.regions.models import Region

TEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_a_manifest() -> Iterator[None]:
    """Tests render pages without running collectstatic first: unhashed static names (production hashes them,
    ``CompressedManifestStaticFilesStorage`` in settings; pantau/core/tests/test_compression.py checks that)."""
    from django.test import override_settings

    with override_settings(STORAGES=TEST_STORAGES):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Tests hash passwords with a fast hasher; production keeps Django's default (PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """Background tasks run inside the call that starts them (django-tasks' immediate backend): no worker in tests."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks_otherwise(settings: Any) -> Any:
    """Tests read the English source strings; pantau/core/tests/test_translations.py checks the Indonesian
    default and the catalogue."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def full_demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """The whole demo (``pantau load_demo``: all 91,599 regions, Batanghari, the samples) loaded once per test
    module, inside a transaction rolled back when the module ends. Each test still runs in its own savepoint
    (request ``db`` too), so what a test writes is undone after it and the next test sees the demo as loaded."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    var_dir = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def make_region(code: str, name: str) -> Region:
    """Create one region (kind and level from the code)."""
    from pantau.regions import codes

    parent = codes.parent_of(code)
    return Region.objects.create(
        code=code, name=name, level=codes.level_of(code), kind=codes.kind_of(code), parent_id=parent,
        province_code=code[:2],
    )


def make_user(username: str, role: str | None = None, unit: Unit | None = None, **extra: Any) -> User:
    """Create a user (password "correct-horse-battery-9") with an optional role on ``unit``."""
    user = User.objects.create_user(username=username, password="correct-horse-battery-9", **extra)
    if role and unit:
        RoleGrant.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    """Regions, units, an MoU and a work plan with no actions, and every persona."""
    for code, name in [
        ("15", "Jambi"), ("15.04", "Kabupaten Batanghari"), ("15.04.01", "Mersam"),
        ("15.04.01.2001", "Tapah Sari"), ("15.04.02", "Muara Tembesi"), ("15.05", "Kabupaten Muaro Jambi"),
    ]:
        make_region(code, name)
    office = Unit.objects.create(name="Ombudsman RI Perwakilan Jambi", kind=UnitKind.OMBUDSMAN_OFFICE, region_id="15")
    regency = Unit.objects.create(
        name="Pemerintah Kabupaten Batanghari", kind=UnitKind.REGIONAL_GOVERNMENT, region_id="15.04"
    )
    dukcapil = Unit.objects.create(
        name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Dukcapil", kind=UnitKind.AGENCY,
        agency_type=AgencyType.DINAS, parent=regency,
    )
    dukcapil_upt = Unit.objects.create(
        name="UPT Pelayanan Dukcapil Muara Tembesi", kind=UnitKind.SERVICE_UNIT, parent=dukcapil,
        region_id="15.04.02",
    )
    dpmptsp = Unit.objects.create(
        name="Dinas Penanaman Modal dan PTSP", short_name="DPMPTSP", kind=UnitKind.AGENCY,
        agency_type=AgencyType.DINAS, parent=regency,
    )
    mersam = Unit.objects.create(
        name="Kecamatan Mersam", kind=UnitKind.DISTRICT_OFFICE, parent=regency, region_id="15.04.01"
    )
    tapah_sari = Unit.objects.create(
        name="Pemerintah Desa Tapah Sari", kind=UnitKind.VILLAGE_GOVERNMENT, parent=mersam, region_id="15.04.01.2001"
    )
    other_regency = Unit.objects.create(
        name="Pemerintah Kabupaten Muaro Jambi", kind=UnitKind.REGIONAL_GOVERNMENT, region_id="15.05"
    )
    mou = Agreement.objects.create(
        kind=AgreementKind.MOU, title="Nota Kesepakatan", ombudsman_office=office, government=regency, is_signed=True
    )
    plan = Agreement.objects.create(
        kind=AgreementKind.WORK_PLAN, title="Rencana Kerja Pelayanan Publik 2020", parent=mou,
        ombudsman_office=office, government=regency, is_signed=True, signed_on=dt.date(2020, 11, 18),
        signed_place="Kantor Bupati Batanghari",
    )
    other_plan = Agreement.objects.create(
        kind=AgreementKind.WORK_PLAN, title="Rencana Kerja Muaro Jambi", ombudsman_office=office,
        government=other_regency, is_signed=True,
    )
    w = SimpleNamespace(
        office=office, regency=regency, dukcapil=dukcapil, dukcapil_upt=dukcapil_upt, dpmptsp=dpmptsp,
        mersam=mersam, tapah_sari=tapah_sari, other_regency=other_regency, mou=mou, plan=plan,
        other_plan=other_plan,
    )
    w.superuser = User.objects.create_superuser("root", password="correct-horse-battery-9")
    w.ombudsman_admin = make_user("ombudsman_admin", Role.OMBUDSMAN_ADMIN, office)
    w.assistant = make_user("assistant", Role.OMBUDSMAN_ASSISTANT, regency)
    w.coordinator = make_user("coordinator", Role.COORDINATOR, regency)
    w.officer = make_user("officer", Role.UNIT_OFFICER, dukcapil)
    w.other_officer = make_user("other_officer", Role.UNIT_OFFICER, dpmptsp)
    w.district_officer = make_user("district_officer", Role.UNIT_OFFICER, mersam)
    w.viewer = make_user("viewer", Role.VIEWER, regency)
    w.outsider = make_user("outsider", Role.OMBUDSMAN_ASSISTANT, other_regency)
    return w


def action_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    """Valid data for ``workplans.actions.create_action`` with ``unit`` responsible."""
    data: dict[str, Any] = {
        "code": "1",
        "title": "Publish the service standard of every service",
        "description": "",
        "finding": "Service standards not published",
        "start_date": dt.date(2021, 1, 1),
        "due_date": dt.date(2021, 12, 31),
        "responsible_unit": unit,
        "pic_position": "Kepala Dinas",
        "budget_planned": 15_000_000,
        "budget_source": "APBD",
        "fiscal_year": 2021,
        "indicator_name": "Services with a published standard",
        "indicator_unit": "services",
        "baseline": Decimal("0"),
        "target": Decimal("10"),
        "weight": None,
    }
    data.update(overrides)
    return data
