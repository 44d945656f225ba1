"""A preservation hold: the case refuses edits and deletion — in the API and in the database — until a lead
releases it; a privacy deletion waits for the release and then runs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from tests.safety.conftest import SELF_HARM, THREAT, Desk


def test_a_held_case_refuses_edits_and_deletion_until_a_lead_releases_it(desk_on: Desk) -> None:
    desk = desk_on
    case = desk.escalated(THREAT)
    holds = case["safety"]["holds"]
    assert [h["reason"] for h in holds] == ["violence_threat"]
    assert holds[0]["expires_at"].startswith("2027-11-01"), "365 days by default"
    message = case["messages"][0]
    url = f"/v1/cases/{case['id']}/messages/{message['id']}"

    edit = desk.client.patch(url, json={"body": "[redacted]", "reason": "requester asked"}, headers=desk.h())
    assert edit.status_code == 423 and "preservation hold" in edit.json()["detail"]
    deletion = desk.client.post("/v1/privacy/deletion-requests", json={"requester_id": "cr-threat"}, headers=desk.h())
    assert deletion.status_code == 202 and deletion.json()["status"] == "queued"
    assert deletion.json()["waiting_on_cases"] == [case["id"]]
    assert desk.case(case["id"])["messages"][0]["body"] == THREAT["body"]

    with Session(desk.services.engine) as session:  # the database refuses too, whatever code path tries
        for statement in ("UPDATE messages SET body = 'x' WHERE id = :id", "DELETE FROM messages WHERE id = :id"):
            with pytest.raises(DBAPIError, match="preservation hold"):
                session.execute(text(statement), {"id": message["id"]})
            session.rollback()
        with pytest.raises(DBAPIError, match="preservation hold"):
            session.execute(text("DELETE FROM case_events WHERE case_id = :id"), {"id": case["id"]})
        session.rollback()

    hold_id = holds[0]["id"]
    note = {"note": "reviewed with legal: no report made, period not needed"}
    assert desk.client.post(f"/v1/holds/{hold_id}/release", json=note, headers=desk.h()).status_code == 403
    released = desk.client.post(f"/v1/holds/{hold_id}/release", json=note, headers=desk.h("lead"))
    assert released.status_code == 200 and released.json()["deletions_executed"] == [deletion.json()["id"]]
    after = desk.case(case["id"])
    assert after["messages"][0]["body"].startswith("[erased") and after["messages"][0]["metadata"] == {}
    assert after["safety"]["holds"] == []
    kinds = [e["kind"] for e in after["events"]]
    assert {
        "preservation_hold_placed",
        "privacy_deletion_queued",
        "preservation_hold_released",
        "privacy_erased",
    } <= set(kinds)
    again = desk.client.post(f"/v1/holds/{hold_id}/release", json=note, headers=desk.h("lead"))
    assert again.status_code == 409


def test_an_unheld_case_is_corrected_and_deleted_at_once(desk: Desk) -> None:
    case = desk.escalated(SELF_HARM)
    assert case["safety"]["holds"] == [], "self-harm alone is not a preservation reason"
    message = case["messages"][0]
    url = f"/v1/cases/{case['id']}/messages/{message['id']}"
    edit = desk.client.patch(url, json={"body": "[redacted by request]", "reason": "data correction"}, headers=desk.h())
    assert edit.status_code == 200 and edit.json()["body"] == "[redacted by request]"
    note = {"body": "called her mum on +44 7700 900123, she is safe"}
    assert desk.client.post(f"/v1/cases/{case['id']}/notes", json=note, headers=desk.h()).status_code == 201
    deletion = desk.client.post("/v1/privacy/deletion-requests", json={"requester_id": "u-crisis"}, headers=desk.h())
    assert deletion.json()["status"] == "executed" and deletion.json()["erased_messages"] >= 1
    notes = desk.client.get(f"/v1/cases/{case['id']}/notes", headers=desk.h()).json()["items"]
    assert [n["body"] for n in notes] == ["[erased at the requester's request]"], "notes about them are erased too"


def test_holds_are_listed_for_the_desk(desk: Desk) -> None:
    case = desk.escalated(THREAT)
    listed = desk.client.get("/v1/holds", headers=desk.h()).json()["items"]
    assert [(h["case_id"], h["reason"]) for h in listed] == [(case["id"], "violence_threat")]
    assert listed[0]["messages_preserved"] == 1


def test_a_hold_past_its_period_lets_a_queued_deletion_run(desk: Desk) -> None:
    case = desk.escalated(THREAT)
    queued = desk.client.post("/v1/privacy/deletion-requests", json={"requester_id": "cr-threat"}, headers=desk.h())
    assert queued.json()["status"] == "queued"
    desk.clock.advance(days=366)
    later = desk.client.post("/v1/privacy/deletion-requests", json={"requester_id": "cr-threat"}, headers=desk.h())
    assert later.json()["status"] == "executed"
    first = desk.client.get("/v1/privacy/deletion-requests", headers=desk.h()).json()["items"][-1]
    assert first["id"] == queued.json()["id"] and first["status"] == "executed"
    events = desk.case(case["id"])["events"]
    released = [e for e in events if e["kind"] == "preservation_hold_released"]
    assert (
        released and released[0]["actor"] == "system" and released[0]["detail"]["note"] == "preservation period ended"
    )


def test_a_hold_ends_on_its_date_without_anyone_touching_the_case(desk: Desk) -> None:
    """The expiry job releases the hold at its end and runs the deletion that waited on it."""
    case = desk.escalated(THREAT)
    queued = desk.client.post("/v1/privacy/deletion-requests", json={"requester_id": "cr-threat"}, headers=desk.h())
    assert queued.json()["status"] == "queued"
    desk.drain()
    assert desk.case(case["id"])["safety"]["holds"], "nothing ends before its date"
    desk.clock.advance(days=366)
    desk.drain()
    after = desk.case(case["id"])
    assert after["safety"]["holds"] == [] and after["messages"][0]["body"].startswith("[erased")
    items = desk.client.get("/v1/privacy/deletion-requests", headers=desk.h()).json()["items"]
    assert [i["status"] for i in items] == ["executed"]
