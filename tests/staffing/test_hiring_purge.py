"""The personal-data purge (staffing/hiring/purge.py): months after a rejection or withdrawal
a candidate's name, contact, CV and notes are deleted, the free text of their scorecards and
decision too (audit history included); counts by stage and source stay. Run as the durable
recurring job, by a real job runner claim."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csops.jobs import runner
from csops.models import Job
from staffing.hiring import purge, selectors, services
from staffing.hiring.models import Candidate, Competency, HiringDecision, Requisition, Stage
from staffing.tasks import enqueue_candidate_purge
from tests.staffing import hiring_builders as hb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def req(team, manager, director):
    return hb.open_requisition(team, manager, director, count=3)


def _ratings(stage):
    return {c.pk: 4 for c in Competency.objects.filter(stage=stage, active=True)}


def test_the_job_anonymizes_only_what_is_old_enough(
    settings, tmp_path, manager, req, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.HIRING_PURGE_MONTHS = 6
    start = timezone.now()
    # given: a rejected candidate with a CV, a scorecard and a decision, 7 months ago;
    # one withdrawn 5 months ago; one still in the pipeline
    with time_machine.travel(start - timedelta(days=213)):
        old = hb.candidate(
            req,
            manager,
            name="Olga Old",
            email="olga@example.com",
            phone="+1 555 0100",
            notes="Strong on chat",
            cv=SimpleUploadedFile("olga.pdf", PDF),
        )
        services.move_candidate(old.pk, by=manager, to=Stage.SCREEN)
        services.submit_scorecard(
            old.pk, by=manager, stage="screen", ratings=_ratings("screen"), notes="Olga was late"
        )
        services.move_candidate(old.pk, by=manager, to=Stage.REJECTED, reason="Olga: no nights")
    cv_path = Path(Candidate.objects.get(pk=old.pk).cv.path)
    assert cv_path.exists()
    with time_machine.travel(start - timedelta(days=152)):
        recent = hb.candidate(req, manager, name="Ray Recent", email="ray@example.com")
        services.move_candidate(recent.pk, by=manager, to=Stage.WITHDRAWN)
    active = hb.candidate(req, manager, name="Ann Active", email="ann@example.com")
    before = selectors.stats(Requisition.objects.all())
    # when: the beat task makes the job due and a worker's claim runs it
    assert enqueue_candidate_purge() is True
    job = Job.objects.get(key=purge.PURGE_KEY)
    assert job.kind == purge.PURGE
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.run_due(budget_seconds=10) == 1
    # then: the old one is anonymized, everything else untouched
    old = Candidate.objects.get(pk=old.pk)
    assert (old.name, old.email, old.phone, old.notes, old.cv.name) == ("", "", "", "", "")
    assert old.anonymized_at is not None
    assert (old.stage, old.source) == ("rejected", "referral")
    assert old.scorecards.get().notes == ""
    assert old.scorecards.get().ratings.count() == 2  # the ratings stay for the counts
    decision = HiringDecision.objects.get(candidate=old)
    assert decision.reason == ""
    assert list(decision.history.values_list("reason", flat=True)) == [""]
    assert not cv_path.exists()
    assert Candidate.objects.get(pk=recent.pk).name == "Ray Recent"
    assert Candidate.objects.get(pk=active.pk).email == "ann@example.com"
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE
    # the anonymous counts are the same
    assert selectors.stats(Requisition.objects.all()) == before
    # and a second run finds nothing to do
    assert purge.purge_batch() == (0, False)


def test_a_batch_reports_more_and_the_job_runs_again(settings, manager, req):
    settings.HIRING_PURGE_MONTHS = 1
    with time_machine.travel(timezone.now() - timedelta(days=62)):
        ids = []
        for n in range(3):
            c = hb.candidate(req, manager, name=f"Person {n}")
            services.move_candidate(c.pk, by=manager, to=Stage.WITHDRAWN)
            ids.append(c.pk)
    assert purge.purge_batch(batch=2) == (2, True)
    assert purge.purge_batch(batch=2) == (1, False)
    assert set(Candidate.objects.filter(name="").values_list("pk", flat=True)) == set(ids)
