"""The LLM call log on a real SQLite database (migrated), and the daily budget read from it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.llm.call_log import CallOutcome, CallRecord, DailyTokenBudget, DbCallRecorder, start_of_utc_day
from app.llm.models import LLMCall
from app.llm.provider import ProviderError
from app.migrate import upgrade


def record(created_at: datetime, tokens: int, outcome: CallOutcome = CallOutcome.OK) -> CallRecord:
    return CallRecord(
        correlation_id="case-1-v1",
        provider="openai",
        model="test-model",
        prompt_name="draft",
        prompt_version="draft_system@abc+draft_user@def",
        outcome=outcome,
        prompt_tokens=tokens,
        completion_tokens=10,
        latency_ms=42,
        error=None if outcome is CallOutcome.OK else "HTTP 503 from the LLM endpoint",
        created_at=created_at,
    )


def test_rows_are_written_and_the_budget_counts_today_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'triage.db'}"
    upgrade(url)
    engine = make_engine(url)
    recorder = DbCallRecorder(engine)
    now = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    recorder.record(record(datetime(2026, 11, 1, 23, 59, tzinfo=UTC), 5000))  # yesterday
    recorder.record(record(datetime(2026, 11, 2, 0, 1, tzinfo=UTC), 90))
    recorder.record(record(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), 0, CallOutcome.ERROR))

    assert recorder.tokens_since(start_of_utc_day(now)) == 90 + 10 + 0 + 10
    with Session(engine) as session:
        rows = session.exec(select(LLMCall).order_by(LLMCall.id)).all()  # type: ignore[arg-type]
    assert [r.outcome for r in rows] == ["ok", "ok", "error"]
    assert rows[2].error == "HTTP 503 from the LLM endpoint" and rows[1].latency_ms == 42
    assert rows[1].prompt_version == "draft_system@abc+draft_user@def"

    DailyTokenBudget(recorder, 111, lambda: now).check()  # 110 used: still under
    with pytest.raises(ProviderError) as failure:
        DailyTokenBudget(recorder, 110, lambda: now).check()
    assert failure.value.retryable and failure.value.retry_after_s == 14.5 * 3600
    DailyTokenBudget(recorder, None, lambda: now).check()  # no budget set
    engine.dispose()


def test_a_storage_failure_does_not_fail_the_draft(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'not-migrated.db'}")  # no llm_calls table
    DbCallRecorder(engine).record(record(datetime.now(UTC), 1))
    engine.dispose()
