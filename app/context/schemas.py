"""The typed requester context every connector returns: profile, recent transactions, account events.

Connectors map their platform's fields onto these models (the HTTP mapping is in the README); everything
downstream (reconciliation, signals, the prompt's data block, the console panel) reads only these.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class TxKind(StrEnum):
    RECHARGE = "recharge"  # coins bought with money
    GIFT_SENT = "gift_sent"
    GIFT_RECEIVED = "gift_received"
    REFUND = "refund"
    CHARGEBACK = "chargeback"
    DIAMOND_EARNING = "diamond_earning"
    PAYOUT = "payout"
    BALANCE_ADJUSTMENT = "balance_adjustment"  # a balance change the ledger records without a purchase


class TxStatus(StrEnum):
    COMPLETED = "completed"  # charged and credited / delivered / paid
    PENDING = "pending"
    FAILED = "failed"  # the payment did not go through: nothing charged
    CHARGED_NOT_CREDITED = "charged_not_credited"  # the provider took the money, the coins never arrived
    REVERSED = "reversed"  # undone by the platform or a chargeback
    REFUNDED = "refunded"
    ON_HOLD = "on_hold"  # payouts held (tax form, review)


class EventKind(StrEnum):
    NEW_DEVICE_LOGIN = "new_device_login"
    EMAIL_CHANGE = "email_change"
    PHONE_CHANGE = "phone_change"
    PASSWORD_CHANGE = "password_change"  # noqa: S105 (an event name, not a secret)
    RESTRICTION = "restriction"
    APPEAL = "appeal"
    TAX_FORM_MISSING = "tax_form_missing"


CREDENTIAL_EVENTS = frozenset({EventKind.EMAIL_CHANGE, EventKind.PHONE_CHANGE, EventKind.PASSWORD_CHANGE})
SPEND_TIERS = ("none", "low", "mid", "high", "top")
HIGH_VALUE_TIERS = frozenset({"high", "top"})


class RequesterProfile(BaseModel):
    model_config = ConfigDict(frozen=True)

    requester_id: str
    kind: str = "user"
    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    region: str | None = None
    verified: bool = False
    spend_tier: str = "none"
    lifetime_spend_usd: float = 0.0
    coin_balance: int | None = None
    diamond_balance: int | None = None
    agency_id: str | None = None
    restricted: bool = False
    opened_at: datetime | None = None

    def account_age_days(self, now: datetime) -> int | None:
        return (now - self.opened_at).days if self.opened_at is not None else None


class Transaction(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: TxKind
    status: TxStatus
    occurred_at: datetime
    amount: float | None = None  # in ``currency``, major units
    currency: str | None = None
    coins: int | None = None
    diamonds: int | None = None
    product: str | None = None
    payment_method: str | None = None
    provider_ref: str | None = None  # personal data: masked in the console, never sent to an external LLM
    order_id: str | None = None
    live_session_id: str | None = None
    counterparty_id: str | None = None
    credited_to: str | None = None  # the account the coins landed on, when not the payer's
    related_id: str | None = None  # a refund's or chargeback's original transaction
    note: str | None = None


class AccountEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: EventKind
    occurred_at: datetime
    detail: str | None = None


class RequesterContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    profile: RequesterProfile
    transactions: list[Transaction] = Field(default_factory=list)  # newest first
    events: list[AccountEvent] = Field(default_factory=list)  # newest first
    source: str = "ledger"


class ContextStatus(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # the connector answered: no such requester
    UNAVAILABLE = "unavailable"  # timeout, outage, bad answer: drafting goes on without it
    OFF = "off"  # no connector configured


class ContextResult(BaseModel):
    """What a fetch gave: the context, or why there is none. Never raises: drafting never waits on it."""

    model_config = ConfigDict(frozen=True)

    status: ContextStatus
    context: RequesterContext | None = None
    reason: str | None = None
