"""SQLite serves concurrent users without "database is locked" (issue 10): write-ahead log, a busy timeout and
IMMEDIATE transactions (Django 5.1+), set by pantau/settings.py whenever SQLite is the database."""

import runpy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

SETTINGS = Path(settings.BASE_DIR) / "pantau" / "settings.py"


def test_the_sqlite_default_queues_writers_instead_of_failing(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_VAR_DIR", str(tmp_path))
    database = runpy.run_path(str(SETTINGS))["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20  # seconds a writer waits for the lock
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    # tests use a file as well: an in-memory database's shared cache fails concurrent writers at once
    assert database["TEST"]["NAME"] == str(tmp_path / "test.sqlite3")


def test_postgresql_gets_none_of_the_sqlite_options(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pantau")
    monkeypatch.setenv("PANTAU_VAR_DIR", str(tmp_path))
    database = runpy.run_path(str(SETTINGS))["DATABASES"]["default"]
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_the_running_database_is_set_up_as_configured(db: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000  # milliseconds
        else:
            cursor.execute("SELECT 1")
            assert cursor.fetchone()[0] == 1
