"""Signals from the requester's ledger context, and from what the requester says about their own spending.

- ``high_value_user``: spend tier high or top in the ledger; with no ledger context, a stated spend of 1,000 USD
  or more ("I've put over $40k into this app", "I spent over $120,000 on gifts this year").
- ``payment_anomaly``: two settled recharges of one amount within ten minutes, three or more failed attempts
  within 30 minutes, a balance change with no matching transaction; and the text "charged twice, balance went up
  once".
- ``account_takeover``: an email, phone or password change within 24 hours before a recharge or a gift; the
  events are the evidence, and a flag the model raised from the text is strengthened with them.

Ledger evidence carries ``FlagSource.HISTORY`` (what we know about the account) and names no personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from app.context.reconcile import duplicates_of
from app.context.schemas import CREDENTIAL_EVENTS, HIGH_VALUE_TIERS, RequesterContext, TxKind, TxStatus
from app.taxonomy import FlagSource
from app.triage.signals.base import Signal, make_signal

HIGH_VALUE = "high_value_user"
ANOMALY = "payment_anomaly"
TAKEOVER = "account_takeover"
HIGH_VALUE_USD = 1000.0
TAKEOVER_WINDOW = timedelta(hours=24)
FAILED_WINDOW = timedelta(minutes=30)
RAPID_FAILURES = 3

_SPEND_CLAIM = re.compile(
    r"\b(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?)\s+(?:already\s+|easily\s+)?(?:spent|put|dropped|invested|paid|"
    r"spend)\s+(?:well\s+)?(?:over|more\s+than|almost|nearly|about|around|like|at\s+least)?\s*(?P<amt>(?:us)?\$\s?\d"
    r"[\d,]*(?:\.\d+)?\s?(?:k|grand|thousand)?|\d[\d,]*(?:\.\d+)?\s?(?:k|grand|thousand)?\s?(?:usd|dollars|bucks))",
    re.I,
)
_BALANCE_MISMATCH = re.compile(
    r"\bcharged\s+(?:me\s+)?(?:twice|two\s+times|double)\b[^.!?\n]{0,60}\b(?:balance|coins?)\b[^.!?\n]{0,30}"
    r"\b(?:once|only\s+one|one\s+time)\b|\b(?:balance|coins?)\s+(?:only\s+)?(?:went\s+up|increased|arrived|"
    r"credited)\s+(?:only\s+)?once\b",
    re.I,
)


def _claimed_usd(raw: str) -> float | None:
    text = raw.lower().replace("us$", "").replace("$", "").replace(",", "")
    multiplier = 1000.0 if re.search(r"\d\s?(?:k|grand|thousand)", text) else 1.0
    number = re.search(r"\d+(?:\.\d+)?", text)
    return float(number.group()) * multiplier if number else None


def spend_claim(text: str) -> Signal | None:
    """``high_value_user`` from the requester's own words about what they spent (1,000 USD or more)."""
    for match in _SPEND_CLAIM.finditer(text):
        usd = _claimed_usd(match.group("amt"))
        if usd is not None and usd >= HIGH_VALUE_USD:
            return make_signal(HIGH_VALUE, text[match.start() : match.end()], 0.8, start=match.start())
    return None


def text_signals(text: str) -> list[Signal]:
    found = [s for s in (spend_claim(text),) if s is not None]
    mismatch = _BALANCE_MISMATCH.search(text)
    if mismatch:
        found.append(make_signal(ANOMALY, mismatch.group(), 0.85, start=mismatch.start()))
    return found


def context_signals(context: RequesterContext) -> list[Signal]:
    """Signals the ledger itself supports; each names the transactions or events behind it."""
    found: list[Signal] = []
    profile = context.profile
    if profile.spend_tier in HIGH_VALUE_TIERS:
        found.append(
            _ledger(
                HIGH_VALUE,
                f"ledger: spend tier {profile.spend_tier}, lifetime spend {profile.lifetime_spend_usd:,.0f} USD",
                0.95,
            )
        )
    anomaly = _anomaly(context)
    if anomaly:
        found.append(_ledger(ANOMALY, anomaly, 0.9))
    takeover = _takeover(context)
    if takeover:
        found.append(_ledger(TAKEOVER, takeover, 0.9))
    return found


def _ledger(code: str, evidence: str, confidence: float) -> Signal:
    return make_signal(code, evidence, confidence, FlagSource.HISTORY)


def _anomaly(context: RequesterContext) -> str | None:
    recharges = [t for t in context.transactions if t.kind is TxKind.RECHARGE]
    for tx in recharges:
        twins = duplicates_of(tx, context)
        if twins and tx.amount is not None:
            amount = f"{tx.amount:,.2f} {tx.currency or ''}".strip()
            return f"ledger: duplicate charge {tx.id} and {twins[0].id}, {amount} within minutes"
    failed = sorted((t for t in recharges if t.status is TxStatus.FAILED), key=lambda t: t.occurred_at)
    for i in range(len(failed) - RAPID_FAILURES + 1):
        window = failed[i : i + RAPID_FAILURES]
        if window[-1].occurred_at - window[0].occurred_at <= FAILED_WINDOW:
            day = f"{window[0].occurred_at:%Y-%m-%d}"
            return f"ledger: {RAPID_FAILURES} failed recharge attempts within 30 minutes ({day})"
    for t in context.transactions:
        if t.kind is TxKind.BALANCE_ADJUSTMENT and not t.related_id:
            return f"ledger: balance changed with no matching transaction ({t.id}, {t.occurred_at:%Y-%m-%d})"
    return None


def _takeover(context: RequesterContext) -> str | None:
    spends = [t for t in context.transactions if t.kind in (TxKind.RECHARGE, TxKind.GIFT_SENT)]
    for event in context.events:
        if event.kind not in CREDENTIAL_EVENTS:
            continue
        after = [t for t in spends if timedelta(0) <= t.occurred_at - event.occurred_at <= TAKEOVER_WINDOW]
        if after:
            first = min(after, key=lambda t: t.occurred_at)
            minutes = int((first.occurred_at - event.occurred_at).total_seconds() // 60)
            amount = f" {first.amount:,.2f} {first.currency or ''}".rstrip() if first.amount is not None else ""
            return (
                f"ledger: {event.kind.value.replace('_', ' ')} at {event.occurred_at:%Y-%m-%d %H:%M} UTC, then "
                f"{first.kind.value.replace('_', ' ')}{amount} ({first.id}) {minutes} min later"
            )
    return None


def merge(signals: list[Signal], extra: Iterable[Signal]) -> list[Signal]:
    """Add ledger and claim signals: a new code is added; ``account_takeover`` from the ledger strengthens the
    model's or a rule's flag (the events become the evidence, the higher confidence wins)."""
    by_code = {s.code: s for s in signals}
    for signal in extra:
        current = by_code.get(signal.code)
        if current is None:
            by_code[signal.code] = signal
        elif signal.code == TAKEOVER and signal.source is FlagSource.HISTORY:
            confidence = min(0.99, max(current.confidence, signal.confidence) + 0.05)
            by_code[signal.code] = replace(signal, confidence=round(confidence, 3))
    return list(by_code.values())
