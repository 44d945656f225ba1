"""The shapes of a run's results: what ``--json`` writes, ``--baseline`` reads and the HTML report shows.

The contract fixes ``{"suites": {NAME: {"status", "metrics", "thresholds"}}}``; everything else here is extra
detail for people (checks with the case ids behind them, confusion matrices, worst cases, timing, versions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

Status = Literal["passed", "failed", "skipped"]


@dataclass
class CaseError:
    """A case the system could not answer (provider error, timeout); it counts as wrong, with this message."""

    message: str


@dataclass
class SuiteOutcome:
    """What a suite kind measured, before thresholds and the baseline are applied.

    ``offenders`` names, per metric, the case ids that pulled it down (worst first), so a failed gate can say
    which cases to look at. ``worst`` are the cases the report shows with their inputs and outputs.
    """

    metrics: dict[str, float | None] = field(default_factory=dict)
    cases: int = 0
    offenders: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    worst: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    sampled: bool = False
    not_measured: dict[str, str] = field(default_factory=dict)  # metric -> why it does not apply to this run

    @classmethod
    def skip(cls, reason: str) -> SuiteOutcome:
        return cls(skipped=reason)


class Check(BaseModel):
    metric: str
    op: Literal["min", "max"]
    limit: float
    value: float | None
    passed: bool
    baseline: float | None = None
    delta: float | None = None
    margin: float | None = None
    regressed: bool = False
    gate: bool = True  # false: a target, reported as met or missed, that does not fail the run
    cases: list[str] = Field(default_factory=list)
    message: str = ""


class SuiteResult(BaseModel):
    name: str
    kind: str
    description: str = ""
    status: Status
    reason: str | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    thresholds: dict[str, dict[str, float]] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    worst_cases: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    cases: int = 0
    sampled: bool = False
    seconds: float = 0.0


class BaselineInfo(BaseModel):
    path: str
    started_at: str | None = None
    provider: str | None = None
    model: str | None = None


class RunResult(BaseModel):
    format: int = 1
    started_at: str
    seconds: float
    provider: str
    model: str
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    taxonomy_version: str
    sampled: bool
    concurrency: int
    passed: bool
    failures: list[str] = Field(default_factory=list)
    suites: dict[str, SuiteResult]
    baseline: BaselineInfo | None = None
    decisions: dict[str, Any] | None = None
    run: dict[str, Any] = Field(default_factory=dict)
