"""``pii_shared`` floor: the requester put a card number, IBAN, e-mail, phone number or SSN in the text.

Shapes are checked, not guessed: a card passes the Luhn check, an IBAN its mod-97 check, a phone has a phone's
shape or a "phone"/"call me" label, and service mailboxes ("support@...") are not the requester's; last four
digits, order ids and dates never match. The evidence is the value itself: treat it as personal data.
"""

from __future__ import annotations

import re

from app.triage.signals.base import Rule
from app.triage.signals.patterns import compile_rx

CODE = "pii_shared"


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _not_an_ssn(text: str, match: re.Match[str]) -> bool:
    area, group, serial = match.group().split("-")
    return area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000"


def _not_a_card(text: str, match: re.Match[str]) -> bool:
    if match.start() and text[match.start() - 1] == "-":
        return True
    digits = re.sub(r"\D", "", match.group())
    return not (13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits))


def _not_an_iban(text: str, match: re.Match[str]) -> bool:
    iban = match.group().replace(" ", "").upper()
    if not 15 <= len(iban) <= 34:
        return True
    return int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97 != 1


_ROLE_MAILBOX = compile_rx(
    r"^(?:no-?reply|do-?not-?reply|support|help|info|admin|security|alerts?|rewards?|billing|service|team|contact|"
    r"notifications?|verify|accounts?|promo|offers?|prize|winner|claims?)@"
)
_SENDER_BEFORE = compile_rx(r"\b(?:from|sender|sent\s+by|by|via)\s*:?\s*[\"'(<]?$")
_LOOKALIKE_DOMAIN = compile_rx(r"@(?:[\w-]+\.)*(?:streamnest-[\w-]+|sn-[\w-]+|[\w-]+-streamnest)\.")


def _not_the_requesters_email(text: str, match: re.Match[str]) -> bool:
    """A service mailbox, a quoted sender ('an email from x@y') or a scam lookalike domain."""
    return (
        _ROLE_MAILBOX.match(match.group()) is not None
        or _SENDER_BEFORE.search(text, max(0, match.start() - 14), match.start()) is not None
        or _LOOKALIKE_DOMAIN.search(match.group()) is not None
    )


_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_MORE_DIGITS_AFTER = re.compile(r"[\s.-]?\d")
_MORE_DIGITS_BEFORE = re.compile(r"\d[\s.-]?$")


def _not_a_phone(text: str, match: re.Match[str]) -> bool:
    """Too few or too many digits, a date, or a phone-shaped piece of a longer number (a card, an order id)."""
    start, end = match.span("ev") if match.group("ev") is not None else match.span()
    value = text[start:end]
    digits = len(re.sub(r"\D", "", value))
    longer = _MORE_DIGITS_AFTER.match(text, end) or _MORE_DIGITS_BEFORE.search(text, max(0, start - 2), start)
    return not 7 <= digits <= 15 or _DATE_LIKE.match(value) is not None or longer is not None


_CARD = compile_rx(r"(?:\d[ -]?){12,18}\d(?![\d-])")
_SSN = compile_rx(r"\d{3}-\d{2}-\d{4}\b")
_IBAN = compile_rx(r"[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,4})?\b")
_EMAIL = compile_rx(r"[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
# A phone's shape: an international "+", an area code in brackets, a trunk "0", or the US 3-3-4 with dashes or dots.
_PHONE = compile_rx(
    r"(?P<ev>(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)\s?)?|\(\d{1,4}\)\s?|0)\d{1,5}(?:[\s.-]\d{2,5}){0,4})(?![\w-])"
    r"|\d{3}[.-]\d{3}[.-]\d{4}(?![\w-])"
)
_PHONE_LABELLED = compile_rx(
    r"\b(?:(?:phone|mobile|cell)(?:\s+(?:number|no\.?|#))?|tel|telephone|whatsapp|call\s+me|text\s+me|reach\s+me)\b"
    r"[^\d\n]{0,15}(?P<ev>\+?\d[\d\s().-]{5,16}\d)"
)


def _not_a_formatted_phone(text: str, match: re.Match[str]) -> bool:
    """Without a label a phone needs eight digits or more and must not follow a word, "+" or "." ("v1.234-567")."""
    before = text[match.start() - 1 : match.start()] if match.start() else " "
    return (
        _not_a_phone(text, match) or len(re.sub(r"\D", "", match.group())) < 8 or before.isalnum() or before in "+.-_"
    )


ALL_RULES: tuple[Rule, ...] = (
    Rule("pii.card", CODE, _CARD, 0.95, negatable=False, guards=(_not_a_card,)),
    Rule("pii.ssn", CODE, _SSN, 0.9, negatable=False, guards=(_not_an_ssn,)),
    Rule("pii.iban", CODE, _IBAN, 0.9, negatable=False, guards=(_not_an_iban,)),
    Rule("pii.email", CODE, _EMAIL, 0.85, negatable=False, guards=(_not_the_requesters_email,)),
    Rule("pii.phone", CODE, _PHONE, 0.7, negatable=False, guards=(_not_a_formatted_phone,)),
    Rule("pii.phone_labelled", CODE, _PHONE_LABELLED, 0.7, negatable=False, guards=(_not_a_phone,)),
)
