"""Staff-development work that waits for a person (csops.waiting): reviews to acknowledge,
courses to complete, certifications to renew; for managers, QA disputes to resolve."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from csops import permissions
from csops.roles import Role
from csops.waiting import Waiting, provider
from staffing.models import PerformanceReview, QAReview, StaffCertification, TrainingRecord
from staffing.models.certifications import DUE_SOON_DAYS, CertStatus
from staffing.models.qa import ReviewState
from staffing.selectors import qa_reviews


@provider
def development_work(user: User) -> list[Waiting]:
    if not permissions.is_staff_member(user):
        return []
    today = timezone.localdate()
    me = reverse("staffing:person", args=[user.pk])
    reviews = PerformanceReview.objects.filter(rep=user, acknowledged_at__isnull=True).count()
    reviews += QAReview.objects.filter(rep=user, state=ReviewState.SUBMITTED).count()
    courses = TrainingRecord.objects.filter(user=user, completed_on__isnull=True)
    certs = StaffCertification.objects.filter(
        user=user, status=CertStatus.ACTIVE, expires_on__lte=today + timedelta(DUE_SOON_DAYS)
    )
    items = [
        Waiting("staffing.reviews", "Reviews to acknowledge", reviews, me),
        Waiting(
            "staffing.courses",
            "Courses to complete",
            courses.count(),
            me,
            overdue=courses.filter(due_date__lt=today).count(),
        ),
        Waiting(
            "staffing.certifications",
            "Certifications to renew",
            certs.count(),
            me,
            overdue=certs.filter(expires_on__lte=today).count(),
        ),
    ]
    if permissions.has_role(user, Role.MANAGER):
        disputes = qa_reviews(user).filter(~Q(rep=user), state=ReviewState.DISPUTED)
        items.append(
            Waiting(
                "staffing.disputes",
                "QA disputes to resolve",
                disputes.count(),
                f"{reverse('staffing:qa')}?state={ReviewState.DISPUTED}",
            )
        )
    return items
