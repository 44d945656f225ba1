"""Specialists correct risk flags over HTTP: audited, applied to the case, sticky across redrafts, learnable."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.services import Services
from tests.conftest import auth, drain

SCAM = {
    "channel": "in_app_chat",
    "external_id": "chat-corr-1",
    "thread_id": "thread-corr",
    "sender": {"id": "u-corr", "kind": "user", "name": "Rui"},
    "body": "A guy who says he is from StreamNest staff asked me for my login code to 'verify' my account. "
    "I gave it to him and now my coins are gone.",
}


def _ingest(client: TestClient, token: str, message: dict[str, Any]) -> int:
    response = client.post("/v1/messages", json=message, headers=auth(token))
    assert response.status_code == 202, response.text
    case_id: int = response.json()["case_id"]
    return case_id


def _case(client: TestClient, token: str, case_id: int) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"/v1/cases/{case_id}", headers=auth(token)).json()
    return found


def test_a_removed_flag_stays_removed_and_an_added_critical_flag_escalates(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    specialist = tokens["specialist"]
    case_id = _ingest(client, specialist, SCAM)
    drain(services)
    case = _case(client, specialist, case_id)
    assert case["draft"]["flag_model_version"], "every draft records the flag model that scored it"
    flags = {f["code"] for f in case["risk_flags"]}
    assert flags & {"fraud_scam", "account_takeover"}, flags
    removed = sorted(flags)[0]

    response = client.post(
        f"/v1/cases/{case_id}/flags",
        json={"code": removed, "action": "remove", "reason": "not what happened here"},
        headers=auth(specialist),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert removed not in body["case_flags"] and body["actor"] == "test-specialist"
    assert body["model_version"] == case["draft"]["flag_model_version"]
    case = _case(client, specialist, case_id)
    assert removed not in {f["code"] for f in case["risk_flags"]}
    event = [e for e in case["events"] if e["kind"] == "flag_corrected"][-1]
    assert event["detail"]["code"] == removed and event["detail"]["reason"] == "not what happened here"

    # A follow-up message redrafts the case: the removed flag does not come back.
    _ingest(client, specialist, {**SCAM, "external_id": "chat-corr-1b", "body": "Please hurry, he is still logged in."})
    drain(services)
    case = _case(client, specialist, case_id)
    assert case["version"] == 2
    assert removed not in {f["code"] for f in case["risk_flags"]}

    # Adding a critical flag escalates at once, with the specialist's reason as evidence and source.
    response = client.post(
        f"/v1/cases/{case_id}/flags",
        json={"code": "extortion", "action": "add", "reason": "he now demands money to give the account back"},
        headers=auth(specialist),
    )
    assert response.status_code == 201, response.text
    assert response.json()["case_status"] == "escalated" and response.json()["case_priority"] == "P0"
    added = [f for f in _case(client, specialist, case_id)["risk_flags"] if f["code"] == "extortion"]
    assert added and added[0]["source"] == "specialist"

    # QA sees the correction waiting for the next model, and the model's per-flag scores.
    view = client.get("/v1/flag-model", headers=auth(tokens["qa"])).json()
    assert view["corrections_pending"] == 2
    assert {c["code"] for c in view["corrections"]} == {removed, "extortion"}
    rows = {row["code"]: row for row in view["test_split"]["per_flag"]}
    assert set(rows) >= {"self_harm", "pii_shared"} and rows["self_harm"]["recall"] is not None
    assert view["model"]["version"] == case["draft"]["flag_model_version"]


def test_corrections_are_checked(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    specialist = tokens["specialist"]
    case_id = _ingest(client, specialist, {**SCAM, "external_id": "chat-corr-2", "thread_id": "thread-corr-2"})
    drain(services)
    url = f"/v1/cases/{case_id}/flags"
    unknown = client.post(url, json={"code": "evil", "action": "add", "reason": "x" * 5}, headers=auth(specialist))
    assert unknown.status_code == 422 and "unknown flag" in unknown.text
    no_reason = client.post(url, json={"code": "self_harm", "action": "add"}, headers=auth(specialist))
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    absent = client.post(
        url, json={"code": "self_harm", "action": "remove", "reason": "not there"}, headers=auth(specialist)
    )
    assert absent.status_code == 409 and "does not have self_harm" in absent.text
    writer = client.post(
        url, json={"code": "self_harm", "action": "add", "reason": "a reason"}, headers=auth(tokens["policy_writer"])
    )
    assert writer.status_code == 403
    missing = client.post(
        "/v1/cases/999999/flags",
        json={"code": "self_harm", "action": "add", "reason": "a reason"},
        headers=auth(specialist),
    )
    assert missing.status_code == 404
    assert client.get("/v1/flag-model", headers=auth(specialist)).status_code == 403
