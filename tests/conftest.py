"""Personas, clients and the service policy of the suite.

Services: the suite uses PostgreSQL and Redis when DATABASE_URL / REDIS_URL point at them.
Tests marked ``postgres`` or ``redis`` are skipped, with the reason printed, when the service
is missing, unless CSOPS_STRICT=1 (CI), where a missing service fails the run instead.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client, override_settings

from csops.roles import Role
from tests import dovecot
from tests.factories import TeamFactory, UserFactory
from tests.services import redis_reachable

STRICT = os.environ.get("CSOPS_STRICT") == "1"


def _missing_services() -> dict[str, str]:
    missing = {}
    if not settings.IS_POSTGRES:
        missing["postgres"] = "needs PostgreSQL (DATABASE_URL points at SQLite)"
    if not redis_reachable():
        missing["redis"] = "needs a Redis server (REDIS_URL unset or unreachable)"
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        missing["browser"] = "needs Chromium at /usr/bin/chromium"
    if not dovecot.available():
        missing["imap"] = "needs Debian's dovecot-imapd (a real IMAP server)"
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if STRICT and missing:
        raise pytest.UsageError(f"CSOPS_STRICT=1 but services are missing: {missing}")
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def dovecot_server():
    """A real IMAP server for the session (tests marked ``imap``): ``take_user()`` gives each
    test an account with an empty Maildir (tests/dovecot.py)."""
    server = dovecot.Dovecot(spare=60).start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploaded files, attachments and stored mail go to a directory of this run, never to the
    checkout's var/media (the storages follow MEDIA_ROOT; workers started by tests get it)."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness (~0.3 s a hash) would dominate persona set-up.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit counts (django-ratelimit keeps them in the cache,
    Redis in the suite, which outlives a test). Only the counters go: the Redis database also
    holds the broker's queues, so only this cache's prefix is deleted."""
    from django.core.cache import caches

    cache = caches[settings.RATELIMIT_USE_CACHE]
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        cache.clear()
        return
    client = backend.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path_factory):
    # Attachments a test stores go to the run's temp dir, not the checkout's var/media.
    location = tmp_path_factory.getbasetemp() / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


# --- Teams and personas -------------------------------------------------------------------


@pytest.fixture
def team(db):
    return TeamFactory(name="Tier 1", slug="tier-1", tier=1)


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Billing", slug="billing", tier=1)


@pytest.fixture
def rep(team):
    user = UserFactory(username="rita", role=Role.REP)
    team.members.add(user)
    return user


@pytest.fixture
def rep2(team):
    user = UserFactory(username="ralph", role=Role.REP)
    team.members.add(user)
    return user


@pytest.fixture
def rep_other_team(other_team):
    user = UserFactory(username="otto", role=Role.REP)
    other_team.members.add(user)
    return user


@pytest.fixture
def manager(team):
    user = UserFactory(username="maria", role=Role.MANAGER)
    team.managers.add(user)
    return user


@pytest.fixture
def director(db):
    return UserFactory(username="diane", role=Role.DIRECTOR)


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="adam", role=Role.ADMIN)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rep_client(rep):
    return _client_for(rep)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def director_client(director):
    return _client_for(director)


@pytest.fixture
def client_for():
    return _client_for
