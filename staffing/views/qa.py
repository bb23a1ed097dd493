"""QA reviews: the list, starting or sampling reviews, scoring, acknowledging, disputes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from staffing import selectors
from staffing.forms import (
    AmendScoresForm,
    CommentForm,
    CriterionFormSet,
    SampleForm,
    ScorecardForm,
    ScoreForm,
    StartReviewForm,
    criteria_of,
)
from staffing.models import QAAmendment, QAReview, Scorecard
from staffing.models.qa import ReviewState
from staffing.services import qa
from staffing.views._common import apply_errors, go

REVIEW = "staffing/qa_review.html"


def _list_page(request, *, start_form=None, sample_form=None, status=200) -> HttpResponse:
    context = {
        "reviews": selectors.qa_reviews(request.user)[:100],
        "can_review": permissions.can_edit_staff_catalog(request.user),
        "start_form": start_form or StartReviewForm(),
        "sample_form": sample_form or SampleForm(viewer=request.user),
    }
    return render(request, "staffing/qa.html", context, status=status)


@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
@domain_errors
def review_start(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_edit_staff_catalog(request.user)
    form = StartReviewForm(request.POST)
    if form.is_valid():
        try:
            review = qa.start_review(
                form.cleaned_data["ticket"],
                scorecard=form.cleaned_data["scorecard"],
                by=request.user,
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return go(request, reverse("staffing:qa-review", args=[review.pk]))
    return _list_page(request, start_form=form, status=422)


@require_POST
@domain_errors
def review_sample(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_edit_staff_catalog(request.user)
    form = SampleForm(request.POST, viewer=request.user)
    if form.is_valid():
        try:
            created = qa.sample_reviews(by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{len(created)} tickets sampled for review.")
            return go(request, reverse("staffing:qa"))
    return _list_page(request, sample_form=form, status=422)


@require_http_methods(["GET", "POST"])
@domain_errors
def scorecards(request: HttpRequest) -> HttpResponse:
    """Scorecards and their versions; a manager creates one, or revises it (a new version:
    reviews scored with older versions keep theirs)."""
    form = ScorecardForm(request.POST or None)
    formset = CriterionFormSet(request.POST or None, prefix="criteria")
    status = 200
    if request.method == "POST":
        permissions.ensure_can_edit_staff_catalog(request.user)
        status = 422
        if form.is_valid() and formset.is_valid():
            d = form.cleaned_data
            existing = Scorecard.objects.filter(name=d["name"]).first()
            try:
                if existing:
                    qa.revise_scorecard(
                        existing,
                        by=request.user,
                        criteria=criteria_of(formset),
                        pass_percent=d["pass_percent"],
                    )
                else:
                    qa.create_scorecard(by=request.user, criteria=criteria_of(formset), **d)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Scorecard {d['name']} saved.")
                return go(request, reverse("staffing:qa-scorecards"))
    context = {
        "scorecards": Scorecard.objects.prefetch_related("versions__criteria"),
        "form": form,
        "formset": formset,
        "can_edit": permissions.can_edit_staff_catalog(request.user),
    }
    return render(request, "staffing/scorecards.html", context, status=status)


def _review_page(
    request, review: QAReview, *, score_form=None, comment_form=None, amend_form=None, status=200
):
    criteria = review.scorecard_version.criteria.all()
    is_reviewer = permissions.can_manage_person(request.user, review.rep_id) and (
        review.rep_id != request.user.pk
    )
    scores = list(review.scores.select_related("criterion"))
    if amend_form is None and is_reviewer and review.state == ReviewState.DISPUTED:
        current = {s.criterion_id: (s.score, s.comment) for s in scores}
        amend_form = AmendScoresForm(criteria=criteria, current=current)
    context = {
        "review": review,
        "scores": scores,
        "amendment": QAAmendment.objects.filter(review=review).select_related("amended_by").first(),
        "is_rep": review.rep_id == request.user.pk,
        "is_reviewer": is_reviewer,
        "score_form": score_form or ScoreForm(criteria=criteria),
        "comment_form": comment_form or CommentForm(),
        "amend_form": amend_form,
    }
    template = f"{REVIEW}#review" if request.htmx else REVIEW
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review; its reviewer scores it here (POST) while it is pending."""
    r = qa.access_review(request.user, pk)
    if request.method == "GET":
        return _review_page(request, r)
    form = ScoreForm(request.POST, criteria=r.scorecard_version.criteria.all())
    if form.is_valid():
        try:
            r = qa.submit_scores(
                pk, by=request.user, scores=form.scores(), summary=form.cleaned_data["summary"]
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return _done(request, r, f"Review scored: {r.score}%.")
    return _review_page(request, r, score_form=form, status=422)


def _done(request: HttpRequest, review: QAReview, text: str) -> HttpResponse:
    messages.success(request, text)
    if request.htmx:
        return _review_page(request, review)
    return go(request, reverse("staffing:qa-review", args=[review.pk]))


@require_POST
@domain_errors
def review_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _done(request, qa.acknowledge_review(pk, by=request.user), "Review acknowledged.")


def _commented(request: HttpRequest, pk: int, action) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            r = action(pk, by=request.user, comment=form.cleaned_data["comment"])
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return _done(request, r, "Saved.")
    return _review_page(request, qa.access_review(request.user, pk), comment_form=form, status=422)


@require_POST
@domain_errors
def review_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    return _commented(request, pk, qa.dispute_review)


@require_POST
@domain_errors
def review_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _commented(request, pk, qa.resolve_dispute)


@require_POST
@domain_errors
def review_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve a dispute by amending the scores; the score is recomputed."""
    r = qa.access_review(request.user, pk)
    form = AmendScoresForm(request.POST, criteria=r.scorecard_version.criteria.all())
    if form.is_valid():
        try:
            r = qa.resolve_by_amending(
                pk, by=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return _done(request, r, f"Dispute resolved: the score is now {r.score}%.")
    return _review_page(request, r, amend_form=form, status=422)
