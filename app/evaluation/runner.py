"""Run suites against a system under test, apply thresholds and the baseline, and store the run.

Suites run one after another (they share two CPU cores); the cases inside a suite run concurrently up to
``concurrency`` (see ``RunContext.draft_all``). A suite whose data is absent is ``skipped`` and never fails the
run; a suite whose files are malformed *fails*, with the file, line and field — a broken suite must not pass
quietly.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.evaluation.baseline import checks_for, failures, targets_missed
from app.evaluation.context import RunContext
from app.evaluation.kinds import KINDS
from app.evaluation.metrics import rounded
from app.evaluation.results import BaselineInfo, RunResult, SuiteOutcome, SuiteResult
from app.evaluation.suites import SuiteError, SuiteSpec
from app.evaluation.system import SystemUnderTest
from app.taxonomy import TAXONOMY_VERSION

log = logging.getLogger("triage.eval")


@dataclass
class RunOptions:
    project_root: Path
    knowledge_dir: Path
    concurrency: int = 8
    sample: bool = False
    data_dir: Path | None = None
    case_timeout_s: float = 180.0
    baseline: dict[str, Any] | None = None
    baseline_path: str | None = None


async def run_suites(specs: list[SuiteSpec], system: SystemUnderTest, options: RunOptions) -> RunResult:
    started = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    ctx = RunContext(
        system=system,
        project_root=options.project_root,
        knowledge_dir=options.knowledge_dir,
        data_dir=options.data_dir,
        concurrency=options.concurrency,
        sample=options.sample,
        case_timeout_s=options.case_timeout_s,
    )
    results: dict[str, SuiteResult] = {}
    for spec in specs:
        results[spec.name] = await _run_one(spec, ctx, options)
        log.info("suite done", extra={"suite": spec.name, "status": results[spec.name].status})
    all_failures = [f for r in results.values() for f in r.failures]
    baseline = options.baseline or {}
    return RunResult(
        started_at=started_at,
        seconds=round(time.perf_counter() - started, 2),
        provider=system.provider,
        model=system.model,
        prompt_versions=system.prompt_versions,
        taxonomy_version=TAXONOMY_VERSION,
        sampled=options.sample,
        concurrency=options.concurrency,
        passed=not any(r.status == "failed" for r in results.values()),
        failures=all_failures,
        suites=results,
        baseline=BaselineInfo(
            path=options.baseline_path or "",
            started_at=baseline.get("started_at"),
            provider=baseline.get("provider"),
            model=baseline.get("model"),
        )
        if options.baseline is not None
        else None,
        run={
            "pipeline_runs": ctx.pipeline_runs,
            "pipeline_outcomes_reused": ctx.pipeline_reused,
            "embedding_memo": system.memo.stats() if system.memo else None,
        },
    )


async def _run_one(spec: SuiteSpec, ctx: RunContext, options: RunOptions) -> SuiteResult:
    started = time.perf_counter()
    base = {
        "name": spec.name,
        "kind": spec.kind.value,
        "description": spec.description,
        "thresholds": {name: t.public() for name, t in spec.thresholds.items()},
    }
    try:
        outcome = await KINDS[spec.kind](spec, ctx)
    except (SuiteError, ValueError, OSError) as exc:
        message = f"{spec.name}: could not run: {exc}"
        return SuiteResult(**base, status="failed", reason=str(exc), failures=[message], seconds=_since(started))
    if outcome.skipped is not None:
        return SuiteResult(**base, status="skipped", reason=outcome.skipped, seconds=_since(started))
    return _judge(spec, outcome, options, base, _since(started))


def _judge(
    spec: SuiteSpec, outcome: SuiteOutcome, options: RunOptions, base: dict[str, Any], seconds: float
) -> SuiteResult:
    metrics = rounded(outcome.metrics)
    checks = checks_for(spec, outcome, metrics, options.baseline)
    failed = failures(checks)
    notes = list(outcome.notes) + targets_missed(checks)
    notes += [f"{metric}: not measured ({why})" for metric, why in outcome.not_measured.items()]
    return SuiteResult(
        **base,
        status="failed" if failed else "passed",
        metrics=metrics,
        checks=checks,
        failures=failed,
        details=_jsonable(outcome.details),
        worst_cases=_jsonable(outcome.worst),
        notes=notes,
        cases=outcome.cases,
        sampled=outcome.sampled,
        seconds=seconds,
    )


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def store_run(result: RunResult, directory: Path) -> Path:
    """Write the run to ``directory/<UTC timestamp>.json`` so later runs can compare against it."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = result.started_at.replace(":", "").replace("+0000", "Z").replace("+00:00", "Z")
    path = directory / f"{stamp}-{result.provider}.json"
    counter = 1
    while path.exists():
        counter += 1
        path = directory / f"{stamp}-{result.provider}-{counter}.json"
    path.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return path


def write_json(result: RunResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.model_dump_json(indent=2), encoding="utf-8")
