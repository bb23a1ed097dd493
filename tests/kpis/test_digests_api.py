"""/api/v1/kpi-digests/: one's own subscriptions, with the dashboard panel's rules and the
API's error bodies."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kpis.digests import services
from kpis.digests.models import DigestDelivery, DigestSubscription
from tests.kpis import digest_data
from tests.kpis.digest_data import NOW
from tickets.mail.models import OutboundMessage

pytestmark = pytest.mark.django_db
URL = "/api/v1/kpi-digests/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_director_subscribes_lists_and_unsubscribes(director, team):
    api = _api(director)
    created = api.post(URL, {"cadence": "monthly", "teams": [team.pk]}, format="json")
    assert created.status_code == 201
    body = created.json()
    sub = DigestSubscription.objects.get(user=director)
    assert body == {
        "id": sub.pk, "cadence": "monthly", "teams": [team.pk], "business_hours": False,
        "active": True, "since": body["since"], "created_at": body["created_at"],
    }  # fmt: skip
    listed = api.get(URL).json()
    assert [r["id"] for r in listed["results"]] == [sub.pk]
    assert api.delete(f"{URL}{sub.pk}/").status_code == 204
    assert api.get(f"{URL}{sub.pk}/").json()["active"] is False


def test_a_manager_cannot_subscribe_to_another_teams_digest(manager, other_team):
    response = _api(manager).post(URL, {"cadence": "weekly", "teams": [other_team.pk]})
    assert response.status_code == 403
    assert response.json() == {
        "error": "not_allowed",
        "detail": "You can subscribe only to digests of your own teams.",
        "fields": {},
    }
    assert DigestSubscription.objects.count() == 0


def test_a_rep_cannot_subscribe_even_to_their_own_team(rep, team):
    response = _api(rep).post(URL, {"cadence": "weekly", "teams": [team.pk]}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "The KPI dashboards are for managers and directors."
    assert DigestSubscription.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "data", "status", "field"),
    [
        ("cadence", {"cadence": "daily"}, 400, "cadence"),
        ("team id type", {"cadence": "weekly", "teams": ["x"]}, 400, "teams.0"),
        ("unknown team", {"cadence": "weekly", "teams": [424242]}, 422, "teams"),
    ],
)
def test_bad_input_is_a_clear_error(director, _case, data, status, field):
    response = _api(director).post(URL, data, format="json")
    assert response.status_code == status
    assert field in response.json()["fields"]
    assert DigestSubscription.objects.count() == 0


def test_preview_and_deliveries(team, other_team, rep, rep_other_team, director):
    digest_data.build(team, other_team, rep, rep_other_team, director)
    sub = services.subscribe(by=director, cadence="weekly", teams=[])
    DigestSubscription.objects.filter(pk=sub.pk).update(since=NOW.replace(day=1))
    services.send_due(now=NOW)
    api = _api(director)
    preview = api.post(f"{URL}{sub.pk}/preview/")
    assert preview.status_code == 202
    message = OutboundMessage.objects.get(pk=preview.json()["message"])
    assert preview.json()["recipient"] == "diane@staff.example.com"
    assert message.subject.startswith("[Preview] KPI digest")
    deliveries = api.get(f"{URL}{sub.pk}/deliveries/").json()["results"]
    assert [(d["period_start"], d["state"], d["outbox_state"]) for d in deliveries] == [
        ("2025-03-03", "queued", "queued")
    ]
    assert DigestDelivery.objects.count() == 1  # a preview records no delivery


def test_someone_elses_subscription_is_a_404(director, manager):
    sub = services.subscribe(by=manager, cadence="weekly", teams=[])
    api = _api(director)
    assert api.get(f"{URL}{sub.pk}/").status_code == 404
    assert api.delete(f"{URL}{sub.pk}/").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404
    assert DigestSubscription.objects.get(pk=sub.pk).active
