"""Staff certifications, CE hours, expiry reminders, flags and compliance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from csops.errors import InvalidInput, NotAllowed
from csops.models import Notification
from staffing import selectors
from staffing.models import StaffCertification
from staffing.services import certifications
from staffing.tasks import send_certification_reminders
from tests.staffing import builders

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_expiry_comes_from_the_catalogs_validity(manager, rep):
    cert = builders.certification(validity_months=24)
    held = certifications.record_certification(
        user=rep, certification=cert, issued_on=date(2026, 1, 31), by=manager
    )
    assert (held.expires_on, held.status, held.recorded_by) == (
        date(2028, 1, 31),
        "active",
        manager,
    )


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_expiry_before_issue_is_refused(manager, rep):
    with pytest.raises(InvalidInput) as exc:
        certifications.record_certification(
            user=rep,
            certification=builders.certification(),
            issued_on=date(2026, 3, 1),
            expires_on=date(2026, 2, 1),
            by=manager,
        )
    assert exc.value.fields == {"expires_on": ["Must be after the issue date."]}


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_duplicate_active_certification_is_refused_but_an_expired_one_is_renewed(manager, rep):
    cert = builders.certification(validity_months=12)
    certifications.record_certification(
        user=rep, certification=cert, issued_on=date(2026, 1, 1), by=manager
    )
    with pytest.raises(InvalidInput) as exc:
        certifications.record_certification(
            user=rep, certification=cert, issued_on=date(2026, 3, 1), by=manager
        )
    assert (
        exc.value.detail
        == f"{rep.get_full_name()} already holds an active Certified Support Pro (expires "
        "2027-01-01)."
    )
    # an expired one is superseded by the renewal
    StaffCertification.objects.update(issued_on=date(2024, 1, 1), expires_on=date(2025, 1, 1))
    renewed = certifications.record_certification(
        user=rep, certification=cert, issued_on=date(2026, 3, 1), by=manager
    )
    assert list(StaffCertification.objects.order_by("pk").values_list("status", flat=True)) == [
        "superseded",
        "active",
    ]
    assert renewed.expires_on == date(2027, 3, 1)


def test_rep_cannot_record_certifications(rep, rep2):
    with pytest.raises(NotAllowed):
        certifications.record_certification(
            user=rep2, certification=builders.certification(), issued_on=date(2026, 1, 1), by=rep
        )


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_ce_hours_are_logged_against_the_cycle(rep):
    held = builders.held(rep, issued_on=date(2026, 1, 1), expires_on=date(2028, 1, 1))
    certifications.log_ce_hours(
        held.pk, by=rep, hours=Decimal(3), completed_on=date(2026, 2, 1), description="Webinar"
    )
    with pytest.raises(InvalidInput) as exc:
        certifications.log_ce_hours(
            held.pk, by=rep, hours=Decimal(-2), completed_on=date(2025, 12, 1), description="x"
        )
    assert exc.value.fields == {
        "hours": ["Hours must be more than zero."],
        "completed_on": ["Before this certification was issued (2026-01-01)."],
    }
    cycle = selectors.ce_cycle(selectors.held_certifications(rep.pk).get(), date(2026, 3, 10))
    assert cycle == selectors.CECycle(date(2026, 1, 1), date(2028, 1, 1), Decimal(3), Decimal(25))


def test_ce_hours_count_in_the_current_cycle_only(rep):
    # given 25 hours every 12 months on a certification issued 2024-06-15
    cert = builders.certification(ce_cycle_months=12, validity_months=36)
    held = builders.held(rep, cert, issued_on=date(2024, 6, 15), expires_on=date(2027, 6, 15))
    for when, hours in [("2025-06-14", 4), ("2025-06-15", 5), ("2026-03-01", 6)]:
        held.ce_entries.create(completed_on=date.fromisoformat(when), hours=hours, description="x")
    # then on 2026-03-10 the cycle is 2025-06-15 .. 2026-06-15 with 11 hours
    assert selectors.ce_cycle(held, date(2026, 3, 10)) == selectors.CECycle(
        date(2025, 6, 15), date(2026, 6, 15), Decimal(11), Decimal(25)
    )


def _keys(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_reminders_fire_once_per_threshold_also_when_run_twice(rep, manager):
    held = builders.held(rep, issued_on=date(2024, 6, 1), expires_on=date(2026, 6, 1))
    key = f"staffcert:{held.pk}"
    expected = []
    for day, threshold in [
        ("2026-03-02", None),  # 91 days left: nothing yet
        ("2026-03-03", "90d"),
        ("2026-03-04", None),  # 89 days: the 90-day notice was sent already
        ("2026-04-02", "60d"),
        ("2026-05-02", "30d"),
        ("2026-05-31", None),
        ("2026-06-01", "expired"),
        ("2026-06-02", None),
    ]:
        # A ticking clock: csops.notify tells new notices by their creation instant.
        with time_machine.travel(f"{day} 06:10Z", tick=True):
            first = send_certification_reminders()
            second = send_certification_reminders()
        assert (day, first, second) == (day, 2 if threshold else 0, 0)
        if threshold:
            expected.append(f"{key}:{threshold}")
    assert _keys(rep) == sorted(expected)
    assert _keys(manager) == sorted(expected)
    assert Notification.objects.get(user=rep, key=f"{key}:expired").text == (
        f"Certified Support Pro of {rep.get_full_name()} expired on 2026-06-01."
    )


def test_a_missed_run_sends_only_the_nearest_threshold(rep):
    builders.held(rep, issued_on=date(2024, 6, 1), expires_on=date(2026, 6, 1))
    with time_machine.travel("2026-05-10 06:10Z", tick=False):
        certifications.send_expiry_reminders()
    assert [k.rsplit(":", 1)[1] for k in _keys(rep)] == ["30d"]


def test_flags_and_team_compliance(rep, rep2, manager, team):
    # given a certification required for the Rep role: rita holds it expiring in 20 days,
    # ralph does not hold it
    cert = builders.certification(required_for_roles=["Rep"])
    builders.held(rep, cert, issued_on=date(2024, 3, 30), expires_on=date(2026, 3, 30))
    overdue_course = builders.record(rep2, builders.course(), due_date=date(2026, 3, 1))
    today = date(2026, 3, 10)
    # then
    assert [(f.certification, f.state, f.expires_on) for f in selectors.cert_flags(rep, today)] == [
        ("Certified Support Pro", "due_soon", date(2026, 3, 30))
    ]
    rows = selectors.team_compliance(team, today)
    assert [(r.person.username, r.status, r.issues) for r in rows] == [
        (
            "ralph",
            "overdue",
            [
                "Certified Support Pro: missing",
                f"{overdue_course.course.title}: overdue 2026-03-01",
            ],
        ),
        ("rita", "due_soon", ["Certified Support Pro: expires 2026-03-30"]),
    ]


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_compliance_csv_export(manager_client, rep, team):
    cert = builders.certification(required_for_roles=["Rep"])
    builders.held(rep, cert, issued_on=date(2024, 1, 1), expires_on=date(2026, 3, 1))
    response = manager_client.get("/staff/compliance.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2026-03-10.csv"'
    assert response.content.decode().splitlines() == [
        "team,username,name,status,issues",
        f"Tier 1,rita,{rep.get_full_name()},overdue,Certified Support Pro: expired 2026-03-01",
    ]
    only_other = manager_client.get(f"/staff/compliance.csv?team={team.pk + 1000}")
    assert only_other.content.decode().splitlines() == ["team,username,name,status,issues"]


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_compliance_csv_neutralises_formulas_in_names(manager_client, rep, team):
    """CSV injection: a certification or a person named like a formula stays text."""
    cert = builders.certification(
        name='=HYPERLINK("http://evil.example/phish","Click")', required_for_roles=["Rep"]
    )
    builders.held(rep, cert, issued_on=date(2024, 1, 1), expires_on=date(2026, 3, 1))
    rep.first_name, rep.last_name = "@SUM(1+1)", "x"
    rep.save()
    response = manager_client.get("/staff/compliance.csv")
    assert response.content.decode().splitlines() == [
        "team,username,name,status,issues",
        'Tier 1,rita,\'@SUM(1+1) x,overdue,"\'=HYPERLINK(""http://evil.example/phish"",""Click""):'
        ' expired 2026-03-01"',
    ]
