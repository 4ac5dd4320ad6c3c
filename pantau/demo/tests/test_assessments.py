"""The issue-4 demo builds what it says: Batanghari's real published results linked to the government, a sample
self-assessment whose findings became sample actions, a later sample self-assessment that closed two of them and
credited their actions (a self-assessment closes only self-assessment findings), and sample service standards whose
gaps are findings. A second load changes nothing."""

from decimal import Decimal as D

from pantau.assessments.models import AssessmentRound, ComplianceResult, RoundKind
from pantau.audit.models import AuditEntry
from pantau.demo.assessments import load_demo
from pantau.findings.models import Credit, Finding
from pantau.standards.actions import register_for
from pantau.standards.models import Service, ServiceStandard
from pantau.workplans.models import Action


def test_every_published_jambi_result_is_imported_and_batanghari_s_are_linked(demo):
    # data/ombudsman/kepatuhan_jambi.csv has 44 rows; Batanghari (15.04): 2018, 2019, 2022, 2024.
    assert demo.counts["results"] == 44
    assert ComplianceResult.objects.count() == 44
    batanghari = ComplianceResult.objects.filter(region_id="15.04").order_by("year")
    assert [(r.year, r.score, r.unit) for r in batanghari] == [
        (2018, D("93.71"), demo.world.regency), (2019, D("93.71"), demo.world.regency),
        (2022, D("92.03"), demo.world.regency), (2024, D("88.34"), demo.world.regency),
    ]
    assert ComplianceResult.objects.filter(unit__isnull=False).count() == 4


def test_the_sample_self_assessment_s_findings_became_sample_actions(demo):
    rounds = AssessmentRound.objects.filter(kind=RoundKind.SELF_ASSESSMENT, year=2023)
    assert rounds.count() == 4 and all(r.is_sample for r in rounds)
    # 4 rounds in 2023 and 2 follow-up rounds in 2024, all self-assessments
    assert AssessmentRound.objects.filter(kind=RoundKind.SELF_ASSESSMENT).count() == 6
    assert AssessmentRound.objects.exclude(kind=RoundKind.SELF_ASSESSMENT).count() == 0
    # below the pass mark 78.00: Dukcapil pengaduan 70; DPMPTSP kompetensi 70 and pengaduan 72; Dinkes proses 76;
    # Mersam input 70, proses 74, pengaduan 60
    findings = Finding.objects.filter(source="assessment")
    assert findings.count() == 7
    assert demo.counts["actions"] == 7
    actions = Action.objects.filter(work_plan=demo.world.plan)
    assert actions.count() == 7 and all(a.is_sample for a in actions)
    assert all(f.actions.count() == 1 for f in findings)
    dukcapil = AssessmentRound.objects.get(kind=RoundKind.SELF_ASSESSMENT, year=2023, unit=demo.world.dukcapil)
    assert (dukcapil.total, dukcapil.computed_band, dukcapil.computed_zone) == (D("82.73"), "B", "hijau")


def test_the_sample_follow_up_self_assessment_closed_two_findings_and_credited_their_actions(demo):
    closed = Finding.objects.filter(source="assessment", closed_on__isnull=False)
    assert sorted((f.unit.name, f.source_key, f.closing_value) for f in closed) == [
        ("Dinas Kependudukan dan Pencatatan Sipil", "assessment:self:ombudsman-2022:pengaduan", D("84.00")),
        ("Dinas Penanaman Modal dan PTSP", "assessment:self:ombudsman-2022:pengaduan", D("80.00")),
    ]
    assert sorted((c.value_before, c.value_after, c.change) for c in Credit.objects.all()) == [
        (D("70.00"), D("84.00"), D("14.00")), (D("72.00"), D("80.00"), D("8.00")),
    ]
    # the credited actions report the new score, verified by the Ombudsman assistant
    assert sorted(c.action.actual_verified for c in Credit.objects.select_related("action")) == [
        D("80.00"), D("84.00")
    ]
    still_open = Finding.objects.get(source_key="assessment:self:ombudsman-2022:input:kompetensi")
    assert (still_open.closed_on, still_open.baseline) == (None, D("76.00"))


def test_sample_standards_show_gaps_per_agency_district_and_village(demo):
    assert Service.objects.count() == 9
    assert all(s.is_sample for s in ServiceStandard.objects.all())
    # hand count per standard: missing components + delivery components not published + no adopted maklumat:
    # KTP-el 0, Akta 2, PBG 2+6, SIP 6+1, Legalisasi 0, Ahli Waris 4+1, Domisili 0, SKU 8+4+1, SKCK 2 = 37
    assert Finding.objects.filter(source="standard").count() == 37
    register = register_for(demo.world.regency)
    assert (register.total.services, register.total.complete, register.total.publishable_ok) == (9, 3, 4)
    agencies = {row.unit.name: (row.rollup.services, row.rollup.complete) for row in register.agencies}
    assert agencies["Dinas Kependudukan dan Pencatatan Sipil"] == (2, 1)
    assert agencies["Dinas Kesehatan"] == (1, 0)
    districts = {row.unit.name: (row.rollup.complete, row.villages.services, row.villages.complete)
                 for row in register.districts}
    assert districts == {"Kecamatan Mersam": (1, 2, 1), "Kecamatan Muara Bulian": (0, 1, 0)}
    assert len(register.villages) == 4  # world's Tapah Sari (no service) and the three sample villages


def test_a_second_load_changes_nothing(demo):
    counts = [m.objects.count() for m in (ComplianceResult, AssessmentRound, Finding, Action, Credit, Service,
                                          ServiceStandard)]
    audit = AuditEntry.objects.exclude(action="import").count()
    again = load_demo(work_plan=demo.world.plan, units=demo.units, users=demo.users)
    assert (again["changed"], again["linked"], again["actions"], again["standards"]) == (0, 0, 0, 0)
    assert [m.objects.count() for m in (ComplianceResult, AssessmentRound, Finding, Action, Credit, Service,
                                        ServiceStandard)] == counts
    # only the importer's own IMPORT entry records that the file was read again
    assert AuditEntry.objects.exclude(action="import").count() == audit


def test_everything_the_demo_wrote_is_audited(demo):
    for model in (AssessmentRound, Credit, Finding, Action, Service, ServiceStandard, ComplianceResult):
        for obj in model.objects.all():
            assert AuditEntry.objects.for_object(obj).filter(action="create").exists(), obj
    linked = ComplianceResult.objects.get(region_id="15.04", year=2022)
    assert AuditEntry.objects.for_object(linked).filter(action="update").count() == 1
