"""Screening runs ahead of drafting: a critical message escalates before the drafts of the messages ahead of it."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.cases.models import Case
from app.services import Services
from app.triage.models import Draft
from tests.api.test_flow import COINS
from tests.conftest import auth

THREAT = {
    "channel": "in_app_chat",
    "external_id": "threat-1",
    "sender": {"id": "creator-9", "kind": "creator"},
    "body": "a viewer says he will kill me if I go live tonight, he posted my home address in the chat",
}


def run_until_escalated(services: Services, case_id: int) -> tuple[int, int]:
    """Run jobs as a worker would until the case is escalated; the jobs run and the drafts written by then."""
    worker = services.worker()
    jobs = 0
    while asyncio.run(worker.run_once()):
        jobs += 1
        with Session(services.engine) as session:
            case = session.get(Case, case_id)
            assert case is not None
            if case.status == "escalated":
                return jobs, session.exec(select(func.count()).select_from(Draft)).one()
    raise AssertionError("the critical case was never escalated")


def test_a_critical_message_escalates_before_the_backlog_is_drafted(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]
    for i in range(6):
        ordinary = {**COINS, "external_id": f"backlog-{i}", "sender": {"id": f"user-{i}", "kind": "user"}}
        assert client.post("/v1/messages", json=ordinary, headers=auth(token)).status_code == 202
    critical = client.post("/v1/messages", json=THREAT, headers=auth(token)).json()

    jobs, drafts = run_until_escalated(services, critical["case_id"])

    assert drafts == 0, "no ordinary draft may be written before a threatened creator is escalated"
    assert jobs == 7, "the rule screens of the six messages ahead, then the threat's own"
    case = client.get(f"/v1/cases/{critical['case_id']}", headers=auth(tokens["specialist"])).json()
    assert case["status"] == "escalated" and case["priority"] == "P0"
    screened = [e for e in case["events"] if e["kind"] == "screened"]
    assert screened and "violence_threat" in screened[0]["detail"]["flags"]
    queue = client.get("/v1/queue", headers=auth(tokens["specialist"])).json()["items"]
    assert queue[0]["id"] == critical["case_id"], "escalated by the screen, it tops the queue before its draft"


def test_the_draft_of_a_critical_case_jumps_the_draft_backlog(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]
    for i in range(3):
        ordinary = {**COINS, "external_id": f"backlog-{i}", "sender": {"id": f"user-{i}", "kind": "user"}}
        client.post("/v1/messages", json=ordinary, headers=auth(token))
    critical = client.post("/v1/messages", json=THREAT, headers=auth(token)).json()
    worker = services.worker()
    first_draft: list[Any] = []
    while asyncio.run(worker.run_once()):
        with Session(services.engine) as session:
            draft = session.exec(select(Draft).order_by(Draft.id)).first()  # type: ignore[arg-type]
            if draft is not None:
                first_draft.append(draft.case_id)
                break
    assert first_draft == [critical["case_id"]], "the safety reply is written before any ordinary draft"
