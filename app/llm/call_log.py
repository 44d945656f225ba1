"""Every LLM call leaves a row (tokens, latency, prompt version, outcome — never text); the day's rows set the budget.

Providers get a ``CallRecorder`` instead of an engine so ``app/llm`` stays free of database code paths it
cannot test in isolation: ``DbCallRecorder`` writes ``LLMCall`` rows for the service, ``InMemoryCallRecorder``
keeps them in a list for tests and benchmarks. The budget is read from the same rows, so every worker process
on the same database shares one daily budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.clock import utcnow
from app.llm.models import LLMCall
from app.llm.provider import ProviderError

log = logging.getLogger("triage.llm")


class CallOutcome(StrEnum):
    OK = "ok"
    INVALID_OUTPUT = "invalid_output"  # answered, but not JSON or not the draft schema
    REFUSED = "refused"  # the model declined or returned nothing
    ERROR = "error"  # HTTP error status or connection failure
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class CallRecord:
    correlation_id: str
    provider: str
    model: str
    prompt_name: str
    prompt_version: str
    outcome: CallOutcome
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    error: str | None = None  # a reason safe to show and store: status codes and validation paths, no text
    created_at: datetime = field(default_factory=utcnow)


class CallRecorder(Protocol):
    def record(self, call: CallRecord) -> None:
        """Store one call; must not raise for a storage problem (the draft matters more than its accounting)."""
        ...

    def tokens_since(self, since: datetime) -> int:
        """Prompt + completion tokens of calls made at or after ``since``."""
        ...


class InMemoryCallRecorder:
    """The recorder for tests and benchmarks: calls kept in order in ``calls``."""

    def __init__(self) -> None:
        self.calls: list[CallRecord] = []

    def record(self, call: CallRecord) -> None:
        self.calls.append(call)

    def tokens_since(self, since: datetime) -> int:
        return sum(c.prompt_tokens + c.completion_tokens for c in self.calls if c.created_at >= since)


class DbCallRecorder:
    """Writes ``llm_calls`` rows in their own short transaction, so a failed draft still leaves its calls."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, call: CallRecord) -> None:
        row = LLMCall(
            correlation_id=call.correlation_id[:100],
            provider=call.provider,
            model=call.model[:200],
            prompt_name=call.prompt_name[:100],
            prompt_version=call.prompt_version[:80],
            prompt_tokens=call.prompt_tokens,
            completion_tokens=call.completion_tokens,
            latency_ms=call.latency_ms,
            outcome=call.outcome.value,
            error=call.error,
            created_at=call.created_at,
        )
        try:
            with Session(self._engine) as session:
                session.add(row)
                session.commit()
        except Exception:  # a lost accounting row must not cost a paid-for draft
            log.exception("could not record an LLM call", extra={"correlation_id": call.correlation_id})

    def tokens_since(self, since: datetime) -> int:
        total = func.coalesce(func.sum(LLMCall.prompt_tokens + LLMCall.completion_tokens), 0)
        with Session(self._engine) as session:
            return int(session.exec(select(total).where(LLMCall.created_at >= since)).one())


def start_of_utc_day(now: datetime) -> datetime:
    utc = now.astimezone(UTC)
    return datetime.combine(utc.date(), time.min, tzinfo=UTC)


class DailyTokenBudget:
    """Refuses calls once the UTC day's tokens reach the limit; the job waits until midnight UTC, then resumes.

    The provider checks before each draft, so the day's last draft may overshoot the limit by its own tokens
    (its call and, if it needed one, its repair turn). ``limit=None`` means no budget.
    """

    def __init__(self, recorder: CallRecorder, limit: int | None, clock: Callable[[], datetime] = utcnow) -> None:
        self._recorder = recorder
        self._limit = limit
        self._clock = clock

    def check(self) -> None:
        if self._limit is None:
            return
        now = self._clock()
        day = start_of_utc_day(now)
        used = self._recorder.tokens_since(day)
        if used >= self._limit:
            wait = (day + timedelta(days=1) - now).total_seconds()
            raise ProviderError(
                f"daily LLM token budget reached ({used} of {self._limit} tokens today, UTC); "
                f"drafting resumes at 00:00 UTC, in {int(wait)} s. Raise TRIAGE_LLM_DAILY_TOKEN_BUDGET to resume now",
                retryable=True,
                retry_after_s=wait,
            )
