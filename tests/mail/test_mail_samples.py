"""Every real message in ../shared/mail-samples (other mail software's test suites: bounces,
auto-replies, Outlook, PGP, many charsets, quotes from many clients) ingests without an error.
They are read from there, never copied into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundState
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "mail-samples"
if not SAMPLES.is_dir():  # a worktree under /work/wt/<id>
    SAMPLES = Path("/work/shared/mail-samples")


@pytest.fixture
def samples() -> list[Path]:
    found = sorted(SAMPLES.glob("*.eml"))
    if not found:
        pytest.skip(f"no mail samples at {SAMPLES}")
    return found


def test_every_sample_ingests_without_an_error(mailbox, samples, settings):
    settings.INBOUND_MAX_BYTES = 20 * 1024 * 1024
    outcomes = {}
    for path in samples:
        # The samples are addressed to many strangers: they arrive through the team's mailbox.
        record = services.ingest(path.read_bytes(), mailbox=mailbox, source="pipe")
        assert record.pk, path.name
        assert record.state in (InboundState.PROCESSED, InboundState.IGNORED), (
            path.name,
            record.reason,
        )
        if record.state == InboundState.PROCESSED:
            assert record.ticket_id is not None
            assert record.event.body.strip(), path.name
        outcomes[path.name] = record.outcome
    assert len(outcomes) == len(samples) >= 30
    bounces = [n for n, o in outcomes.items() if "bounce" in n]
    assert all(outcomes[n] == "bounce" for n in bounces), outcomes
    assert not TicketEvent.objects.filter(type="public_reply", body="").exists()
