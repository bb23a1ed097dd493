from django.urls import path
from rest_framework.routers import SimpleRouter

from staffing.api import development, views
from staffing.budget import api as budget
from staffing.hiring import api as hiring
from staffing.planning import api as planning
from staffing.schedules import api as schedules
from staffing.skills import api as skills

app_name = "staffing-api"

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="team")
# Staff development (training, certifications, onboarding, QA): staffing/api/development.py
router.register("courses", development.CourseViewSet, basename="course")
router.register("training-records", development.TrainingRecordViewSet, basename="training-record")
router.register("certifications", development.CertificationViewSet, basename="certification")
router.register(
    "staff-certifications", development.StaffCertificationViewSet, basename="staff-certification"
)
router.register("onboarding-plans", development.OnboardingPlanViewSet, basename="onboarding-plan")
router.register("qa-reviews", development.QAReviewViewSet, basename="qa-review")
# Skills held by people, for routing (issue 15): staffing/skills/api.py
router.register("skills", skills.SkillViewSet, basename="skill")
router.register("person-skills", skills.PersonSkillViewSet, basename="person-skill")
# Planning (staffing/planning/api.py)
router.register("planning/scenarios", planning.ScenarioViewSet, basename="planning-scenario")
# Schedules (staffing/schedules/api.py)
router.register("schedules/shifts", schedules.ShiftViewSet, basename="schedule-shift")
router.register("schedules/blocks", schedules.BlockViewSet, basename="schedule-block")
# Hiring (staffing/hiring/api.py)
router.register("hiring/requisitions", hiring.RequisitionViewSet, basename="hiring-requisition")
router.register("hiring/candidates", hiring.CandidateViewSet, basename="hiring-candidate")
# Budget (staffing/budget/api.py)
router.register("budgets", budget.BudgetViewSet, basename="budget")
router.register("budget-lines", budget.CostLineViewSet, basename="budget-line")
urlpatterns = [
    path(
        "planning/teams/<int:pk>/requirement/",
        planning.requirement,
        name="planning-requirement",
    ),
    *router.urls,
]
