"""Internal notes (issue 14): the team sees them; the requester, the model and the audit text never do."""

from __future__ import annotations

from tests.console.test_ownership import GIFT
from tests.safety.conftest import Desk

SECRET = "Checked ledger: TX-SECRET-4471 refunded twice before, watch for abuse"


def test_a_note_is_kept_for_the_team_and_never_reaches_the_draft_or_the_thread(desk: Desk) -> None:
    case_id = desk.ingest(GIFT)
    desk.drain()
    posted = desk.client.post(f"/v1/cases/{case_id}/notes", json={"body": f"  {SECRET}  "}, headers=desk.h())
    assert posted.status_code == 201, posted.text
    assert posted.json()["body"] == SECRET and posted.json()["author"] == "spec-ana"
    notes = desk.client.get(f"/v1/cases/{case_id}/notes", headers=desk.h("specialist2")).json()["items"]
    assert [n["body"] for n in notes] == [SECRET], "every specialist on the desk sees it"

    redraft = desk.client.post(f"/v1/cases/{case_id}/decisions", json={"action": "redraft"}, headers=desk.h())
    assert redraft.status_code == 201, redraft.text
    desk.drain()
    case = desk.case(case_id)
    assert "TX-SECRET-4471" not in str(case["draft"]), "the new draft was written without the note"
    assert all("TX-SECRET" not in m["body"] for m in case["messages"]), "a note is not a message"
    added = [e for e in case["events"] if e["kind"] == "note_added"]
    assert len(added) == 1 and "TX-SECRET" not in str(added[0]), "the audit log says a note was written, not what"

    for body, status, word in (
        ({"body": "   "}, 422, "a note needs some text"),
        ({"body": "x" * 4001}, 422, "4000"),
        ({}, 422, "body"),
    ):
        response = desk.client.post(f"/v1/cases/{case_id}/notes", json=body, headers=desk.h())
        assert response.status_code == status and word in response.text, response.text
    assert desk.client.post("/v1/cases/999999/notes", json={"body": "hi"}, headers=desk.h()).status_code == 404
