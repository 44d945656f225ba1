"""The demo ledger connector: requester context from the project's own ``ledger_*`` tables.

``triage demo`` fills them (``app/demo/ledger.py``); ``make run`` reads them through this connector. A real
platform replaces it with the HTTP connector and leaves the tables empty.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.context.models import LedgerAccount, LedgerAccountEvent, LedgerTransaction
from app.context.schemas import (
    AccountEvent,
    EventKind,
    RequesterContext,
    RequesterProfile,
    Transaction,
    TxKind,
    TxStatus,
)

RECENT_TRANSACTIONS = 50
RECENT_EVENTS = 20


class LedgerConnector:
    name = "ledger"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def fetch(self, requester_id: str) -> RequesterContext | None:
        return await asyncio.to_thread(self.read, requester_id)

    def read(self, requester_id: str) -> RequesterContext | None:
        with Session(self._engine) as session:
            account = session.get(LedgerAccount, requester_id)
            if account is None:
                return None
            txs = session.exec(
                select(LedgerTransaction)
                .where(LedgerTransaction.requester_id == requester_id)
                .order_by(col(LedgerTransaction.occurred_at).desc())
                .limit(RECENT_TRANSACTIONS)
            ).all()
            events = session.exec(
                select(LedgerAccountEvent)
                .where(LedgerAccountEvent.requester_id == requester_id)
                .order_by(col(LedgerAccountEvent.occurred_at).desc())
                .limit(RECENT_EVENTS)
            ).all()
            return RequesterContext(
                profile=profile_of(account),
                transactions=[transaction_of(t) for t in txs],
                events=[
                    AccountEvent(kind=EventKind(e.kind), occurred_at=_aware(e.occurred_at), detail=e.detail)
                    for e in events
                ],
                source=self.name,
            )


def profile_of(account: LedgerAccount) -> RequesterProfile:
    return RequesterProfile(
        requester_id=account.requester_id,
        kind=account.kind,
        display_name=account.display_name,
        email=account.email,
        phone=account.phone,
        region=account.region,
        verified=account.verified,
        spend_tier=account.spend_tier,
        lifetime_spend_usd=account.lifetime_spend_cents / 100,
        coin_balance=account.coin_balance,
        diamond_balance=account.diamond_balance,
        agency_id=account.agency_id,
        restricted=account.restricted,
        opened_at=_aware(account.opened_at),
    )


def transaction_of(t: LedgerTransaction) -> Transaction:
    return Transaction(
        id=t.id,
        kind=TxKind(t.kind),
        status=TxStatus(t.status),
        occurred_at=_aware(t.occurred_at),
        amount=t.amount_cents / 100 if t.amount_cents is not None else None,
        currency=t.currency,
        coins=t.coins,
        diamonds=t.diamonds,
        product=t.product,
        payment_method=t.payment_method,
        provider_ref=t.provider_ref,
        order_id=t.order_id,
        live_session_id=t.live_session_id,
        counterparty_id=t.counterparty_id,
        credited_to=t.credited_to,
        related_id=t.related_id,
        note=t.note,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
