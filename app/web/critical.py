"""What the case page needs for critical-case handling (the ``_safety.html`` and ``_critical_close.html`` parts)."""

from __future__ import annotations

from typing import Any

from app.cases.models import Case
from app.safety.resolution import RESOLUTION_LABELS, critical_flags
from app.safety.schemas import LegalProcess, RestrictionType


def critical_context(view: dict[str, Any], case: Case) -> dict[str, Any]:
    return {
        "safety": view["safety"],
        "critical": critical_flags(case),
        "case_flags": list(case.flag_codes),
        "resolution_labels": RESOLUTION_LABELS,
        "safety_error": None,
        "legal_processes": [p.value for p in LegalProcess],
        "restriction_types": [r.value for r in RestrictionType],
    }
