"""Risk detection as the product does it: the rule floor and the flag model together, one call.

The drafting pipeline merges the two itself (and adds the LLM's opinion); screen jobs, eval suites and anything
else that only needs "which flags does this text carry" use these, so every caller measures the same detector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from app.triage.pipeline import FlagModel
from app.triage.signals import SenderHistory, Signal, detect_injection, detect_signals

INJECTION = "prompt_injection"


def combined_signals(
    flag_model: FlagModel | None,
) -> Callable[[str, Mapping[str, Any] | None, SenderHistory | None], list[Signal]]:
    """Rules first (they say ``rule``), then model flags for codes no rule raised (they say ``model``)."""

    def detect(text: str, metadata: Mapping[str, Any] | None, history: SenderHistory | None) -> list[Signal]:
        signals = detect_signals(text, metadata, history)
        if flag_model is None:
            return signals
        raised = {s.code for s in signals}
        return signals + [s for s in flag_model.detect(text) if s.code not in raised]

    return detect


def combined_injection(flag_model: FlagModel | None) -> Callable[[str], list[Signal]]:
    """Injection markers from the rules, else the model's prompt-injection flag located on its sentences."""

    def detect(text: str) -> list[Signal]:
        found = detect_injection(text)
        if found or flag_model is None:
            return found
        model = [s for s in flag_model.detect(text) if s.code == INJECTION]
        if not model:
            return []
        spans = flag_model.locate(text, INJECTION)
        return [replace(model[0], start=a, end=b, evidence=text[a:b][:300]) for a, b in spans[:1]] or model

    return detect
