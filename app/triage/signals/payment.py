"""``payment_anomaly``: repeated failed charges, duplicate charges, unusually large amounts.

Most of this comes from the channel's metadata (``failed_charges``, ``duplicate_charge``, ``amount`` +
``currency``, a ``charges`` list); the text adds "charged three times" and "double charged". Amounts are
converted to USD with fixed, rounded rates: the threshold is a triage hint, not accounting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from app.triage.signals.base import Context, Rule, Signal, as_number, make_meta_signal, scan
from app.triage.signals.patterns import compile_rx
from app.triage.signals.text import sentence_bounds

CODE = "payment_anomaly"
LARGE_AMOUNT_USD = 500.0
REPEATED_FAILURES = 3  # one or two declines are ordinary (an expired card, no funds)

# Rough USD value of one unit; an unknown currency is never called "large".
USD_RATE: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "CAD": 0.73, "AUD": 0.66, "NZD": 0.6, "JPY": 0.0067,
    "KRW": 0.00073, "CNY": 0.14, "HKD": 0.13, "SGD": 0.74, "INR": 0.012, "IDR": 0.000063, "PHP": 0.017,
    "THB": 0.028, "VND": 0.00004, "MYR": 0.21, "BRL": 0.18, "MXN": 0.055, "ARS": 0.0011, "COP": 0.00025,
    "TRY": 0.03, "PLN": 0.25, "SEK": 0.095, "NOK": 0.093, "DKK": 0.145, "ZAR": 0.054, "NGN": 0.00065,
    "EGP": 0.02, "SAR": 0.27, "AED": 0.27, "ILS": 0.27, "RUB": 0.011, "UAH": 0.024, "PKR": 0.0036,
}  # fmt: skip
_FAILED_STATUSES = frozenset({"failed", "declined", "error", "rejected", "refused", "failure"})
_OK_STATUSES = frozenset({"succeeded", "success", "captured", "paid", "settled", "completed", "complete", "approved"})

_IF_WORD = compile_rx(r"\b(?:will|would|did|do|does|if|could|might|won'?t|wont|whether|wondering)\b")


def _asks_whether(text: str, match: re.Match[str]) -> bool:
    """'did I get charged twice or is it just visual?' asks, it does not report a second charge."""
    left, right = sentence_bounds(text, match.start(), match.end())
    return text.startswith("?", right) and _IF_WORD.search(text, left, match.start()) is not None


def _same_amount(text: str, match: re.Match[str]) -> bool:
    """The pack's price and the charge must differ for 'I picked the $9.99 pack and was charged $99.99'."""
    return as_number(match.group("a").replace(",", "")) == as_number(match.group("b").replace(",", ""))


_MONEY = r"(?:\$|€|£)\s?\d[\d,]*(?:\.\d\d)?"

TEXT_RULES: tuple[Rule, ...] = (
    Rule(
        CODE,
        compile_rx(
            r"\b(?:picked|selected|chose|bought|ordered|purchased|tapped|clicked|tried\s+to\s+buy)\s+(?:the\s+|a\s+|an\s+)?"
            r"(?:\$|€|£)\s?(?P<a>\d[\d,]*(?:\.\d\d)?)\s+(?:\w+\s+)?(?:pack|bundle|package|option|offer|coins?|recharge|top-?up)\b"
            r"[^!?\n]{0,120}?\b(?:charged|billed|debited|charge\s+of|shows?|took)\s+(?:me\s+|a\s+charge\s+of\s+)?(?:\$|€|£)\s?"
            r"(?P<b>\d[\d,]*(?:\.\d\d)?)"
        ),
        0.8,
        negatable=False,
        guards=(_same_amount,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:charged|billed|debited|deducted|took|taken)\s+(?:me\s+|my\s+card\s+|us\s+)?"
            + _MONEY
            + r"\s+(?:twice|two\s+times|"
            r"three\s+times|thrice|\d\s*(?:x|times))\b"
            r"|(?:\$|€|£)\s?\d[\d,]*(?:\.\d\d)?\s+(?:twice|two\s+times|three\s+times)\s+(?:for|on)\s+(?:the\s+same|one|a\s+single|"
            r"just\s+one|only\s+one)\b"
            r"|\b(?:two|three|four|five|2|3|4|5)\s+(?:separate\s+|identical\s+)?(?:charges|payments|transactions|debits)\s+of\s+"
            + _MONEY
            + r"\s+each\b"
        ),
        0.85,
        guards=(_asks_whether,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:two|three|four|five|several|multiple|2|3|4|5|6)\s+(?:identical|duplicate|duplicated|same|repeated)\s+"
            r"(?:charges|payments|transactions|debits|deductions|purchases)\b"
        ),
        0.85,
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:charged|billed|debited|deducted|taken|withdrawn|took|pulled|collected)\s+(?:me\s+|my\s+card\s+|my\s+account\s+|us\s+|"
            r"(?:the|my)\s+money\s+|it\s+|payment\s+)?(?:for\s+(?:it\s+|this\s+|"
            r"that\s+|the\s+same\s+\w+\s+)?)?(?:twice|two\s+times|2\s*(?:x|times)|three\s+times|3\s*(?:x|times)|thrice|four\s+times|"
            r"4\s*(?:x|times)|five\s+times|\d+\s+times|multiple\s+times|several\s+times|many\s+times|over\s+and\s+over|"
            r"again\s+and\s+again|more\s+than\s+once|repeatedly|double|triple)\b"
            r"|\b(?:double|triple|duplicate|duplicated|repeat(?:ed)?|multiple)[\s-]?(?:charged|charges?|billed|billing|"
            r"payments?|transactions?|debits?|deductions?)\b"
            r"|\b(?:two|2|three|3|four|4|multiple|several|duplicate|identical)\s+(?:identical\s+|separate\s+)?(?:charges|payments|"
            r"transactions|debits|deductions)\s+(?:for|of)\s+(?:the\s+same|one|a\s+single|the\s+one|just\s+one|only\s+one)\b"
            r"|\b(?:same\s+(?:charge|payment|transaction|purchase))\s+(?:\w+\s+){0,3}?(?:twice|two\s+times|multiple\s+times|again)\b"
        ),
        0.85,
        guards=(_asks_whether,),
    ),
    Rule(
        CODE,
        compile_rx(
            r"\b(?:failed|declined|rejected|bounced)\s+(?:\w+\s+)?(?:\d+|two|three|four|five|six|multiple|several|many|"
            r"a\s+(?:few|bunch\s+of))\s+times\b|\b(?:two|three|four|five|six|multiple|several|many|2|3|4|5|6|7|8|9|10|11|12)\s+(?:failed|declined)\s+"
            r"(?:payments?|charges?|attempts?|transactions?|recharges?|top-?ups?)\b"
        ),
        0.75,
    ),
)


def to_usd(amount: Any, currency: Any) -> float | None:
    """Amount in USD, or None when the amount or the currency is unknown (no currency given means USD)."""
    value = as_number(amount)
    if value is None:
        return None
    code = str(currency).strip().upper() if currency else "USD"
    rate = USD_RATE.get(code)
    return None if rate is None else value * rate


def _charges_findings(charges: list[Any], currency: Any) -> list[Signal]:
    failed = 0
    succeeded: Counter[tuple[float, str]] = Counter()
    largest = 0.0
    for charge in charges:
        if isinstance(charge, Mapping):
            status = str(charge.get("status", "")).strip().lower()
            amount = as_number(charge.get("amount"))
            cur = str(charge.get("currency") or currency or "USD").upper()
        else:
            status, amount, cur = "", as_number(charge), str(currency or "USD").upper()
        if status in _FAILED_STATUSES:
            failed += 1
            continue
        if amount is not None and (not status or status in _OK_STATUSES):
            succeeded[(round(amount, 2), cur)] += 1
            largest = max(largest, to_usd(amount, cur) or 0.0)
    found: list[Signal] = []
    if failed >= REPEATED_FAILURES:
        found.append(make_meta_signal(CODE, f"metadata.charges: {failed} failed charges", 0.85))
    duplicates = [(key, n) for key, n in succeeded.items() if n >= 2]
    if duplicates:
        (amount, cur), n = duplicates[0]
        found.append(make_meta_signal(CODE, f"metadata.charges: {n} identical charges of {amount:g} {cur}", 0.9))
    if largest > LARGE_AMOUNT_USD:
        found.append(make_meta_signal(CODE, f"metadata.charges: a charge of about {largest:.0f} USD", 0.7))
    return found


_NOT_A_CHARGE = compile_rx(
    r"\b(?:withdr[ae]w\w*|payouts?|cash(?:ed)?\s*out|earnings|transfer(?:red)?\s+to\s+my\s+bank|spent\s+(?:\w+\s+){0,3}?on|"
    r"in\s+total|over\s+the\s+(?:last|past)|all\s+together|altogether)\b"
)


def _not_a_single_charge(metadata: Mapping[str, Any], text: str) -> bool:
    """A large ``amount`` is an anomaly for one recharge, not for a withdrawal, a payout or a total spent."""
    kind = str(metadata.get("type") or metadata.get("transaction_type") or "").lower()
    transaction = str(metadata.get("transaction_id") or "").upper()
    return (
        kind in {"withdrawal", "payout", "cashout", "cash_out"}
        or transaction.startswith(("WD", "PO-", "PAYOUT"))
        or _NOT_A_CHARGE.search(text) is not None
    )


def from_metadata(metadata: Mapping[str, Any], text: str = "") -> list[Signal]:
    """Payment anomalies described by the channel's metadata (``text`` says what a large amount was for)."""
    found: list[Signal] = []
    for key in ("failed_charges", "failed_attempts", "declined_charges", "declined_count", "failed_payments"):
        count = as_number(metadata.get(key))
        if count is not None and count >= REPEATED_FAILURES:
            found.append(make_meta_signal(CODE, f"metadata.{key}={count:g}", 0.9))
    duplicate = metadata.get("duplicate_charge")
    if duplicate is True or (
        isinstance(duplicate, int | float | str) and str(duplicate).lower() in {"1", "true", "yes"}
    ):
        found.append(make_meta_signal(CODE, "metadata.duplicate_charge=true", 0.9))
    usd = as_number(metadata.get("amount_usd"))
    if usd is None:
        usd = to_usd(metadata.get("amount"), metadata.get("currency"))
    if usd is not None and usd > LARGE_AMOUNT_USD and not _not_a_single_charge(metadata, text):
        shown = (
            f"{metadata.get('amount')} {metadata.get('currency') or 'USD'}" if "amount" in metadata else f"{usd:g} USD"
        )
        found.append(
            make_meta_signal(CODE, f"metadata.amount={shown} (about {usd:.0f} USD, above {LARGE_AMOUNT_USD:.0f})", 0.7)
        )
    charges = metadata.get("charges")
    if isinstance(charges, list):
        found.extend(_charges_findings(charges, metadata.get("currency")))
    return found


ALL_RULES: tuple[Rule, ...] = TEXT_RULES


def detect(ctx: Context) -> list[Signal]:
    """Payment anomalies from the metadata and the text."""
    return from_metadata(ctx.metadata, ctx.text) + scan(ctx, TEXT_RULES)
