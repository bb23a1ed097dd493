from __future__ import annotations

from pathlib import Path

import pytest

from tickets.mail.inbound import tokens
from tickets.mail.inbound.models import Mailbox

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str, **values: object) -> bytes:
    """A corpus message with its ``{PLACEHOLDERS}`` filled in (ticket ids and signatures only
    exist once a test has made its ticket)."""
    raw = (CORPUS / name).read_bytes()
    if "TICKET" in values:
        values.setdefault("SIG", tokens.signature(int(values["TICKET"])))  # type: ignore[arg-type]
    for key, value in values.items():
        raw = raw.replace(b"{" + key.encode() + b"}", str(value).encode())
    return raw


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def mailbox(team):
    return Mailbox.objects.create(team=team, address="support@acme.test", from_name="Acme Support")
