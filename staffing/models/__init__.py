"""Staffing models: people and teams, and staff development (training, certifications,
onboarding, QA reviews, performance reviews). ``from staffing.models import Team`` keeps
working: everything is re-exported here."""

from staffing.budget.models import Budget, CostLine, LineMonth, RoleCost
from staffing.hiring.models import (
    Candidate,
    Competency,
    HiringDecision,
    InterviewScorecard,
    Rating,
    Requisition,
    StageMove,
)
from staffing.models.certifications import CEEntry, Certification, StaffCertification
from staffing.models.onboarding import (
    OnboardingPlan,
    OnboardingPlanStep,
    OnboardingStep,
    OnboardingTemplate,
    StepKind,
)
from staffing.models.people import StaffProfile, Team
from staffing.models.qa import (
    QAAmendment,
    QACriterion,
    QAReview,
    QAScore,
    Scorecard,
    ScorecardVersion,
)
from staffing.models.reviews import PerformanceReview
from staffing.models.skills import Availability, AvailabilityStatus, PersonSkill, Skill, SkillKind
from staffing.models.training import Course, Delivery, TrainingRecord
from staffing.planning.models import PlanningSettings, Scenario
from staffing.schedules.models import Block, BlockKind, Shift

__all__ = [
    "Candidate",
    "Competency",
    "HiringDecision",
    "InterviewScorecard",
    "Rating",
    "Requisition",
    "StageMove",
    "Budget",
    "CostLine",
    "LineMonth",
    "RoleCost",
    "Block",
    "BlockKind",
    "Availability",
    "AvailabilityStatus",
    "PersonSkill",
    "Skill",
    "SkillKind",
    "CEEntry",
    "Certification",
    "Course",
    "Delivery",
    "OnboardingPlan",
    "OnboardingPlanStep",
    "OnboardingStep",
    "OnboardingTemplate",
    "PerformanceReview",
    "PlanningSettings",
    "QAAmendment",
    "QACriterion",
    "QAReview",
    "QAScore",
    "Scorecard",
    "Scenario",
    "Shift",
    "ScorecardVersion",
    "StaffCertification",
    "StaffProfile",
    "StepKind",
    "Team",
    "TrainingRecord",
]
