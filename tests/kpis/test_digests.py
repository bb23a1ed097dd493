"""KPI digests (kpis.digests): the figures are the dashboard's for the same period and scope,
subscriptions follow the dashboard's scope, each period is queued once however often (or
however many workers) the run goes, and a digest reaches a real SMTP server as HTML with its
CSV attached."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from csops.errors import InvalidInput, NotAllowed
from csops.jobs import runner
from csops.models import Job
from kpis import dashboard
from kpis.digests import figures, periods, services
from kpis.digests.models import DigestDelivery, DigestSubscription
from kpis.models import Goal
from kpis.selectors import DashboardFilter
from tests.factories import UserFactory
from tests.kpis import digest_data
from tests.kpis.digest_data import END, NOW, START
from tests.tickets.smtp_peer import smtp_server
from tickets.mail.models import OutboundMessage, OutboxState

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(team, other_team, rep, rep_other_team, director):
    return digest_data.build(team, other_team, rep, rep_other_team, director)


@pytest.fixture
def goal(director):
    return Goal.objects.create(
        metric="first_reply_median", target=45, period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31), hours="calendar", created_by=director,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def _smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def _tile_tuples(tiles) -> list[tuple]:
    return [
        (t.key, t.value, t.previous, t.count, t.goal and t.goal.pk,
         t.goal_status and t.goal_status.status)
        for t in tiles
    ]  # fmt: skip


def _subscribe(user, *, cadence="weekly", teams=(), since=datetime(2025, 3, 1, tzinfo=NOW.tzinfo)):
    sub = services.subscribe(by=user, cadence=cadence, teams=list(teams))
    DigestSubscription.objects.filter(pk=sub.pk).update(since=since)
    return sub


# --- Periods (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "cadence", "today", "expected"),
    [
        ("monday", "weekly", date(2025, 3, 10), (date(2025, 3, 3), date(2025, 3, 9))),
        ("sunday", "weekly", date(2025, 3, 9), (date(2025, 2, 24), date(2025, 3, 2))),
        ("first of month", "monthly", date(2025, 3, 1), (date(2025, 2, 1), date(2025, 2, 28))),
        ("january", "monthly", date(2025, 1, 15), (date(2024, 12, 1), date(2024, 12, 31))),
    ],
)
def test_a_digest_covers_the_last_complete_week_or_month(_case, cadence, today, expected):
    assert periods.last_complete(cadence, today) == expected


def test_period_labels():
    assert periods.label("weekly", START, END) == "Week 10, 3 Mar – 9 Mar 2025"
    assert periods.label("monthly", date(2025, 2, 1), date(2025, 2, 28)) == "February 2025"


# --- Figures: the dashboard's own --------------------------------------------------------


def test_a_directors_digest_equals_the_dashboard_for_the_same_week(week, director, goal):
    digest = figures.compute(
        director, cadence="weekly", start=START, end=END, team_ids=[], business=False, now=NOW
    )
    (section,) = digest.sections
    tiles, summary = dashboard.tiles(director, DashboardFilter(start=START, end=END), now=NOW)
    assert section.title == "All teams"
    assert _tile_tuples(section.tiles) == _tile_tuples(tiles)
    assert section.summary.sla == summary.sla
    by_key = {t.key: t for t in section.tiles}
    # hand-worked: 4 tickets created this week, 1 the week before; first replies 30, 90, 180
    assert (by_key["created"].value, by_key["created"].previous) == (4, 1)
    assert by_key["first_reply_median"].value == pytest.approx(90.0)
    assert by_key["first_reply_median"].previous == pytest.approx(20.0)
    assert by_key["first_reply_median"].goal_status.status == "off_track"  # 90 > 45, period over
    assert by_key["sla_attainment"].value == pytest.approx(25.0)  # 1 achieved, 3 breached
    # the worst breaches: the one still open first (late since 03-04 10:00), then 120, 30 min
    assert section.breach_count == 3
    assert [(b.ticket_id, b.still_open) for b in section.breaches] == [
        (week["t3"].pk, True), (week["t4"].pk, False), (week["t2"].pk, False),
    ]  # fmt: skip
    late = NOW - datetime(2025, 3, 4, 10, 0, tzinfo=NOW.tzinfo)
    assert [b.late_minutes for b in section.breaches] == [late.total_seconds() / 60, 120.0, 30.0]
    assert [b.team for b in section.breaches] == ["Tier 1", "Billing", "Tier 1"]


def test_a_managers_digest_is_their_teams_and_equals_their_dashboard(week, manager):
    digest = figures.compute(
        manager, cadence="weekly", start=START, end=END, team_ids=[], business=False, now=NOW
    )
    (section,) = digest.sections
    tiles, _ = dashboard.tiles(manager, DashboardFilter(start=START, end=END), now=NOW)
    assert section.title == "Tier 1"
    assert _tile_tuples(section.tiles) == _tile_tuples(tiles)
    assert {t.key: t.value for t in section.tiles}["created"] == 3
    assert [b.ticket_id for b in section.breaches] == [week["t3"].pk, week["t2"].pk]


def test_chosen_teams_get_a_section_each_equal_to_the_dashboard_filtered_on_it(
    week, director, team, other_team
):
    digest = figures.compute(
        director, cadence="weekly", start=START, end=END, team_ids=[team.pk, other_team.pk],
        business=True, now=NOW,
    )  # fmt: skip
    assert [s.title for s in digest.sections] == ["Billing", "Tier 1"]
    for s in digest.sections:
        f = DashboardFilter(start=START, end=END, team=s.team_id, business=True)
        assert _tile_tuples(s.tiles) == _tile_tuples(dashboard.tiles(director, f, now=NOW)[0])
    assert [b.ticket_id for b in digest.sections[0].breaches] == [week["t4"].pk]


def test_a_team_that_left_the_managers_scope_is_left_out(week, manager, team, other_team):
    digest = figures.compute(
        manager, cadence="weekly", start=START, end=END, team_ids=[team.pk, other_team.pk],
        business=False, now=NOW,
    )  # fmt: skip
    assert [s.title for s in digest.sections] == ["Tier 1"]
    assert digest.left_out == ["Billing"]


# --- Subscribing: the dashboard's scope -------------------------------------------------


def test_a_rep_cannot_subscribe(rep, team):
    with pytest.raises(NotAllowed, match="for managers and directors"):
        services.subscribe(by=rep, cadence="weekly", teams=[team.pk])
    with pytest.raises(NotAllowed):
        services.subscribe(by=rep, cadence="weekly", teams=[])
    assert DigestSubscription.objects.count() == 0


def test_a_manager_subscribes_only_to_their_teams(manager, team, other_team):
    with pytest.raises(NotAllowed, match="only to digests of your own teams"):
        services.subscribe(by=manager, cadence="weekly", teams=[team.pk, other_team.pk])
    assert DigestSubscription.objects.count() == 0
    sub = services.subscribe(by=manager, cadence="weekly", teams=[team.pk])
    assert [t.pk for t in sub.teams.all()] == [team.pk]


def test_subscribing_again_changes_the_subscription_and_reactivates_it(director, team):
    first = services.subscribe(by=director, cadence="monthly", teams=[])
    services.unsubscribe(first.pk, by=director)
    again = services.subscribe(by=director, cadence="monthly", teams=[team.pk], business_hours=True)
    again.refresh_from_db()
    assert again.pk == first.pk
    assert (again.active, again.business_hours) == (True, True)
    assert again.since >= first.since
    assert [t.pk for t in again.teams.all()] == [team.pk]


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("cadence", {"cadence": "daily", "teams": []}, "cadence"),
        ("unknown team", {"cadence": "weekly", "teams": [999999]}, "teams"),
    ],
)
def test_bad_subscriptions_are_refused_with_the_field(director, _case, kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        services.subscribe(by=director, **kwargs)
    assert field in refused.value.fields
    assert DigestSubscription.objects.count() == 0


def test_someone_elses_subscription_is_not_found(director, manager):
    sub = services.subscribe(by=manager, cadence="weekly", teams=[])
    with pytest.raises(services.NotFound):
        services.unsubscribe(sub.pk, by=director)
    with pytest.raises(services.NotFound):
        services.send_preview(sub.pk, by=director)
    assert DigestSubscription.objects.get(pk=sub.pk).active


# --- The run: once per period -----------------------------------------------------------


def test_the_run_queues_each_due_digest_once(week, director, manager, rep):
    weekly = _subscribe(director)
    monthly = _subscribe(manager, cadence="monthly", since=datetime(2025, 2, 15, tzinfo=NOW.tzinfo))
    # subscribed on 1 March: its first monthly digest is March's, not due yet
    _subscribe(director, cadence="monthly")
    late = _subscribe(UserFactory(username="late", role="Director"), since=NOW - timedelta(hours=1))
    gone = _subscribe(UserFactory(username="gone", role="Director"))
    services.unsubscribe(gone.pk, by=gone.user)
    # when the run goes twice
    first = services.send_due(now=NOW)
    second = services.send_due(now=NOW)
    # then the weekly digest of 3-9 March and the monthly of February, once each
    assert (first.queued, first.skipped, first.more) == (2, 0, False)
    assert (second.queued, second.skipped) == (0, 0)
    rows = sorted(
        DigestDelivery.objects.values_list("subscription_id", "period_start", "period_end", "state")
    )
    assert rows == [
        (weekly.pk, START, END, "queued"),
        (monthly.pk, date(2025, 2, 1), date(2025, 2, 28), "queued"),
    ]
    assert not DigestDelivery.objects.filter(subscription__in=[late, gone]).exists()
    mails = OutboundMessage.objects.filter(kind="digest").order_by("pk")
    assert [(m.recipients, m.subject) for m in mails] == [
        (["diane@staff.example.com"], "KPI digest: Week 10, 3 Mar – 9 Mar 2025"),
        (["maria@staff.example.com"], "KPI digest: February 2025"),
    ]
    # and the job that sends each mail is queued with it
    sends = Job.objects.filter(kind="tickets.send_outbound_mail")
    assert sends.filter(payload__message__in=[m.pk for m in mails]).count() == 2


def test_a_subscriber_who_lost_the_dashboard_is_skipped_once_with_the_reason(week, manager):
    sub = _subscribe(manager)
    manager.groups.clear()
    manager.groups.add(*UserFactory(username="r2", role="Rep").groups.all())
    result = services.send_due(now=NOW)
    assert (result.queued, result.skipped) == (0, 1)
    delivery = DigestDelivery.objects.get(subscription=sub)
    assert (delivery.state, delivery.message) == ("skipped", None)
    assert delivery.note == "The person no longer reads KPI dashboards."
    assert services.send_due(now=NOW).skipped == 0


def test_the_run_gives_way_when_its_budget_is_spent_and_goes_on(week, director, manager):
    _subscribe(director), _subscribe(manager)
    assert services.send_due(now=NOW, budget_seconds=-1).more is True
    assert DigestDelivery.objects.count() == 0
    assert services.send_due(now=NOW).queued == 2


def test_the_recurring_job_sends_them_and_a_dead_worker_is_taken_over(week, director, settings):
    settings.JOB_LEASE_SECONDS = 60
    Job.objects.all().delete()  # the week's reply mails are not this test's
    sub = _subscribe(director)
    with time_machine.travel(NOW, tick=False):
        from kpis.digests.tasks import enqueue_digest_run

        assert enqueue_digest_run() is True
        assert enqueue_digest_run() is False  # one run at a time
        claimed = runner.claim()  # a worker claims the run, then dies
        assert claimed.kind == services.RUN
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert DigestDelivery.objects.count() == 0
        runner.run_due()  # the lease passed: another worker runs it (and the mail's send job)
        # the dead worker waking up late changes nothing
        runner.run_one(claimed)
    assert DigestDelivery.objects.filter(subscription=sub).count() == 1
    assert OutboundMessage.objects.filter(kind="digest").count() == 1
    job = Job.objects.get(key=services.RUN_KEY)
    assert (job.state, job.attempts) == (Job.State.DONE, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_queue_each_digest_once(
    team, other_team, rep, rep_other_team, director
):
    digest_data.build(team, other_team, rep, rep_other_team, director)
    subs = [_subscribe(UserFactory(username=f"d{n}", role="Director")) for n in range(6)]
    results: list[services.RunResult] = []

    def worker() -> None:
        try:
            results.append(services.send_due(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # a subscription the other worker held was passed by; the next run gets any left over
    leftover = services.send_due(now=NOW)
    assert sum(r.queued for r in results) + leftover.queued == len(subs)
    for sub in subs:
        assert DigestDelivery.objects.filter(subscription=sub).count() == 1
    assert OutboundMessage.objects.filter(kind="digest").count() == len(subs)
    assert services.send_due(now=NOW).queued == 0


# --- One digest, end to end, through a real SMTP server ---------------------------------


def test_a_digest_reaches_smtp_as_html_with_the_dashboards_csv(
    week, director, goal, settings, client_for
):
    sub = _subscribe(director)
    with smtp_server() as (port, inbox):
        _smtp(settings, port)
        with time_machine.travel(NOW, tick=False):
            assert services.send_due().queued == 1
            runner.run_due()
            # the dashboard's own tiles export for the same week, read at the same instant
            export = client_for(director).get(
                "/kpis/export/tiles.csv", {"preset": "custom", "start": START, "end": END}
            )
    assert export.status_code == 200
    (sent,) = [m for m in inbox if m["To"] == "diane@staff.example.com"]  # (and the replies)
    row = OutboundMessage.objects.get(kind="digest")
    assert row.state == OutboxState.SENT
    assert sent["Subject"] == "KPI digest: Week 10, 3 Mar – 9 Mar 2025"
    assert sent["To"] == "diane@staff.example.com"
    unsubscribe = sent["List-Unsubscribe"].strip()[1:-1]
    prefix = "http://127.0.0.1:8000/kpis/digests/unsubscribe/"
    assert unsubscribe.startswith(prefix)
    assert services.subscription_for_token(unsubscribe.removeprefix(prefix)[:-1]) == sub
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the HTML: the tiles with their values, goal status and trend, the breaches with links
    html = sent.get_body(preferencelist=("html",)).get_content()
    assert '<h2 style="font-size:17px;margin:20px 0 8px;border-bottom:2px solid #2f5bd3;' in html
    assert ">All teams</h2>" in html
    assert '<tr data-metric="created"' in html
    created_row = html.split('<tr data-metric="created"', 1)[1].split("</tr>", 1)[0]
    assert 'class="value">4</td>' in created_row
    assert 'class="previous">1</td>' in created_row
    assert ">+3</td>" in created_row
    median_row = html.split('<tr data-metric="first_reply_median"', 1)[1].split("</tr>")[0]
    assert "≤ 45.00: <span" in median_row
    assert ">off track</span>" in median_row
    assert "SLA breaches in the period: 3</strong>" in html
    link = f"http://127.0.0.1:8000/tickets/{week['t4'].pk}/"
    assert f'href="{link}">#{week["t4"].pk} Invoice &lt;b&gt;</a>' in html
    assert "Invoice <b>" not in html
    assert (
        "http://127.0.0.1:8000/kpis/?preset=custom&amp;start=2025-03-03&amp;end=2025-03-09" in html
    )
    assert f'href="{unsubscribe}"' in html
    # the text alternative says the same
    text = sent.get_body(preferencelist=("plain",)).get_content()
    assert "- Tickets created: 4 (previous 1, +3)" in text
    assert "SLA breaches in the period: 3;" in text
    assert f"- #{week['t4'].pk} Invoice <b> (Billing, First reply): late by " in text
    # the CSV: the dashboard's tiles export, row for row, after the section column
    files = {a.get_filename(): a.get_content() for a in sent.iter_attachments()}
    assert sorted(files) == ["kpi-digest-2025-03-03-2025-03-09.csv",
                             "sla-breaches-2025-03-03-2025-03-09.csv"]  # fmt: skip
    digest_rows = list(csv.reader(io.StringIO(files["kpi-digest-2025-03-03-2025-03-09.csv"])))
    dashboard_rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert digest_rows[0] == ["section", *dashboard_rows[0]]
    assert [r[1:] for r in digest_rows[1:]] == dashboard_rows[1:]
    assert {r[0] for r in digest_rows[1:]} == {"All teams"}
    created = next(r for r in digest_rows if r[1] == "created")
    assert created[4:7] == ["4", "1", "3"]
    breaches = list(csv.reader(io.StringIO(files["sla-breaches-2025-03-03-2025-03-09.csv"])))
    assert [(r[1], r[4], r[6], r[7]) for r in breaches[1:]] == [
        (str(week["t3"].pk), "first_reply", "8520.00", "True"),
        (str(week["t4"].pk), "first_reply", "120.00", "False"),
        (str(week["t2"].pk), "first_reply", "30.00", "False"),
    ]


# --- The dashboard's panel, the preview and the unsubscribe link -----------------------


def test_subscribe_preview_and_unsubscribe_from_the_dashboard_with_htmx(director, team, client):
    client.force_login(director)
    htmx = {"HTTP_HX_REQUEST": "true"}
    page = client.get("/kpis/digests/", **htmx)
    assert page.status_code == 200
    assert 'id="digest-form"' in page.content.decode()
    # subscribe
    response = client.post(
        "/kpis/digests/subscribe/", {"cadence": "weekly", "teams": [team.pk], "hours": "calendar"},
        **htmx,
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    sub = DigestSubscription.objects.get(user=director)
    assert f'id="digest-{sub.pk}" data-active="true"' in body
    assert "Tier 1 (one section each)" in body
    assert "Subscribed: your weekly KPI digest." in body  # the flash, swapped out of band
    # a preview now: a mail marked as such, no delivery recorded
    response = client.post(f"/kpis/digests/{sub.pk}/preview/", **htmx)
    assert "A preview is on its way to diane@staff.example.com." in response.content.decode()
    preview = OutboundMessage.objects.get(kind="digest")
    assert preview.subject.startswith("[Preview] KPI digest: Week ")
    assert "Preview: sent on request" in preview.html_body
    assert DigestDelivery.objects.count() == 0
    # unsubscribe
    response = client.post(f"/kpis/digests/{sub.pk}/unsubscribe/", **htmx)
    assert f'id="digest-{sub.pk}" data-active="false"' in response.content.decode()
    assert "Unsubscribed from your weekly digest." in response.content.decode()
    assert not DigestSubscription.objects.get(pk=sub.pk).active


def test_a_bad_subscription_form_answers_422_with_the_error(manager, other_team, client):
    client.force_login(manager)
    response = client.post(
        "/kpis/digests/subscribe/", {"cadence": "hourly", "hours": "calendar"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 422
    assert "Select a valid choice. hourly is not one of the available choices." in (
        response.content.decode()
    )
    # a team outside the manager's scope is not even offered, and refused
    response = client.post(
        "/kpis/digests/subscribe/", {"cadence": "weekly", "teams": [other_team.pk]},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 422
    assert DigestSubscription.objects.count() == 0


def test_the_mails_unsubscribe_link_works_without_login_after_confirming(director, client):
    sub = services.subscribe(by=director, cadence="weekly", teams=[])
    url = services.unsubscribe_url(sub).removeprefix("http://127.0.0.1:8000")
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="confirm-unsubscribe"' in page.content.decode()
    assert DigestSubscription.objects.get(
        pk=sub.pk
    ).active  # a GET (a mail scanner) changes nothing
    # one-click (RFC 8058) from the mail client: a POST without a session or CSRF token
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert 'id="unsubscribed"' in done.content.decode()
    assert not DigestSubscription.objects.get(pk=sub.pk).active


def test_a_forged_unsubscribe_link_is_a_404(director, client):
    sub = services.subscribe(by=director, cadence="weekly", teams=[])
    token = services.unsubscribe_token(sub)
    response = client.post(f"/kpis/digests/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 404
    assert DigestSubscription.objects.get(pk=sub.pk).active


def test_the_dashboard_loads_the_digest_panel(director, client):
    client.force_login(director)
    body = client.get("/kpis/").content.decode()
    assert 'id="digests" hx-get="/kpis/digests/" hx-trigger="load"' in body
    assert timezone.now()  # the page rendered with today's range


def test_the_admin_lists_subscriptions_with_their_deliveries(week, director, admin_user, client):
    sub = _subscribe(director)
    services.send_due(now=NOW)
    client.force_login(admin_user)
    assert client.get("/admin/kpis/digestsubscription/").status_code == 200
    page = client.get(f"/admin/kpis/digestsubscription/{sub.pk}/change/")
    assert page.status_code == 200
    assert "March 3, 2025" in page.content.decode()  # the delivery, inline
    assert client.get("/admin/kpis/digestdelivery/").status_code == 200
    assert client.get("/admin/kpis/digestdelivery/add/").status_code == 403
    # an admin switches a subscription off
    client.post(
        f"/admin/kpis/digestsubscription/{sub.pk}/change/",
        {"user": director.pk, "cadence": "weekly", "active": "", "deliveries-TOTAL_FORMS": "1",
         "deliveries-INITIAL_FORMS": "1", "deliveries-MIN_NUM_FORMS": "0",
         "deliveries-MAX_NUM_FORMS": "1000", "deliveries-0-id": sub.deliveries.get().pk,
         "deliveries-0-subscription": sub.pk},
    )  # fmt: skip
    assert DigestSubscription.objects.get(pk=sub.pk).active is False


def test_a_digest_whose_teams_all_left_the_scope_is_skipped(week, manager, other_team):
    sub = _subscribe(manager, teams=[])
    sub.teams.set([other_team.pk])  # chosen while they managed it (an admin's edit)
    result = services.send_due(now=NOW)
    assert (result.queued, result.skipped) == (0, 1)
    delivery = DigestDelivery.objects.get(subscription=sub)
    assert delivery.note == "None of the chosen teams is among the person's teams now."
    assert not OutboundMessage.objects.filter(kind="digest").exists()
