"""Survey periods, all-or-nothing imports of responses, stored IKM results and the findings they raise."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from pantau.accounts.models import Permission
from pantau.audit.models import AuditAction, AuditEntry
from pantau.findings.models import Finding
from pantau.surveys import actions as services
from pantau.surveys.models import IkmResult, Response, SurveyPeriod
from pantau.surveys.tests.helpers import DATA_DIR, csv_bytes, t1_rows, xlsx_bytes


def make_period(world, unit=None, start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30), **extra):
    return services.create_period(
        actor=world.coordinator, unit=unit or world.dukcapil, start_date=start, end_date=end, **extra
    )


def errors_of(result):
    return [(e.row, e.column) for e in result.errors]


# -- periods ----------------------------------------------------------------------------------------------------------


def test_a_coordinator_creates_a_period_for_an_agency_of_the_regency(world):
    period = make_period(world, service_name="KTP-el", population=300)
    assert (period.unit, period.service_name, period.population) == (world.dukcapil, "KTP-el", 300)
    assert period.province_code == "15"
    entry = AuditEntry.objects.for_object(period).get()
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)


def test_a_period_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        make_period(world, start=dt.date(2023, 6, 1), end=dt.date(2023, 5, 31))
    assert list(exc.value.message_dict) == ["end_date"]
    assert SurveyPeriod.objects.count() == 0


def test_a_unit_officer_runs_its_own_units_survey(world):
    period = services.create_period(actor=world.officer, unit=world.dukcapil, start_date=dt.date(2023, 1, 1),
                                    end_date=dt.date(2023, 6, 30))
    assert period.unit == world.dukcapil


@pytest.mark.parametrize("persona", ["other_officer", "assistant", "viewer", "outsider"])
def test_who_may_not_manage_surveys_cannot_create_a_period(world, persona):
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_period(actor=getattr(world, persona), unit=world.dukcapil, start_date=dt.date(2023, 1, 1),
                               end_date=dt.date(2023, 6, 30))
    assert SurveyPeriod.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_periods_are_visible_within_the_users_scope_only(world):
    period = make_period(world)
    assert list(SurveyPeriod.objects.for_user(world.viewer, Permission.VIEW)) == [period]
    assert list(SurveyPeriod.objects.for_user(world.officer, Permission.VIEW)) == [period]
    assert list(SurveyPeriod.objects.for_user(world.ombudsman_admin, Permission.VIEW)) == [period]
    assert list(SurveyPeriod.objects.for_user(world.other_officer, Permission.VIEW)) == []
    assert list(SurveyPeriod.objects.for_user(world.outsider, Permission.VIEW)) == []


# -- importing ----------------------------------------------------------------------------------------------------


def test_importing_real_sekadau_rows_from_csv_creates_every_response(world):
    period = make_period(world)
    name = "sekadau_2019_s1_partial.csv"
    result = services.import_responses(actor=world.coordinator, period=period,
                                       data=(DATA_DIR / name).read_bytes(), file_name=name)
    assert (result.ok, result.created) == (True, 49)
    first = Response.objects.get(period=period, respondent_ref="1")
    assert first.scores() == dict(zip(
        ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"], [2, 2, 3, 4, 3, 4, 4, 4, 3], strict=True))
    assert (first.source, first.province_code) == ("paper_import", "15")
    entry = AuditEntry.objects.filter(action=AuditAction.IMPORT).get()
    assert entry.after == {"file": name, "responses": 49, "source": "paper_import"}


def test_importing_an_xlsx_with_a_profile_keeps_the_profile(world):
    period = make_period(world)
    header = ["Respondent", "u1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "age", "sex", "education",
              "occupation", "service_received", "comment"]
    rows = [[1, 4, 4, 3, 4, 3, 4, 4, 3, 3, 34, "P", "SMA", "Wirausaha", "KTP-el", "Antrean panjang"]]
    result = services.import_responses(actor=world.coordinator, period=period, data=xlsx_bytes(rows, header),
                                       file_name="paper.xlsx")
    assert result.ok
    response = Response.objects.get()
    assert (response.age, response.sex, response.education, response.occupation) == (34, "P", "sma", "wirausaha")
    assert (response.service_received, response.comment) == ("KTP-el", "Antrean panjang")


BAD_FILES = [
    pytest.param(csv_bytes([[1, 3, 5, 3, 3, 3, 3, 3, 3, 3]]), "f.csv", [(2, "U2")], id="score-5-out-of-range"),
    pytest.param(csv_bytes([[1, 3, 3, 3, 3, 3, 3, 3, 3, 0]]), "f.csv", [(2, "U9")], id="score-0-out-of-range"),
    pytest.param(csv_bytes([[1, 3, "", 3, 3, 3, 3, 3, 3, 3]]), "f.csv", [(2, "U2")], id="missing-element"),
    pytest.param(csv_bytes([[1, 3, 3, "baik", 3, 3, 3, 3, 3, 3]]), "f.csv", [(2, "U3")], id="text"),
    pytest.param(csv_bytes([[1, 3, 3, "3.5", 3, 3, 3, 3, 3, 3]]), "f.csv", [(2, "U3")], id="decimal"),
    pytest.param(csv_bytes([[1, *[3] * 9], [1, *[3] * 9]]), "f.csv", [(3, "respondent")], id="duplicate-row"),
    pytest.param(csv_bytes([[1, *[3] * 8]], ["respondent", *[f"U{i}" for i in range(1, 9)]]), "f.csv",
                 [(1, "U9")], id="missing-column"),
    pytest.param(csv_bytes([[1, *[3] * 9, "x"]], ["respondent", *[f"U{i}" for i in range(1, 10)], "Nama"]),
                 "f.csv", [(1, "Nama")], id="unknown-column"),
    pytest.param(csv_bytes([[*[3] * 9]], ["U1", "U1", *[f"U{i}" for i in range(2, 9)]]), "f.csv",
                 [(1, "U1"), (1, "U9")], id="repeated-and-missing-column"),
    pytest.param(b"", "f.csv", [(None, "")], id="empty-file"),
    pytest.param(csv_bytes([]), "f.csv", [(None, "")], id="header-only"),
    pytest.param(csv_bytes([[1, *[3] * 9]]), "f.xlsx", [(None, "")], id="not-an-xlsx"),
    pytest.param(b"%PDF-1.4", "f.pdf", [(None, "")], id="not-a-spreadsheet"),
    pytest.param(xlsx_bytes([[1, 3, 3, 3, 3, 3, 3, 3, 3, 7], [2, None, 3, 3, 3, 3, 3, 3, 3, 3]]), "f.xlsx",
                 [(2, "U9"), (3, "U1")], id="xlsx-several-rows"),
    pytest.param(csv_bytes([[1, 3, 3, 3, 3, 3, 3, 3, 3, 3, "X"]], [*["respondent"], *[f"U{i}" for i in range(1, 10)],
                                                                  "sex"]), "f.csv", [(2, "sex")], id="bad-sex"),
]


@pytest.mark.parametrize(("data", "name", "expected"), BAD_FILES)
def test_a_bad_file_is_rejected_by_row_and_column_and_nothing_is_saved(world, data, name, expected):
    period = make_period(world)
    entries = AuditEntry.objects.count()
    result = services.import_responses(actor=world.coordinator, period=period, data=data, file_name=name)
    assert errors_of(result) == expected
    assert result.created == 0
    assert Response.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_every_bad_row_of_a_long_file_is_listed_and_the_good_rows_are_not_saved(world):
    period = make_period(world)
    rows = t1_rows()
    rows[2][3] = 5        # row 4, U3
    rows[5][9] = "sangat"  # row 7, U9
    rows[5][1] = ""        # row 7, U1
    rows[8][0] = 2         # row 10 repeats respondent 2 (row 3)
    with translation.override("en"):  # messages are made in the language active during the import
        result = services.import_responses(actor=world.coordinator, period=period, data=csv_bytes(rows),
                                           file_name="t1.csv")
        assert errors_of(result) == [(4, "U3"), (7, "U1"), (7, "U9"), (10, "respondent")]
        assert [str(e) for e in result.errors] == [
            "Row 4, column U3: 5 is out of range: scores go from 1 to 4.",
            "Row 7, column U1: A score is required.",
            "Row 7, column U9: sangat is not a whole number from 1 to 4.",
            "Row 10, column respondent: Respondent 2 already appears in row 3 (duplicate row).",
        ]
    assert Response.objects.count() == 0


def test_importing_the_same_questionnaires_twice_is_refused_the_second_time(world):
    period = make_period(world)
    assert services.import_responses(actor=world.coordinator, period=period, data=csv_bytes(t1_rows()),
                                     file_name="t1.csv").created == 10
    again = services.import_responses(actor=world.coordinator, period=period, data=csv_bytes(t1_rows()),
                                      file_name="t1.csv")
    assert errors_of(again) == [(row, "respondent") for row in range(2, 12)]
    assert Response.objects.count() == 10


@pytest.mark.parametrize("persona", ["other_officer", "assistant", "viewer", "outsider"])
def test_an_import_without_permission_changes_nothing(world, persona):
    period = make_period(world)
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.import_responses(actor=getattr(world, persona), period=period, data=csv_bytes(t1_rows()),
                                  file_name="t1.csv")
    assert Response.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_the_database_refuses_a_score_outside_1_to_4(world):
    period = make_period(world)
    scores = dict.fromkeys(["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"], 3)
    for bad in (0, 5):
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(period=period, source="paper_import", **{**scores, "u4": bad})
    assert Response.objects.count() == 0


# -- computing and findings ------------------------------------------------------------------------------------------


def import_t1(world, period):
    result = services.import_responses(actor=world.coordinator, period=period, data=xlsx_bytes(t1_rows()),
                                       file_name="t1.xlsx")
    assert result.ok


def test_t1_stored_result_is_85_00_b_with_u3_75_00(world):
    period = make_period(world, population=100)
    import_t1(world, period)
    result = services.compute_result(actor=world.coordinator, period=period)
    assert (result.ikm, result.grade, result.weight_variant) == (Decimal("85.00"), "B", "exact")
    assert (result.nrr_u3, result.converted_u3, result.converted_u4) == (
        Decimal("3.0000"), Decimal("75.00"), Decimal("95.00"))
    # Krejcie & Morgan: N = 100 needs 80 respondents (rules.md T4); 10 are not enough.
    assert (result.n_responses, result.required_sample, result.is_adequate) == (10, 80, False)
    assert "half-up" in result.rounding_rule
    assert AuditEntry.objects.for_object(result).get().actor == world.coordinator


def test_t1_stored_with_the_printed_weight_is_84_15(world):
    period = make_period(world)
    import_t1(world, period)
    result = services.compute_result(actor=world.coordinator, period=period, weight="0.11")
    assert (result.ikm, result.grade, result.weight_variant) == (Decimal("84.15"), "B", "0.11")
    assert (result.required_sample, result.is_adequate) == (None, None)


def test_t1_u3_graded_c_becomes_one_finding_aimed_at_grade_b(world):
    period = make_period(world)
    import_t1(world, period)
    with translation.override("en"):  # the finding's texts are written in the active language
        services.compute_result(actor=world.coordinator, period=period, today=dt.date(2023, 7, 10))
    finding = Finding.objects.get()
    assert (finding.source, finding.source_key, finding.unit) == ("survey", f"skm:{period.pk}:U3", world.dukcapil)
    assert (finding.baseline, finding.target, finding.detected_on) == (
        Decimal("75.00"), Decimal("76.61"), dt.date(2023, 7, 10))
    assert finding.indicator_name == "U3 Waktu penyelesaian, converted score"


def test_recomputing_keeps_one_finding_per_element(world):
    period = make_period(world)
    import_t1(world, period)
    services.compute_result(actor=world.coordinator, period=period)
    services.compute_result(actor=world.coordinator, period=period, weight="0.11")
    assert IkmResult.objects.filter(period=period).count() == 2
    assert Finding.objects.count() == 1


def test_a_later_period_with_u3_at_grade_b_closes_the_finding(world):
    first = make_period(world)
    import_t1(world, first)
    services.compute_result(actor=world.coordinator, period=first, today=dt.date(2023, 7, 10))
    later = make_period(world, start=dt.date(2023, 7, 1), end=dt.date(2023, 12, 31))
    rows = [[i + 1, *[4 if i < 3 else 3] * 9] for i in range(10)]  # every element 3 x 4 + 7 x 3 = 33 -> 82.50 (B)
    assert services.import_responses(actor=world.coordinator, period=later, data=csv_bytes(rows),
                                     file_name="s2.csv").ok
    services.compute_result(actor=world.coordinator, period=later, today=dt.date(2024, 1, 15))
    finding = Finding.objects.get(source_key=f"skm:{first.pk}:U3")
    assert (finding.closed_on, finding.closing_value) == (dt.date(2024, 1, 15), Decimal("82.50"))


def test_a_period_without_responses_has_no_result(world):
    period = make_period(world)
    with pytest.raises(ValidationError):
        services.compute_result(actor=world.coordinator, period=period)
    assert IkmResult.objects.count() == 0


def test_computing_without_permission_changes_nothing(world):
    period = make_period(world)
    import_t1(world, period)
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.compute_result(actor=world.viewer, period=period)
    assert (IkmResult.objects.count(), Finding.objects.count(), AuditEntry.objects.count()) == (0, 0, entries)


def test_results_and_responses_are_scoped_like_their_period(world):
    period = make_period(world)
    import_t1(world, period)
    result = services.compute_result(actor=world.coordinator, period=period)
    assert list(IkmResult.objects.for_user(world.viewer, Permission.VIEW)) == [result]
    assert list(IkmResult.objects.for_user(world.outsider, Permission.VIEW)) == []
    assert Response.objects.for_user(world.officer, Permission.VIEW).count() == 10
    assert Response.objects.for_user(world.other_officer, Permission.VIEW).count() == 0
