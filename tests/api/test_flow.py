"""End to end over HTTP: ingest → draft (real offline provider, real Chroma, real DB) → review."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.services import Services
from tests.conftest import auth, drain

COINS = {
    "channel": "in_app_chat",
    "external_id": "chat-1001",
    "sender": {"id": "u-1", "kind": "user", "name": "Mia"},
    "body": "I paid $9.99 for 1,000 coins with my card yesterday but my balance still shows 20 coins. Where are they?",
    "metadata": {"transaction_id": "TX-88231-AB", "amount": 9.99, "currency": "USD"},
}


def ingest(client: TestClient, token: str, message: dict[str, Any], **headers: str) -> Any:
    return client.post("/v1/messages", json=message, headers={**auth(token), **headers})


def test_ingest_draft_approve(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    specialist = tokens["specialist"]
    response = ingest(client, specialist, COINS)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "new"
    assert drain(services) == 3  # the rule screen, the model screen, then the draft

    case = client.get(f"/v1/cases/{accepted['case_id']}", headers=auth(specialist)).json()
    assert case["status"] == "awaiting_review"
    assert case["category"] == "recharge_payment"
    draft = case["draft"]
    assert draft["reply"].strip()
    assert draft["citations"], "the offline draft must cite the article it used"
    citation = draft["citations"][0]
    assert {"article_id", "version", "title", "chunk_id"} <= set(citation)
    assert draft["provider"] == "offline" and draft["prompt_version"].startswith("offline_reply@")
    assert case["messages"][0]["body"] == COINS["body"]

    queue = client.get("/v1/queue", headers=auth(specialist)).json()["items"]
    assert [item["id"] for item in queue] == [accepted["case_id"]]

    decision = client.post(
        f"/v1/cases/{accepted['case_id']}/decisions", json={"action": "approve"}, headers=auth(specialist)
    )
    assert decision.status_code == 201, decision.text
    assert decision.json()["case_status"] == "resolved"
    case = client.get(f"/v1/cases/{accepted['case_id']}", headers=auth(specialist)).json()
    assert case["status"] == "resolved"
    assert [d["action"] for d in case["decisions"]] == ["approve"]
    assert case["messages"][-1]["direction"] == "outbound"
    assert case["messages"][-1]["body"] == draft["reply"]
    kinds = [e["kind"] for e in case["events"]]
    assert "decision_approve" in kinds and "draft_created" in kinds
    assert client.get("/v1/queue", headers=auth(specialist)).json()["items"] == []


def test_edit_keeps_text_and_distance(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    case_id = ingest(client, tokens["specialist"], COINS).json()["case_id"]
    drain(services)
    final = "Hi Mia, we found your purchase TX-88231-AB and credited the 1,000 coins. Sorry for the wait!"
    decision = client.post(
        f"/v1/cases/{case_id}/decisions", json={"action": "edit", "text": final}, headers=auth(tokens["specialist"])
    ).json()
    assert decision["text"] == final
    assert decision["edit_distance"] > 0
    case = client.get(f"/v1/cases/{case_id}", headers=auth(tokens["specialist"])).json()
    assert case["status"] == "resolved" and case["messages"][-1]["body"] == final


def test_reject_requests_new_draft(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    token = tokens["specialist"]
    case_id = ingest(client, token, COINS).json()["case_id"]
    drain(services)
    missing_reason = client.post(f"/v1/cases/{case_id}/decisions", json={"action": "reject"}, headers=auth(token))
    assert missing_reason.status_code == 422
    assert "reason" in missing_reason.text
    rejected = client.post(
        f"/v1/cases/{case_id}/decisions", json={"action": "reject", "reason": "wrong_policy"}, headers=auth(token)
    )
    assert rejected.status_code == 201 and rejected.json()["case_status"] == "awaiting_review"
    assert drain(services) == 1  # a new draft was requested and written
    case = client.get(f"/v1/cases/{case_id}", headers=auth(token)).json()
    assert case["status"] == "awaiting_review"
    assert [e["kind"] for e in case["events"]].count("draft_created") == 2
    assert case["decisions"][0]["reason"] == "wrong_policy"


def test_escalate_and_new_message_reopens(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    token = tokens["specialist"]
    first = ingest(client, token, {**COINS, "thread_id": "t-9"}).json()
    drain(services)
    client.post(f"/v1/cases/{first['case_id']}/decisions", json={"action": "approve"}, headers=auth(token))
    follow_up = {**COINS, "thread_id": "t-9", "external_id": "chat-1002", "body": "Still no coins, it's been 2 days."}
    second = ingest(client, token, follow_up).json()
    assert second["case_id"] == first["case_id"]
    case = client.get(f"/v1/cases/{first['case_id']}", headers=auth(token)).json()
    assert case["status"] == "new"
    assert any(e["kind"] == "status_changed" and e["from_status"] == "resolved" for e in case["events"])
    drain(services)
    escalated = client.post(
        f"/v1/cases/{first['case_id']}/decisions",
        json={"action": "escalate", "note": "3rd contact"},
        headers=auth(token),
    )
    assert escalated.json()["case_status"] == "escalated"


def test_idempotent_replay_and_conflict(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    token = tokens["integration"]
    first = ingest(client, token, COINS, **{"Idempotency-Key": "key-1"})
    again = ingest(client, token, COINS, **{"Idempotency-Key": "key-1"})
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    same_external_id = ingest(client, token, COINS)
    assert same_external_id.json() == first.json()
    other_body = {**COINS, "external_id": "chat-2000", "body": "different text"}
    conflict = ingest(client, token, other_body, **{"Idempotency-Key": "key-1"})
    assert conflict.status_code == 422 and "Idempotency-Key" in conflict.text
    reused_id = ingest(client, token, {**COINS, "body": "another body, same id"})
    assert reused_id.status_code == 422 and "external_id" in reused_id.text
    assert drain(services) == 3  # one message: two screens and one draft; replays never duplicate work


def test_bad_input_is_a_clear_4xx(client: TestClient, tokens: dict[str, str]) -> None:
    headers = auth(tokens["specialist"])
    too_big = {**COINS, "body": "x" * (64 * 1024 + 1)}
    response = client.post("/v1/messages", json=too_big, headers=headers)
    assert response.status_code == 413 and "limit" in response.text
    response = client.post(
        "/v1/messages", content=b"{not json", headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 422
    response = client.post("/v1/messages", json={**COINS, "channel": "carrier_pigeon"}, headers=headers)
    assert response.status_code == 422 and "channel" in response.json()["message"]
    response = client.post("/v1/messages", json={k: v for k, v in COINS.items() if k != "sender"}, headers=headers)
    assert response.status_code == 422 and "sender" in response.json()["message"]
    response = client.post("/v1/messages", json={**COINS, "body": "   "}, headers=headers)
    assert response.status_code == 422 and "body" in response.json()["message"]
    response = client.post("/v1/messages", json={**COINS, "sender": {"id": "u", "kind": "robot"}}, headers=headers)
    assert response.status_code == 422 and "sender.kind" in response.json()["message"]
    assert client.get("/v1/cases/999999", headers=headers).status_code == 404
    assert client.get("/v1/queue?flag=not_a_flag", headers=headers).status_code == 422
