"""``repeat_complaint`` and ``high_value_user`` floor: what the requester's history and the channel record say.

History checks read the :class:`.base.SenderHistory` the caller looked up and carry ``FlagSource.HISTORY``: an
earlier case in the same category within 14 days, or this being the third contact, is a repeat; a lifetime spend
of 1,000 USD or more is a high-value user (the channel's ``lifetime_spend_usd`` counts too, the requester's own
claim does not). The text adds one explicit phrasing: "this is the third time I'm writing".
"""

from __future__ import annotations

from app.taxonomy import FlagSource
from app.triage.signals.base import Check, Context, Rule, as_number
from app.triage.signals.patterns import compile_rx

REPEAT = "repeat_complaint"
HIGH_VALUE = "high_value_user"
HIGH_VALUE_USD = 1000.0
THIRD_CONTACT = 2  # two earlier contacts make this the third


def _same_category(ctx: Context) -> str | None:
    current = str(ctx.category or "").strip().lower()  # a Category is a StrEnum: str() is its value
    if ctx.history is None or not current:
        return None
    prior = {str(c).strip().lower() for c in ctx.history.prior_categories_14d}
    return f"history: earlier {current} case within 14 days" if current in prior else None


def _third_contact(ctx: Context) -> str | None:
    if ctx.history is None or ctx.history.prior_contacts_14d < THIRD_CONTACT:
        return None
    return f"history: contact number {ctx.history.prior_contacts_14d + 1} within 14 days"


def _spend_in_history(ctx: Context) -> str | None:
    spend = ctx.history.lifetime_spend_usd if ctx.history is not None else None
    return f"history: lifetime spend {spend:,.0f} USD" if spend is not None and spend >= HIGH_VALUE_USD else None


def _spend_in_metadata(ctx: Context) -> str | None:
    for key in ("lifetime_spend_usd", "lifetime_spend"):
        spend = as_number(ctx.metadata.get(key))
        if spend is not None and spend >= HIGH_VALUE_USD:
            return f"metadata.{key}={spend:,.0f}"
    return None


_ORDINAL = r"(?:second|2nd|third|3rd|fourth|4th|fifth|5th|\d+th|umpteenth)"
_COUNT = r"(?:\d+|two|three|four|five|several|multiple|so\s+many)"

_NTH_CONTACT = compile_rx(
    r"\b(?:this\s+is|it'?s|for)\s+(?:the|my)\s+" + _ORDINAL + r"\s+(?:time\s+(?:that\s+)?(?:i'?m\s+|i\s+am\s+|i'?ve\s+"
    r"(?:been\s+)?)?(?:writing|contacting|asking|emailing|messaging|reaching\s+out|reporting|complaining)|message|"
    r"email|ticket|request|complaint)\b|\b(?:i'?ve|i\s+have)\s+(?:already\s+)?(?:written|contacted\s+(?:you|support)|"
    r"emailed|messaged|reported\s+this)\s+" + _COUNT + r"\s+times\b"
)

ALL_RULES: tuple[Rule, ...] = (Rule("repeat.nth_contact", REPEAT, _NTH_CONTACT, 0.85),)
CHECKS: tuple[Check, ...] = (
    Check("history.same_category", REPEAT, _same_category, 0.95, FlagSource.HISTORY),
    Check("history.third_contact", REPEAT, _third_contact, 0.9, FlagSource.HISTORY),
    Check("history.high_value", HIGH_VALUE, _spend_in_history, 0.95, FlagSource.HISTORY),
    Check("metadata.high_value", HIGH_VALUE, _spend_in_metadata, 0.9),
)
