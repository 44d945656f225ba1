"""POST /v1/inbound/email: raw mail becomes a case, threads follow the headers, replays answer the same."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.services import Services
from tests.channels.conftest import case_of
from tests.channels.test_email_parse import QUOTED
from tests.delivery.peers import token

FIRST = b"""From: Mia Chen <mia@example.com>
To: support@triage.localhost
Subject: coins missing
Message-ID: <root-0@example.com>
Date: Sun, 01 Nov 2026 08:00:00 +0000
Content-Type: text/plain; charset=utf-8

I paid $9.99 for 1,000 coins yesterday and they never arrived. Transaction TX-88231-AB.
"""
RAW = {"content-type": "message/rfc822"}


def test_an_email_becomes_a_case_and_its_reply_joins_it(api: TestClient, light: Services) -> None:
    bearer = token(light, "integration")
    first = api.post("/v1/inbound/email", content=FIRST, headers={**RAW, "Authorization": f"Bearer {bearer}"})
    assert first.status_code == 202, first.text
    accepted = first.json()
    assert accepted["status"] == "accepted" and accepted["thread_id"] == "root-0@example.com"
    again = api.post("/v1/inbound/email", content=FIRST, headers={**RAW, "Authorization": f"Bearer {bearer}"})
    assert again.status_code == 202
    assert {**again.json(), "status": "accepted"} == accepted and again.json()["status"] == "replay"

    # A reply whose In-Reply-To we never saw still threads by the root of References.
    reply = api.post("/v1/inbound/email", content=QUOTED, headers={**RAW, "Authorization": f"Bearer {bearer}"})
    assert reply.status_code == 202, reply.text
    assert reply.json()["case_id"] == accepted["case_id"]

    case = case_of(api, token(light, "specialist"), accepted["case_id"])
    assert case["channel"] == "email" and case["requester"]["id"] == "mia@example.com"
    assert [m["body"] for m in case["messages"]] == [
        FIRST.split(b"\n\n", 1)[1].decode().strip(),
        "Still no coins on my account, it has been three days.",  # quote and signature stripped
    ]
    meta = case["messages"][1]["metadata"]["email"]
    assert meta["in_reply_to"] == ["ours-1@triage.localhost"] and meta["quoted_text_removed"] is True
    assert case["deliveries"] == []


def test_refusals_are_specific_4xx(api: TestClient, light: Services) -> None:
    bearer = token(light, "integration")
    auth = {"Authorization": f"Bearer {bearer}"}
    assert api.post("/v1/inbound/email", content=FIRST, headers=RAW).status_code == 401
    qa = api.post("/v1/inbound/email", content=FIRST, headers={**RAW, "Authorization": f"Bearer {token(light, 'qa')}"})
    assert qa.status_code == 403
    wrong_type = api.post("/v1/inbound/email", json={"raw": "x"}, headers=auth)
    assert wrong_type.status_code == 415 and "message/rfc822" in wrong_type.text
    assert api.post("/v1/inbound/email", content=b"  \n", headers={**RAW, **auth}).status_code == 422
    no_from = api.post("/v1/inbound/email", content=b"Subject: hi\n\nhello", headers={**RAW, **auth})
    assert no_from.status_code == 422 and "From" in no_from.text
    changed = FIRST.replace(b"never arrived", b"arrived twice")
    api.post("/v1/inbound/email", content=FIRST, headers={**RAW, **auth})
    conflict = api.post("/v1/inbound/email", content=changed, headers={**RAW, **auth})
    assert conflict.status_code == 422 and "external_id" in conflict.text


def test_machine_mail_is_acknowledged_and_ignored(api: TestClient, light: Services) -> None:
    bounce = FIRST.replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:")
    response = api.post(
        "/v1/inbound/email", content=bounce, headers={**RAW, "Authorization": f"Bearer {token(light, 'integration')}"}
    )
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    queue = api.get("/v1/queue", headers={"Authorization": f"Bearer {token(light, 'specialist')}"}).json()
    assert queue["items"] == []


def test_threading_on_both_databases(tmp_path: object, clock: object, database_url: str) -> None:
    """The thread index and the sender+thread rule give the same answer on PostgreSQL as on SQLite."""
    from pathlib import Path

    from fastapi.testclient import TestClient as Client

    from app.clock import ManualClock
    from app.main import create_app
    from tests.delivery.peers import light_services

    assert isinstance(clock, ManualClock)
    services = light_services(Path(str(tmp_path)), clock, database_url)
    try:
        with Client(create_app(services.settings, services, run_worker=False)) as client:
            headers = {**RAW, "Authorization": f"Bearer {token(services, 'integration')}"}
            first = client.post("/v1/inbound/email", content=FIRST, headers=headers).json()
            trimmed = QUOTED.replace(b"References: <root-0@example.com> <ours-1@triage.localhost>\n", b"")
            child = trimmed.replace(b"In-Reply-To: <ours-1@triage.localhost>", b"In-Reply-To: <root-0@example.com>")
            second = client.post("/v1/inbound/email", content=child, headers=headers).json()
            grandchild = FIRST.replace(
                b"<root-0@example.com>", b"<third@example.com>\nIn-Reply-To: <reply-2@example.com>"
            )
            third = client.post("/v1/inbound/email", content=grandchild, headers=headers).json()
            assert first["case_id"] == second["case_id"] == third["case_id"]
            assert third["thread_id"] == "root-0@example.com"  # found through the index, not a header
    finally:
        services.close()
