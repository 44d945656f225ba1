"""Flags that come from metadata and sender history rather than the words."""

from __future__ import annotations

from typing import Any

import pytest

from app.taxonomy import FlagSource
from app.triage.signals import SenderHistory, detect_signals


def flag(text: str = "Hi, question about my recharge.", **kwargs: Any) -> dict[str, Any]:
    return {s.code: s for s in detect_signals(text, **kwargs)}


@pytest.mark.parametrize(
    "metadata",
    [
        {"failed_charges": 3},
        {"duplicate_charge": True},
        {"amount": 799.0, "currency": "USD"},
        {"amount": "650", "currency": "eur"},
        {"charges": [{"amount": 9.99, "currency": "USD", "status": "succeeded"}] * 2},
        {"charges": [{"amount": 4.99, "status": "failed"}, {"amount": 4.99, "status": "declined"}] * 2},
    ],
)
def test_payment_anomaly_from_metadata(metadata: dict[str, Any]) -> None:
    signal = flag(metadata=metadata)["payment_anomaly"]
    assert signal.start is None and signal.end is None
    assert signal.source is FlagSource.RULE
    assert "metadata" in signal.evidence


@pytest.mark.parametrize(
    "metadata",
    [
        {"failed_charges": 1},
        {"failed_charges": 2},
        {"duplicate_charge": False},
        {"amount": 499.0, "currency": "USD"},
        {"amount": 90000, "currency": "IDR"},
        {"amount": 700, "currency": "XYZ"},
        {"charges": [{"amount": 9.99, "status": "succeeded"}, {"amount": 19.99, "status": "succeeded"}]},
        {"charges": "not a list"},
    ],
)
def test_ordinary_payment_metadata_is_quiet(metadata: dict[str, Any]) -> None:
    assert "payment_anomaly" not in flag(metadata=metadata)


def test_large_amount_is_for_a_single_charge_only() -> None:
    """A large withdrawal or a total spent over weeks is not an unusual charge."""
    assert "payment_anomaly" in flag("recharged once", metadata={"amount": 800, "currency": "USD"})
    assert "payment_anomaly" not in flag("my withdrawal is missing", metadata={"amount": 800, "currency": "USD"})
    assert "payment_anomaly" not in flag("I spent it all on gifts", metadata={"amount": 800, "currency": "USD"})
    assert "payment_anomaly" not in flag("where is it", metadata={"amount": 800, "transaction_id": "WD-1"})


def test_repeat_complaint_same_category_within_14_days() -> None:
    history = SenderHistory(prior_contacts_14d=1, prior_categories_14d=("recharge_payment",))
    signal = flag(history=history, category="recharge_payment")["repeat_complaint"]
    assert signal.source is FlagSource.HISTORY and signal.start is None


def test_repeat_complaint_third_contact() -> None:
    history = SenderHistory(prior_contacts_14d=2, prior_categories_14d=("technical_issue", "creator_payout"))
    assert flag(history=history, category="recharge_payment")["repeat_complaint"].source is FlagSource.HISTORY


def test_second_contact_in_another_category_is_not_a_repeat() -> None:
    history = SenderHistory(prior_contacts_14d=1, prior_categories_14d=("technical_issue",))
    assert "repeat_complaint" not in flag(history=history, category="recharge_payment")
    assert "repeat_complaint" not in flag(history=history)


def test_high_value_user_from_history_and_metadata() -> None:
    from_history = flag(history=SenderHistory(lifetime_spend_usd=2500.0))["high_value_user"]
    assert from_history.source is FlagSource.HISTORY
    assert "high_value_user" in flag(metadata={"lifetime_spend_usd": 1000})
    assert "high_value_user" in flag(metadata={"lifetime_spend": "1200.50"})
    assert "high_value_user" not in flag(metadata={"lifetime_spend_usd": 999.99})
    assert "high_value_user" not in flag(history=SenderHistory(lifetime_spend_usd=None))


def test_text_and_metadata_signals_of_one_code_are_merged() -> None:
    found = detect_signals("I was charged twice for one pack", metadata={"duplicate_charge": True})
    assert [s.code for s in found].count("payment_anomaly") == 1
