"""The HTTP connector: requester context from a platform API, through a field mapping a platform can adjust.

``GET {base_url}/accounts/{requester_id}`` with the configured auth header answers
``{"account": {…}, "transactions": [{…}], "events": [{…}]}`` (404: unknown requester). Each of our fields is
read from the platform field named in :data:`DEFAULT_FIELD_MAP` (``TRIAGE_CONTEXT_FIELD_MAP`` overrides single
entries, e.g. ``{"tx.amount": "amountMajor"}``); the README lists the whole mapping. A transaction or event
whose type or status we do not know is left out rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from app.context.schemas import (
    AccountEvent,
    EventKind,
    RequesterContext,
    RequesterProfile,
    Transaction,
    TxKind,
    TxStatus,
)
from app.context.source import ContextError

# our field → the platform's field; "account.*" in the account object, "tx.*" per transaction, "event.*" per event
DEFAULT_FIELD_MAP: dict[str, str] = {
    "account.requester_id": "id",
    "account.kind": "type",
    "account.display_name": "name",
    "account.email": "email",
    "account.phone": "phone",
    "account.region": "country",
    "account.verified": "verified",
    "account.spend_tier": "spend_tier",
    "account.lifetime_spend_usd": "lifetime_spend_usd",
    "account.coin_balance": "coin_balance",
    "account.diamond_balance": "diamond_balance",
    "account.agency_id": "agency_id",
    "account.restricted": "restricted",
    "account.opened_at": "created_at",
    "tx.id": "id",
    "tx.kind": "type",
    "tx.status": "status",
    "tx.occurred_at": "created_at",
    "tx.amount": "amount",
    "tx.currency": "currency",
    "tx.coins": "coins",
    "tx.diamonds": "diamonds",
    "tx.product": "product",
    "tx.payment_method": "payment_method",
    "tx.provider_ref": "provider_reference",
    "tx.order_id": "order_id",
    "tx.live_session_id": "live_id",
    "tx.counterparty_id": "counterparty",
    "tx.credited_to": "credited_account",
    "tx.related_id": "original_transaction",
    "tx.note": "note",
    "event.kind": "type",
    "event.occurred_at": "created_at",
    "event.detail": "detail",
}
_TX_KINDS = {k.value for k in TxKind}
_TX_STATUSES = {s.value for s in TxStatus}
_EVENT_KINDS = {k.value for k in EventKind}


class HttpConnector:
    name = "http"

    def __init__(
        self,
        base_url: str,
        *,
        auth_header: str = "Authorization",
        auth_value: str | None = None,
        field_map: Mapping[str, str] | None = None,
        timeout_s: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        unknown = sorted(set(field_map or {}) - set(DEFAULT_FIELD_MAP))
        if unknown:
            raise ValueError(f"TRIAGE_CONTEXT_FIELD_MAP names unknown field(s): {', '.join(unknown)}")
        self._base = base_url.rstrip("/")
        self._headers = {auth_header: auth_value} if auth_value else {}
        self._map = {**DEFAULT_FIELD_MAP, **(field_map or {})}
        self._timeout = httpx.Timeout(timeout_s)
        self._transport = transport

    async def fetch(self, requester_id: str) -> RequesterContext | None:
        url = f"{self._base}/accounts/{quote(requester_id, safe='')}"
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                response = await client.get(url, headers=self._headers)
        except httpx.TimeoutException as exc:
            raise ContextError("the platform API timed out") from exc
        except httpx.HTTPError as exc:
            raise ContextError(f"the platform API is unreachable ({type(exc).__name__})") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ContextError(f"the platform API answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise ContextError("the platform API answered with something that is not JSON") from exc
        if not isinstance(body, dict) or not isinstance(body.get("account"), dict):
            raise ContextError("the platform API answer has no 'account' object")
        try:
            return self._context(requester_id, body)
        except (ValidationError, ValueError, TypeError) as exc:
            raise ContextError("the platform API answer does not fit the field mapping") from exc

    def _get(self, obj: Mapping[str, Any], field: str) -> Any:
        return obj.get(self._map[field])

    def _context(self, requester_id: str, body: Mapping[str, Any]) -> RequesterContext:
        account: Mapping[str, Any] = body["account"]
        g = self._get
        profile = RequesterProfile(
            requester_id=str(g(account, "account.requester_id") or requester_id),
            kind=str(g(account, "account.kind") or "user"),
            display_name=g(account, "account.display_name"),
            email=g(account, "account.email"),
            phone=g(account, "account.phone"),
            region=g(account, "account.region"),
            verified=bool(g(account, "account.verified")),
            spend_tier=str(g(account, "account.spend_tier") or "none"),
            lifetime_spend_usd=float(g(account, "account.lifetime_spend_usd") or 0),
            coin_balance=g(account, "account.coin_balance"),
            diamond_balance=g(account, "account.diamond_balance"),
            agency_id=g(account, "account.agency_id"),
            restricted=bool(g(account, "account.restricted")),
            opened_at=_time(g(account, "account.opened_at")),
        )
        txs = [self._transaction(t) for t in _objects(body.get("transactions"))]
        events = [self._event(e) for e in _objects(body.get("events"))]
        return RequesterContext(
            profile=profile,
            transactions=sorted((t for t in txs if t), key=lambda t: t.occurred_at, reverse=True),
            events=sorted((e for e in events if e), key=lambda e: e.occurred_at, reverse=True),
            source=self.name,
        )

    def _transaction(self, raw: Mapping[str, Any]) -> Transaction | None:
        g = self._get
        kind, status, when = g(raw, "tx.kind"), g(raw, "tx.status"), _time(g(raw, "tx.occurred_at"))
        if kind not in _TX_KINDS or status not in _TX_STATUSES or when is None or not g(raw, "tx.id"):
            return None
        amount = g(raw, "tx.amount")
        return Transaction(
            id=str(g(raw, "tx.id")),
            kind=TxKind(kind),
            status=TxStatus(status),
            occurred_at=when,
            amount=float(amount) if amount is not None else None,
            currency=g(raw, "tx.currency"),
            coins=g(raw, "tx.coins"),
            diamonds=g(raw, "tx.diamonds"),
            product=g(raw, "tx.product"),
            payment_method=g(raw, "tx.payment_method"),
            provider_ref=g(raw, "tx.provider_ref"),
            order_id=g(raw, "tx.order_id"),
            live_session_id=g(raw, "tx.live_session_id"),
            counterparty_id=g(raw, "tx.counterparty_id"),
            credited_to=g(raw, "tx.credited_to"),
            related_id=g(raw, "tx.related_id"),
            note=g(raw, "tx.note"),
        )

    def _event(self, raw: Mapping[str, Any]) -> AccountEvent | None:
        kind, when = self._get(raw, "event.kind"), _time(self._get(raw, "event.occurred_at"))
        if kind not in _EVENT_KINDS or when is None:
            return None
        return AccountEvent(kind=EventKind(kind), occurred_at=when, detail=self._get(raw, "event.detail"))


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
