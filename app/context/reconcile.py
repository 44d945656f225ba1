"""Which transaction a money complaint is about, and what happened to it.

The message's amounts, dates and ids (order, provider reference, transaction id) are matched against the
requester's recent transactions; a complaint with none of them ("I paid but got no coins") matches the newest
transaction of the kind it talks about that did not simply go through. The outcome is computed from the ledger,
never from the text: charged and credited, charged and not credited, not charged, credited to another account,
refunded, reversed by a chargeback, charged twice, a gift delivered, a payout paid or on hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.context.schemas import RequesterContext, Transaction, TxKind, TxStatus

_AMOUNT = re.compile(
    r"(?:US\$|R\$|\$|€|£)\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(?:usd|eur|brl|gbp|dollars?)\b", re.I
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(_MONTHS) + r")[a-z]*\b", re.I)
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_KIND_WORDS: dict[TxKind, re.Pattern[str]] = {
    TxKind.RECHARGE: re.compile(r"\b(?:coins?|recharg\w*|top[\s-]?up|bought|purchas\w*|paid|charged|card)\b", re.I),
    TxKind.GIFT_SENT: re.compile(r"\bgift\w*\b|\bsent\b.*\blive\b", re.I),
    TxKind.PAYOUT: re.compile(r"\b(?:payout|withdraw\w*|cash[\s-]?out|paypal|bank transfer)\b", re.I),
    TxKind.DIAMOND_EARNING: re.compile(r"\bdiamonds?\b", re.I),
}
_SETTLED = frozenset({TxStatus.COMPLETED})
DUPLICATE_WINDOW = timedelta(minutes=10)


class Outcome:
    CHARGED_AND_CREDITED = "charged_and_credited"
    CHARGED_NOT_CREDITED = "charged_not_credited"
    NOT_CHARGED = "not_charged"
    PENDING = "pending"
    CREDITED_TO_ANOTHER_ACCOUNT = "credited_to_another_account"
    REFUNDED = "refunded"
    REVERSED_BY_CHARGEBACK = "reversed_by_chargeback"
    CHARGED_TWICE = "charged_twice"
    GIFT_DELIVERED = "gift_delivered"
    PAYOUT_PAID = "payout_paid"
    PAYOUT_ON_HOLD = "payout_on_hold"
    PAYOUT_PENDING = "payout_pending"
    RECORDED = "recorded"


@dataclass(frozen=True)
class Finding:
    """The transaction the message is about, what happened to it, and why we think it is that one."""

    transaction: Transaction
    outcome: str
    matched_on: tuple[str, ...]
    related: tuple[Transaction, ...] = ()

    @property
    def citation(self) -> str:
        return f"ledger:{self.transaction.id}"


def amounts_in(text: str) -> set[float]:
    found: set[float] = set()
    for m in _AMOUNT.finditer(text):
        raw = (m.group(1) or m.group(2) or "").replace(",", "")
        try:
            found.add(round(float(raw), 2))
        except ValueError:
            continue
    return found


def dates_in(text: str, *, year: int) -> set[date]:
    found: set[date] = set()
    for m in _ISO_DATE.finditer(text):
        found |= _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _DAY_MONTH.finditer(text):
        found |= _safe_date(year, _MONTHS.index(m.group(2)[:3].lower()) + 1, int(m.group(1)))
    for m in _MONTH_DAY.finditer(text):
        found |= _safe_date(year, _MONTHS.index(m.group(1)[:3].lower()) + 1, int(m.group(2)))
    return found


def _safe_date(y: int, mo: int, d: int) -> set[date]:
    try:
        return {date(y, mo, d)}
    except ValueError:
        return set()


def reconcile(text: str, context: RequesterContext, now: datetime) -> Finding | None:
    """The transaction ``text`` is about and its outcome; None when nothing in the ledger fits."""
    txs = [t for t in context.transactions if t.kind not in (TxKind.REFUND, TxKind.CHARGEBACK)]
    if not txs:
        return None
    amounts, days = amounts_in(text), dates_in(text, year=now.year)
    lowered = text.lower()
    kinds = {k for k, rx in _KIND_WORDS.items() if rx.search(text)}
    best: tuple[int, datetime, Transaction, tuple[str, ...]] | None = None
    for tx in txs:
        score, why = 0, list[str]()
        ids = [v for v in (tx.id, tx.order_id, tx.provider_ref) if v]
        if any(v.lower() in lowered for v in ids):
            score, why = score + 10, [*why, "reference"]
        if tx.amount is not None and round(tx.amount, 2) in amounts:
            score, why = score + 4, [*why, "amount"]
        if any(abs((tx.occurred_at.date() - d).days) <= 1 for d in days):
            score, why = score + 3, [*why, "date"]
        if tx.kind in kinds:
            score, why = score + 2, [*why, "kind"]
        if tx.status not in _SETTLED or tx.kind is TxKind.PAYOUT:
            score += 1  # a complaint is more likely about what did not simply go through
        if (now - tx.occurred_at) > timedelta(days=90):
            score -= 2
        if score >= 3 and (best is None or (score, tx.occurred_at) > (best[0], best[1])):
            best = (score, tx.occurred_at, tx, tuple(why))
    if best is None:
        return None
    tx = best[2]
    outcome, related = _outcome(tx, context)
    return Finding(transaction=tx, outcome=outcome, matched_on=best[3], related=related)


def _outcome(tx: Transaction, context: RequesterContext) -> tuple[str, tuple[Transaction, ...]]:
    after = [t for t in context.transactions if t.related_id == tx.id]
    chargeback = [t for t in after if t.kind is TxKind.CHARGEBACK]
    refund = [t for t in after if t.kind is TxKind.REFUND]
    if tx.kind is TxKind.PAYOUT:
        status = {TxStatus.COMPLETED: Outcome.PAYOUT_PAID, TxStatus.ON_HOLD: Outcome.PAYOUT_ON_HOLD}
        return status.get(tx.status, Outcome.PAYOUT_PENDING), ()
    if tx.kind is TxKind.GIFT_SENT:
        return (Outcome.GIFT_DELIVERED if tx.status is TxStatus.COMPLETED else Outcome.RECORDED), ()
    if tx.kind is not TxKind.RECHARGE:
        return Outcome.RECORDED, ()
    if chargeback or tx.status is TxStatus.REVERSED:
        return Outcome.REVERSED_BY_CHARGEBACK, tuple(chargeback)
    if refund or tx.status is TxStatus.REFUNDED:
        return Outcome.REFUNDED, tuple(refund)
    if tx.status is TxStatus.FAILED:
        return Outcome.NOT_CHARGED, ()
    if tx.status is TxStatus.PENDING:
        return Outcome.PENDING, ()
    if tx.status is TxStatus.CHARGED_NOT_CREDITED:
        return Outcome.CHARGED_NOT_CREDITED, ()
    if tx.credited_to and tx.credited_to != context.profile.requester_id:
        return Outcome.CREDITED_TO_ANOTHER_ACCOUNT, ()
    twins = duplicates_of(tx, context)
    if twins:
        return Outcome.CHARGED_TWICE, twins
    return Outcome.CHARGED_AND_CREDITED, ()


def duplicates_of(tx: Transaction, context: RequesterContext) -> tuple[Transaction, ...]:
    """Other settled recharges of the same amount within ten minutes of ``tx``: a duplicate charge."""
    return tuple(
        t
        for t in context.transactions
        if t.id != tx.id
        and t.kind is TxKind.RECHARGE
        and t.status in (TxStatus.COMPLETED, TxStatus.CHARGED_NOT_CREDITED)
        and t.amount == tx.amount
        and abs(t.occurred_at - tx.occurred_at) <= DUPLICATE_WINDOW
    )
