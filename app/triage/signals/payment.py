"""``payment_anomaly`` floor: repeated failed charges from the channel's metadata, duplicate charges from the text.

The channel records ``failed_charges``; three or more is an anomaly (one or two declines are ordinary: an expired
card, no funds). The text adds "charged twice" / "double charged" and a pack whose price differs from what was
charged. Unusual amounts and everything said less explicitly are the flag model's job.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Check, Context, Rule, as_number
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import asks, sentence_at

CODE = "payment_anomaly"
REPEATED_FAILURES = 3


def _failed_charges(ctx: Context) -> str | None:
    count = as_number(ctx.metadata.get("failed_charges"))
    return f"metadata.failed_charges={count:g}" if count is not None and count >= REPEATED_FAILURES else None


_IF_WORD = compile_rx(r"\b(?:did|do|does|if|could|might|whether|wondering|will|would)\b")


def _asks_whether(text: str, match: re.Match[str]) -> bool:
    """'did I get charged twice or is it just visual?' asks, it does not report a second charge."""
    return asks(text, match.end()) and _IF_WORD.search(sentence_at(text, match.start(), match.end())) is not None


_CHARGED_TWICE = compile_rx(
    r"\b(?:charged|billed|debited)\s+(?:me\s+|my\s+card\s+|us\s+)?(?:(?:\$|€|£)\s?\d[\d,]*(?:\.\d\d)?\s+)?(?:twice|"
    r"two\s+times|three\s+times|thrice|\d\s*(?:x|times)|multiple\s+times|double)\b|\bdouble[\s-]charged\b"
    r"|\b(?:duplicate|double)\s+charges?\b"
)
_WRONG_AMOUNT = compile_rx(
    r"\b(?:picked|selected|chose|bought|ordered|purchased|tapped)\s+(?:the\s+|a\s+|an\s+)?(?:\$|€|£)\s?(?P<a>\d[\d,]*"
    r"(?:\.\d\d)?)\s+(?:\w+\s+)?(?:pack|bundle|package|offer|coins?|recharge)\b[^!?\n]{0,120}?\b(?:charged|billed|"
    r"debited|took)\s+(?:me\s+)?(?:\$|€|£)\s?(?P<b>\d[\d,]*(?:\.\d\d)?)"
)

ALL_RULES: tuple[Rule, ...] = (
    Rule("payment.charged_twice", CODE, _CHARGED_TWICE, 0.85, guards=(_asks_whether,)),
    Rule(
        "payment.wrong_amount",
        CODE,
        _WRONG_AMOUNT,
        0.8,
        negatable=False,
        guards=(lambda t, m: as_number(m["a"]) == as_number(m["b"]),),
    ),
)
CHECKS: tuple[Check, ...] = (Check("payment.failed_charges", CODE, _failed_charges, 0.9),)
