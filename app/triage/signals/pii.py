"""``pii_shared``: the requester put a card number, e-mail, phone number, SSN or IBAN in the text.

The evidence is the matched value itself, as the contract asks; whoever logs or shows signals must treat the
evidence of this flag as personal data (redaction lives in ``app/triage``, not here).
"""

from __future__ import annotations

import re

from app.triage.signals.base import Context, Signal, make_signal
from app.triage.signals.patterns import compile_rx

CODE = "pii_shared"

_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_SSN_LABELLED = compile_rx(r"\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#)?\s*(\d{9})\b")
# Shapes a phone number has and a date or an order number does not: an international "+", an area code in
# brackets, a leading trunk "0", or the US 3-3-4 with dashes or dots.
_PHONE_FORMATTED = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)\s?)?|\(\d{1,4}\)\s?|0)\d{1,5}(?:[\s.-]\d{2,5}){0,4}(?![\w-])"
    r"|(?<![\w+.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w-])"
)
_PHONE_LABELLED = compile_rx(
    r"\b(?:phone|mobile|cell|tel|telephone|whatsapp|number|call\s+me|text\s+me|reach\s+me|direct\s+line|phone\s+line|"
    r"contact\s+me)\b[^\d\n]{0,15}(\+?\d[\d\s().-]{5,16}\d)"
)
_TAX_ID = compile_rx(
    r"\b(?:ein|tin|itin|tax\s+(?:id|number)|vat\s+(?:id|number)|employer\s+identification\s+number)\b[^\d\n]{0,12}"
    r"(\d{2}-?\d{7})(?![\d-])"
)
_ADDRESS_CONTEXT = compile_rx(r"\b(?:address|live\s+at|lives\s+at|ship(?:ping)?\s+to|mail\s+(?:it\s+)?to|moved\s+to)\b")
_STREET = compile_rx(
    r"\b\d{1,5}\s+(?:[a-z]+\s+){1,3}(?:street|st|avenue|ave|road|rd|court|ct|lane|ln|drive|dr|boulevard|blvd|way|place|"
    r"pl|terrace|close|crescent|parkway|pkwy|square|sq|highway|hwy)\b\.?(?:,?\s+(?:apt|unit|suite|flat)\.?\s*\w+)?"
)
# Case matters here (a name follows), so this one runs on the original text.
_NAME_ON_CARD = re.compile(r"\b[Nn]ame\s+on\s+(?:the\s+|my\s+)?card\s*(?:is|:|=|-)?\s*[A-Z][a-z]+")
# Addresses that belong to a service or a sender, not to the requester ("an email from rewards@...").
_ROLE_MAILBOX = compile_rx(
    r"^(?:no-?reply|do-?not-?reply|support|help|info|admin|security|alerts?|rewards?|billing|service|team|contact|"
    r"notifications?|news|hello|verify|account|accounts|promo|offers?|prize|winner|claims?)@"
)
_SENDER_BEFORE = compile_rx(r"\b(?:from|sender|sent\s+by|by|via)\s*:?\s*[\"'(<]?$")
_LOOKALIKE_DOMAIN = compile_rx(r"@(?:[\w-]+\.)*(?:streamnest-[\w-]+|sn-[\w-]+|[\w-]+-streamnest)\.")
_IBAN = compile_rx(r"\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,4})?\b")
# Candidate stretches of digits; the exact patterns above only run inside them (a whole-text scan is slow).
_DIGIT_RUN = compile_rx(r"\d[\d ().+/-]{6,}\d")
_MORE_DIGITS_AFTER = re.compile(r"[\s.-]?\d")
_MORE_DIGITS_BEFORE = re.compile(r"\d[\s.-]?$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _iban_valid(raw: str) -> bool:
    iban = raw.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _runs(text: str) -> list[tuple[int, int]]:
    return [(max(0, m.start() - 2), min(len(text), m.end() + 1)) for m in _DIGIT_RUN.finditer(text)]


def _find_card(text: str, runs: list[tuple[int, int]]) -> tuple[int, int] | None:
    for lo, hi in runs:
        for match in _CARD.finditer(text, lo, hi):
            digits = re.sub(r"\D", "", match.group())
            if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits):
                return match.span()
    return None


def _find_phone(text: str, runs: list[tuple[int, int]]) -> tuple[int, int] | None:
    for lo, hi in runs:
        for match in _PHONE_FORMATTED.finditer(text, lo, hi):
            digits = re.sub(r"\D", "", match.group())
            # A phone-shaped piece of a longer number (a card, an order id) is not a phone number.
            longer = _MORE_DIGITS_AFTER.match(text, match.end()) or _MORE_DIGITS_BEFORE.search(
                text[max(0, match.start() - 2) : match.start()]
            )
            if 8 <= len(digits) <= 15 and not _DATE_LIKE.match(match.group()) and not longer:
                return match.span()
    for lo, hi in runs:
        labelled = _PHONE_LABELLED.search(text, max(0, lo - 30), hi)
        if labelled and 7 <= len(re.sub(r"\D", "", labelled.group(1))) <= 15:
            return labelled.span(1)
    return None


def _emails(text: str) -> list[re.Match[str]]:
    """E-mail addresses, looked for only around each "@" (a whole-text scan is slow)."""
    found: list[re.Match[str]] = []
    at = text.find("@")
    while at != -1:
        match = _EMAIL.search(text, max(0, at - 64), at + 256)
        if match is not None and match.start() <= at < match.end():
            found.append(match)
            at = text.find("@", match.end())
        else:
            at = text.find("@", at + 1)
    return found


def _find_email(text: str) -> tuple[int, int] | None:
    """The first address that looks like the requester's own (not a service mailbox or a quoted sender)."""
    for match in _emails(text):
        before = text[max(0, match.start() - 14) : match.start()]
        if (
            _ROLE_MAILBOX.match(match.group())
            or _SENDER_BEFORE.search(before)
            or _LOOKALIKE_DOMAIN.search(match.group())
        ):
            continue
        return match.span()
    return None


_ADDRESS_CUES = ("address", "live", "ship", "mail", "moved")


def _find_other(ctx: Context, runs: list[tuple[int, int]], digits: int) -> list[tuple[tuple[int, int], float]]:
    """Tax ids, street addresses and the name on a card: rarer, so checked only when their cue is there."""
    text = ctx.text
    found: list[tuple[tuple[int, int], float]] = []
    tax = next((m for lo, hi in runs if (m := _TAX_ID.search(text, max(0, lo - 60), hi))), None)
    if tax:
        found.append((tax.span(1), 0.85))
    if digits and any(cue in text for cue in _ADDRESS_CUES) and _ADDRESS_CONTEXT.search(text):
        street = _STREET.search(text)
        if street:
            found.append((street.span(), 0.7))
    if "card" in text:
        name = _NAME_ON_CARD.search(ctx.original)
        if name:
            found.append((name.span(), 0.6))
    return found


def detect(ctx: Context) -> list[Signal]:
    """The personal data found, most sensitive kind first (card, SSN, IBAN, e-mail, phone); one of each kind."""
    text = ctx.text
    digits = sum(text.count(d) for d in "0123456789")
    runs = _runs(text) if digits >= 7 else []
    found: list[tuple[tuple[int, int], float]] = []
    card = _find_card(text, runs) if digits >= 13 else None
    if card:
        found.append((card, 0.95))
    if digits >= 9:
        ssn = next((m for lo, hi in runs if (m := _SSN.search(text, lo, hi))), None) if "-" in text else None
        if ssn:
            found.append((ssn.span(), 0.9))
        labelled = _SSN_LABELLED.search(text) if ("ssn" in text or "social" in text) else None
        if labelled:
            found.append((labelled.span(1), 0.9))
    if digits >= 10 and runs:
        iban = next((m for m in _IBAN.finditer(text, max(0, runs[0][0] - 40)) if _iban_valid(m.group().upper())), None)
        if iban:
            found.append((iban.span(), 0.9))
    email = _find_email(text) if "@" in text else None
    if email:
        found.append((email, 0.85))
    phone = _find_phone(text, runs) if runs else None
    if phone and not (card and card[0] <= phone[0] < card[1]):
        found.append((phone, 0.7))
    found.extend(_find_other(ctx, runs, digits))
    return [make_signal(CODE, ctx.original, s, e, c) for (s, e), c in found]
