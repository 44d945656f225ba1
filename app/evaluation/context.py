"""What every suite kind gets: the system under test, where the data lives, and bounded-concurrency drafting.

Drafting is the slow, possibly remote step (an LLM endpoint with a second of latency per call), so cases run
concurrently under a semaphore: 500 cases at concurrency 16 take ~32 latencies, not 500. Two suites that read
the same labelled messages (classification and risk flags) share one pipeline run per message within a run;
the report counts how many outcomes were reused. Nothing is kept between runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.evaluation.results import CaseError
from app.evaluation.system import SystemUnderTest, pipeline_text
from app.triage.pipeline import DraftOutcome, PipelineInput

DraftResult = DraftOutcome | CaseError


@dataclass
class RunContext:
    system: SystemUnderTest
    project_root: Path
    knowledge_dir: Path
    data_dir: Path | None = None  # the shared external data; None: the external suite's own setting
    concurrency: int = 8
    sample: bool = False
    case_timeout_s: float = 180.0
    pipeline_runs: int = 0
    pipeline_reused: int = 0
    _outcomes: dict[str, DraftResult] = field(default_factory=dict)

    async def draft_all(self, items: Sequence[tuple[str, PipelineInput]]) -> dict[str, DraftResult]:
        """Run the drafter over ``(case id, input)`` pairs, ``concurrency`` at a time; results keyed by case id.

        A case that raises or times out becomes a ``CaseError`` (scored as wrong), so one bad call never hides
        the rest of the run.
        """
        keys = {case_id: _fingerprint(case_id, inp) for case_id, inp in items}
        todo = [(case_id, inp) for case_id, inp in items if keys[case_id] not in self._outcomes]
        self.pipeline_reused += len(items) - len(todo)
        texts = [text for _, inp in todo for text in pipeline_text(inp)]
        if texts:
            await asyncio.to_thread(self.system.prefetch, texts)
        semaphore = asyncio.Semaphore(max(1, self.concurrency))

        async def one(case_id: str, inp: PipelineInput) -> None:
            async with semaphore:
                try:
                    outcome: DraftResult = await asyncio.wait_for(
                        self.system.drafter.run(inp), timeout=self.case_timeout_s
                    )
                except TimeoutError:
                    outcome = CaseError(f"no draft within {self.case_timeout_s:g} s")
                except Exception as exc:  # the run goes on; the case is scored as wrong with the reason
                    outcome = CaseError(f"{type(exc).__name__}: {exc}"[:300])
                self._outcomes[keys[case_id]] = outcome

        await asyncio.gather(*(one(case_id, inp) for case_id, inp in todo))
        self.pipeline_runs += len(todo)
        return {case_id: self._outcomes[keys[case_id]] for case_id, _ in items}


def _fingerprint(case_id: str, inp: PipelineInput) -> str:
    payload = {k: v for k, v in asdict(inp).items() if k != "correlation_id"}
    raw = json.dumps([case_id, payload], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def message_input(
    case_id: str,
    body: str,
    *,
    subject: str | None = None,
    locale: str | None = None,
    sender_kind: str = "user",
    metadata: dict[str, object] | None = None,
) -> PipelineInput:
    return PipelineInput(
        correlation_id=f"eval-{case_id}",
        message=body,
        subject=subject,
        locale=locale,
        sender_kind=sender_kind,
        metadata=dict(metadata or {}),
    )


def flag_codes(outcome: DraftResult) -> set[str]:
    return set() if isinstance(outcome, CaseError) else {f["code"] for f in outcome.risk_flags}


def category_of(outcome: DraftResult) -> str:
    return "(error)" if isinstance(outcome, CaseError) else outcome.category


def clip(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
