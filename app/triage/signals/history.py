"""``repeat_complaint`` and ``high_value_user``: what the requester's past and spend say about this case.

History signals come from :class:`SenderHistory` (looked up by the caller) and carry ``FlagSource.HISTORY``;
the text can also say it ("this is the third time I'm writing"), and metadata can carry lifetime spend.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.taxonomy import FlagSource
from app.triage.signals.base import Context, Rule, SenderHistory, Signal, as_number, make_meta_signal, make_signal, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import clause_start

REPEAT = "repeat_complaint"
HIGH_VALUE = "high_value_user"
HIGH_VALUE_USD = 1000.0
THIRD_CONTACT = 2  # two earlier contacts make this the third

_ORDINAL = (
    r"(?:second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|\d+th|umpteenth|hundredth|millionth|nth)"
)
_CONTACT_NOUN = (
    r"(?:message|msg|email|e-mail|mail|ticket|request|appeal|complaint|report|follow[\s-]?up|letter|dm|chat|contact|"
    r"reminder|attempt\s+to\s+(?:reach|contact|get))"
)
_CONTACT_VERB = (
    r"(?:writing|asking|contacting|reporting|emailing|e-mailing|messaging|suggesting|requesting|telling|explaining|"
    r"reaching\s+out|sending|opening|submitting|complaining|begging|trying\s+to\s+(?:reach|contact|get)|following\s+up|"
    r"chasing|raising|filing|calling|appealing|reminding)"
)
# "please ignore previous request" (an app error, or a correction) is not a reference to an earlier ticket.
_DISMISSED = compile_rx(r"\b(?:ignore|disregard|cancel|forget)\s+(?:the\s+|my\s+)?$")
REPEAT_RULES: tuple[Rule, ...] = (
    Rule(
        REPEAT,
        compile_rx(
            r"\b(?:second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|umpteenth|8th|9th|10th)\s+(?:[\w-]+\s+)?"
            + _CONTACT_NOUN
            + r"s?\b(?!\s+(?:(?:from|by)\s+(?:them|him|her|a|an|the|some|this|that|scammers?)|in\s+my\s+"
            r"(?:inbox|dms?|feed|notifications)|from\b|i\s+(?:got|received|get)\b|(?:that|which)\s+i\s+(?:got|received)))"
            r"|\b(?:third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|umpteenth|8th|9th|10th|second|2nd)\s+time\s+(?:now\s+)?"
            r"(?:i'?m\s+|i\s+am\s+|i'?ve\s+been\s+|that\s+i'?(?:m|ve)\s+|we'?re\s+)?" + _CONTACT_VERB + r"\b"
            r"|\b(?:reported|flagged|complained\s+about)\s+(?:it\s+|him\s+|her\s+|them\s+|this\s+|every\s+one\s+)?(?:\w+\s+){0,3}?"
            r"(?:and|but)\s+nothing\s+(?:happens|happened|has\s+happened|gets\s+done|changes|changed|was\s+done)\b"
        ),
        0.8,
    ),
    Rule(
        REPEAT,
        compile_rx(
            r"\b(?:this\s+is|it'?s|that'?s|for|now\s+(?:the|my))\s+(?:the|my|our)?\s*"
            + _ORDINAL
            + r"\s+(?:time|message|email|"
            r"e-mail|ticket|request|attempt|try|complaint|chat|contact|follow[\s-]?up)\b"
        ),
        0.85,
    ),
    Rule(
        REPEAT,
        compile_rx(
            r"\b(?:i'?ve|i\s+have|we'?ve|we\s+have|i|we)\s+(?:already\s+)?(?:written|wrote|contacted|emailed|messaged|"
            r"reached\s+out|asked|complained|called|reported|submitted|opened|sent|raised)\s+(?:\w+\s+){0,4}?(?:\d+|two|three|"
            r"four|five|several|multiple|many|so\s+many|countless|numerous|a\s+few|a\s+dozen)\s+(?:times|tickets|messages|emails|"
            r"requests|reports|complaints)\b"
        ),
        0.85,
    ),
    Rule(
        REPEAT,
        compile_rx(
            r"\bstill\s+(?:no|nothing|zero|haven'?t|have\s+not|hasn'?t|has\s+not|not|waiting|no\s+one|nobody)\b\s*(?:\w+\s+){0,3}?"
            r"(?:answer|reply|response|resolution|help|update|refund|word|news|fix|solution|answered|replied|responded|"
            r"heard|received|gotten|got|back)\b"
            r"|\b(?:no\s+one|nobody|no-one)\s+(?:has\s+|have\s+|ever\s+)?(?:answered|replied|responded|gotten\s+back|got\s+back|"
            r"helped|gets\s+back)\b"
            r"|\b(?:i|we)\s+(?:already\s+)?(?:contacted|wrote\s+to|emailed|messaged|reported\s+this\s+to|asked)\s+(?:you|support|"
            r"your\s+(?:team|support))\s+(?:about\s+this\s+)?(?:last\s+(?:week|month|time)|yesterday|before|previously|already|"
            r"\d+\s+days\s+ago|a\s+(?:week|few\s+days)\s+ago|twice|again)\b"
            r"|\b(?:again\s+and\s+again|over\s+and\s+over\s+again|same\s+(?:issue|problem)\s+(?:as\s+)?(?:before|again|last\s+time)|"
            r"(?:previous|earlier|last|my\s+other|existing|prior|old)\s+(?:ticket|case|request|complaint)s?(?:\s+(?:number|#|no\.?))?|"
            r"ticket\s*(?:#|no\.?|number)\s*\d+|keep\s+(?:writing|asking|contacting|emailing|messaging)|writing\s+again|"
            r"asking\s+again|contacting\s+(?:you\s+)?again|(?:i|we)\s+(?:already\s+)?(?:told|explained\s+to)\s+you)\b"
        ),
        0.7,
        guards=(lambda t, m: _DISMISSED.search(t, max(0, m.start() - 16), m.start()) is not None,),
    ),
)


_ANOTHER_TRY = compile_rx(r"\b(?:i'?ll|i\s+will|let\s+me|gonna|going\s+to|try|trying|retry|once)\b")
# Matched against the original text (case matters here), so not through compile_rx.
_SHOUTED_AGAIN = re.compile(r"(?<![A-Za-z])AGAIN(?![A-Za-z])")


def _shouted_again(ctx: Context) -> list[Signal]:
    """'my coins are missing AGAIN': a capitalised 'again' says this has been raised before."""
    match = _SHOUTED_AGAIN.search(ctx.original)
    if match is None or ctx.original.isupper():
        return []
    if _ANOTHER_TRY.search(ctx.text, clause_start(ctx.text, match.start()), match.start()) is not None:
        return []  # "I'll try AGAIN tomorrow" is a plan, not a repeat
    return [make_signal(REPEAT, ctx.original, match.start(), match.end(), 0.6)]


def _category_value(category: Any) -> str:
    return str(getattr(category, "value", category) or "").strip().lower()


def from_history(history: SenderHistory | None, category: str | None) -> list[Signal]:
    """Repeat and spend signals from the requester's recorded history."""
    if history is None:
        return []
    found: list[Signal] = []
    current = _category_value(category)
    prior = [_category_value(c) for c in history.prior_categories_14d]
    if current and current in prior:
        found.append(
            make_meta_signal(REPEAT, f"history: earlier {current} case within 14 days", 0.95, FlagSource.HISTORY)
        )
    if history.prior_contacts_14d >= THIRD_CONTACT:
        found.append(
            make_meta_signal(
                REPEAT,
                f"history: contact number {history.prior_contacts_14d + 1} within 14 days",
                0.9,
                FlagSource.HISTORY,
            )
        )
    spend = history.lifetime_spend_usd
    if spend is not None and spend >= HIGH_VALUE_USD:
        found.append(
            make_meta_signal(HIGH_VALUE, f"history: lifetime spend {spend:,.0f} USD", 0.95, FlagSource.HISTORY)
        )
    return found


def from_metadata(metadata: Mapping[str, Any]) -> list[Signal]:
    """High lifetime spend reported by the channel."""
    for key in ("lifetime_spend_usd", "lifetime_spend"):
        spend = as_number(metadata.get(key))
        if spend is not None and spend >= HIGH_VALUE_USD:
            return [make_meta_signal(HIGH_VALUE, f"metadata.{key}={spend:,.0f}", 0.9)]
    return []


ALL_RULES: tuple[Rule, ...] = REPEAT_RULES


def detect(ctx: Context) -> list[Signal]:
    """Repeat-complaint and high-value signals from history, metadata and text."""
    return (
        from_history(ctx.history, ctx.category)
        + from_metadata(ctx.metadata)
        + scan(ctx, REPEAT_RULES)
        + _shouted_again(ctx)
    )
