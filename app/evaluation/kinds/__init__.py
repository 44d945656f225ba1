"""One module per suite kind; each turns a suite and the system under test into a ``SuiteOutcome``."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from app.evaluation.context import RunContext
from app.evaluation.kinds import (
    classification,
    conversations,
    drafting,
    external,
    golden,
    injection,
    redaction,
    retrieval,
    risk_flags,
)
from app.evaluation.results import SuiteOutcome
from app.evaluation.suites import SuiteKind, SuiteSpec

KindRunner = Callable[[SuiteSpec, RunContext], Coroutine[Any, Any, SuiteOutcome]]

KINDS: dict[SuiteKind, KindRunner] = {
    SuiteKind.CLASSIFICATION: classification.run,
    SuiteKind.RISK_FLAGS: risk_flags.run,
    SuiteKind.RETRIEVAL: retrieval.run,
    SuiteKind.DRAFTING: drafting.run,
    SuiteKind.INJECTION: injection.run,
    SuiteKind.REDACTION: redaction.run,
    SuiteKind.EXTERNAL: external.run,
    SuiteKind.GOLDEN: golden.run,
    SuiteKind.CONVERSATIONS: conversations.run,
}
