"""A bounded, schema-driven fuzz run of the REST API (schemathesis): every operation of /api/v1/schema/ gets
``EXAMPLES_PER_OPERATION`` generated requests, authenticated as the superuser against the real URLconf and the
``world`` fixture, and no response may be a server error (5xx) or break the response schema the API publishes.

Deterministic (Hypothesis ``derandomize``), so CI runs the same requests every time; the budget keeps the run under
a minute. Runs on SQLite and, in CI, on PostgreSQL (where NUL in text used to end as a 500).
"""

import base64
import time

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES_PER_OPERATION = 25
"""Generated requests per operation (Hypothesis ``max_examples``)."""

PASSWORD = "correct-horse-battery-9"  # the world fixture's password (pantau/conftest.py)


@pytest.fixture
def api_schema(world, settings):
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
    headers = {"Authorization": f"Basic {credentials}"}
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

