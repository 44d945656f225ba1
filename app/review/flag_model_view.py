"""What QA sees of the flag model: its test-split scores per flag and the corrections no model has learnt yet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.taxonomy import RISK_FLAGS
from app.triage.models import FlagCorrection
from app.triage.pipeline import FlagModel


def _params_meta(flag_model: FlagModel | None) -> dict[str, Any] | None:
    classifier = getattr(flag_model, "classifier", None)
    if classifier is None:
        return None
    params = classifier().params
    return {
        "version": params.version,
        "embedder": params.embedder,
        "meta": params.meta,
        "thresholds": dict(zip(params.flags, (round(float(t), 3) for t in params.thresholds), strict=True)),
    }


def model_view(flag_model: FlagModel | None, corrections: Sequence[FlagCorrection], limit: int = 50) -> dict[str, Any]:
    info = _params_meta(flag_model)
    seen_through = int((info or {}).get("meta", {}).get("corrections_through_id") or 0)
    pending = [c for c in corrections if (c.id or 0) > seen_through]
    test = (info or {}).get("meta", {}).get("test") or {}
    per_flag = test.get("per_flag", {})
    return {
        "model": None
        if info is None
        else {
            "version": info["version"],
            "embedder": info["embedder"],
            "corpus_rows": info["meta"].get("corpus_rows"),
            "corrections_learnt": info["meta"].get("corrections", 0),
        },
        "test_split": {
            "rows": test.get("rows"),
            "critical": test.get("critical"),
            "hard_negatives_falsely_critical": test.get("hard_negatives_falsely_critical"),
            "critical_by_language": test.get("critical_by_language", {}),
            "per_flag": [
                {
                    "code": code,
                    "severity": RISK_FLAGS[code].severity.value,
                    "threshold": (info or {}).get("thresholds", {}).get(code),
                    **{
                        k: (per_flag.get(code) or {}).get(k)
                        for k in ("precision", "recall", "precision_ci", "recall_ci", "support")
                    },
                }
                for code in RISK_FLAGS
            ],
        },
        "corrections_pending": len(pending),
        "corrections": [
            {
                "id": c.id,
                "case_id": c.case_id,
                "code": c.code,
                "action": c.action,
                "reason": c.reason,
                "actor": c.actor,
                "model_version": c.model_version,
                "created_at": c.created_at,
                "learnt": (c.id or 0) <= seen_through,
            }
            for c in list(reversed(corrections))[:limit]
        ],
    }
