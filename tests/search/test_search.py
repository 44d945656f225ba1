"""Search (issue 14): words in messages, drafts and notes find their case, with filters, on SQLite FTS5 and
PostgreSQL full-text alike; the index follows every write in the same transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.cases.models import Message
from app.search.query import SearchQuery
from app.search.service import search
from app.services import Services
from tests.conftest import add_user, auth, drain

COINS = {
    "channel": "in_app_chat",
    "external_id": "s-coins-1",
    "sender": {"id": "u-mia", "kind": "user", "name": "Mia Lopez"},
    "subject": "Coins missing",
    "body": "I paid $9.99 for 1,000 coins with my card yesterday but my balance still shows 20 coins.",
}
GIFT = {
    "channel": "email",
    "external_id": "s-gift-1",
    "sender": {"id": "cr-omar", "kind": "creator", "name": "Omar"},
    "body": "A viewer sent me a Galaxy gift during my LIVE and it never showed up in my diamonds.",
}


def _find(client: TestClient, token: str, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/search", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _ingest(client: TestClient, token: str, body: dict[str, Any]) -> int:
    response = client.post("/v1/messages", json=body, headers=auth(token))
    assert response.status_code == 202, response.text
    case_id: int = response.json()["case_id"]
    return case_id


def test_words_find_messages_drafts_and_notes_with_filters(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    spec = tokens["specialist"]
    coins = _ingest(client, spec, COINS)
    gift = _ingest(client, spec, GIFT)
    drain(services)
    note = client.post(f"/v1/cases/{gift}/notes", json={"body": "Ledger shows the Galaxy refunded"}, headers=auth(spec))
    assert note.status_code == 201, note.text

    # a prefix of a word, any case; every word must match
    hits = _find(client, spec, q="BALAN coin", kind="message")
    assert [(h["kind"], h["case_id"]) for h in hits["items"]] == [("message", coins)]
    assert "balance" in hits["items"][0]["snippet"] and hits["items"][0]["case"]["requester"] == "Mia Lopez"
    assert _find(client, spec, q="balance galaxy")["total"] == 0

    galaxy = _find(client, spec, q="galaxy")
    assert {h["kind"] for h in galaxy["items"]} >= {"message", "note"}
    assert {h["case_id"] for h in galaxy["items"]} == {gift}
    assert [h["kind"] for h in _find(client, spec, q="galaxy", kind="note")["items"]] == ["note"]

    draft = client.get(f"/v1/cases/{coins}", headers=auth(spec)).json()["draft"]
    word = next(w for w in draft["reply"].split() if w.isalpha() and len(w) > 6)
    drafted = _find(client, spec, q=word, kind="draft")
    assert coins in {h["case_id"] for h in drafted["items"]}

    # filters: requester (id or start of a name), category, owner, date
    assert {h["case_id"] for h in _find(client, spec, q="coins", requester="mia", kind="message")["items"]} == {coins}
    assert _find(client, spec, q="coins", requester="cr-omar", kind="message")["total"] == 0
    category = client.get(f"/v1/cases/{gift}", headers=auth(spec)).json()["category"]
    assert {h["case_id"] for h in _find(client, spec, q="galaxy", category=category)["items"]} == {gift}
    assert client.post(f"/v1/cases/{gift}/ownership", json={"action": "claim"}, headers=auth(spec)).is_success
    assert {h["case_id"] for h in _find(client, spec, q="galaxy", owner="test-specialist")["items"]} == {gift}
    assert _find(client, spec, q="coins", owner="test-specialist", kind="message")["total"] == 0
    today = services.clock.now().date()
    assert _find(client, spec, q="coins", since=str(today), until=str(today))["total"] >= 1
    assert _find(client, spec, q="coins", since=str(today + timedelta(days=1)))["total"] == 0


def test_the_index_follows_writes_in_the_same_transaction(client: TestClient, services: Services) -> None:
    def found(session: Session, word: str) -> int:
        return search(session, SearchQuery(q=word)).total

    token = add_user(services, "searcher", "specialist")
    case_id = _ingest(client, token, {**COINS, "body": "Refund for my zanzibar pack please"})
    with Session(services.engine) as session:
        assert found(session, "zanzibar") == 1
        message = session.exec(select(Message).where(Message.case_id == case_id)).one()
        message.body = "[erased at the requester's request]"  # a privacy erasure rewrites the body
        session.add(message)
        session.flush()
        assert found(session, "zanzibar") == 0 and found(session, "erased") == 1
        session.rollback()  # nothing committed: the index is as it was
        assert found(session, "zanzibar") == 1 and found(session, "erased") == 0


def test_bad_searches_are_refused_with_the_field_and_notes_stay_with_the_desk(
    client: TestClient, tokens: dict[str, str]
) -> None:
    for params, word in (
        ({"q": "!!! ..."}, "at least one word"),
        ({"q": "coins", "flag": "made_up"}, "unknown risk flag"),
        ({"q": "coins", "category": "nope"}, "category"),
        ({"q": "coins", "since": "yesterday"}, "since"),
    ):
        response = client.get("/v1/search", params=params, headers=auth(tokens["specialist"]))
        assert response.status_code == 422 and word in response.text, response.text
    for role in ("qa", "policy_writer", "integration"):
        assert client.get("/v1/search?q=coins", headers=auth(tokens[role])).status_code == 403
