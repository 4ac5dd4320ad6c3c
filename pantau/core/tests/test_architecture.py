"""The shape of the house: imports run one way (top of ``LAYERS`` to bottom) and every app has the same files.

``LAYERS`` is the order of DESIGN.md ("Apps"), as the code taught it (see the closing note of issue 8): an app may
import the apps below it, never one above it or beside it. Tests, migrations and the project's own modules
(settings, urls, conftest) are outside the rule: they put the apps together.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the pantau package

LAYERS: list[tuple[str, ...]] = [
    ("demo",),
    ("reports",),
    ("complaints",),
    ("meetings",),
    ("assessments", "surveys", "standards"),
    ("findings",),
    ("workplans",),
    ("agreements",),
    ("notifications",),
    ("tasks",),
    ("organizations",),
    ("accounts",),
    ("regions",),
    ("audit",),
    ("core",),
]
"""Top to bottom. Apps on one line are siblings: they may not import each other."""

LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
APP_SHAPE = ("models.py", "actions.py", "apps.py", "admin.py", "tests")
"""Files every domain app has (``core``, ``demo`` and ``reports``, which holds no data of its own, are not domain
apps)."""


def imported_apps(path: Path) -> set[str]:
    """The Pantau apps a module imports (``from pantau.x ...``, ``import pantau.x``), at any depth in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "pantau":
                names = [f"pantau.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "pantau" and parts[1] in LEVEL:
                found.add(parts[1])
    return found


def app_modules() -> list[tuple[str, Path]]:
    """(app, module) for every production module of every app: tests and migrations left out."""
    modules = []
    for app in LEVEL:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder).parts
            if "tests" in relative or "migrations" in relative:
                continue
            modules.append((app, path))
    return modules


def test_every_app_of_the_project_has_a_place_in_the_layers():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps - set(LEVEL) == set()


def test_no_module_imports_an_app_above_it_or_beside_it():
    wrong = []
    for app, path in app_modules():
        for other in imported_apps(path):
            if other != app and LEVEL[other] <= LEVEL[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []


def test_the_rule_would_catch_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from pantau.reports import views\n\ndef f():\n    import pantau.demo.loader\n")
    assert imported_apps(module) == {"reports", "demo"}


DOMAIN_APPS = sorted(a for a in LEVEL if a not in ("core", "demo", "reports") and (ROOT / a).is_dir())


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_same_shape(app):
    missing = [name for name in APP_SHAPE if not (ROOT / app / name).exists()]
    assert missing == []


def test_apps_with_pages_have_namespaced_urls():
    for urls in ROOT.glob("*/urls.py"):
        source = urls.read_text()
        assert "app_name = " in source, urls
