"""Storing standards, rolling completeness up the unit tree, and turning gaps into findings (the shared loop)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pantau.findings.actions import propose_actions
from pantau.findings.models import Finding
from pantau.standards.actions import import_standard, record_standard_findings, rollup_children, rollup_for
from pantau.standards.models import Service, StandardComponent

DATA = Path(__file__).parent / "data"
TANJABBAR = json.loads((DATA / "standar_pelayanan_tanjabbar_dpmptsp_izin_praktik_dokter_hewan.json").read_text())
AMPENAN = json.loads((DATA / "standar_pelayanan_ref_kec_ampenan_permintaan_data.json").read_text())
ON = dt.date(2021, 3, 2)


def test_a_standard_is_stored_one_row_per_component_and_null_stays_not_available(world):
    standard = import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    assert standard.service.name == "Izin Kerja/Praktek Dokter Hewan"
    assert standard.components.count() == 14
    biaya = standard.components.get(code="biaya_tarif")
    assert (biaya.content, biaya.is_present) == (None, False)
    assert standard.components.get(code="dasar_hukum").content == TANJABBAR["components"]["dasar_hukum"]
    assert standard.is_adopted  # the Lampiran of a Keputusan Bupati


def test_only_the_units_own_officers_and_planners_record_standards(world):
    with pytest.raises(PermissionDenied):
        import_standard(actor=world.other_officer, unit=world.dukcapil, data=AMPENAN)
    with pytest.raises(PermissionDenied):
        import_standard(actor=world.assistant, unit=world.dukcapil, data=AMPENAN)
    with pytest.raises(PermissionDenied):
        import_standard(actor=world.outsider, unit=world.dpmptsp, data=AMPENAN)
    with pytest.raises(ValidationError):
        import_standard(actor=world.coordinator, unit=world.dpmptsp, data={"components": {"warna": "x"}})
    assert Service.objects.count() == 0


def test_every_gap_of_the_partial_standard_becomes_a_finding_on_the_unit(world):
    standard = import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    findings = record_standard_findings(actor=world.assistant, standard=standard, detected_on=ON)
    # 12 missing components + persyaratan present but not published + no adopted maklumat
    assert len(findings) == 14
    assert {f.unit for f in findings} == {world.dpmptsp}
    sid = standard.service.pk
    assert f"standard:service-{sid}:biaya_tarif" in {f.source_key for f in findings}
    assert f"standard:service-{sid}:persyaratan:published" in {f.source_key for f in findings}
    assert f"standard:service-{sid}:maklumat" in {f.source_key for f in findings}
    assert {f.source for f in findings} == {"standard"}
    # recording again does not duplicate
    record_standard_findings(actor=world.assistant, standard=standard, detected_on=ON)
    assert Finding.objects.count() == 14


def test_a_later_complete_standard_closes_the_findings(world):
    first = import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    record_standard_findings(actor=world.assistant, standard=first, detected_on=ON)
    components = dict(AMPENAN["components"], evaluasi_kinerja_pelaksana="Evaluasi kinerja pelaksana tiap tahun")
    later = import_standard(
        actor=world.coordinator, unit=world.dpmptsp, service_name=first.service.name, published=True,
        data={"title": "Standar Pelayanan: Izin Kerja/Praktek Dokter Hewan", "components": components},
        adopted_on=dt.date(2022, 1, 10),
    )
    later.maklumat_adopted = True
    later.save()
    assert first.service.current_standard() == later
    assert record_standard_findings(actor=world.assistant, standard=later, detected_on=dt.date(2022, 2, 1)) == []
    assert Finding.objects.filter(closed_on=dt.date(2022, 2, 1)).count() == 14
    assert Finding.objects.filter(closed_on__isnull=True).count() == 0


def test_a_standard_finding_becomes_a_proposed_action(world):
    standard = import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    findings = record_standard_findings(actor=world.assistant, standard=standard, detected_on=ON)
    biaya = next(f for f in findings if f.source_key.endswith(":biaya_tarif"))
    [action] = propose_actions(actor=world.coordinator, work_plan=world.plan, findings=[biaya], today=ON)
    assert action.responsible_unit == world.dpmptsp
    assert list(action.findings.all()) == [biaya]


def test_only_planners_and_ombudsman_assistants_record_findings(world):
    standard = import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    for persona in (world.other_officer, world.viewer, world.outsider):
        with pytest.raises(PermissionDenied):
            record_standard_findings(actor=persona, standard=standard, detected_on=ON)
    assert Finding.objects.count() == 0


def test_completeness_rolls_up_from_services_to_agencies_to_the_regency(world, django_assert_num_queries):
    import_standard(actor=world.coordinator, unit=world.dukcapil, data=AMPENAN, published=True)
    import_standard(actor=world.coordinator, unit=world.dpmptsp, data=TANJABBAR)
    Service.objects.create(unit=world.dukcapil_upt, name="Penerbitan KTP-el")  # no standard at all
    with django_assert_num_queries(3):
        regency = rollup_for(world.regency)
    assert (regency.services, regency.complete, regency.publishable_ok) == (3, 0, 1)
    assert regency.missing_by_component["evaluasi_kinerja_pelaksana"] == 3
    children = {unit.name: rollup for unit, rollup in rollup_children(world.regency)}
    assert children["Dinas Kependudukan dan Pencatatan Sipil"].services == 2  # the agency and its UPT
    assert children["Dinas Kependudukan dan Pencatatan Sipil"].publishable_ok == 1
    assert children["Dinas Penanaman Modal dan PTSP"].services == 1
    assert children["Kecamatan Mersam"].services == 0
    upt = rollup_for(world.dukcapil_upt)
    assert (upt.services, upt.complete, upt.missing_by_component["dasar_hukum"]) == (1, 0, 1)


def test_an_empty_component_is_not_present_either(world):
    standard = import_standard(actor=world.coordinator, unit=world.dukcapil, data=AMPENAN, published=True)
    StandardComponent.objects.filter(standard=standard, code="biaya_tarif").update(content="")
    keys = {f.source_key for f in record_standard_findings(actor=world.coordinator, standard=standard,
                                                             detected_on=ON)}
    sid = standard.service.pk
    assert keys == {f"standard:service-{sid}:biaya_tarif", f"standard:service-{sid}:evaluasi_kinerja_pelaksana",
                    f"standard:service-{sid}:maklumat"}
