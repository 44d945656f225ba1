"""Two specialists, many requests, one case: races end in one outcome and a clear 409, never a 500 or a lost message.

Each test runs on SQLite and PostgreSQL with real threads sending real HTTP requests at once through one app
(the sync endpoints run in the server's thread pool, each with its own database session and transaction).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.cases.models import Case, Message
from app.review.models import Decision
from app.services import Services
from tests.api.test_flow import COINS
from tests.conftest import auth, drain

THREAT = {
    **COINS,
    "external_id": "chat-1002",
    "body": "someone in my LIVE chat says he will kill me if I stream tonight, he knows where I live",
}


def at_once(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run ``call(i)`` on ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)

    def run(i: int) -> httpx.Response:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def drafted_case(client: TestClient, services: Services, token: str) -> dict[str, Any]:
    case_id = client.post("/v1/messages", json=COINS, headers=auth(token)).json()["case_id"]
    drain(services)
    case: dict[str, Any] = client.get(f"/v1/cases/{case_id}", headers=auth(token)).json()
    assert case["status"] == "awaiting_review" and case["draft"] is not None
    return case


def test_ten_concurrent_approves_send_one_reply(client: TestClient, services: Services, tokens: dict[str, str]) -> None:
    token = tokens["specialist"]
    case = drafted_case(client, services, token)
    url = f"/v1/cases/{case['id']}/decisions"

    responses = at_once(10, lambda _i: client.post(url, json={"action": "approve"}, headers=auth(token)))

    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 9, [r.text for r in responses if r.status_code != 409]
    assert all("already resolved" in r.json()["detail"] for r in responses if r.status_code == 409)
    with Session(services.engine) as session:
        decisions = session.exec(select(Decision).where(Decision.case_id == case["id"])).all()
        replies = session.exec(select(Message).where(Message.case_id == case["id"], Message.direction == "outbound"))
        assert len(decisions) == 1
        assert len(list(replies)) == 1, "the requester must get one reply, not ten"


def test_follow_up_during_review_makes_the_open_draft_stale(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["specialist"]
    case = drafted_case(client, services, token)
    seen = {"draft_id": case["draft"]["id"], "case_version": case["version"]}
    url = f"/v1/cases/{case['id']}/decisions"

    follow_up = client.post("/v1/messages", json=THREAT, headers=auth(token))
    assert follow_up.status_code == 202 and follow_up.json()["case_id"] == case["id"]

    # The specialist still looks at the old draft: approving it would answer a message that is no longer the last.
    stale = client.post(url, json={"action": "approve", **seen}, headers=auth(token))
    assert stale.status_code == 409 and "version" in stale.json()["detail"]
    blind = client.post(url, json={"action": "approve"}, headers=auth(token))
    assert blind.status_code == 409 and "newer than its draft" in blind.json()["detail"]
    blind_edit = client.post(url, json={"action": "edit", "text": "Thanks, all sorted."}, headers=auth(token))
    assert blind_edit.status_code == 409 and "case_version" in blind_edit.json()["detail"]

    drain(services)
    after = client.get(f"/v1/cases/{case['id']}", headers=auth(token)).json()
    assert after["status"] == "escalated"
    assert "violence_threat" in [f["code"] for f in after["risk_flags"]]
    assert after["draft"]["id"] != seen["draft_id"]
    queue = client.get("/v1/queue", headers=auth(token)).json()["items"]
    assert queue[0]["id"] == case["id"], "the threatened creator's case is at the top of the queue"

    # Reading the new state, the specialist can decide on the current draft: the case is critical now, so closing
    # it takes a confirmation and a resolution code (issue 13), not a plain approve.
    current = {"draft_id": after["draft"]["id"], "case_version": after["version"]}
    plain = client.post(url, json={"action": "approve", **current}, headers=auth(token))
    assert plain.status_code == 409 and "resolution" in plain.json()["detail"]
    closing = {"confirm_critical": True, "resolution": "referred_emergency_services"}
    approved = client.post(url, json={"action": "approve", **current, **closing}, headers=auth(token))
    assert approved.status_code == 201, approved.text
    assert approved.json()["resolution"] == "referred_emergency_services"


def test_decision_naming_an_old_draft_is_refused(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["specialist"]
    case = drafted_case(client, services, token)
    url = f"/v1/cases/{case['id']}/decisions"
    redraft = client.post(url, json={"action": "reject", "reason": "tone"}, headers=auth(token))
    assert redraft.status_code == 201
    drain(services)
    stale = client.post(url, json={"action": "approve", "draft_id": case["draft"]["id"]}, headers=auth(token))
    assert stale.status_code == 409 and f"draft {case['draft']['id']} is not the current draft" in stale.text


def test_simultaneous_first_messages_of_one_thread_make_one_case(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]

    def first_message(i: int) -> httpx.Response:
        message = {**COINS, "external_id": f"burst-{i}", "thread_id": "thread-77", "body": f"hello? message {i}"}
        return client.post("/v1/messages", json=message, headers=auth(token))

    responses = at_once(20, first_message)

    assert {r.status_code for r in responses} == {202}, [r.text for r in responses if r.status_code != 202]
    case_ids = {r.json()["case_id"] for r in responses}
    assert len(case_ids) == 1, f"one thread must be one case, got {len(case_ids)}"
    with Session(services.engine) as session:
        case = session.get(Case, case_ids.pop())
        assert case is not None
        messages = session.exec(select(Message).where(Message.case_id == case.id)).all()
        assert len(messages) == 20
        assert case.version == 20, "every message bumps the case version once: no update is lost"


def test_identical_retries_at_once_store_one_message(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]
    responses = at_once(
        8, lambda _i: client.post("/v1/messages", json=COINS, headers={**auth(token), "Idempotency-Key": "same"})
    )
    assert {r.status_code for r in responses} == {202}
    assert len({(r.json()["case_id"], r.json()["message_id"]) for r in responses}) == 1
    with Session(services.engine) as session:
        assert len(session.exec(select(Message)).all()) == 1
