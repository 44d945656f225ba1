"""The critical-flag model catches critical meaning worded in ways no rule lists, and leaves look-alikes alone.

The sentences here are in neither the model's training examples nor the eval sets.
"""

from __future__ import annotations

import pytest

from app.taxonomy import CRITICAL_FLAGS
from app.triage.flag_model import CriticalFlagModel, load_flag_examples


@pytest.mark.parametrize(
    ("message", "flag"),
    [
        (
            "hey support. i have said goodbye to everyone i care about and tonight i stop being a burden to them.",
            "self_harm",
        ),
        (
            "a grown man in my daughters live keeps asking her to switch to a private app and send him selfies, she "
            "is 12",
            "minor_safety",
        ),
        (
            "this guy says if i dont send him 300 dollars he will post my private videos to all my followers",
            "extortion",
        ),
        (
            "I know your office address. Next time you ban me I am coming there and somebody gets hurt.",
            "violence_threat",
        ),
    ],
)
def test_critical_meaning_is_flagged_with_the_sentence_as_evidence(
    flag_model: CriticalFlagModel, message: str, flag: str
) -> None:
    signals = {s.code: s for s in flag_model.detect(message)}
    assert flag in signals
    assert signals[flag].evidence in message and signals[flag].severity.value == "critical"


@pytest.mark.parametrize(
    "message",
    [
        "Thanks for the quick help yesterday! That raid boss destroyed us lol, gonna kill him next time we stream.",
        "My coins did not arrive after I paid, please check my balance.",
        "my kid wants to start streaming, what is the minimum age?",
    ],
)
def test_look_alikes_and_ordinary_requests_raise_nothing(flag_model: CriticalFlagModel, message: str) -> None:
    assert flag_model.detect(message) == []


def test_the_shipped_examples_cover_every_critical_flag_with_negatives() -> None:
    examples = load_flag_examples()
    flags = {e.flag for e in examples}
    assert flags == {*CRITICAL_FLAGS, None}
    assert all(sum(e.flag == f for e in examples) >= 40 for f in flags)
