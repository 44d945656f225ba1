"""The rule floor under the flag model: a few precise, explainable rules for explicit wording and structured data.

The detector for all thirteen risk flags is the embedding classifier in :mod:`app.triage.flag_classifier`; it
covers meaning, paraphrase and the long tail. These rules fire only on explicit wording (stated intent to die,
"kys", pay-or-I-leak demands, a threat with a person as object, a Luhn-valid card number, injection markers) or
on structured data (channel metadata, the sender's history), so a case that says it outright is flagged whatever
the model scores, with the exact span or field as evidence. ``detect_signals`` keeps one signal per flag code
(the most confident), sorted by severity and then position. Every rule (``ALL_RULES`` of a family module) and check
(``CHECKS`` of :mod:`.payment` and :mod:`.history`) is named, and the tests require a real example for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from app.taxonomy import SEVERITY_RANK
from app.triage.signals import disputes, extortion, fraud, history, injection, minors, payment, pii, self_harm, violence
from app.triage.signals.base import Context, SenderHistory, Signal, TriggerIndex, run_checks, scan, strongest

__all__ = [
    "SenderHistory",
    "Signal",
    "detect_category_signals",
    "detect_injection",
    "detect_signals",
    "run_detectors",
    "trigger_index",
]

RULE_FAMILIES = (self_harm, violence, minors, extortion, fraud, disputes, payment, history, injection, pii)

ALL_RULES = tuple(rule for module in RULE_FAMILIES for rule in module.ALL_RULES)
ALL_CHECKS = payment.CHECKS + history.CHECKS  # the structured-data checks; every other family is text only


@cache
def trigger_index() -> TriggerIndex:
    """The one-pass index of every rule's anchors (compiled once, on first use)."""
    return TriggerIndex(ALL_RULES)


def _best_per_code(found: list[Signal]) -> list[Signal]:
    by_code: dict[str, list[Signal]] = {}
    for signal in found:
        by_code.setdefault(signal.code, []).append(signal)
    best = [s for group in by_code.values() if (s := strongest(group)) is not None]
    return sorted(best, key=lambda s: (SEVERITY_RANK[s.severity], 1 << 30 if s.start is None else s.start, s.code))


def detect_signals(
    text: str,
    metadata: Mapping[str, Any] | None = None,
    history: SenderHistory | None = None,
    category: str | None = None,
) -> list[Signal]:
    """All risk signals for one message: at most one per code, the strongest, by severity then position."""
    return run_detectors(Context.build(text or "", metadata, history, category, trigger_index()))


def detect_category_signals(sender: SenderHistory | None, category: str | None) -> list[Signal]:
    """What knowing the category adds to :func:`detect_signals` run without one: the sender's history checks.

    The category is only known after drafting, and only the history checks read it, so the pipeline adds these
    instead of running every rule over the text a second time.
    """
    return _best_per_code(run_checks(Context.build("", history=sender, category=category), history.CHECKS))


def run_detectors(ctx: Context) -> list[Signal]:
    """Every rule and check on a prepared context; :func:`detect_signals` is this with the shared trigger index."""
    return _best_per_code(scan(ctx, ALL_RULES) + run_checks(ctx, ALL_CHECKS))


def detect_injection(text: str) -> list[Signal]:
    """Prompt-injection signals only (at most one): for inbound text and for KB articles when they are saved."""
    best = strongest(scan(Context.build(text or "", index=trigger_index()), injection.ALL_RULES))
    return [best] if best else []
