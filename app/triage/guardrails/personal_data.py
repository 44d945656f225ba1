"""A draft must not contain personal data that the conversation did not bring: no invented phone numbers, no
e-mail addresses smuggled in by injected text, no card number from another case.

Values are compared in a canonical form (digits only for numbers, lower case for e-mails), so a phone number
the requester wrote as "(555) 010-2233" may come back as "555-010-2233". Support contacts written in a cited
article are allowed too.
"""

from __future__ import annotations

import re

from app.triage.guardrails.findings import Finding
from app.triage.redaction import find_pii

_NUMERIC = {"CARD", "PHONE", "SSN", "IBAN"}
_NAMES = {
    "EMAIL": "an e-mail address",
    "CARD": "a card number",
    "PHONE": "a phone number",
    "SSN": "a social security number",
    "IP": "an IP address",
    "IBAN": "a bank account number",
    "ADDRESS": "a postal address",
}


def _canonical(kind: str, value: str) -> str:
    if kind in _NUMERIC:
        return re.sub(r"\D", "", value)
    return " ".join(value.lower().split())


def _masked(value: str) -> str:
    """Enough of the value for the specialist to find it in the draft, not enough to copy it from a log."""
    return value[:2] + "…" + value[-2:] if len(value) > 6 else "…"


def check_personal_data(reply: str, conversation: str, knowledge_text: str) -> list[Finding]:
    known = {(s.kind, _canonical(s.kind, s.text)) for s in find_pii(conversation + "\n" + knowledge_text)}
    known_digits = re.sub(r"\D", "", conversation)
    findings: list[Finding] = []
    for span in find_pii(reply):
        value = _canonical(span.kind, span.text)
        if (span.kind, value) in known or (span.kind in _NUMERIC and len(value) >= 6 and value in known_digits):
            continue
        findings.append(
            Finding(
                "pii_not_in_conversation",
                f"the reply contains {_NAMES.get(span.kind, 'personal data')} ({_masked(span.text)}) that is not "
                "in the conversation or a cited article",
                True,
            )
        )
    return findings
