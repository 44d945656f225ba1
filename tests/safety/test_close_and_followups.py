"""No one-keystroke close of a critical case; a promised follow-up becomes a task that keeps the case in view."""

from __future__ import annotations

from app.clock import ManualClock
from app.config import Settings
from app.safety.followups import due_for, promised_followups
from tests.safety.conftest import SELF_HARM, THREAT, Desk


def _decide(desk: Desk, case: dict, **body: object) -> tuple[int, dict]:
    seen = {"draft_id": case["draft"]["id"], "case_version": case["version"]}
    response = desk.client.post(f"/v1/cases/{case['id']}/decisions", json={**seen, **body}, headers=desk.h())
    return response.status_code, response.json()


def test_a_critical_case_closes_only_with_confirmation_and_a_code_then_its_follow_up_is_tracked(desk: Desk) -> None:
    case = desk.escalated(SELF_HARM)
    assert "will follow up with you" in case["draft"]["reply"]

    status, body = _decide(desk, case, action="approve")
    assert status == 409 and "confirm_critical" in body["detail"] and "resolution" in body["detail"]
    status, body = _decide(desk, case, action="approve", resolution="resources_given")
    assert status == 409 and "confirm_critical" in body["detail"]
    status, body = _decide(desk, case, action="approve", confirm_critical=True)
    assert status == 409 and "resolution" in body["detail"]
    status, body = _decide(desk, case, action="approve", confirm_critical=True, resolution="false_positive")
    assert status == 422 and "reason the flag was wrong" in str(body)
    assert desk.case(case["id"])["status"] == "escalated", "nothing was sent by the refused attempts"

    status, body = _decide(desk, case, action="approve", confirm_critical=True, resolution="resources_given")
    assert status == 201 and body["case_status"] == "resolved" and body["resolution"] == "resources_given"
    assert len(body["followups"]) == 1

    after = desk.case(case["id"])
    safety = after["safety"]
    assert safety["resolutions"][0]["code"] == "resources_given" and safety["resolutions"][0]["actor"] == "spec-ana"
    assert safety["escalation"]["open"] is False
    task = safety["followups"][0]
    assert task["status"] == "open" and "follow up with you" in task["promise"]
    assert task["due_at"].startswith("2026-11-02T12:00"), "due in TRIAGE_FOLLOWUP_DUE_HOURS (24) by default"
    assert any(e["kind"] == "critical_case_closed" and e["detail"]["confirmed"] for e in after["events"])

    queue = desk.client.get("/v1/queue", headers=desk.h()).json()["items"]
    row = next(c for c in queue if c["id"] == case["id"])
    assert row["status"] == "resolved" and row["open_followups"] == 1, "a promise keeps the case in the queue"
    done = desk.client.post(
        f"/v1/followups/{task['id']}/done", json={"note": "called, she is with family"}, headers=desk.h()
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    queue = desk.client.get("/v1/queue", headers=desk.h()).json()["items"]
    assert case["id"] not in [c["id"] for c in queue]
    assert desk.client.post(f"/v1/followups/{task['id']}/done", json={}, headers=desk.h()).status_code == 409


def test_a_false_positive_close_records_a_flag_correction(desk: Desk) -> None:
    case = desk.escalated(THREAT)
    reason = "song lyrics quoted from her own stream, no threat"
    status, body = _decide(
        desk,
        case,
        action="edit",
        text="Thanks for the report; we reviewed it.",
        confirm_critical=True,
        resolution="false_positive",
        note=reason,
    )
    assert status == 201, body
    after = desk.case(case["id"])
    assert "violence_threat" not in [f["code"] for f in after["risk_flags"]]
    corrections = [e for e in after["events"] if e["kind"] == "flag_corrected"]
    assert (
        corrections and corrections[0]["detail"]["action"] == "remove" and reason in corrections[0]["detail"]["reason"]
    )
    qa = desk.client.get("/v1/flag-model", headers=desk.h("admin")).json()
    assert any(reason in str(c) for c in qa["corrections"]), "the correction waits for the next training run"


def test_an_ordinary_case_still_approves_with_one_keystroke(desk: Desk) -> None:
    from tests.web.conftest import COINS

    case_id = desk.ingest(COINS)
    desk.drain()
    status, body = _decide(desk, desk.case(case_id), action="approve")
    assert status == 201 and body["resolution"] is None


def test_follow_up_promises_are_found_in_replies_and_set_the_due_time() -> None:
    settings = Settings(followup_due_hours=24)
    now = ManualClock().now()
    assert promised_followups("A member of our safety team will follow up with you.")
    assert promised_followups("We'll get back to you within 48 hours with the result.")
    assert promised_followups("Nuestro equipo te contactará pronto.")
    assert not promised_followups("We can't follow up on reports made to other apps.")
    assert not promised_followups("Your coins were credited. Thanks for your patience!")
    assert (due_for("We'll get back to you within 48 hours.", now, settings) - now).total_seconds() == 48 * 3600
    assert (due_for("We will follow up soon.", now, settings) - now).total_seconds() == 24 * 3600
