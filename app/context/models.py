"""The demo ledger's tables and the reveal audit (migration 0008).

The ledger is what the demo connector reads: a real platform keeps its own and plugs in through the HTTP
connector. Money is in minor units (``amount_cents``) with an ISO currency; coins and diamonds are integers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class LedgerAccount(SQLModel, table=True):
    __tablename__ = "ledger_accounts"

    requester_id: str = Field(primary_key=True, max_length=200)
    kind: str = Field(max_length=16)  # user | creator | agency
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    region: str = Field(max_length=8)
    verified: bool = False
    spend_tier: str = Field(max_length=16)  # none | low | mid | high | top
    lifetime_spend_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, index=True))
    coin_balance: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    diamond_balance: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    agency_id: str | None = Field(default=None, index=True, max_length=200)
    restricted: bool = False
    opened_at: datetime = Field(default_factory=utcnow)


class LedgerTransaction(SQLModel, table=True):
    __tablename__ = "ledger_transactions"
    __table_args__ = (
        Index("ix_ledger_transactions_requester_occurred", "requester_id", "occurred_at"),
        Index("ix_ledger_transactions_order_id", "order_id"),
    )

    id: str = Field(primary_key=True, max_length=64)
    requester_id: str = Field(max_length=200)
    kind: str = Field(max_length=24)
    status: str = Field(max_length=24)
    amount_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str | None = Field(default=None, max_length=3)
    coins: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    diamonds: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    product: str | None = Field(default=None, max_length=120)
    payment_method: str | None = Field(default=None, max_length=40)
    provider_ref: str | None = Field(default=None, max_length=120)
    order_id: str | None = Field(default=None, max_length=80)
    live_session_id: str | None = Field(default=None, max_length=80)
    counterparty_id: str | None = Field(default=None, max_length=200)
    credited_to: str | None = Field(default=None, max_length=200)
    related_id: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=300)
    occurred_at: datetime = Field(default_factory=utcnow)


class LedgerAccountEvent(SQLModel, table=True):
    __tablename__ = "ledger_account_events"
    __table_args__ = (Index("ix_ledger_account_events_requester_occurred", "requester_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    requester_id: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    detail: str | None = Field(default=None, max_length=300)
    occurred_at: datetime = Field(default_factory=utcnow)


class ContextReveal(SQLModel, table=True):
    """Append-only: one row per personal-data field a specialist unmasked (who, whose, which field, when)."""

    __tablename__ = "context_reveals"

    id: int | None = Field(default=None, primary_key=True)
    requester_id: str = Field(index=True, max_length=200)
    field: str = Field(max_length=64)
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    actor: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
