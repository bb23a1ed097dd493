"""The current instant in whole seconds: every logged instant is truncated (KPI_SPEC §9.18)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now_s() -> datetime:
    return timezone.now().replace(microsecond=0)
