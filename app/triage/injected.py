"""Where injected instructions sit in a conversation, so the guardrails can tell them from the requester's words.

The injection detector points at the trigger ("Ignore all previous instructions", "[SYSTEM]:"); the payload
follows it. The region taken is from the start of the trigger's sentence to the end of its paragraph, capped:
generous enough to hold the payload, small enough to leave the real request as the requester's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.triage.signals import Signal, detect_injection

_MAX_REGION = 800
_SENTENCE_START = re.compile(r"[.!?\n]\s")


@dataclass(frozen=True)
class Split:
    """A text divided into what the requester wrote and what tried to instruct the model."""

    trusted: str
    injected: tuple[str, ...]


def split_injected(text: str, signals: Iterable[Signal] | None = None) -> Split:
    """Cut the injected regions out of ``text``; ``signals`` are the detector's, run here when not given."""
    found = detect_injection(text) if signals is None else [s for s in signals if s.code == "prompt_injection"]
    spans: list[tuple[int, int]] = []
    for signal in found:
        if signal.start is None or signal.end is None:
            continue
        starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, signal.start)]
        start = starts[-1] if starts else 0
        paragraph_end = text.find("\n\n", signal.end)
        end = min(len(text) if paragraph_end < 0 else paragraph_end, start + _MAX_REGION)
        spans.append((start, max(end, signal.end)))
    if not spans:
        return Split(text, ())
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    kept, cursor = [], 0
    for start, end in merged:
        kept.append(text[cursor:start])
        cursor = end
    kept.append(text[cursor:])
    return Split(" ".join(kept), tuple(text[s:e] for s, e in merged))
