"""The gate: thresholds, and regressions against a baseline run.

A metric passes its threshold, or the suite fails with a message that names the metric, its value, the limit and
the cases behind it. Against a baseline (any earlier ``--json`` output) a metric *regresses* when it moved the
wrong way by more than the allowed margin (the suite's ``regression_margin``, or the threshold's ``margin``),
even if it still clears the threshold — that is how a slow slide gets caught before it crosses the line.
Only metrics with a threshold have a known direction, so only they are compared; the report still shows every
metric beside its baseline value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.evaluation.results import Check, SuiteOutcome
from app.evaluation.suites import SuiteSpec

SHOW_CASES = 10


class BaselineError(ValueError):
    """The baseline file is missing or not a run JSON."""


def load_baseline(path: Path) -> dict[str, Any]:
    """A previous run's JSON; only ``{"suites": {NAME: {"metrics": {...}}}}`` is required."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline {path}: cannot read it as JSON ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("suites"), dict):
        raise BaselineError(f"baseline {path}: expected a run JSON with a 'suites' object (from --json)")
    return raw


def baseline_metrics(baseline: dict[str, Any] | None, suite: str) -> dict[str, float]:
    """The baseline's metrics for ``suite``; empty when it was absent or skipped there."""
    entry = (baseline or {}).get("suites", {}).get(suite)
    if not isinstance(entry, dict) or entry.get("status") == "skipped":
        return {}
    metrics = entry.get("metrics") or {}
    return {k: float(v) for k, v in metrics.items() if isinstance(v, int | float)}


def baseline_cases(baseline: dict[str, Any] | None, suite: str, metric: str) -> set[str]:
    entry = (baseline or {}).get("suites", {}).get(suite) or {}
    for check in entry.get("checks") or []:
        if isinstance(check, dict) and check.get("metric") == metric:
            return {str(c) for c in check.get("cases") or []}
    return set()


def checks_for(
    spec: SuiteSpec, outcome: SuiteOutcome, metrics: dict[str, float], baseline: dict[str, Any] | None
) -> list[Check]:
    """One check per threshold of ``spec``, with the baseline comparison when a baseline is given."""
    before = baseline_metrics(baseline, spec.name)
    checks: list[Check] = []
    for metric, threshold in spec.thresholds.items():
        value = metrics.get(metric)
        cases = outcome.offenders.get(metric, [])
        check = Check(
            metric=metric,
            op=threshold.op,
            limit=threshold.limit,
            value=value,
            passed=True,
            cases=cases,
            gate=threshold.gate,
        )
        if value is None:
            reason = outcome.not_measured.get(metric)
            check.passed = reason is not None
            check.message = (
                f"{spec.name}: {metric} not measured ({reason})"
                if reason
                else f"{spec.name}: {metric} could not be computed (no cases for it?)"
            )
            checks.append(check)
            continue
        check.passed = threshold.holds(value)
        sign = "<" if threshold.op == "min" else ">"
        if not check.passed:
            check.message = f"{spec.name}: {metric} {value:.4g} {sign} {threshold.op} {threshold.limit:g}" + _cases(
                cases
            )
        if metric in before:
            check.baseline = before[metric]
            check.delta = round(value - before[metric], 4)
            check.margin = spec.margin_for(metric)
            worse = -check.delta if threshold.op == "min" else check.delta
            if worse > check.margin + 1e-9:
                check.regressed = True
                new = [c for c in cases if c not in baseline_cases(baseline, spec.name, metric)]
                regression = (
                    f"{spec.name}: {metric} regressed from {before[metric]:.4g} (baseline) to {value:.4g}, "
                    f"by {abs(check.delta):.4g} > margin {check.margin:g}" + _cases(new or cases, "new cases")
                )
                check.message = f"{check.message}; {regression}" if check.message else regression
        checks.append(check)
    return checks


def failures(checks: list[Check]) -> list[str]:
    return [c.message for c in checks if c.gate and (not c.passed or c.regressed)]


def targets_missed(checks: list[Check]) -> list[str]:
    """Non-gating targets not reached: shown in the report and the run's notes, never a failure."""
    return [f"target missed: {c.message}" for c in checks if not c.gate and (not c.passed or c.regressed)]


def _cases(cases: list[str], label: str = "cases") -> str:
    if not cases:
        return ""
    shown = ", ".join(cases[:SHOW_CASES])
    more = f" (+{len(cases) - SHOW_CASES} more)" if len(cases) > SHOW_CASES else ""
    return f" — {label}: {shown}{more}"
