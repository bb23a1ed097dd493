from django.urls import path

from staffing.budget import views as budget
from staffing.hiring import views as hiring
from staffing.planning import views as planning
from staffing.schedules import views as schedules
from staffing.views import api_token, onboarding, people, qa, teams, training

app_name = "staffing"
urlpatterns = [
    path("", people.home, name="home"),
    path("people/<int:user_id>/", people.person, name="person"),
    path(
        "people/<int:user_id>/certifications/",
        people.certification_record,
        name="certification-record",
    ),
    path(
        "people/<int:user_id>/reviews/new/",
        people.performance_review_new,
        name="performance-review-new",
    ),
    path("certifications/<int:pk>/ce/", people.ce_log, name="ce-log"),
    path("reviews/<int:pk>/", people.performance_review, name="performance-review"),
    path(
        "reviews/<int:pk>/acknowledge/",
        people.performance_review_acknowledge,
        name="performance-review-acknowledge",
    ),
    path("me/api-token/", api_token.api_token_create, name="api-token-create"),
    path("me/api-token/revoke/", api_token.api_token_revoke, name="api-token-revoke"),
    path("courses/", training.courses, name="courses"),
    path("courses/assign/", training.course_assign, name="course-assign"),
    path("certifications/", training.certifications_catalog, name="certifications"),
    path("training/<int:pk>/complete/", training.training_complete, name="training-complete"),
    path("training/<int:pk>/verify/", training.training_verify, name="training-verify"),
    path("training/<int:pk>/evidence/", training.training_evidence, name="training-evidence"),
    path("teams/<int:pk>/", teams.team, name="team"),
    path("teams/<int:pk>/members/", teams.team_member_add, name="team-member-add"),
    path(
        "teams/<int:pk>/members/<int:user_id>/remove/",
        teams.team_member_remove,
        name="team-member-remove",
    ),
    path("compliance/", teams.compliance, name="compliance"),
    path("compliance.csv", teams.compliance_csv, name="compliance-csv"),
    path("onboarding/", onboarding.plans, name="onboarding"),
    path("onboarding/<int:pk>/", onboarding.plan, name="onboarding-plan"),
    path("onboarding/templates/", onboarding.templates, name="onboarding-templates"),
    path(
        "onboarding/steps/<int:pk>/sign-off/", onboarding.step_sign_off, name="onboarding-sign-off"
    ),
    # Planning (staffing/planning): forecast, requirement, what-if, scenarios.
    path("planning/", planning.planning_home, name="planning"),
    path("planning/<int:pk>/", planning.team_plan, name="planning-team"),
    path("planning/<int:pk>/scenarios/", planning.scenario_save, name="planning-scenario-save"),
    path("planning/<int:pk>/compare/", planning.scenario_compare, name="planning-compare"),
    path("planning/<int:pk>/forecast.csv", planning.forecast_csv, name="planning-forecast-csv"),
    path(
        "planning/<int:pk>/requirement.csv",
        planning.requirement_csv,
        name="planning-requirement-csv",
    ),
    # Schedules (staffing/schedules): weekly patterns, time off and training, roster CSV.
    path("schedules/", schedules.schedules_home, name="schedules"),
    path("schedules/me/", schedules.my_schedule, name="my-schedule"),
    path("schedules/teams/<int:pk>/", schedules.team_schedule, name="team-schedule"),
    path("schedules/teams/<int:pk>/shifts/", schedules.shift_add, name="shift-add"),
    path("schedules/shifts/<int:pk>/delete/", schedules.shift_delete, name="shift-delete"),
    path("schedules/teams/<int:pk>/blocks/", schedules.block_add, name="block-add"),
    path("schedules/blocks/<int:pk>/delete/", schedules.block_delete, name="block-delete"),
    path("schedules/teams/<int:pk>/import/", schedules.roster_import, name="roster-import"),
    path("schedules/teams/<int:pk>/roster.csv", schedules.roster_csv, name="roster-csv"),
    # Hiring (staffing/hiring): requisitions, the pipeline board, candidates, scorecards.
    path("hiring/", hiring.hiring_home, name="hiring"),
    path("hiring/requisitions/", hiring.requisition_new, name="hiring-requisition-new"),
    path("hiring/requisitions/<int:pk>/", hiring.requisition, name="hiring-requisition"),
    path(
        "hiring/requisitions/<int:pk>/decide/",
        hiring.requisition_decide,
        name="hiring-requisition-decide",
    ),
    path(
        "hiring/requisitions/<int:pk>/close/",
        hiring.requisition_close,
        name="hiring-requisition-close",
    ),
    path(
        "hiring/requisitions/<int:pk>/candidates/",
        hiring.candidate_add,
        name="hiring-candidate-add",
    ),
    path("hiring/candidates/<int:pk>/", hiring.candidate, name="hiring-candidate"),
    path("hiring/candidates/<int:pk>/move/", hiring.candidate_move, name="hiring-candidate-move"),
    path(
        "hiring/candidates/<int:pk>/scorecards/",
        hiring.scorecard_submit,
        name="hiring-scorecard-submit",
    ),
    path("hiring/candidates/<int:pk>/cv/", hiring.candidate_cv, name="hiring-candidate-cv"),
    # Budget (staffing/budget): fiscal years, lines × months, actuals, cost per ticket.
    path("budget/", budget.budget_home, name="budget-home"),
    path("budget/new/", budget.budget_create, name="budget-create"),
    path("budget/<int:pk>/", budget.budget_detail, name="budget"),
    path("budget/<int:pk>/roles/", budget.role_cost_set, name="budget-role-cost"),
    path("budget/<int:pk>/lines/", budget.line_add, name="budget-line-add"),
    path("budget/<int:pk>/import/", budget.actuals_import, name="budget-import"),
    path("budget/<int:pk>/budget.csv", budget.budget_csv, name="budget-csv"),
    path("budget/<int:pk>/plan/", budget.plan_cost, name="budget-plan"),
    path("budget/lines/<int:pk>/", budget.line_detail, name="budget-line"),
    path("budget/lines/<int:pk>/save/", budget.line_save, name="budget-line-save"),
    path("budget/lines/<int:pk>/delete/", budget.line_delete, name="budget-line-delete"),
    path("qa/", qa.reviews, name="qa"),
    path("qa/start/", qa.review_start, name="qa-start"),
    path("qa/scorecards/", qa.scorecards, name="qa-scorecards"),
    path("qa/sample/", qa.review_sample, name="qa-sample"),
    path("qa/<int:pk>/", qa.review, name="qa-review"),
    path("qa/<int:pk>/acknowledge/", qa.review_acknowledge, name="qa-acknowledge"),
    path("qa/<int:pk>/dispute/", qa.review_dispute, name="qa-dispute"),
    path("qa/<int:pk>/resolve/", qa.review_resolve, name="qa-resolve"),
    path("qa/<int:pk>/amend/", qa.review_amend, name="qa-amend"),
]
