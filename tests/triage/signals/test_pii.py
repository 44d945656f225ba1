"""Personal data in the text: cards (Luhn-checked), e-mails, phone numbers, SSNs, IBANs."""

from __future__ import annotations

import pytest

from app.triage.signals import detect_signals
from app.triage.signals.pii import luhn_valid


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("my card is 4111 1111 1111 1111 exp 12/25", "4111 1111 1111 1111"),
        ("card 5500-0000-0000-0004 was charged", "5500-0000-0000-0004"),
        ("write to dana.lee@example.com please", "dana.lee@example.com"),
        ("call me at +1 415-555-0134 after 5", "+1 415-555-0134"),
        ("my phone number is 07700900123", "07700900123"),
        ("SSN 123-45-6789", "123-45-6789"),
        ("IBAN DE89 3704 0044 0532 0130 00 for the payout", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_pii_is_found_with_exact_evidence(text: str, evidence: str) -> None:
    signal = next(s for s in detect_signals(text) if s.code == "pii_shared")
    assert signal.evidence == evidence
    assert text[signal.start : signal.end] == evidence


@pytest.mark.parametrize(
    "text",
    [
        "transaction 4111 1111 1111 1112 failed",
        "order 12345678 on 2024-01-02",
        "I bought 1,000 coins for 19.99 on 03/04/2024",
        "my user id is 000-00-0000",
    ],
)
def test_numbers_that_are_not_pii(text: str) -> None:
    assert "pii_shared" not in {s.code for s in detect_signals(text)}


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
