"""Flags from structured data: channel metadata and the sender's history, their thresholds and their sources."""

from __future__ import annotations

from typing import Any

import pytest

from app.taxonomy import FlagSource
from app.triage.signals import SenderHistory, detect_category_signals, detect_signals
from app.triage.signals.base import as_number

TEXT = "Hi, question about my recharge."


def flags(text: str = TEXT, **kwargs: Any) -> dict[str, Any]:
    return {s.code: s for s in detect_signals(text, **kwargs)}


@pytest.mark.parametrize("count", [3, 7, "3", 3.0])
def test_three_failed_charges_are_an_anomaly(count: object) -> None:
    signal = flags(metadata={"failed_charges": count})["payment_anomaly"]
    assert signal.source is FlagSource.RULE and signal.start is None and signal.end is None
    assert signal.evidence == f"metadata.failed_charges={float(count):g}"


@pytest.mark.parametrize(
    "metadata",
    [
        {"failed_charges": 1},
        {"failed_charges": 2},
        {"failed_charges": True},
        {"failed_charges": "many"},
        {"amount": 799.0, "currency": "USD", "account_age_days": 2, "payment_method": "card", "transaction_id": "TX-1"},
        {"lifetime_spend_usd": 999.99},
        {},
    ],
)
def test_ordinary_metadata_is_quiet(metadata: dict[str, Any]) -> None:
    assert flags(metadata=metadata) == {}


def test_high_value_from_metadata_and_history() -> None:
    assert flags(metadata={"lifetime_spend_usd": 1000})["high_value_user"].source is FlagSource.RULE
    assert flags(metadata={"lifetime_spend": "1,200.50"})["high_value_user"].evidence == "metadata.lifetime_spend=1,200"
    from_history = flags(history=SenderHistory(lifetime_spend_usd=2500.0))["high_value_user"]
    assert from_history.source is FlagSource.HISTORY and from_history.evidence == "history: lifetime spend 2,500 USD"
    assert "high_value_user" not in flags(history=SenderHistory(lifetime_spend_usd=None))
    assert "high_value_user" not in flags("I've spent thousands on this app!", metadata={"lifetime_spend_usd": 640})


def test_repeat_complaint_from_history() -> None:
    same = SenderHistory(prior_contacts_14d=1, prior_categories_14d=("recharge_payment",))
    signal = flags(history=same, category="recharge_payment")["repeat_complaint"]
    assert (
        signal.source is FlagSource.HISTORY
        and signal.evidence == "history: earlier recharge_payment case within 14 days"
    )
    assert "repeat_complaint" not in flags(history=same)  # the category is not known yet
    other = SenderHistory(prior_contacts_14d=1, prior_categories_14d=("technical_issue",))
    assert "repeat_complaint" not in flags(history=other, category="recharge_payment")
    third = SenderHistory(prior_contacts_14d=2, prior_categories_14d=("technical_issue", "creator_payout"))
    assert flags(history=third)["repeat_complaint"].evidence == "history: contact number 3 within 14 days"


def test_category_signals_add_only_what_the_category_decides() -> None:
    same = SenderHistory(prior_contacts_14d=1, prior_categories_14d=("refund_request",), lifetime_spend_usd=5.0)
    [signal] = detect_category_signals(same, "refund_request")
    assert signal.code == "repeat_complaint" and signal.source is FlagSource.HISTORY
    assert detect_category_signals(same, "technical_issue") == []
    assert detect_category_signals(None, "refund_request") == []


def test_text_and_metadata_of_one_code_merge_into_the_stronger() -> None:
    found = detect_signals("I was charged twice for one pack", metadata={"failed_charges": 4})
    [payment] = [s for s in found if s.code == "payment_anomaly"]
    assert payment.evidence == "metadata.failed_charges=4"


@pytest.mark.parametrize(
    ("value", "number"),
    [(3, 3.0), ("1,200.50", 1200.5), ("$30", 30.0), (True, None), ("n/a", None), (None, None), ([1], None)],
)
def test_metadata_numbers(value: object, number: float | None) -> None:
    assert as_number(value) == number
