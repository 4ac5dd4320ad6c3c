"""Shared set-up of the browser tests: Debian's chromium driven by the PyPI ``playwright`` package.

Never ``playwright install`` (it downloads a browser, which fails on these machines); ``make test`` installs Debian's
chromium through bin/ensure-chromium. A missing chromium fails the tests loudly instead of skipping them.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("PANTAU_SCREENSHOT_DIR", tempfile.gettempdir()))
"""Where screenshots go (/tmp by default)."""


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Every test in this folder is a browser test."""
    for item in items:
        if "tests_browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _sync_playwright_next_to_django(monkeypatch: Any) -> None:
    """Playwright's sync API runs an event loop in this thread; the ORM calls in these tests stay synchronous.
    Scoped to these tests (monkeypatch undoes it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Debian chromium, closed after the test; fails with a clear message when chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium: run `bash bin/ensure-chromium`")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
