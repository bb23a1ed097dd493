"""mypy (with django-stubs) over the typed core listed in pyproject.toml [tool.csops]."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_typed_core_passes_mypy():
    typed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["csops"]["typed"]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *typed], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
