"""Critical flags on hand-written positives and hard negatives; the aggregate targets are checked too."""

from __future__ import annotations

import pytest

from app.taxonomy import CRITICAL_FLAGS
from app.triage.signals import detect_signals
from tests.triage.signals import corpus, corpus_holdout

POSITIVES: list[tuple[str, str]] = [
    (flag, text)
    for group in (
        corpus.CRITICAL_POSITIVES,
        corpus_holdout.MORE_POSITIVES,
        {
            "self_harm": corpus_holdout.SELF_HARM,
            "violence_threat": corpus_holdout.VIOLENCE,
            "minor_safety": corpus_holdout.MINOR_SAFETY,
            "extortion": corpus_holdout.EXTORTION,
        },
    )
    for flag, texts in group.items()
    for text in texts
]
NEGATIVES: list[tuple[str, str]] = [
    (flag, text)
    for group in (
        corpus.CRITICAL_NEGATIVES,
        corpus_holdout.MORE_NEGATIVES,
        {
            "self_harm": corpus_holdout.SELF_HARM_NEGATIVES,
            "violence_threat": corpus_holdout.VIOLENCE_NEGATIVES,
            "minor_safety": corpus_holdout.MINOR_NEGATIVES,
            "extortion": corpus_holdout.EXTORTION_NEGATIVES,
        },
    )
    for flag, texts in group.items()
    for text in texts
]


def codes(text: str) -> set[str]:
    return {s.code for s in detect_signals(text)}


@pytest.mark.parametrize(("flag", "text"), POSITIVES)
def test_positive_raises_its_critical_flag(flag: str, text: str) -> None:
    assert flag in codes(text)


@pytest.mark.parametrize(("flag", "text"), NEGATIVES)
def test_hard_negative_raises_no_critical_flag(flag: str, text: str) -> None:
    assert not codes(text) & CRITICAL_FLAGS


def test_aggregate_targets_on_the_corpus() -> None:
    """Recall >= 0.95 per critical flag, precision >= 0.80, hard-negative false-positive rate <= 2%."""
    true_pos = false_pos = 0
    for flag in CRITICAL_FLAGS:
        texts = [t for f, t in POSITIVES if f == flag]
        hits = sum(flag in codes(t) for t in texts)
        assert hits / len(texts) >= 0.95, flag
        true_pos += hits
    for _flag, text in POSITIVES:
        false_pos += len(codes(text) & CRITICAL_FLAGS) - bool(codes(text) & CRITICAL_FLAGS)
    flagged_negatives = sum(bool(codes(t) & CRITICAL_FLAGS) for _f, t in NEGATIVES)
    false_pos += flagged_negatives
    assert true_pos / (true_pos + false_pos) >= 0.80
    assert flagged_negatives / len(NEGATIVES) <= 0.02


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ('He wrote to me: "pay 300 dollars or I send your nudes to your family"', "extortion"),
        ("I got this DM: 'I know where you live and I'm coming tonight'", "violence_threat"),
        ("A streamer said he'd kill himself on LIVE", "self_harm"),
        ("my viewer told me 'i want to end it all' and logged off", "self_harm"),
    ],
)
def test_quoted_and_reported_danger_is_still_flagged(text: str, flag: str) -> None:
    """Quoting a threat someone sent, or reporting what a third party said, is still a dangerous case."""
    assert flag in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself",
        "I'm not suicidal",
        "no one threatened me",
        "I'm going to kill this boss",
        "this lag is killing me",
        "that stream was fire",
        "I could murder a pizza",
        "my streak got hacked lol how do I hack my streak",
    ],
)
def test_brief_examples_of_context(text: str) -> None:
    found = codes(text)
    assert not found & CRITICAL_FLAGS
    assert "account_takeover" not in found
