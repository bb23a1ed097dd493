"""Every role's main pages render under the Content-Security-Policy without one violation
(issue 13, section 3 "Headers"): no inline script, handler or style is blocked, charts draw,
htmx swaps, and the Swagger UI of /api/docs/ renders."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.kpis.dashboard_data import build
from tickets.models import SurveyInvitation
from tickets.services import surveys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any page script runs (Playwright's init scripts are not subject to CSP).
_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${where}`);
});
"""


class Watch:
    """A page that records CSP violations: the DOM event and Chromium's console message."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(_RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(text)

    def visit(self, path: str) -> list[str]:
        """Open ``path``, let htmx's load-triggered requests finish, return its violations."""
        response = self.page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path}: {response.status}"
        assert (
            "'unsafe-inline'"
            not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        )
        self.page.wait_for_load_state("networkidle")
        return self.violations(path)

    def violations(self, where: str) -> list[str]:
        seen = self.page.evaluate("window.__csp || []") + self.console
        self.console = []
        return [f"{where}: {v}" for v in seen]


def _nav_paths(page) -> list[str]:
    hrefs = page.locator("nav[aria-label=Main] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if h and h.startswith("/")]


def _tour(watch: Watch, extra: list[str]) -> tuple[list[str], list[str]]:
    """Visit the role's navigation and the extra pages; return (visited, violations)."""
    watch.page.goto("/")
    paths = list(dict.fromkeys(["/", *_nav_paths(watch.page), "/notifications/", *extra]))
    problems: list[str] = []
    for path in paths:
        problems += watch.visit(path)
    return paths, problems


@pytest.fixture
def data(team, other_team, rep, rep_other_team):
    return build(team, other_team, rep, rep_other_team)


def test_rep_pages_and_an_htmx_swap_have_no_csp_violation(new_page, rep, data):
    watch = Watch(new_page())
    login(watch.page, rep.username)

    visited, problems = _tour(watch, [f"/tickets/{data['b'].pk}/"])
    # an htmx swap: filter the queue
    watch.visit("/tickets/")
    watch.page.select_option("#id_priority", "high")
    watch.page.wait_for_load_state("networkidle")
    problems += watch.violations("/tickets/ filtered")

    assert len(visited) >= 5
    assert problems == []


def test_manager_pages_have_no_csp_violation(new_page, manager, team, data):
    watch = Watch(new_page())
    login(watch.page, manager.username)

    visited, problems = _tour(
        watch,
        [
            "/tickets/escalations/",
            "/tickets/incidents/",
            f"/staff/teams/{team.pk}/",
            f"/tickets/{data['a'].pk}/",
        ],
    )

    assert len(visited) >= 6
    assert problems == []


def test_director_pages_charts_and_api_docs_have_no_csp_violation(new_page, director, data):
    watch = Watch(new_page())
    login(watch.page, director.username)

    visited, problems = _tour(watch, ["/kpis/?preset=custom&start=2026-03-02&end=2026-03-02"])
    # Chart.js draws into its canvases (a script from self, no inline style needed).
    watch.visit("/kpis/?preset=custom&start=2026-03-02&end=2026-03-02")
    assert watch.page.locator("canvas").count() >= 1
    # drf-spectacular's Swagger UI (inline style and script with the nonce) renders its ops.
    problems += watch.visit("/api/docs/")
    expect(watch.page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    problems += watch.violations("/api/docs/ rendered")

    assert "/kpis/" in " ".join(visited)
    assert problems == []


def test_admin_pages_have_no_csp_violation(new_page, admin_user, data):
    watch = Watch(new_page())
    login(watch.page, admin_user.username)

    problems = []
    for path in (
        "/admin/",
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{data['a'].pk}/change/",
        "/admin/auth/user/add/",
    ):
        problems += watch.visit(path)

    assert problems == []


def test_login_and_survey_pages_have_no_csp_violation(new_page, data):
    watch = Watch(new_page())
    invitation = SurveyInvitation.objects.get(ticket=data["a"])

    problems = watch.visit("/login/")
    problems += watch.visit(f"/survey/{surveys.make_token(invitation)}/")

    expect(watch.page.locator("h1")).to_have_text("How did we do?")
    assert problems == []
