"""Portal magic links (tickets.portal.links): bound to one address, expiring, tamper-proof."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from tickets.portal import links


def test_a_token_reads_back_as_its_lower_cased_address_and_request():
    token = links.make_token(" Casey@Example.ORG ", ticket_id=7)
    assert links.read_token(token) == ("casey@example.org", 7)
    assert links.read_token(links.make_token("bo@example.org")) == ("bo@example.org", None)


def test_a_link_expires_after_its_max_age(settings):
    settings.PORTAL_LINK_MAX_AGE_SECONDS = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = links.make_token("casey@example.org")
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        assert links.read_token(token)[0] == "casey@example.org"
    with (
        time_machine.travel(start + timedelta(seconds=601), tick=False),
        pytest.raises(links.PortalLinkExpired),
    ):
        links.read_token(token)


@pytest.mark.parametrize(
    ("_case", "make"),
    [
        (
            "edited address",
            lambda t: t.replace(t.split(":")[0], signing.b64_encode(b'{"e":"x@y.z"}').decode()),
        ),
        ("garbage", lambda t: "not-a-token"),
        ("cut", lambda t: t[:-3]),
        (
            "survey salt",
            lambda t: signing.TimestampSigner(salt="csops.survey").sign_object({"e": "a@b.c"}),
        ),
        ("no address", lambda t: signing.TimestampSigner(salt=links.SALT).sign_object({"t": 1})),
        (
            "ticket not a number",
            lambda t: signing.TimestampSigner(salt=links.SALT).sign_object(
                {"e": "a@b.c", "t": "1"}
            ),
        ),
        ("not a dict", lambda t: signing.TimestampSigner(salt=links.SALT).sign_object(["a@b.c"])),
    ],
)
def test_tampered_or_foreign_tokens_are_refused(_case, make):
    token = make(links.make_token("casey@example.org", ticket_id=1))
    with pytest.raises(links.PortalLinkInvalid):
        links.read_token(token)
