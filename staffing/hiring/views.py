"""Hiring pages: requisitions and approvals, the pipeline board (htmx, works without JS and
on a phone), a candidate's page with moves, scorecards and decisions, and the CV download."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csops import permissions
from csops.errors import InvalidInput, NotAllowed, NotFound
from csops.htmx import domain_errors
from csops.roles import Role
from staffing.hiring import selectors, services
from staffing.hiring.forms import (
    CandidateForm,
    DecisionForm,
    MoveForm,
    RequisitionForm,
    ScorecardForm,
)
from staffing.hiring.models import SCORED_STAGES, Candidate, Requisition, RequisitionStatus
from staffing.models import Team
from staffing.views._common import apply_errors, go


def _messages(form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def _teams(request: HttpRequest):
    if not permissions.has_role(request.user, Role.MANAGER):
        raise NotAllowed("Hiring is for the hiring team's managers and directors.")
    return permissions.hiring_teams(request.user, Team.objects.order_by("tier", "name"))


def _home(request: HttpRequest, *, form=None, status=200) -> HttpResponse:
    teams = _teams(request)
    reqs = selectors.requisitions_for(request.user)
    return render(
        request,
        "staffing/hiring/home.html",
        {
            "requisitions": reqs.exclude(status=RequisitionStatus.PENDING),
            "pending": reqs.filter(status=RequisitionStatus.PENDING),
            "can_approve": permissions.can_approve_requisitions(request.user),
            "stats": selectors.stats(reqs),
            "form": form or RequisitionForm(teams=teams),
            "decision_form": DecisionForm(),
        },
        status=status,
    )


@require_GET
@domain_errors
def hiring_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@domain_errors
def requisition_new(request: HttpRequest) -> HttpResponse:
    form = RequisitionForm(request.POST, teams=_teams(request))
    if form.is_valid():
        c = form.cleaned_data
        try:
            req = services.open_requisition(by=request.user, **c)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Requisition sent for a director's approval: {req}.")
            return go(request, reverse("staffing:hiring-requisition", args=[req.pk]))
    return _home(request, form=form, status=422)


@require_POST
@domain_errors
def requisition_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose approve or decline.", fields=_messages(form))
    req = services.decide_requisition(
        pk, by=request.user, approve=form.cleaned_data["approve"], note=form.cleaned_data["note"]
    )
    messages.success(request, f"{req}: {req.get_status_display().lower()}.")
    return go(request, reverse("staffing:hiring"))


@require_POST
@domain_errors
def requisition_close(request: HttpRequest, pk: int) -> HttpResponse:
    req = services.close_requisition(pk, by=request.user, note=request.POST.get("note", ""))
    messages.success(request, f"{req}: closed.")
    return go(request, reverse("staffing:hiring-requisition", args=[req.pk]))


def _requisition(request: HttpRequest, pk: int) -> Requisition:
    qs = Requisition.objects.select_related("team", "created_by", "decided_by", "scenario")
    return permissions.access_requisition(request.user, qs, pk)


def _requisition_page(request, req, *, form=None, status=200) -> HttpResponse:
    template = "staffing/hiring/requisition.html"
    if request.htmx and form is None:
        template += "#board"
    return render(
        request,
        template,
        {
            "req": req,
            "columns": selectors.board(req),
            "form": form or CandidateForm(),
            "move_choices": MoveForm.base_fields["to"].choices,
            "stats": selectors.stats(Requisition.objects.filter(pk=req.pk)),
        },
        status=status,
    )


@require_GET
@domain_errors
def requisition(request: HttpRequest, pk: int) -> HttpResponse:
    return _requisition_page(request, _requisition(request, pk))


@require_POST
@domain_errors
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    req = _requisition(request, pk)
    form = CandidateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            candidate = services.add_candidate(req, by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{candidate.name} added to Applied.")
            return go(request, reverse("staffing:hiring-requisition", args=[req.pk]))
    return _requisition_page(request, req, form=form, status=422)


def _candidate(request: HttpRequest, pk: int) -> Candidate:
    qs = Candidate.objects.select_related("requisition__team", "hired_user")
    return permissions.access_candidate(request.user, qs, pk)


def _candidate_page(request, candidate, *, move_form=None, card_form=None, status=200):
    cards = selectors.scorecards_for(candidate, request.user)
    forms = {
        sc.stage: (card_form if card_form and card_form.stage == sc.stage else None)
        or ScorecardForm(stage=sc.stage)
        for sc in cards
        if sc.mine is None
    }
    return render(
        request,
        "staffing/hiring/candidate.html",
        {
            "c": candidate,
            "moves": candidate.moves.select_related("by"),
            "decisions": candidate.decisions.select_related("decided_by"),
            "stage_cards": [(sc, forms.get(sc.stage)) for sc in cards],
            "move_form": move_form
            or MoveForm(initial={"version": candidate.version}, current=candidate.stage),
            "plan": services.onboarding_plan_of(candidate),
        },
        status=status,
    )


@require_GET
@domain_errors
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, _candidate(request, pk))


@require_POST
@domain_errors
def candidate_move(request: HttpRequest, pk: int) -> HttpResponse:
    """From the board (htmx: the board is swapped in place) or the candidate's page."""
    candidate = _candidate(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        if request.POST.get("from") == "board":
            raise InvalidInput("Choose a stage to move to.", fields=_messages(form))
        return _candidate_page(request, candidate, move_form=form, status=422)
    c = form.cleaned_data
    moved = services.move_candidate(
        pk,
        by=request.user,
        to=c["to"],
        reason=c["reason"],
        expected_version=c["version"],
        start_date=c["start_date"],
    )
    name = moved.name
    messages.success(request, f"{name} moved to {moved.get_stage_display()}.")
    if request.POST.get("from") == "board":
        return _requisition_page(request, _requisition(request, moved.requisition_id))
    return go(request, reverse("staffing:hiring-candidate", args=[pk]))


@require_POST
@domain_errors
def scorecard_submit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    stage = request.POST.get("stage", "")
    if stage not in SCORED_STAGES:
        raise InvalidInput("Choose a scored stage.", fields={"stage": ["Not a scored stage."]})
    form = ScorecardForm(request.POST, stage=stage)
    if form.is_valid():
        try:
            services.submit_scorecard(
                pk,
                by=request.user,
                stage=stage,
                ratings=form.ratings(),
                notes=form.cleaned_data["notes"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Scorecard submitted: the other interviewers' are shown.")
            return go(request, reverse("staffing:hiring-candidate", args=[pk]))
    return _candidate_page(request, candidate, card_form=form, status=422)


@require_GET
@domain_errors
def candidate_cv(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    if not candidate.cv:
        raise NotFound("This candidate has no CV on file.")
    name = candidate.cv.name.rsplit("/", 1)[-1]
    return FileResponse(candidate.cv.open("rb"), as_attachment=True, filename=name)
