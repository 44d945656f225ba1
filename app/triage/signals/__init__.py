"""Risk signals found without an LLM: regex and lexicon rules with context checks, metadata and history.

``detect_signals`` runs every detector family and keeps one signal per flag code (the most confident), sorted by
severity and then by position, so the drafting pipeline and the review queue can use them as they are. Each
family lives in its own module; :mod:`.base` holds the shared types and the rule loop, :mod:`.text` the negation,
clause and hyperbole helpers, :mod:`.patterns` the regex machinery that keeps a 2 KB message under 2 ms.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from app.taxonomy import SEVERITY_RANK
from app.triage.signals import (
    account,
    disputes,
    extortion,
    fraud,
    history,
    injection,
    minors,
    multilingual,
    payment,
    pii,
    self_harm,
    spam,
    transactions,
    violence,
)
from app.triage.signals.base import Context, Detector, SenderHistory, Signal, TriggerIndex, strongest

__all__ = [
    "SenderHistory",
    "Signal",
    "detect_category_signals",
    "detect_injection",
    "detect_signals",
    "run_detectors",
    "trigger_index",
]

DETECTORS: tuple[Detector, ...] = (
    self_harm.detect,
    violence.detect,
    minors.detect,
    extortion.detect,
    account.detect,
    transactions.detect,
    fraud.detect,
    spam.detect,
    disputes.detect,
    payment.detect,
    history.detect,
    injection.detect,
    multilingual.detect,
    pii.detect,
)

RULE_FAMILIES = (
    self_harm,
    violence,
    minors,
    extortion,
    account,
    transactions,
    fraud,
    spam,
    disputes,
    payment,
    history,
    injection,
    multilingual,
)


@cache
def trigger_index() -> TriggerIndex:
    """The one-pass index of every rule's anchors (compiled once, on first use)."""
    return TriggerIndex(rule for module in RULE_FAMILIES for rule in module.ALL_RULES)


# Generic "threatening messages" wording is kept as violence only when nothing more specific explains it.
_WEAK_VIOLENCE = 0.75


def _resolve(best: dict[str, Signal]) -> None:
    """Drop a weak violence signal when extortion explains the threat ("he's threatening to leak my pics")."""
    violence_signal = best.get("violence_threat")
    if violence_signal and "extortion" in best and violence_signal.confidence < _WEAK_VIOLENCE:
        del best["violence_threat"]


def _order(signal: Signal) -> tuple[int, int, str]:
    position = signal.start if signal.start is not None else 1 << 30
    return SEVERITY_RANK[signal.severity], position, signal.code


def detect_signals(
    text: str,
    metadata: Mapping[str, Any] | None = None,
    history: SenderHistory | None = None,
    category: str | None = None,
) -> list[Signal]:
    """All risk signals for one message: at most one per code, the strongest, by severity then position."""
    return run_detectors(Context.build(text or "", metadata, history, category, trigger_index()))


def detect_category_signals(sender: SenderHistory | None, category: str | None) -> list[Signal]:
    """What knowing the category adds to :func:`detect_signals` run without one: the sender's repeat history.

    The category is only known after drafting, and only the history detector reads it, so the pipeline adds
    these instead of running every detector over the text a second time.
    """
    by_code: dict[str, list[Signal]] = {}
    for signal in history.from_history(sender, category):
        by_code.setdefault(signal.code, []).append(signal)
    best = [s for found in by_code.values() if (s := strongest(found)) is not None]
    return sorted(best, key=_order)


def run_detectors(ctx: Context) -> list[Signal]:
    """Every detector on a prepared context; :func:`detect_signals` is this with the shared trigger index."""
    by_code: dict[str, list[Signal]] = {}
    for detector in DETECTORS:
        for signal in detector(ctx):
            by_code.setdefault(signal.code, []).append(signal)
    best = {code: s for code, found in by_code.items() if (s := strongest(found)) is not None}
    _resolve(best)
    return sorted(best.values(), key=_order)


def detect_injection(text: str) -> list[Signal]:
    """Prompt-injection signals only (at most one): for inbound text and for KB articles when they are saved."""
    ctx = Context.build(text or "", index=trigger_index())
    found = injection.detect_injection_signals(ctx) + multilingual.detect_injection_signals(ctx)
    best = strongest(found)
    return [best] if best else []
