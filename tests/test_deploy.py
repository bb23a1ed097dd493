"""The production environment: .env.example, docker-compose.yml and the settings' refusals
(issue 13, section 3 "A public fallback secret" and "Headers").

Settings are read once per process, so each case starts a fresh Python with its environment.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE = ROOT / "docker-compose.yml"
# Never inherited from the suite's own environment (DJANGO_ALLOW_ASYNC_UNSAFE is for tests).
_CSOPS_NAMES = re.compile(r"^(CSOPS_|DJANGO_|SECRET_KEY$|DATABASE_URL$|DEBUG$)")


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _compose_fixed_environment() -> dict[str, str]:
    """The app containers' `environment:` entries that need no interpolation."""
    app = yaml.safe_load(COMPOSE.read_text())["services"]["web"]
    return {k: str(v) for k, v in app["environment"].items() if "${" not in str(v)}


def _random_key() -> str:
    return secrets.token_urlsafe(50)


def _clean_os_environ() -> dict[str, str]:
    """This process's environment without any setting csops reads (the suite's overrides)."""
    settings_names = _settings_variables()
    env = {
        k: v for k, v in os.environ.items() if k not in settings_names and not _CSOPS_NAMES.match(k)
    }
    env["DJANGO_SETTINGS_MODULE"] = "csops.settings"
    return env


def _production_environment() -> dict[str, str]:
    env = _clean_os_environ()
    env.update(_env_example())
    env.update(_compose_fixed_environment())
    # What compose interpolates from .env: a real secret, and the database URL's password.
    env["SECRET_KEY"] = _random_key()
    env["DATABASE_URL"] = "postgres://csops:not-used-by-check@postgres:5432/csops"
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _settings_variables() -> set[str]:
    source = (ROOT / "csops" / "settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", source))
    return names | {"SECRET_KEY"}  # read by csops.env.env_secret_key


# --- check --deploy -------------------------------------------------------------------------


def test_check_deploy_with_the_production_environment_prints_no_warning():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_environment(),
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # the one silenced: django_ratelimit.W001, which only knows django-redis's atomic counter,
    # not Django's own RedisCache (csops/settings.py)
    assert "System check identified no issues (1 silenced)." in output
    assert "WARNINGS" not in output


def test_env_example_documents_every_variable_settings_and_compose_read():
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", COMPOSE.read_text()))

    assert _settings_variables() - documented == set()
    assert interpolated - documented == set()


def test_env_example_holds_no_secret():
    values = _env_example()

    assert values["SECRET_KEY"] == ""
    assert values["POSTGRES_PASSWORD"] == ""


# --- the secret key -------------------------------------------------------------------------


# Named by case: a random key in a test id would differ between xdist workers.
_WEAK_KEYS = [
    ("missing", None, "SECRET_KEY is not set"),
    ("empty", "", "SECRET_KEY is not set"),
    ("compose_old_default", "change-me-in-production", "SECRET_KEY is a published default"),
    (
        "embedded_default",
        "csops-embedded-insecure-key-change-me",
        "SECRET_KEY is a published default",
    ),
    (
        "django_generated",
        "django-insecure-" + "k" * 20 + secrets.token_urlsafe(30),
        "Django's generated development key",
    ),
    ("short", secrets.token_urlsafe(30)[:40], "SECRET_KEY has 40 characters (at least 50"),
    ("few_distinct_characters", "ab" * 40, "fewer than 5 distinct characters"),
]


@pytest.mark.parametrize(
    ("key", "reason"), [pytest.param(key, reason, id=case) for case, key, reason in _WEAK_KEYS]
)
def test_settings_refuse_to_start_outside_embedded_mode_with_a_weak_key(key, reason):
    env = _clean_os_environ()
    env["CSOPS_EMBEDDED"] = "0"
    if key is not None:
        env["SECRET_KEY"] = key

    result = _run([sys.executable, "-c", "import django; django.setup()"], env)

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY" in result.stderr
    assert reason in result.stderr
    assert "CSOPS_EMBEDDED=0" in result.stderr  # says why it is refused and how to fix it


def test_settings_start_outside_embedded_mode_with_a_random_key():
    env = _clean_os_environ() | {"CSOPS_EMBEDDED": "0", "SECRET_KEY": _random_key()}

    result = _run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_embedded_mode_still_starts_without_a_key():
    env = _clean_os_environ()  # CSOPS_EMBEDDED unset: the embedded default

    result = _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMBEDDED, bool(settings.SECRET_KEY))",
        ],
        env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


# --- docker-compose.yml ---------------------------------------------------------------------


def test_compose_has_no_fallback_secret_and_restarts_what_can_exit():
    text = COMPOSE.read_text()
    services = yaml.safe_load(text)["services"]

    assert "change-me" not in text
    for name in ("web", "worker", "beat"):
        assert services[name]["restart"] in ("unless-stopped", "always"), name
        assert services[name]["env_file"] == ".env", name
        assert services[name]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
        assert services[name]["environment"]["CSOPS_EMBEDDED"] == "0", name


@pytest.fixture
def compose_dir(tmp_path):
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed (.ci/run installs it)")
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    return tmp_path


def _compose_config(directory: Path, **secrets_: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "POSTGRES_PASSWORD")
    } | secrets_
    return subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_compose_fails_loudly_while_secret_key_is_unset(compose_dir):
    result = _compose_config(compose_dir, POSTGRES_PASSWORD="pw")

    assert result.returncode != 0
    assert "set SECRET_KEY in .env" in result.stderr


def test_compose_config_passes_with_the_secrets_set(compose_dir):
    result = _compose_config(compose_dir, SECRET_KEY=_random_key(), POSTGRES_PASSWORD="pw")

    assert result.returncode == 0, result.stderr
