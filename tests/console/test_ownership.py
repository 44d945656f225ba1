"""Claim / assign / release for any case in the queue (issue 14), on the critical cases' ownership rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.safety.conftest import SELF_HARM, Desk

GIFT = {
    "channel": "in_app_chat",
    "external_id": "own-1",
    "thread_id": "own-thread",
    "sender": {"id": "u-own", "kind": "user", "name": "Ola"},
    "body": "My gift to the streamer never arrived but the coins left my balance.",
}


def _queue(desk: Desk, **params: Any) -> list[int]:
    response = desk.client.get("/v1/queue", params=params, headers=desk.h())
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _own(desk: Desk, case_id: int, who: str, **body: Any) -> Any:
    return desk.client.post(f"/v1/cases/{case_id}/ownership", json=body, headers=desk.h(who))


def test_an_ordinary_case_is_claimed_assigned_and_released_and_the_queue_shows_its_owner(desk: Desk) -> None:
    case_id = desk.ingest(GIFT)
    desk.drain()
    assert _own(desk, case_id, "specialist", action="claim").json() == {"case_id": case_id, "owner": "spec-ana"}
    assert desk.case(case_id)["owner"] == "spec-ana"
    assert desk.case(case_id)["safety"]["escalation"] is None, "owning a case does not escalate it"
    assert _queue(desk, owner="spec-ana") == [case_id] and _queue(desk, unassigned="true") == []
    assert desk.client.get("/v1/escalations", headers=desk.h()).json()["items"] == []

    taken = _own(desk, case_id, "specialist2", action="claim")
    assert taken.status_code == 409 and "owned by spec-ana" in taken.json()["detail"]
    refused = _own(desk, case_id, "specialist2", action="assign", owner="no-such-user")
    assert refused.status_code == 409 and "'no-such-user' is not an active specialist" in refused.json()["detail"]
    assert _own(desk, case_id, "specialist2", action="assign", owner="lead-lee").json()["owner"] == "lead-lee"
    not_yours = _own(desk, case_id, "specialist", action="release")
    assert not_yours.status_code == 409 and "owned by lead-lee" in not_yours.json()["detail"]
    assert _own(desk, case_id, "lead", action="release").json()["owner"] is None
    assert _queue(desk, unassigned="true") == [case_id]
    events = [e["kind"] for e in desk.case(case_id)["events"] if e["kind"].startswith("case_")]
    assert events[-3:] == ["case_claimed", "case_assigned", "case_released"]


def test_an_owned_case_that_turns_critical_keeps_its_owner_who_must_acknowledge(desk: Desk) -> None:
    case_id = desk.ingest(GIFT)
    desk.drain()
    _own(desk, case_id, "specialist", action="claim")
    again = desk.ingest({**SELF_HARM, "thread_id": "own-thread", "sender": GIFT["sender"], "external_id": "own-2"})
    assert again == case_id
    desk.drain()
    escalation = desk.case(case_id)["safety"]["escalation"]
    assert escalation["owner"] == "spec-ana" and escalation["acked_at"] is None, "a new acknowledgement is due"
    assert [w["case_id"] for w in desk.client.get("/v1/escalations", headers=desk.h()).json()["items"]] == [case_id]
    # an escalation is assigned by a lead only; its owner releasing it restarts the acknowledgement clock
    assign = _own(desk, case_id, "specialist2", action="assign", owner="spec-ben")
    assert assign.status_code == 409 and "a lead assigns it" in assign.json()["detail"]
    assert _own(desk, case_id, "specialist", action="claim").json()["owner"] == "spec-ana"
    assert desk.case(case_id)["safety"]["escalation"]["acked_by"] == "spec-ana"
    desk.clock.advance(minutes=5)
    assert _own(desk, case_id, "specialist", action="release").json()["owner"] is None
    escalation = desk.case(case_id)["safety"]["escalation"]
    assert escalation["owner"] is None and escalation["acked_at"] is None and escalation["open"]


def test_bulk_ownership_and_queue_views_answer_each_case_and_name_bad_input(desk: Desk) -> None:
    first = desk.ingest(GIFT)
    old = desk.ingest(
        {
            **GIFT,
            "external_id": "own-old",
            "thread_id": "own-old",
            "received_at": (desk.clock.now() - timedelta(days=5)).isoformat(),
        }
    )
    critical = desk.ingest({**SELF_HARM, "external_id": "own-crit"})
    desk.drain()
    bulk = desk.client.post(
        "/v1/queue/ownership",
        json={"case_ids": [first, old, 999_999], "action": "assign", "owner": "spec-ben"},
        headers=desk.h(),
    )
    assert bulk.status_code == 200, bulk.text
    assert bulk.json()["done"] == [{"case_id": first, "owner": "spec-ben"}, {"case_id": old, "owner": "spec-ben"}]
    assert bulk.json()["refused"] == [{"case_id": 999_999, "reason": "case 999999 not found"}]
    assert sorted(_queue(desk, owner="spec-ben")) == [first, old]
    assert _queue(desk, unassigned="true") == [critical]
    assert _queue(desk, severity="critical") == [critical]
    assert _queue(desk, breaching="true") == [old]

    for body, word in (
        ({"action": "assign"}, "owner: assign needs"),
        ({"action": "claim", "owner": "spec-ben"}, "owner: only assign"),
        ({"action": "steal"}, "action"),
    ):
        response = _own(desk, first, "specialist", **body)
        assert response.status_code == 422 and word in response.text, response.text
    both = desk.client.get("/v1/queue", params={"owner": "x", "unassigned": "true"}, headers=desk.h())
    assert both.status_code == 422 and "choose one" in both.json()["detail"]
    assert desk.client.get("/v1/queue", params={"severity": "dire"}, headers=desk.h()).status_code == 422
