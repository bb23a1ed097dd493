"""Dependencies point one way (DESIGN.md, "The apps"), checked on every import statement.

``staffing`` at the bottom, ``policies`` above it, ``tickets`` above both, ``kpis`` on top;
``csops`` is the ground they stand on and imports none of them, except ``csops/urls.py``,
which wires the apps' urls and pages. Nothing imports ``kpis``. Imports inside functions
count too: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("csops", "staffing", "policies", "tickets", "kpis")
# What each package may import, besides itself and third-party code.
ALLOWED = {
    "csops": set(),
    "staffing": {"csops"},
    "policies": {"csops", "staffing"},
    "tickets": {"csops", "staffing", "policies"},
    "kpis": {"csops", "staffing", "policies", "tickets"},
}
# csops/urls.py is the root URLconf: it includes every app's urls (unavoidable by design).
EXEMPT = {"csops/urls.py"}
# The demo seeder (manage.py seed_demo) is a tool over every app, not domain code: it makes
# each app's demo records through that app's services, KPI goals included.
TOOLS = ("tickets/seeding/",)


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import of one of our packages in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in APPS]
    return found


def violations(package: str, root: Path = ROOT) -> list[str]:
    bad = []
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in EXEMPT or relative.startswith(TOOLS):
            continue
        for line, module in imported_apps(path):
            target = module.split(".")[0]
            if target != package and target not in ALLOWED[package]:
                bad.append(f"{relative}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", APPS)
def test_package_imports_only_the_layers_below_it(package):
    assert violations(package) == []


def test_the_check_flags_upward_and_deferred_imports_but_not_the_root_urls(tmp_path):
    # given: a csops module importing an app inside a function, the root urls wiring an app,
    # and an app importing kpis
    files = {
        "csops/permissions/rules.py": "def f():\n    from tickets.models import Ticket\n",
        "csops/urls.py": "from tickets.views import surveys\n",
        "tickets/selectors.py": "import kpis.selectors\nfrom policies import sla\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    # then: exactly the two imports against the direction are reported, with their lines
    assert violations("csops", tmp_path) == ["csops/permissions/rules.py:2 imports tickets.models"]
    assert violations("tickets", tmp_path) == ["tickets/selectors.py:1 imports kpis.selectors"]
