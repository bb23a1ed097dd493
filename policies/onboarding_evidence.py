"""Onboarding evidence from policies: a "policy" step is done once the new hire acknowledged
the published version of the step's document (registered in ``PoliciesConfig.ready``)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from policies.models import Acknowledgment


def policy_acknowledged(plan, steps: list) -> dict[int, date]:
    document_ids = {s.policy_id for s in steps if s.policy_id}
    rows = Acknowledgment.objects.filter(
        user_id=plan.user_id,
        version__document_id__in=document_ids,
        version__state="published",
        acknowledged_at__isnull=False,
    ).values_list("version__document_id", "acknowledged_at")
    done = {doc: timezone.localdate(at) for doc, at in rows}
    return {s.pk: done[s.policy_id] for s in steps if s.policy_id in done}
