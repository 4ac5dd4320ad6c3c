"""The demo tests share the assessment fixtures (``demo``: the issue-4 demo on the ``world`` fixture)."""

from pantau.assessments.tests.conftest import demo, demo_args  # noqa: F401
