"""Mailboxes over IMAPS and STARTTLS against a dovecot with a self-signed certificate: read
when the certificate is trusted (IMAP_CA_FILE), refused in words when it is not."""

from __future__ import annotations

import pytest

from tests.dovecot import SPARE_PASSWORD, Dovecot
from tests.mail.imap.conftest import PASSWORD_ENV, mail, make_mailbox
from tickets.mail.inbound import poll
from tickets.models import Ticket

pytestmark = [pytest.mark.imap, pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def tls_server():
    server = Dovecot(spare=5, tls=True).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_a_trusted_certificate_is_read_over_tls(team, tls_server, settings, security):
    settings.IMAP_CA_FILE = tls_server.cert_file
    user = tls_server.take_user()
    port = tls_server.tls_port if security == "tls" else tls_server.port
    mailbox = make_mailbox(team, tls_server, user, imap_security=security, imap_port=port)
    tls_server.deliver(mail(subject=f"Over {security}")[0], user=user)

    assert poll.poll(mailbox.pk) == poll.PollResult(ingested=1)
    assert list(Ticket.objects.values_list("subject", flat=True)) == [f"Over {security}"]


def test_an_untrusted_certificate_is_refused_in_words(team, tls_server, settings):
    settings.IMAP_CA_FILE = ""
    user = tls_server.take_user()
    mailbox = make_mailbox(
        team, tls_server, user, imap_security="tls", imap_port=tls_server.tls_port
    )
    tls_server.deliver(mail(subject="Never read")[0], user=user)

    result = poll.poll(mailbox.pk)

    expected = (
        f"TLS certificate of {user}@127.0.0.1:{tls_server.tls_port} was refused: "
        "self-signed certificate."
    )
    assert result.error == expected
    mailbox.refresh_from_db()
    assert mailbox.last_error == expected
    assert Ticket.objects.count() == 0
