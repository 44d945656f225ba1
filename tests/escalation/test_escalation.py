"""A critical message skips the model, jumps the queue, and a signed webhook is delivered even through outages."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import respx
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.escalation.webhook import HttpxWebhookSender, verify
from app.main import create_app
from tests.api.test_flow import COINS
from tests.conftest import add_user, auth

HOOK = "https://hooks.example.test/triage"
SECRET = "s3cret-for-tests"
SELF_HARM = {
    "channel": "in_app_chat",
    "external_id": "chat-crisis-1",
    "sender": {"id": "u-77", "kind": "user"},
    "body": "honestly i dont want to be here anymore. i'm going to end it all tonight, nobody would even notice",
}


def test_critical_case_escalates_and_webhook_survives_receiver_outage(make_services: Any, clock: ManualClock) -> None:
    services = make_services(
        escalation_webhook_url=HOOK,
        escalation_webhook_secret=SECRET,
    )
    services._built["webhook_sender"] = HttpxWebhookSender()
    token = add_user(services, "s", "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client, respx.mock:
        route = respx.post(HOOK).mock(
            side_effect=[httpx.Response(503), httpx.ConnectError("receiver down"), httpx.Response(204)]
        )
        ordinary = client.post("/v1/messages", json=COINS, headers=auth(token)).json()
        crisis = client.post("/v1/messages", json=SELF_HARM, headers=auth(token)).json()
        worker = services.worker()
        for _ in range(2):  # the two rule screens: risk detection runs before any draft is written
            asyncio.run(worker.run_once())
        screened = client.get(f"/v1/cases/{crisis['case_id']}", headers=auth(token)).json()
        assert screened["status"] == "escalated" and screened["priority"] == "P0"
        assert screened["draft"] is None, "the crisis escalated before drafting, not behind the draft backlog"

        runs = 0
        while asyncio.run(worker.run_once()):  # the ordinary message's model screen, both drafts, and the webhook:
            clock.advance(seconds=1)  # 503, connection error, then delivered
            runs += 1
        assert runs == 6

        case = client.get(f"/v1/cases/{crisis['case_id']}", headers=auth(token)).json()
        assert case["status"] == "escalated" and case["priority"] == "P0"
        assert "self_harm" in [f["code"] for f in case["risk_flags"]]
        assert case["draft"]["origin"] == "safety_template"
        reply = case["draft"]["reply"]
        # no region known: the reply points to local emergency and crisis help, never a US-only line (issue 12)
        assert "emergency number" in reply and "crisis line" in reply and "988" not in reply, reply
        queue = client.get("/v1/queue", headers=auth(token)).json()["items"]
        assert [c["id"] for c in queue][:2] == [crisis["case_id"], ordinary["case_id"]]
        assert route.call_count == 3
        request = route.calls.last.request
        body = request.content
        assert verify(SECRET, request.headers["X-Triage-Timestamp"], body, request.headers["X-Triage-Signature"])
        payload = json.loads(body)
        assert payload["case_id"] == crisis["case_id"] and "self_harm" in payload["risk_flags"]
        assert SELF_HARM["body"] not in body.decode(), "the webhook must not carry message text"
        events = client.get(f"/v1/cases/{crisis['case_id']}", headers=auth(token)).json()["events"]
        assert any(e["kind"] == "escalation_webhook_delivered" for e in events)


def test_specialist_escalation_also_notifies(make_services: Any) -> None:
    services = make_services(escalation_webhook_url=HOOK, escalation_webhook_secret=SECRET)
    services._built["webhook_sender"] = HttpxWebhookSender()
    token = add_user(services, "s", "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client, respx.mock:
        route = respx.post(HOOK).mock(return_value=httpx.Response(200))
        case_id = client.post("/v1/messages", json=COINS, headers=auth(token)).json()["case_id"]
        asyncio.run(services.worker().drain())
        decision = {"action": "escalate", "note": "fraud ring"}
        client.post(f"/v1/cases/{case_id}/decisions", json=decision, headers=auth(token))
        asyncio.run(services.worker().drain())
        assert route.call_count == 1
        assert json.loads(route.calls.last.request.content)["reason"] == "fraud ring"
