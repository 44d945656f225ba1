"""Chat and DM replies through the signed outbound webhook, to a real HTTP receiver on loopback.

The receiver verifies our signature and timestamp and deduplicates by Idempotency-Key, as the README tells a
platform to. The outage test keeps it down for 60 s of (manual) clock time while replies pile up.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.delivery.senders import ReplyWebhookSender
from app.delivery.tasks import DeliveryJobHandler
from app.escalation.webhook import encode
from app.main import create_app
from app.services import Services
from tests.conftest import auth
from tests.delivery.peers import (
    SECRET,
    Receiver,
    delivery_worker,
    light_services,
    reserve_port,
    run_jobs,
    signed,
    token,
)
from tests.delivery.test_email_delivery import WorkerDied, edit_reply
from tests.web.conftest import csrf_of, sign_in


def chat(n: int) -> dict[str, Any]:
    return {
        "channel": "in_app_chat" if n % 2 else "social_dm",
        "external_id": f"chat-{n}",
        "sender": {"id": f"u-{n}", "kind": "user"},
        "thread_id": f"conv-{n}",
        "body": f"Question number {n}: where are my coins?",
    }


def post_chat(client: TestClient, clock: ManualClock, n: int) -> int:
    body = encode(chat(n))
    response = client.post(
        "/v1/inbound/webhook", content=body, headers=signed(body, timestamp=int(clock.now().timestamp()))
    )
    assert response.status_code == 202, response.text
    case_id: int = response.json()["case_id"]
    return case_id


def build(tmp_path: Path, clock: ManualClock, receiver_port: int, database_url: str | None = None) -> Services:
    from tests.delivery.peers import INBOUND_SECRET

    return light_services(
        tmp_path,
        clock,
        database_url,
        reply_webhook_url=f"http://127.0.0.1:{receiver_port}/replies",
        reply_webhook_secret=SECRET,
        inbound_webhook_secret=INBOUND_SECRET,
        job_backoff_base_s=1,
        job_backoff_max_s=8,
    )


@pytest.fixture
def receiver(clock: ManualClock) -> Iterator[Receiver]:
    peer = Receiver(clock=clock)
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture
def light(tmp_path: Path, clock: ManualClock, receiver: Receiver) -> Iterator[Services]:
    services = build(tmp_path, clock, receiver.port)
    yield services
    services.close()


def test_chat_message_in_signed_reply_out(light: Services, receiver: Receiver, clock: ManualClock) -> None:
    """Done when: a chat webhook message gets its reply through the outbound webhook."""
    specialist = token(light, "specialist")
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = post_chat(client, clock, 1)
        edit_reply(client, specialist, case_id, "Your coins are on their way.")
        assert run_jobs(delivery_worker(light)) == 1
        assert receiver.rejected == []
        [(key, payload)] = receiver.stored.items()
        assert payload["text"] == "Your coins are on their way."
        assert payload["thread_id"] == "conv-1" and payload["in_reply_to"] == "chat-1"
        assert payload["recipient"] == {"id": "u-1", "kind": "user"} and payload["channel"] == "in_app_chat"
        case = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()
        assert case["deliveries"][0]["status"] == "sent" and case["deliveries"][0]["idempotency_key"] == key
        assert case["messages"][-1]["metadata"]["webhook"] == {"thread_id": "conv-1", "in_reply_to": "chat-1"}


def test_receiver_down_for_a_minute_gets_every_reply_exactly_once(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    """Done when: with the receiver down for 60 s, no reply is lost or duplicated (SQLite and PostgreSQL)."""
    port = reserve_port()  # nothing listens there yet: every attempt is "connection refused"
    services = build(tmp_path, clock, port, database_url)
    receiver = Receiver(clock=clock, port=port)
    specialist = token(services, "specialist")
    worker = delivery_worker(services)
    started = clock.now()
    try:
        with TestClient(create_app(services.settings, services, run_worker=False)) as client:
            cases = [post_chat(client, clock, n) for n in range(1, 5)]
            for n, case_id in enumerate(cases, start=1):
                edit_reply(client, specialist, case_id, f"Answer {n}")
            attempts_while_down = 0
            while (clock.now() - started).total_seconds() < 60:
                attempts_while_down += asyncio.run(worker.drain())
                clock.advance(seconds=1)
            assert receiver.requests == [] and attempts_while_down >= 4 * 4  # each case retried several times
            waiting = client.get(f"/v1/cases/{cases[0]}", headers=auth(specialist)).json()["deliveries"][0]
            assert waiting["status"] == "queued" and "ConnectError" in waiting["last_error"]

            receiver.start()  # back up
            for _ in range(30):  # at most the backoff cap (8 s) until each case's next attempt
                asyncio.run(worker.drain())
                if len(receiver.stored) == 4:
                    break
                clock.advance(seconds=1)
            assert sorted(p["text"] for p in receiver.stored.values()) == [f"Answer {n}" for n in range(1, 5)]
            assert len(receiver.requests) == 4, "a reply was delivered twice"
            for case_id in cases:
                delivery = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
                assert delivery["status"] == "sent" and delivery["attempts"] > 3
    finally:
        receiver.stop()
        services.close()


class DiesAfterPosting:
    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        await ReplyWebhookSender().post(url, body, headers)
        raise WorkerDied()


def test_a_worker_dying_between_send_and_record_is_deduplicated_by_the_receiver(
    light: Services, receiver: Receiver, clock: ManualClock
) -> None:
    specialist = token(light, "specialist")
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = post_chat(client, clock, 3)
        edit_reply(client, specialist, case_id, "Sorted.")
        dying = DeliveryJobHandler(light.engine, None, DiesAfterPosting(), clock, light.settings)
        with pytest.raises(WorkerDied):
            asyncio.run(delivery_worker(light, handler=dying).run_once())
        clock.advance(seconds=light.settings.job_lease_s + 1)
        assert run_jobs(delivery_worker(light)) == 1
        assert len(receiver.requests) == 2 and len(receiver.stored) == 1
        assert receiver.requests[0]["key"] == receiver.requests[1]["key"]
        delivery = client.get(f"/v1/cases/{case_id}", headers=auth(specialist)).json()["deliveries"][0]
        assert delivery["status"] == "sent" and delivery["attempts"] == 2


def test_a_4xx_fails_at_once_with_the_reason_and_the_console_retries_it(
    light: Services, receiver: Receiver, clock: ManualClock
) -> None:
    specialist = token(light, "specialist")
    receiver.answer = 404  # the platform does not know this user (any more)
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        case_id = post_chat(client, clock, 5)
        edit_reply(client, specialist, case_id, "Hello again")
        run_jobs(delivery_worker(light))
        sign_in(client, specialist)
        page = client.get(f"/cases/{case_id}")
        assert 'data-status="failed"' in page.text and "HTTP 404" in page.text
        delivery_id = int(re.search(r"/deliveries/(\d+)/retry", page.text).group(1))  # type: ignore[union-attr]
        forged = client.post(f"/cases/{case_id}/deliveries/{delivery_id}/retry", data={"csrf_token": "x"})
        assert forged.status_code == 403
        receiver.answer = 200
        retried = client.post(
            f"/cases/{case_id}/deliveries/{delivery_id}/retry",
            data={"csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert retried.status_code == 303
        assert 'data-status="queued"' in client.get(f"/cases/{case_id}").text
        run_jobs(delivery_worker(light))
        assert 'data-status="sent"' in client.get(f"/cases/{case_id}").text
        assert len(receiver.stored) == 1
