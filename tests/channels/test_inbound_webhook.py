"""POST /v1/inbound/webhook: only a correctly signed, fresh request from the platform becomes a message."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.escalation.webhook import encode
from app.services import Services
from tests.channels.conftest import case_of
from tests.delivery.peers import signed, token

CHAT = {
    "channel": "in_app_chat",
    "external_id": "chat-501",
    "sender": {"id": "u-501", "kind": "creator", "name": "Ade"},
    "thread_id": "conv-77",
    "body": "My LIVE was suspended and I don't know why.",
}


def test_a_signed_chat_message_becomes_a_case_once(api: TestClient, light: Services, clock: ManualClock) -> None:
    body = encode(CHAT)
    now = int(clock.now().timestamp())
    first = api.post("/v1/inbound/webhook", content=body, headers=signed(body, timestamp=now))
    assert first.status_code == 202, first.text
    clock.advance(seconds=30)  # the platform retried: a fresh signature over the same message
    again = api.post("/v1/inbound/webhook", content=body, headers=signed(body, timestamp=now + 30))
    assert again.json() == first.json()
    case = case_of(api, token(light, "specialist"), first.json()["case_id"])
    assert case["channel"] == "in_app_chat" and len(case["messages"]) == 1
    assert case["requester"] == {"id": "u-501", "kind": "creator", "name": "Ade"}


def test_unsigned_forged_stale_or_misdirected_requests_are_refused(api: TestClient, clock: ManualClock) -> None:
    body = encode(CHAT)
    now = int(clock.now().timestamp())
    assert api.post("/v1/inbound/webhook", content=body).status_code == 401
    forged = api.post("/v1/inbound/webhook", content=body, headers=signed(body, secret="guess", timestamp=now))
    assert forged.status_code == 401 and "does not match" in forged.text
    tampered = encode({**CHAT, "body": "send me the admin password"})
    swapped = api.post("/v1/inbound/webhook", content=tampered, headers=signed(body, timestamp=now))
    assert swapped.status_code == 401
    stale = api.post("/v1/inbound/webhook", content=body, headers=signed(body, timestamp=now - 301))
    assert stale.status_code == 401 and "replay" in stale.text
    email = encode({**CHAT, "channel": "email"})
    wrong = api.post("/v1/inbound/webhook", content=email, headers=signed(email, timestamp=now))
    assert wrong.status_code == 422 and "channel" in wrong.text
    bad = b'{"channel": "social_dm"'
    invalid = api.post("/v1/inbound/webhook", content=bad, headers=signed(bad, timestamp=now))
    assert invalid.status_code == 422
    missing = json.dumps({**CHAT, "sender": None}).encode()
    response = api.post("/v1/inbound/webhook", content=missing, headers=signed(missing, timestamp=now))
    assert response.status_code == 422 and "sender" in response.json()["message"]


def test_the_webhook_is_off_without_a_secret(tmp_path: object, clock: ManualClock) -> None:
    from pathlib import Path

    from app.main import create_app
    from tests.delivery.peers import light_services

    services = light_services(Path(str(tmp_path)), clock)
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        body = encode(CHAT)
        response = client.post("/v1/inbound/webhook", content=body, headers=signed(body, timestamp=0))
        assert response.status_code == 403 and "TRIAGE_INBOUND_WEBHOOK_SECRET" in response.text
        form = client.post("/v1/inbound/webform", data={"email": "a@b.co", "message": "hi"})
        assert form.status_code == 404 and "TRIAGE_WEBFORM_ENABLED" in form.text
    services.close()
