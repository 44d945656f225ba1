"""The escalation queue: an owner and an acknowledgement deadline per critical case; silence re-alerts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.main import create_app
from tests.conftest import add_user, auth, drain
from tests.safety.conftest import SELF_HARM, THREAT, Desk


def test_an_unacknowledged_critical_case_re_alerts_until_someone_claims_it(desk: Desk) -> None:
    case = desk.escalated(SELF_HARM)
    watch = case["safety"]["escalation"]
    assert watch["owner"] is None and watch["acked_at"] is None and not watch["ack_overdue"]
    assert desk.sender.events() == ["case.escalated"]

    desk.clock.advance(minutes=14)
    assert desk.drain() == 0, "nothing is due before the 15-minute deadline"
    desk.clock.advance(minutes=2)
    assert desk.drain() == 2, "the ack check ran and queued a second webhook, which was delivered"
    assert desk.sender.events() == ["case.escalated", "case.ack_overdue"]
    overdue = desk.sender.bodies[-1]
    assert overdue["case_id"] == case["id"] and overdue["realert"] == 1 and "self_harm" in overdue["risk_flags"]
    assert "end my life" not in str(overdue), "the webhook never carries message text"

    queue = desk.client.get("/v1/queue", headers=desk.h()).json()["items"]
    assert queue[0]["id"] == case["id"] and queue[0]["acknowledged"] is False
    escalations = desk.client.get("/v1/escalations", headers=desk.h()).json()["items"]
    assert escalations[0]["case_id"] == case["id"] and escalations[0]["realerts"] == 1

    desk.clock.advance(minutes=16)
    desk.drain()
    assert desk.sender.events().count("case.ack_overdue") == 2, "it keeps alerting while nobody answers"

    claimed = desk.client.post(f"/v1/cases/{case['id']}/claim", headers=desk.h())
    assert claimed.status_code == 200 and claimed.json()["owner"] == "spec-ana" and claimed.json()["acked_at"]
    desk.clock.advance(hours=2)
    desk.drain()
    assert desk.sender.events().count("case.ack_overdue") == 2, "an acknowledged case does not re-alert"
    kinds = [e["kind"] for e in desk.case(case["id"])["events"]]
    assert kinds.count("ack_overdue_realert") == 2 and "case_claimed" in kinds and "case_acknowledged" in kinds


def test_unacknowledged_escalations_sit_above_acknowledged_ones(desk: Desk) -> None:
    first = desk.escalated(SELF_HARM)
    second = desk.escalated(THREAT)
    desk.client.post(f"/v1/cases/{first['id']}/claim", headers=desk.h())
    queue = [c["id"] for c in desk.client.get("/v1/queue", headers=desk.h()).json()["items"]]
    assert queue[:2] == [second["id"], first["id"]]


def test_claim_assign_and_hand_over_are_audited_and_restart_the_clock(desk: Desk) -> None:
    case_id = desk.escalated(THREAT)["id"]
    url = f"/v1/cases/{case_id}"
    assert desk.client.post(f"{url}/assign", json={"owner": "spec-ben"}, headers=desk.h()).status_code == 403
    assigned = desk.client.post(f"{url}/assign", json={"owner": "spec-ben"}, headers=desk.h("lead"))
    assert (
        assigned.status_code == 200 and assigned.json()["owner"] == "spec-ben" and assigned.json()["acked_at"] is None
    )
    taken = desk.client.post(f"{url}/claim", headers=desk.h())
    assert taken.status_code == 409 and "spec-ben" in taken.json()["detail"]
    acked = desk.client.post(f"{url}/ack", headers=desk.h("specialist2"))
    assert acked.json()["acked_by"] == "spec-ben"

    note = {"to": "spec-ana", "note": "police called back; she has the screenshots"}
    assert desk.client.post(f"{url}/handover", json=note, headers=desk.h()).status_code == 409, "only the owner"
    desk.clock.advance(minutes=5)
    handed = desk.client.post(f"{url}/handover", json=note, headers=desk.h("specialist2")).json()
    assert handed["owner"] == "spec-ana" and handed["acked_at"] is None, "the new owner must acknowledge"
    nobody = {"to": "nobody-at-all", "note": "x" * 5}
    assert desk.client.post(f"{url}/handover", json=nobody, headers=desk.h()).status_code == 409
    events = [(e["kind"], e["actor"]) for e in desk.case(case_id)["events"]]
    assert ("case_assigned", "lead-lee") in events and ("case_handed_over", "spec-ben") in events


def test_the_deadline_is_per_flag(make_services: Any, clock: ManualClock) -> None:
    services = make_services(ack_minutes=15, ack_minutes_by_flag={"self_harm": 5})
    token = add_user(services, "s", "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        case_id = client.post("/v1/messages", json=SELF_HARM, headers=auth(token)).json()["case_id"]
        drain(services)
        watch = client.get(f"/v1/cases/{case_id}", headers=auth(token)).json()["safety"]["escalation"]
    assert datetime.fromisoformat(watch["ack_due_at"]) == clock.now() + timedelta(minutes=5)
