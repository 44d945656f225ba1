"""Text helpers: normalisation keeps offsets, negation scope, quoting, and the regex machinery."""

from __future__ import annotations

import pytest

from app.triage.signals.base import Context
from app.triage.signals.patterns import WS, leading_literals, strip_leading_boundaries
from app.triage.signals.spam import forward_frame
from app.triage.signals.text import fold, is_negated, normalize


def test_normalize_and_fold_keep_length() -> None:
    text = "I’m “fine” — İstanbul"
    assert len(normalize(text)) == len(text)
    assert len(fold(normalize(text))) == len(text)
    assert normalize("don’t") == "don't"


@pytest.mark.parametrize(
    ("text", "target", "negated"),
    [
        ("i would never hurt myself", "hurt", True),
        ("i'm not suicidal", "suicidal", True),
        ("no one threatened me", "threatened", True),
        ("i'm not ok, i want to die", "want", False),
        ("not gonna lie i want to die", "want", False),
        ("if you don't unban me i will come to your office", "come", False),
        ("nobody would miss me if i killed myself", "killed", False),
        ("i can't stop thinking about killing myself", "killing", False),
    ],
)
def test_negation_scope(text: str, target: str, negated: bool) -> None:
    assert is_negated(text, text.index(target)) is negated


@pytest.mark.parametrize(
    "text",
    ["i got this text, is it you? win now", "received this sms: claim", "is this message from you guys? x"],
)
def test_forward_frames(text: str) -> None:
    assert forward_frame(Context.build(text)) is not None


def test_forward_frame_ignores_ordinary_mentions() -> None:
    assert forward_frame(Context.build("the account is the one this email is linked to")) is None


def test_strip_leading_boundaries_only_touches_top_level() -> None:
    assert strip_leading_boundaries(r"\bfoo|\bbar(?:\bx|y)|[|]") == r"foo|bar(?:\bx|y)|[|]"


def test_leading_literals() -> None:
    assert leading_literals(r"(?:payments?|charges?)\s+x") == {
        f"payment{WS}x",
        f"payments{WS}x",
        f"charge{WS}x",
        f"charges{WS}x",
    }
    assert leading_literals(r"(?:my\s+)?email") == {f"my{WS}email", "email"}
    assert leading_literals(r"\w+ing") is None
    assert leading_literals(r"(?:^|[.!?])act") is None
