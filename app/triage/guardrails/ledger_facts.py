"""A reply may state an amount, a date or a transaction status only if the conversation, the requester's ledger
context or the knowledge base holds it: a draft that says "your $49.99 recharge on 2 December was refunded"
with none of that anywhere is inventing money facts, and is blocked until a specialist edits it."""

from __future__ import annotations

import re
from datetime import date

from app.context.reconcile import amounts_in, dates_in
from app.triage.guardrails.findings import Finding

# A statement that a transaction ended a certain way; the status word is what must be grounded.
_STATUS = re.compile(
    r"\b(?:payment|recharge|purchase|charge|order|payout|withdrawal|transaction|gift|coins?)\b[^.!?\n]{0,60}?"
    r"\b(?:was|were|is|has been|have been|got)\s+(?:not\s+)?(?P<s>refunded|reversed|failed|declined|credited|charged "
    r"back|charged|delivered|paid|on hold|pending|completed)\b",
    re.I,
)
_STATUS_WORDS = {
    "refunded": ("refund",),
    "reversed": ("revers", "chargeback", "charged back"),
    "charged back": ("chargeback", "charged back", "revers"),
    "failed": ("fail", "declin"),
    "declined": ("declin", "fail"),
    "credited": ("credit", "complet"),
    "charged": ("charg", "complet", "paid"),
    "delivered": ("deliver", "complet"),
    "paid": ("paid", "complet", "charg"),
    "on hold": ("hold",),
    "pending": ("pending",),
    "completed": ("complet",),
}


def check_transaction_facts(reply: str, *, conversation: str, context: str, knowledge: str, year: int) -> list[Finding]:
    """Blocking findings for each amount, date and status in ``reply`` that no source supports."""
    sources = "\n".join([conversation, context, knowledge])
    findings: list[Finding] = []
    loose = sorted(a for a in amounts_in(reply) if a not in amounts_in(sources) and not _coin_count(a, sources))
    if loose:
        shown = ", ".join(f"{a:,.2f}" for a in loose[:4])
        findings.append(
            Finding(
                "unsupported_amount",
                f"the reply states amount(s) {shown} found in neither the conversation nor the requester's ledger",
                True,
            )
        )
    known_days: set[date] = dates_in(sources, year=year)
    loose_days = sorted(d for d in dates_in(reply, year=year) if d not in known_days)
    if loose_days:
        findings.append(
            Finding(
                "unsupported_date",
                "the reply states date(s) "
                + ", ".join(d.isoformat() for d in loose_days[:4])
                + " found in neither the conversation nor the requester's ledger",
                True,
            )
        )
    lowered = sources.lower()
    for match in _STATUS.finditer(reply):
        word = match.group("s").lower()
        if not any(stem in lowered for stem in _STATUS_WORDS.get(word, (word,))):
            findings.append(
                Finding(
                    "unsupported_status",
                    f"the reply says a transaction {word!r}, which neither the conversation nor the ledger shows",
                    True,
                )
            )
            break
    return findings


def _coin_count(value: float, sources: str) -> bool:
    """A bare number of coins the sources mention ("1,000 coins") is not a money amount."""
    whole = f"{value:,.0f}"
    return value.is_integer() and (whole in sources or f"{value:.0f}" in sources)
