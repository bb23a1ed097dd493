"""``seed_demo``: deterministic demo data whose ticket rows agree with their event logs."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csops.roles import Role
from kpis.digests.models import DigestSubscription
from kpis.models import Goal
from kpis.selectors.filters import DashboardFilter
from kpis.selectors.summary import summary
from policies.knowledge.models import Article
from policies.models import Acknowledgment, Macro, PolicyVersion, SlaMetric, SlaPolicy
from policies.replay import replay
from staffing.budget import selectors as budget_selectors
from staffing.budget.models import Budget, LineMonth
from staffing.hiring import selectors
from staffing.hiring.models import Candidate, HiringDecision, Requisition
from staffing.models import (
    Availability,
    Course,
    OnboardingPlan,
    PerformanceReview,
    QAReview,
    Skill,
    StaffCertification,
    Team,
    TrainingRecord,
)
from staffing.skills.selectors import held_skills
from tickets.attachments.models import Attachment
from tickets.chat.models import ChatChannel
from tickets.models import (
    Customer,
    Escalation,
    EscalationState,
    Incident,
    SavedView,
    SurveyResponse,
    Ticket,
    TicketEvent,
    TicketSlaInstance,
)
from tickets.routing.models import RoutingSettings, SkillRule
from tickets.seeding import seed
from tickets.webhooks.models import WebhookSubscription

UNTIL = datetime(2025, 6, 2, 15, 30, tzinfo=UTC)
RESOLVED = {"solved", "closed"}


def _snapshot() -> list[tuple]:
    types = defaultdict(list)
    for ticket_id, type_ in TicketEvent.objects.order_by("pk").values_list("ticket_id", "type"):
        types[ticket_id].append(type_)
    return [
        (subject, status, version, tuple(types[pk]))
        for pk, subject, status, version in Ticket.objects.order_by("pk").values_list(
            "pk", "subject", "status", "version"
        )
    ]


def _logs() -> dict[int, list[TicketEvent]]:
    logs = defaultdict(list)
    for event in TicketEvent.objects.order_by("pk"):
        logs[event.ticket_id].append(event)
    return logs


@pytest.mark.django_db
def test_same_seed_gives_identical_tickets_and_logs():
    # given one seeded run
    seed(300, seed=11, reset=True, until=UNTIL)
    first = _snapshot()

    # when the same seed runs again from scratch
    seed(300, seed=11, reset=True, until=UNTIL)

    # then subjects, statuses, versions and event types are identical, ticket by ticket
    assert _snapshot() == first
    assert len(first) == 300 + 3  # the history, the demo mail thread's and the portal's tickets


@pytest.mark.django_db
def test_another_seed_gives_other_tickets():
    seed(100, seed=1, reset=True, until=UNTIL)
    first = _snapshot()

    seed(100, seed=2, reset=True, until=UNTIL)

    assert _snapshot() != first


@pytest.mark.django_db
def test_every_ticket_row_agrees_with_its_replayed_log():
    # given
    result = seed(1500, seed=5, reset=True, until=UNTIL, features=False)

    # when each log is replayed by the engines' replay
    logs = _logs()
    tickets = list(Ticket.objects.order_by("pk"))

    # then
    assert result.tickets == 1500
    assert result.events == sum(len(log) for log in logs.values())
    for ticket in tickets:
        log = logs[ticket.pk]
        replayed = replay([e.as_log_event() for e in log], UNTIL)
        final = replayed.final
        assert replayed.errors == (), (ticket.pk, replayed.errors)
        assert (final.status, final.priority, final.team, final.assignee) == (
            ticket.status,
            ticket.priority,
            ticket.team_id,
            ticket.assignee_id,
        ), ticket.pk
        ats = [e.at for e in log]
        assert ats == sorted(ats), ticket.pk
        assert all(at.microsecond == 0 and at <= UNTIL for at in ats), ticket.pk
        assert log[0].type == "created"
        assert log[0].at == ticket.created_at
        assert log[0].body == ticket.description
        assert ticket.updated_at == ats[-1]
        # one action = one instant, so a ticket has at most one action per event and at
        # least one per distinct instant
        assert len(set(ats)) <= ticket.version <= len(log), ticket.pk
        assert (ticket.solved_at is not None) == (ticket.status in RESOLVED), ticket.pk
        assert ticket.priority_rank == ["low", "normal", "high", "urgent"].index(ticket.priority)


@pytest.mark.django_db
def test_logs_follow_the_service_ordering_rules():
    seed(1500, seed=6, reset=True, until=UNTIL, features=False)

    for ticket_id, log in _logs().items():
        status = None
        for i, event in enumerate(log):
            before = log[i - 1] if i else None
            assert status != "closed", f"#{ticket_id}: event after closed"
            if event.type == "created":
                status = "new"
                assert i == 0
            elif event.type == "status_changed":
                assert event.data["from"] == status, ticket_id
                status = event.data["to"]
                if event.actor_role == "system" and status == "open":
                    # a customer's message reopens, logged right after it at the same instant
                    assert before.type == "public_reply"
                    assert before.actor_role == "customer"
                    assert before.at == event.at
            elif event.actor_role == "agent":
                # an agent's first action on a new ticket opens it first (§2, §9.1)
                assert status != "new", f"#{ticket_id}: agent {event.type} on a new ticket"
            if event.type in ("public_reply", "internal_note"):
                assert event.body.strip(), ticket_id
                after = log[i + 1] if i + 1 < len(log) else None
                if event.actor_role == "agent" and after and after.at == event.at:
                    # reply + status change in one action: the message first (§9.1)
                    assert after.type in ("status_changed", "public_reply", "internal_note")


@pytest.mark.django_db
def test_demo_mix_is_realistic():
    result = seed(3000, seed=9, reset=True, until=UNTIL, features=False)

    tickets = Ticket.objects.all()
    statuses = Counter(tickets.values_list("status", flat=True))
    types = Counter(TicketEvent.objects.values_list("type", "actor_role"))
    reopened = (
        TicketEvent.objects.filter(type="status_changed", data__from="solved", data__to="open")
        .values("ticket_id")
        .distinct()
        .count()
    )
    unresolved = sum(statuses[s] for s in ("new", "open", "pending", "on_hold"))

    assert 0.01 * 3000 <= unresolved <= 0.08 * 3000, statuses
    assert statuses["closed"] > 0.8 * 3000
    assert 0.04 * 3000 <= reopened <= 0.14 * 3000
    for kind in [
        ("public_reply", "agent"),
        ("public_reply", "customer"),
        ("public_reply", "system"),
        ("internal_note", "agent"),
        ("escalated", "agent"),
        ("priority_changed", "agent"),
        ("assigned", "agent"),
        ("status_changed", "system"),
    ]:
        assert types[kind] > 0, kind
    assert tickets.filter(initiated_by="agent").count() > 0.03 * 3000
    assert set(tickets.values_list("channel", flat=True)) == {
        "email",
        "web",
        "phone",
        "chat",
        "api",
    }
    escalated_to = set(
        TicketEvent.objects.filter(type="escalated").values_list("data__tier", flat=True)
    )
    assert escalated_to == {2}
    assert Ticket.objects.filter(team__tier=2).exists()
    assert result.customers == 600
    oldest = tickets.order_by("created_at").first().created_at
    assert UNTIL - timedelta(days=180) <= oldest < UNTIL - timedelta(days=170)
    recent = tickets.filter(created_at__gte=UNTIL - timedelta(days=2))
    assert recent.exclude(status__in=RESOLVED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "role", "is_staff"),
    [
        ("rep", Role.REP, False),
        ("rep2", Role.REP, False),
        ("manager", Role.MANAGER, False),
        ("director", Role.DIRECTOR, False),
        ("admin", Role.ADMIN, True),
    ],
)
def test_demo_logins_exist_with_their_role_and_log_in(username, role, is_staff):
    seed(20, seed=1, until=UNTIL)

    user = User.objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [role.value]
    assert user.is_staff is is_staff
    client = Client()
    response = client.post("/login/", {"username": username, "password": "csops-demo"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_demo_staff_are_placed_in_their_teams():
    seed(20, seed=1, until=UNTIL)

    tier1 = Team.objects.get(name="Tier 1 Support")
    tier2 = Team.objects.get(name="Tier 2 Technical")
    assert {"rep", "rep2"} <= set(tier1.members.values_list("username", flat=True))
    assert set(User.objects.get(username="manager").managed_teams.all()) == {tier1, tier2}
    reps = User.objects.filter(groups__name=Role.REP.value)
    assert reps.count() >= 42
    assert not Team.objects.filter(members__isnull=True).exists()
    assert Team.objects.count() == 8
    assert set(Team.objects.values_list("tier", flat=True)) == {1, 2}


@pytest.mark.django_db
def test_rerun_adds_tickets_and_reuses_staff_and_customers():
    seed(50, seed=1, until=UNTIL)
    users, teams, customers = User.objects.count(), Team.objects.count(), Customer.objects.count()

    seed(50, seed=2, until=UNTIL)

    assert Ticket.objects.count() == 100 + 2 + 1  # + the portal customer's 2, the mail thread
    assert (User.objects.count(), Team.objects.count()) == (users, teams)
    assert Customer.objects.count() == customers == 50 + 1 + 2  # + portal, mail thread's 2


@pytest.mark.django_db
def test_reset_deletes_tickets_events_and_customers_first():
    seed(60, seed=1, until=UNTIL)

    seed(40, seed=1, reset=True, until=UNTIL)

    assert Ticket.objects.count() == 40 + 2 + 1  # + the portal customer's 2, the mail thread
    assert TicketEvent.objects.exclude(ticket__in=Ticket.objects.all()).count() == 0
    assert Customer.objects.count() == 50 + 1 + 2  # + portal, mail thread's 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_vector_covers_subject_description_and_messages():
    # given
    seed(800, seed=3, reset=True, until=UNTIL)
    noted = set(
        TicketEvent.objects.filter(type="internal_note", body__contains="voicemail").values_list(
            "ticket_id", flat=True
        )
    )

    # when searching the way the queue does
    found = Ticket.objects.filter(
        search_vector=SearchQuery("voicemail", config="english", search_type="websearch")
    )

    # then every ticket has a vector, and a word only notes use finds exactly their tickets
    assert not Ticket.objects.filter(search_vector__isnull=True).exists()
    assert noted
    assert set(found.values_list("pk", flat=True)) == noted
    assert (
        Ticket.objects.filter(
            search_vector=SearchQuery("refund", config="english"), subject__icontains="refund"
        ).count()
        == Ticket.objects.filter(subject__icontains="refund").count()
    )


@pytest.mark.django_db
def test_command_reports_what_it_seeded():
    out = StringIO()

    call_command(
        "seed_demo", "--tickets", "40", "--seed", "4", "--until", UNTIL.isoformat(), stdout=out
    )

    assert Ticket.objects.count() == 40 + 2 + 1  # + the portal customer's 2, the mail thread
    assert "Seeded 40 tickets and" in out.getvalue()
    assert "rep, rep2, manager, director, admin" in out.getvalue()


# --- every feature at work (issue 18 §1) -----------------------------------------------------


@pytest.fixture
def demo():
    """The demo as ``scripts/run`` makes it (history ending now), with its KPIs rebuilt."""
    out = StringIO()
    call_command("seed_demo", "--tickets", "1500", "--seed", "3", stdout=out)
    call_command("rebuild_kpis", "--workers", "1", stdout=StringIO())
    return out.getvalue()


def _demo_client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_demo_seeds_a_few_records_of_every_feature(demo):
    today = timezone.localdate()
    rep, rep2 = User.objects.get(username="rep"), User.objects.get(username="rep2")
    staff = set(Team.objects.get(slug="tier-1-support").members.all()) | {
        User.objects.get(username="manager"),
        User.objects.get(username="director"),
    }

    # SLA policies cover the whole history: every ticket records a version
    assert SlaPolicy.objects.count() == 2
    assert not Ticket.objects.filter(sla_policy_version__isnull=True).exists()
    open_clocks = TicketSlaInstance.objects.filter(ended_at__isnull=True)
    assert open_clocks.filter(due_at__lte=timezone.now()).exists()
    assert open_clocks.filter(due_at__gt=timezone.now()).exists()
    # policies and procedures: published versions, one awaiting approval, acks due
    policies = PolicyVersion.objects.exclude(document__kind="article")
    states = Counter(policies.values_list("state", flat=True))
    assert (states["published"], states["in_review"], states["draft"]) == (3, 1, 1)
    # the help center: published articles, a few internal ones
    articles = Article.objects.filter(current_version__isnull=False)
    assert (articles.count(), articles.filter(visibility="internal").count()) == (12, 2)
    assert Acknowledgment.objects.filter(user=rep, acknowledged_at__isnull=True).count() == 2
    assert Acknowledgment.objects.filter(user=rep2, acknowledged_at__isnull=False).count() == 2
    assert Macro.objects.count() == 4
    # training (some overdue), certifications (some expiring soon), onboarding
    assert Course.objects.count() == 3
    overdue = TrainingRecord.objects.filter(completed_on__isnull=True, due_date__lt=today)
    assert overdue.filter(user=rep).exists()
    assert TrainingRecord.objects.filter(completed_on__isnull=False).exists()
    held = StaffCertification.objects.all()
    assert {c.state(today) for c in held} >= {"due_soon", "valid"}
    seeded_plan = OnboardingPlan.objects.get(user__hired_as__isnull=True)
    assert seeded_plan.steps.filter(signed_off_at__isnull=False).count() == 1
    # QA reviews in each stage, performance reviews, goals
    assert set(QAReview.objects.values_list("state", flat=True)) == {
        "pending",
        "submitted",
        "acknowledged",
    }
    assert set(QAReview.objects.values_list("rep__username", flat=True)) == {"rep", "rep2"}
    assert PerformanceReview.objects.count() == 2
    for review in PerformanceReview.objects.all():
        assert review.snapshot["tickets_solved"] > 0, review.snapshot
        assert review.snapshot["median_first_reply_seconds"] is not None, review.snapshot
        assert review.snapshot["qa_reviews"] == 2, review.snapshot
    assert Goal.objects.count() == 4
    # hiring: an approved requisition with a candidate at every stage, one awaiting approval;
    # the hired agent has a login on Tier 1 and an onboarding plan
    assert sorted(Requisition.objects.values_list("title", "status")) == [
        ("Support agent", "open"),
        ("Technical support specialist", "pending"),
    ]
    stages = Counter(Candidate.objects.values_list("stage", flat=True))
    assert stages == {"applied": 2, "screen": 1, "interview": 1, "offer": 1, "hired": 1,
                      "rejected": 1, "withdrawn": 1}  # fmt: skip
    hired = User.objects.get(hired_as__stage="hired")
    assert (hired.username, list(hired.teams.values_list("slug", flat=True))) == (
        "jonas.berg",
        ["tier-1-support"],
    )
    assert OnboardingPlan.objects.filter(user=hired).count() == 1
    assert HiringDecision.objects.count() == 2
    assert selectors.stats(Requisition.objects.all()).median_days_to_hire == 24.0
    # a budget for the current fiscal year: lines per team and department, three months of
    # actuals, and the cost per resolved ticket they give
    budget = Budget.objects.get()
    assert budget.first_month <= today < budget.end
    assert budget.lines.count() == Team.objects.count() + 2 + 4
    assert budget_selectors.months_with_actuals(budget) == budget.months[:3]
    assert LineMonth.objects.filter(actual__isnull=False).count() == budget.lines.count() * 3
    units = _demo_client("director").get(reverse("staffing:budget", args=[budget.pk]))
    everyone = units.context["units"].rows[-1][2]
    assert everyone.resolved > 0
    assert everyone.per_resolved is not None
    # escalations in every state, an open incident with linked tickets
    assert set(Escalation.objects.values_list("state", flat=True)) == set(EscalationState.values)
    incident = Incident.objects.get(state="open")
    assert incident.links.count() >= 3
    # an example webhook subscription, off until someone points it at their receiver
    assert WebhookSubscription.objects.filter(active=False).count() == 1
    # the director's weekly KPI digest (of all teams), not yet sent
    digest = DigestSubscription.objects.get()
    assert (digest.user.username, digest.cadence, digest.active) == ("director", "weekly", True)
    assert (digest.teams.count(), digest.deliveries.count()) == (0, 0)
    # Tier 1's Slack channel at the local receiver (off), a follower of the public incident
    channel = ChatChannel.objects.get()
    assert (channel.team.slug, channel.kind, channel.active) == ("tier-1-support", "slack", False)
    assert channel.url == "http://127.0.0.1:9000/slack/tier-1"
    assert incident.public
    assert list(incident.followers.values_list("email", "unfollowed_at")) == [
        ("sam.follower@example.com", None)
    ]
    # a portal-ready customer: a web request a rep answered, one from the portal, both acked
    pat = Ticket.objects.filter(requester__email="pat.portal@example.com").order_by("pk")
    assert [(t.channel, t.status) for t in pat] == [("web", "pending"), ("portal", "new")]
    assert all(t.outbox.filter(kind="ack").exists() for t in pat)
    # routing: Tier 2 routes by skill; skills held (payments lapses without the PCI
    # certification), some people available, rules that require skills; saved views
    tier2 = Team.objects.get(slug="tier-2-technical")
    assert RoutingSettings.objects.get(team=tier2).mode == "skills"
    assert not RoutingSettings.objects.exclude(team=tier2).exists()
    assert set(Skill.objects.values_list("name", flat=True)) == {"German", "Devices", "Payments"}
    members = list(tier2.members.values_list("pk", flat=True))
    held = held_skills(members, today)
    payments = [s for hs in held.values() for s in hs if s.name == "Payments"]
    assert {s.valid for s in payments} == {True, False}
    assert Availability.objects.filter(user__in=members, status="available").exists()
    assert SkillRule.objects.filter(team=tier2).count() == 2
    assert sorted(SavedView.objects.values_list("name", "team__slug")) == [
        ("Breached in Tier 1", "tier-1-support"),
        ("My urgent and high", None),
    ]
    # the email thread's files: the rep's checklist and the colleague's client log
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == [
        "vpn-checklist.txt",
        "vpn-client-log.txt",
    ]
    # survey answers with comments
    answers = SurveyResponse.objects.filter(is_current=True)
    assert answers.count() >= 100
    assert answers.exclude(comment="").exists()
    assert answers.filter(nps__isnull=False).exists()
    # coherent with the tickets: the same people, and nothing after now
    assert {e.raised_by for e in Escalation.objects.exclude(raised_by=None)} <= set(
        User.objects.filter(teams__isnull=False)
    )
    assert {r.reviewer for r in QAReview.objects.all()} <= staff
    assert not answers.filter(submitted_at__gt=timezone.now()).exists()
    for answer in answers.select_related("invitation__solve_event")[:20]:
        assert answer.invitation.solve_event.ticket_id == answer.ticket_id
        assert answer.submitted_at > answer.invitation.solve_event.at


@pytest.mark.django_db
def test_demo_tickets_touched_by_the_services_still_agree_with_their_logs(demo):
    # given every escalated ticket: escalations made from the seeded log and through the
    # services (which log at the current time, after the seeded history)
    now = timezone.now()
    touched = Ticket.objects.filter(escalations__isnull=False).distinct()

    # then each log replays to the ticket's row
    assert touched.count() >= 8
    for ticket in touched:
        log = [e.as_log_event() for e in ticket.events.order_by("pk")]
        final = replay(log, now).final
        assert (final.status, final.team, final.assignee) == (
            ticket.status,
            ticket.team_id,
            ticket.assignee_id,
        ), ticket.pk
    for escalation in Escalation.objects.exclude(state="open"):
        assert escalation.accepted_at is None or escalation.accepted_at >= escalation.created_at
        assert escalation.owner is not None, escalation.pk


@pytest.mark.django_db
def test_every_sla_and_csat_tile_has_a_value_after_seed_and_rebuild(demo):
    director = User.objects.get(username="director")

    figures = summary(director, DashboardFilter.last_days(30))

    for key in ("sla_attainment", "csat", "nps"):
        assert figures.tiles[key].value is not None, key
        assert figures.tiles[key].previous is not None, key
    assert [t.metric for t in figures.sla] == list(SlaMetric.values)
    for tile in figures.sla:
        assert tile.attainment is not None, tile.metric
        assert tile.achieved > 0, tile.metric
    assert figures.breached_active > 0
    assert 60 <= figures.tiles["sla_attainment"].value <= 98
    assert 70 <= figures.tiles["csat"].value <= 100


@pytest.mark.django_db
def test_the_queue_shows_breached_tickets_and_next_sla_due(demo):
    client = _demo_client("manager")

    breached = client.get("/tickets/", {"sla": "breached"}).context["page"]
    by_due = client.get("/tickets/", {"sort": "next_sla_due_at"}).context["page"]

    assert breached.total > 0
    assert by_due.tickets[0].next_sla_due_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["rep", "rep2"])
def test_demo_rep_lands_on_a_workload_of_their_own(demo, username):
    user = User.objects.get(username=username)

    response = _demo_client(username).get("/tickets/")

    page = response.context["page"]
    assert response.context["current_view"] == "mine"
    assert 8 <= page.total <= 25
    assert {t.assignee_id for t in page.tickets} == {user.pk}
    assert {"new", "open", "pending"} <= {t.status for t in page.tickets}
