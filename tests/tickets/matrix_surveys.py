"""Permission rows of the public CSAT survey page: the signed token is the only key, so every
persona gets the same answer (a forged token: 400)."""

from __future__ import annotations

from tests.matrix import Row, all_personas
from tickets.models import SurveyResponse

ROWS: dict[str, Row] = {
    "survey": Row(
        "post",
        all_personas(400),
        kwargs=lambda ctx: {"token": "forged:token"},
        data=lambda ctx: {"rating": 5},
        snapshot=lambda ctx: SurveyResponse.objects.count(),
    ),
}
