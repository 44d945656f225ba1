"""High, medium and info flags from text: positives and hard negatives from the corpus."""

from __future__ import annotations

import pytest

from app.triage.signals import detect_signals
from tests.triage.signals import corpus, corpus_holdout

POSITIVES = (
    [(flag, text) for flag, texts in corpus.OTHER_POSITIVES.items() for text in texts]
    + [
        (flag, text)
        for flag, texts in {
            "account_takeover": corpus_holdout.ACCOUNT_TAKEOVER,
            "fraud_scam": corpus_holdout.FRAUD_SCAM,
            "prompt_injection": corpus_holdout.INJECTION,
        }.items()
        for text in texts
    ]
    + [(flag, text) for flag, texts in corpus_holdout.OTHER_MORE_POSITIVES.items() for text in texts]
)
NEGATIVES = (
    [(flag, text) for flag, texts in corpus.OTHER_NEGATIVES.items() for text in texts]
    + [
        (flag, text)
        for flag, texts in {
            "account_takeover": corpus_holdout.ACCOUNT_TAKEOVER_NEGATIVES,
            "fraud_scam": corpus_holdout.FRAUD_SCAM_NEGATIVES,
            "prompt_injection": corpus_holdout.INJECTION_NEGATIVES,
        }.items()
        for text in texts
    ]
    + [(flag, text) for flag, texts in corpus_holdout.OTHER_MORE_NEGATIVES.items() for text in texts]
)


@pytest.mark.parametrize(("flag", "text"), POSITIVES)
def test_positive(flag: str, text: str) -> None:
    assert flag in {s.code for s in detect_signals(text)}


@pytest.mark.parametrize(("flag", "text"), NEGATIVES)
def test_negative(flag: str, text: str) -> None:
    assert flag not in {s.code for s in detect_signals(text)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("There's a payment on my card I didn't make", "fraud_scam"),
        ("Someone has been using my card without my permission", "fraud_scam"),
        ("There are coin purchases on my account that I never made", "account_takeover"),
        ("Gifts were sent from my profile while I was asleep, I didn't send them", "account_takeover"),
    ],
)
def test_unrecognised_transactions_route_by_context(text: str, code: str) -> None:
    """Card and bank wording means card fraud; the StreamNest account means someone else is in it."""
    found = {s.code for s in detect_signals(text)}
    assert code in found


@pytest.mark.parametrize(
    "text",
    [
        "I got this text, is it you? URGENT! You have won a £1000 prize. Call 09061790125 now to claim. T&C apply",
        "Received this SMS: FREE entry to win 5000 coins! Txt WIN to 87121 now, 150p/msg, 18+",
        "Is this from you guys? 'Your account will be suspended, verify your password at streamnest-login.xyz'",
    ],
)
def test_forwarded_scam_texts_are_scam_reports(text: str) -> None:
    assert "fraud_scam" in {s.code for s in detect_signals(text)}


@pytest.mark.parametrize(
    "text",
    [
        "I got this text, is it you? Hey, are we still on for dinner at 7?",
        "Received this SMS today: your parcel was delivered to the front desk, thanks",
        "Is this message from you guys? It says my payout was processed on Monday",
    ],
)
def test_forwarded_ordinary_texts_are_not_scams(text: str) -> None:
    assert "fraud_scam" not in {s.code for s in detect_signals(text)}
