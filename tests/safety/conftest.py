"""A desk: an app on a fresh SQLite database with a recording webhook receiver and one token per desk role."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.main import create_app
from app.services import Services
from tests.conftest import add_user, auth, drain

HOOK = "https://hooks.example.test/on-call"
SELF_HARM = {
    "channel": "in_app_chat",
    "external_id": "safety-crisis-1",
    "sender": {"id": "u-crisis", "kind": "user"},
    "body": "i can't do this anymore. i'm going to end my life tonight, i already wrote the note",
}
THREAT = {
    "channel": "in_app_chat",
    "external_id": "safety-threat-1",
    "sender": {"id": "cr-threat", "kind": "creator", "name": "Maya"},
    "body": "During tonight's stream someone typed my apartment number and street into chat and said he'll be "
    "waiting outside with a knife when I finish. I got screenshots.",
    "metadata": {"stream_id": "live-7781", "attachments": [{"name": "chat.png", "size": 20480, "type": "image/png"}]},
}


@dataclass
class RecordingSender:
    """The escalation webhook receiver: records every signed POST and accepts it."""

    bodies: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        assert url == HOOK and headers["X-Triage-Signature"].startswith("sha256=")
        self.bodies.append(json.loads(body))
        return 204

    def events(self) -> list[str]:
        return [b["event"] for b in self.bodies]


@dataclass
class Desk:
    services: Services
    client: TestClient
    tokens: dict[str, str]
    sender: RecordingSender
    clock: ManualClock

    def h(self, who: str = "specialist") -> dict[str, str]:
        return auth(self.tokens[who])

    def ingest(self, body: dict[str, Any]) -> int:
        response = self.client.post("/v1/messages", json=body, headers=self.h())
        assert response.status_code == 202, response.text
        case_id: int = response.json()["case_id"]
        return case_id

    def case(self, case_id: int) -> dict[str, Any]:
        response = self.client.get(f"/v1/cases/{case_id}", headers=self.h("admin"))
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def drain(self) -> int:
        return drain(self.services)

    def escalated(self, body: dict[str, Any]) -> dict[str, Any]:
        case_id = self.ingest(body)
        self.drain()
        case = self.case(case_id)
        assert case["status"] == "escalated", case["status"]
        return case


@pytest.fixture
def desk(make_services: Any, clock: ManualClock) -> Iterator[Desk]:
    sender = RecordingSender()
    services: Services = make_services(escalation_webhook_url=HOOK, escalation_webhook_secret="s3cret")
    services._built["webhook_sender"] = sender  # the Services override hook, as tests/escalation does
    names = {"specialist": "spec-ana", "specialist2": "spec-ben", "lead": "lead-lee", "admin": "admin-ada"}
    tokens = {key: add_user(services, name, key.rstrip("2")) for key, name in names.items()}
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        yield Desk(services, client, tokens, sender, clock)


@pytest.fixture
def desk_on(make_services: Any, clock: ManualClock, database_url: str) -> Iterator[Desk]:
    """The desk on SQLite and on PostgreSQL (for what the database itself enforces)."""
    services: Services = make_services(database_url)
    names = {"specialist": "spec-ana", "lead": "lead-lee", "admin": "admin-ada"}
    tokens = {key: add_user(services, name, key) for key, name in names.items()}
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        yield Desk(services, client, tokens, RecordingSender(), clock)
