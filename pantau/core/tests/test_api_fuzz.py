"""A bounded, schema-driven fuzz run of the REST API (schemathesis): every operation of /api/v1/schema/ gets
``EXAMPLES_PER_OPERATION`` generated requests, authenticated as the superuser against the real URLconf and the
``world`` fixture, and no response may be a server error (5xx) or break the response schema the API publishes.

Deterministic (Hypothesis ``derandomize``), so CI runs the same requests every time; the budget keeps the run under
a minute. Runs on SQLite and, in CI, on PostgreSQL (where NUL in text used to end as a 500).
"""

import base64
import datetime as dt
import time
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES_PER_OPERATION = 15
"""Generated requests per operation (Hypothesis ``max_examples``); 15 keeps `.ci/run` under its 15 minutes with 77
operations on two databases."""

PASSWORD = "correct-horse-battery-9"  # the world fixture's password (pantau/conftest.py)


@pytest.fixture
def filled_world(world):
    """The ``world`` with a row of every kind the API returns, blank values included: actions with an accepted and a
    returned report, published compliance results (banded, unbanded and without a published zone), an assessment
    round with findings, a survey period with responses and its IKM result, a service with its standard."""
    from pantau.assessments.actions import import_results, record_round
    from pantau.assessments.models import MethodEdition, RoundKind
    from pantau.conftest import action_data
    from pantau.standards.actions import create_service, record_standard
    from pantau.surveys import actions as surveys
    from pantau.surveys.tests.helpers import t1_rows, xlsx_bytes
    from pantau.workplans import actions as wp

    # two top-level siblings, both weighted (sibling weights are set on all or on none, docs/status.md)
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan,
                              data=action_data(world.dukcapil, weight=Decimal("1")))
    wp.create_action(actor=world.coordinator, work_plan=world.plan,
                     data=action_data(world.dpmptsp, code="2", weight=Decimal("2.5"), budget_planned=0,
                                      budget_source="none"))
    for actual in ("4", "6"):
        report = wp.report_progress(actor=world.officer, action=action, report_date=dt.date(2021, 3, 1),
                                    actual_value=Decimal(actual), narrative="progress", amount_spent=1_500_000)
    wp.accept_report(actor=world.assistant, report=report)
    results = import_results(actor=None, text=(
        "year,entity,entity_code,score,zone,category,opinion,assessment,source_url,note\n"
        "2022,Kabupaten Batanghari,15.04,92.03,hijau,A,Kualitas Tertinggi,x,,\n"
        "2015,Provinsi Jambi,15,28.12,merah,,,x,,percent of components\n"
        "2019,Kabupaten Muaro Jambi,15.05,,,,,x,,nothing published\n"))
    assert results.ok, results.errors
    record_round(actor=world.coordinator, edition=MethodEdition.objects.get(code="ombudsman-2022"), year=2023,
                 kind=RoundKind.SELF_ASSESSMENT, assessed_on=dt.date(2023, 5, 15), unit=world.dukcapil,
                 dimension_scores={"input": 85, "proses": 95, "output": 40, "pengaduan": 70})
    period = surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=dt.date(2023, 1, 1),
                                   end_date=dt.date(2023, 6, 30))
    assert surveys.import_responses(actor=world.coordinator, period=period, data=xlsx_bytes(t1_rows()),
                                    file_name="skm.xlsx").ok
    surveys.compute_result(actor=world.coordinator, period=period, today=dt.date(2023, 7, 1))
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Penerbitan KTP-el")
    record_standard(actor=world.officer, service=service, components={"persyaratan": ("KTP, KK", True)})
    return world


@pytest.fixture
def api_schema(filled_world, settings):
    """The published schema, loaded through the WSGI application (the real URLconf, middleware included).

    As in Django's test client, requests do not close the database connection when they end (it holds the test's
    transaction, with the ``world`` fixture)."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(operation, headers, mode=schemathesis.GenerationMode.POSITIVE):
    """(requests sent, failures) of one operation's bounded run in generation ``mode``."""
    calls = 0
    found: list[str] = []

    @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck),
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal calls
        calls += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=headers)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # every operation runs; failures are reported together
        found.append(f"{operation.label} ({mode.value}): {exc}"[:1500])
    return calls, found


def test_no_operation_answers_a_server_error_or_breaks_its_response_schema(api_schema, capsys):
    credentials = base64.b64encode(f"root:{PASSWORD}".encode()).decode()
    # identity: schemathesis' WSGI transport reads the raw body and would not unzip GZipMiddleware's answers
    headers = {"Authorization": f"Basic {credentials}", "Accept-Encoding": "identity"}
    failures: list[str] = []
    operations = examples = 0
    started = time.monotonic()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in schemathesis.GenerationMode:
            calls, found = fuzz(operation, headers, mode)
            examples += calls
            failures.extend(found)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nAPI fuzz run: {operations} operations, {examples} requests, {elapsed:.1f} s")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)

