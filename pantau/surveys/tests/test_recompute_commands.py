"""``pantau recompute_ikm`` (IKM on the bulk path) and ``pantau reband_results`` (compliance re-banding): permission,
dry run, audit, output.

Expected values come from domain/rules.md or are computed by hand in the comments, never from running the code.
"""

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pantau.accounts.models import Role
from pantau.assessments import scoring
from pantau.assessments.models import Band, ComplianceResult, MethodEdition
from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import make_region, make_user
from pantau.organizations.models import Unit, UnitKind
from pantau.surveys import actions as services
from pantau.surveys.models import IkmResult, Response, SurveyPeriod

T1_TOTALS = (35, 33, 30, 38, 34, 36, 37, 31, 32)
"""rules.md section 3 / T1: element totals of 10 respondents -> IKM 85.00 B (0.11 variant 84.15 B), U3 75.00 C."""

COMPARED = (
    "ikm", "grade", "weight_variant", "rounding_rule", "n_responses", "population", "required_sample", "is_adequate",
    *[f"nrr_u{i}" for i in range(1, 10)], *[f"converted_u{i}" for i in range(1, 10)],
)


IKM, REBAND = "recompute_ikm", "reband_results"


def run(command: str, *args: str) -> str:
    """Run ``command`` and return its standard output."""
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def run_json(command: str, *args: str) -> dict[str, Any]:
    """Run ``command`` with ``--format json`` and parse its output."""
    return json.loads(run(command, *args, "--format", "json"))


def add_responses(period: SurveyPeriod, columns: list[list[int]]) -> None:
    """Create one response per row of ``columns`` transposed: ``columns[j]`` holds every answer to element U(j+1)."""
    for answers in zip(*columns, strict=True):
        Response.objects.create(period=period, source="paper_import", province_code=period.province_code,
                                **{f"u{j + 1}": score for j, score in enumerate(answers)})


def t1_columns() -> list[list[int]]:
    """Element j: (total_j - 30) answers 4, the rest 3, over 10 respondents (U1 = 5 x 4 + 5 x 3 = 35, U3 = 30)."""
    return [[4] * (total - 30) + [3] * (40 - total) for total in T1_TOTALS]


def province_16() -> None:
    """Region 16 (Sumatera Selatan), once."""
    from pantau.regions.models import Region

    if not Region.objects.filter(code="16").exists():
        make_region("16", "Sumatera Selatan")


def period(unit: Unit, start: dt.date, population: int | None = None, service: str = "") -> SurveyPeriod:
    """A survey period of six months starting ``start``."""
    return SurveyPeriod.objects.create(unit=unit, service_name=service, start_date=start,
                                       end_date=start + dt.timedelta(days=180), population=population)


@pytest.fixture
def skm(world: SimpleNamespace) -> SimpleNamespace:
    """Four demo-like periods in province 15 and one in province 16 (all without a stored result).

    - ``t1``: Dukcapil, rules.md T1 (10 responses), population 10 -> required 10 (rules.md T4), adequate.
    - ``half``: DPMPTSP, 8 responses, every element 3,3,3,3,3,3,3,4 = 25: converted 25 x 25 / 8 = 78.125 -> 78.13 B
      (half-up; half-even would give 78.12), NRR 3.1250; IKM 25 x 225 / 72 = 78.125 -> 78.13 B.
    - ``low``: Kecamatan Mersam, 4 responses all 2: every element 50.00 D; IKM 50.00 D; population 50 -> required 44
      (rules.md T4), not adequate.
    - ``empty``: the UPT, no responses (skipped).
    - ``sumsel``: a unit in province 16, 4 responses all 4: IKM 100.00 A.
    """
    province_16()
    other = Unit.objects.create(name="Dinas Kesehatan Sumsel", kind=UnitKind.AGENCY, region_id="16")
    s = SimpleNamespace(world=world)
    s.t1 = period(world.dukcapil, dt.date(2025, 7, 1), population=10, service="KTP-el")
    add_responses(s.t1, t1_columns())
    s.half = period(world.dpmptsp, dt.date(2026, 1, 1))
    add_responses(s.half, [[3] * 7 + [4] for _ in range(9)])
    s.low = period(world.mersam, dt.date(2026, 1, 1), population=50)
    add_responses(s.low, [[2] * 4 for _ in range(9)])
    s.empty = period(world.dukcapil_upt, dt.date(2026, 1, 1))
    s.sumsel = period(other, dt.date(2026, 1, 1))
    add_responses(s.sumsel, [[4] * 4 for _ in range(9)])
    return s


def latest(p: SurveyPeriod) -> IkmResult:
    """The latest result of a period."""
    result = IkmResult.objects.filter(period=p).order_by("-computed_at", "-id").first()
    assert result is not None
    return result


# ----------------------------------------------------------------------------------------------------------------
# Surveys


def test_the_bulk_recomputation_stores_the_hand_computed_ikm_of_every_period_with_responses(
    skm: SimpleNamespace,
) -> None:
    data = run_json(IKM, "--user", "root")
    part = data["surveys"]
    assert (part["periods"], part["skipped_no_responses"], part["created"], part["changed"], part["stored"]) == (
        5, 1, 4, 0, 4)
    assert part["low_element_periods"] == 2  # T1 (U3 75.00 C) and Mersam (all D)
    t1 = latest(skm.t1)
    assert (t1.ikm, t1.grade, t1.weight_variant, t1.n_responses) == (D("85.00"), "B", "exact", 10)
    assert (t1.nrr_u1, t1.converted_u1, t1.converted_u3, t1.converted_u4) == (D("3.5000"), D("87.50"), D("75.00"),
                                                                              D("95.00"))
    assert (t1.required_sample, t1.is_adequate, t1.computed_by) == (10, True, skm.world.superuser)
    half = latest(skm.half)
    assert (half.ikm, half.grade, half.nrr_u5, half.converted_u9) == (D("78.13"), "B", D("3.1250"), D("78.13"))
    assert (half.required_sample, half.is_adequate) == (None, None)
    low = latest(skm.low)
    assert (low.ikm, low.grade, low.converted_u1, low.required_sample, low.is_adequate) == (
        D("50.00"), "D", D("50.00"), 44, False)
    assert (latest(skm.sumsel).ikm, latest(skm.sumsel).grade) == (D("100.00"), "A")
    assert not IkmResult.objects.filter(period=skm.empty).exists()
    assert "PermenPANRB 14/2017" in t1.rounding_rule


def test_the_bulk_results_equal_the_per_period_compute_result(skm: SimpleNamespace) -> None:
    run(IKM, "--user", "root")
    for p in (skm.t1, skm.half, skm.low, skm.sumsel):
        bulk = latest(p)
        single = services.compute_result(actor=skm.world.superuser, period=p, today=dt.date(2026, 8, 1))
        single.refresh_from_db()
        assert {name: getattr(single, name) for name in COMPARED} == {name: getattr(bulk, name) for name in COMPARED}


def test_a_second_run_finds_nothing_to_change_and_a_new_response_appends_a_result(skm: SimpleNamespace) -> None:
    run(IKM, "--user", "root")
    again = run_json(IKM, "--user", "root")["surveys"]
    assert (again["unchanged"], again["created"], again["changed"], again["stored"]) == (4, 0, 0, 0)
    # One more response scoring 4 everywhere: n = 11, sum = 306 + 36 = 342, IKM = 25 x 342 / 99 = 86.3636 -> 86.36 B;
    # U3 = 25 x 34 / 11 = 77.27 B, so no element is C or D any more (lowest: U3).
    add_responses(skm.t1, [[4] for _ in range(9)])
    third = run_json(IKM, "--user", "root")["surveys"]
    assert (third["changed"], third["stored"]) == (1, 1)
    assert third["changes"] == [{"period": skm.t1.pk, "label": str(skm.t1), "old": {"ikm": "85.00", "grade": "B"},
                                 "new": {"ikm": "86.36", "grade": "B"}, "low_elements": False}]
    assert IkmResult.objects.filter(period=skm.t1).count() == 2  # the earlier result stays as history
    assert (latest(skm.t1).ikm, latest(skm.t1).n_responses) == (D("86.36"), 11)


def test_the_printed_weight_is_recorded_and_changes_the_results(skm: SimpleNamespace) -> None:
    run(IKM, "--user", "root")
    part = run_json(IKM, "--weight", "0.11", "--user", "root")["surveys"]
    assert part["changed"] == 4
    # rules.md T1: 0.11 variant 84.15 B. Half: 11 x 225 / 32 = 77.34375 -> 77.34 B.
    assert (latest(skm.t1).ikm, latest(skm.t1).weight_variant) == (D("84.15"), "0.11")
    assert latest(skm.half).ikm == D("77.34")


def test_a_province_run_touches_only_that_province(skm: SimpleNamespace) -> None:
    part = run_json(IKM, "--province", "16", "--user", "root")["surveys"]
    assert (part["periods"], part["stored"]) == (1, 1)
    assert list(IkmResult.objects.values_list("period_id", flat=True)) == [skm.sumsel.pk]


def test_the_recomputation_does_not_record_findings(skm: SimpleNamespace) -> None:
    from pantau.findings.models import Finding

    run(IKM, "--user", "root")
    assert Finding.objects.count() == 0


# ----------------------------------------------------------------------------------------------------------------
# Compliance


@pytest.fixture
def compliance(world: SimpleNamespace) -> SimpleNamespace:
    """Stored results banded with the bands loaded from rules.md (2022 edition: A >= 88.00, B >= 78.00, provisional).

    2022-2024: 87.50 B, 87.00 B, 86.99 B, 92.03 A (Batanghari 2022, rules.md T8). 2015-2021: 85.22 hijau (Kota
    Jambi 2019). Province 16: 87.40 B.
    """
    province_16()
    make_region("16.03", "Kabupaten Muara Enim")
    c = SimpleNamespace(world=world)
    e2022 = MethodEdition.objects.get(code="ombudsman-2022")
    e2015 = MethodEdition.objects.get(code="ombudsman-2015")

    def stored(region: str, year: int, score: str, band: str, zone: str, edition: MethodEdition) -> ComplianceResult:
        return ComplianceResult.objects.create(
            region_id=region, province_code=region[:2], entity_name=f"entity {region}", year=year, edition=edition,
            score=D(score), computed_band=band, computed_zone=zone, computed_provisional=edition == e2022,
            bands_used=scoring.bands_snapshot(edition.band_rules()),
        )

    c.r8750 = stored("15.04", 2022, "87.50", "B", "hijau", e2022)
    c.r8700 = stored("15.04", 2023, "87.00", "B", "hijau", e2022)
    c.r8699 = stored("15.05", 2022, "86.99", "B", "hijau", e2022)
    c.r9203 = stored("15", 2022, "92.03", "A", "hijau", e2022)
    c.r2019 = stored("15.04", 2019, "85.22", "hijau", "hijau", e2015)
    c.sumsel = stored("16.03", 2022, "87.40", "B", "hijau", e2022)
    return c


def lower_a_to_87(c: SimpleNamespace) -> None:
    """An Ombudsman admin corrects the provisional A bound of the 2022 edition from 88.00 to 87.00."""
    Band.objects.filter(edition__code="ombudsman-2022", code="A").update(lower_bound=D("87.00"))


def bands(result: ComplianceResult) -> tuple[str, str]:
    result.refresh_from_db()
    return result.computed_band, result.computed_zone


def test_nothing_changes_band_while_the_bounds_are_unchanged(compliance: SimpleNamespace) -> None:
    part = run_json(REBAND, "--user", "root")["compliance"]
    assert (part["examined"], part["updated"], part["band_changed"], part["changes"]) == (6, 0, 0, [])


def test_lowering_a_provisional_bound_rebands_exactly_the_results_crossing_it(compliance: SimpleNamespace) -> None:
    lower_a_to_87(compliance)
    data = run_json(REBAND, "--user", "root")
    part = data["compliance"]
    # 87.50, 87.00 (inclusive bound) and Sumsel's 87.40 are now >= 87.00 -> A; 86.99 stays B; 92.03 stays A.
    assert sorted((c["entity_code"], c["year"], c["score"], c["old"]["band"], c["new"]["band"])
                  for c in part["changes"]) == [
        ("15.04", 2022, "87.50", "B", "A"), ("15.04", 2023, "87.00", "B", "A"), ("16.03", 2022, "87.40", "B", "A"),
    ]
    assert part["changes"][0]["old"] == {"band": "B", "zone": "hijau"}
    assert part["changes"][0]["new"] == {"band": "A", "zone": "hijau"}
    assert (part["examined"], part["band_changed"], part["updated"], part["written"]) == (6, 3, 5, 5)
    assert bands(compliance.r8750) == ("A", "hijau")
    assert bands(compliance.r8700) == ("A", "hijau")
    assert bands(compliance.r8699) == ("B", "hijau")
    assert bands(compliance.r9203) == ("A", "hijau")
    # Every 2022-edition result now keeps the corrected bounds; the 2015-edition result is untouched.
    for result in (compliance.r8750, compliance.r8699, compliance.r9203):
        assert result.bands_used[0] == {"code": "A", "label": "Kualitas Tertinggi", "zone": "hijau",
                                        "lower_bound": "87.00", "is_provisional": True}
    compliance.r2019.refresh_from_db()
    assert compliance.r2019.bands_used[0]["lower_bound"] == "81.00"


def test_the_text_report_lists_each_band_change(compliance: SimpleNamespace) -> None:
    lower_a_to_87(compliance)
    text = run(REBAND, "--province", "15", "--user", "root")
    assert "  entity 15.04 (15.04) 2022: score 87.50, B/hijau -> A/hijau" in text.splitlines()
    assert "  entity 15.04 (15.04) 2023: score 87.00, B/hijau -> A/hijau" in text.splitlines()
    assert "16.03" not in text
    assert bands(compliance.sumsel) == ("B", "hijau")


def test_an_ombudsman_admin_may_reband_the_province_of_their_office(compliance: SimpleNamespace) -> None:
    lower_a_to_87(compliance)
    part = run_json(REBAND, "--province", "15", "--user", "ombudsman_admin")["compliance"]
    assert part["band_changed"] == 2
    assert bands(compliance.r8750) == ("A", "hijau")
    assert bands(compliance.sumsel) == ("B", "hijau")


# ----------------------------------------------------------------------------------------------------------------
# Dry run, permission, audit, arguments


def state() -> tuple[Any, ...]:
    """Everything the command could write."""
    return (
        list(IkmResult.objects.order_by("id").values_list("id", "ikm")),
        list(ComplianceResult.objects.order_by("id").values_list("computed_band", "computed_zone", "bands_used")),
        AuditEntry.objects.count(),
    )


def test_a_dry_run_writes_nothing_and_reports_what_would_change(
    skm: SimpleNamespace, compliance: SimpleNamespace
) -> None:
    lower_a_to_87(compliance)
    before = state()
    surveys = run_json(IKM, "--dry-run", "--user", "root")
    reband = run_json(REBAND, "--dry-run", "--user", "root")
    assert state() == before
    assert surveys["dry_run"] is True and reband["dry_run"] is True
    assert (surveys["surveys"]["created"], surveys["surveys"]["stored"]) == (4, 0)
    part = reband["compliance"]
    assert (part["band_changed"], part["updated"], part["written"]) == (3, 5, 0)
    text = run(IKM, "--dry-run", "--user", "root")
    assert text.splitlines()[0] == "Dry run: nothing was written."
    assert "Dry run: 4 results would be stored." in text
    assert "Dry run: 5 results would be updated." in run(REBAND, "--dry-run", "--user", "root")
    assert state() == before


@pytest.mark.parametrize("command", [IKM, REBAND])
@pytest.mark.parametrize("username", ["coordinator", "assistant", "officer", "viewer"])
def test_a_user_who_is_not_an_ombudsman_admin_is_refused_and_nothing_changes(
    skm: SimpleNamespace, compliance: SimpleNamespace, username: str, command: str
) -> None:
    lower_a_to_87(compliance)
    before = state()
    with pytest.raises(CommandError, match="Only a superuser may recompute the scores of all provinces"):
        run(command, "--user", username)
    with pytest.raises(CommandError, match="Ombudsman admin of province 15"):
        run(command, "--province", "15", "--user", username)
    assert state() == before


@pytest.mark.parametrize("command", [IKM, REBAND])
def test_an_ombudsman_admin_runs_for_the_offices_province_only(
    skm: SimpleNamespace, compliance: SimpleNamespace, command: str
) -> None:
    before = state()
    with pytest.raises(CommandError, match="Only a superuser may recompute the scores of all provinces"):
        run(command, "--user", "ombudsman_admin")
    assert state() == before


@pytest.mark.parametrize("command", [IKM, REBAND])
def test_an_ombudsman_admin_of_another_province_is_refused(
    skm: SimpleNamespace, compliance: SimpleNamespace, command: str
) -> None:
    before = state()
    with pytest.raises(CommandError, match="Ombudsman admin of province 16"):
        run(command, "--province", "16", "--user", "ombudsman_admin")
    # An Ombudsman admin role on a unit that is not an office of the province does not reach it either.
    make_user("regency_admin", Role.OMBUDSMAN_ADMIN, compliance.world.regency)
    with pytest.raises(CommandError, match="Ombudsman admin of province 15"):
        run(command, "--province", "15", "--user", "regency_admin")
    assert state() == before


def test_an_inactive_or_unknown_user_is_refused(skm: SimpleNamespace) -> None:
    skm.world.superuser.is_active = False
    skm.world.superuser.save()
    with pytest.raises(CommandError, match="No active user named 'root'"):
        run(IKM, "--user", "root")
    with pytest.raises(CommandError, match="No active user named 'nobody'"):
        run(REBAND, "--user", "nobody")
    assert IkmResult.objects.count() == 0


@pytest.mark.parametrize("command, args, message", [
    (IKM, ["--province", "1"], "two-digit province code"),
    (REBAND, ["--province", "15.04"], "two-digit province code"),
    (IKM, ["--province", "99"], "Province 99 is not loaded"),
    (IKM, ["--weight", "0.1"], "invalid choice"),
    (REBAND, ["--format", "xml"], "invalid choice"),
])
def test_bad_arguments_exit_with_an_error(skm: SimpleNamespace, command: str, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(command, *args, "--user", "root")
    assert IkmResult.objects.count() == 0


@pytest.mark.parametrize("command", [IKM, REBAND])
def test_the_user_is_required(world: SimpleNamespace, command: str) -> None:
    with pytest.raises(CommandError, match="--user"):
        run(command)


def test_one_audit_entry_summarises_each_run_under_a_new_request_id(
    skm: SimpleNamespace, compliance: SimpleNamespace
) -> None:
    lower_a_to_87(compliance)
    first_count = AuditEntry.objects.count()
    data = run_json(IKM, "--user", "ombudsman_admin", "--province", "15")
    reband = run_json(REBAND, "--user", "ombudsman_admin", "--province", "15")
    entries = list(AuditEntry.objects.order_by("id")[first_count:])
    assert len(entries) == 2
    ikm_entry, reband_entry = entries
    assert (ikm_entry.action, ikm_entry.content_type, ikm_entry.object_id, ikm_entry.actor) == (
        AuditAction.UPDATE, None, "", compliance.world.ombudsman_admin)
    assert str(ikm_entry.request_id) == data["request_id"]
    assert str(reband_entry.request_id) == reband["request_id"] != data["request_id"]
    assert ikm_entry.note == "recompute_ikm (province 15); IKM: 4 periods, 1 without responses, 3 results stored"
    assert reband_entry.note == "reband_results (province 15); compliance: 5 results, 4 updated, 2 changed band"
    assert ikm_entry.after["stored"] == 3
    assert reband_entry.after["band_changed"] == 2
    run(IKM, "--user", "ombudsman_admin", "--province", "15")
    third = AuditEntry.objects.order_by("-id").first()
    assert third is not None and third.request_id not in (ikm_entry.request_id, reband_entry.request_id)


def test_the_json_output_has_the_documented_shape(skm: SimpleNamespace, compliance: SimpleNamespace) -> None:
    data = run_json(IKM, "--user", "root")
    assert set(data) == {"dry_run", "user", "province", "request_id", "surveys"}
    assert (data["dry_run"], data["user"], data["province"]) == (False, "root", None)
    assert set(data["surveys"]) == {"weight", "periods", "skipped_no_responses", "unchanged", "created", "changed",
                                    "stored", "low_element_periods", "changes"}
    reband = run_json(REBAND, "--user", "root")
    assert set(reband) == {"dry_run", "user", "province", "request_id", "compliance"}
    assert set(reband["compliance"]) == {"examined", "updated", "written", "band_changed", "changes"}
    change = next(c for c in data["surveys"]["changes"] if c["period"] == skm.t1.pk)
    assert change == {"period": skm.t1.pk, "label": str(skm.t1), "old": None,
                      "new": {"ikm": "85.00", "grade": "B"}, "low_elements": True}


def test_the_text_output_summarises_each_part(skm: SimpleNamespace, compliance: SimpleNamespace) -> None:
    lines = run(IKM, "--user", "root").splitlines()
    assert lines[0] == ("SKM periods: 5 examined, 1 skipped without responses, 0 unchanged, 4 new and 0 changed "
                        "results (weight exact).")
    assert lines[1] == "4 results stored."
    assert lines[2].startswith("2 new or changed periods have an element graded C or D")
    assert run(REBAND, "--user", "root").splitlines()[0] == (
        "Compliance results: 6 banded results examined, 0 with a new band or bounds snapshot, 0 change band.")
