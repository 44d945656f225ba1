"""The console's critical-case pages over HTTP: the close form, ownership, the escalation queue and the holds page."""

from __future__ import annotations

from tests.safety.conftest import SELF_HARM, THREAT, Desk
from tests.web.conftest import csrf_of, sign_in


def test_the_case_page_closes_a_critical_case_only_with_code_and_confirmation(desk: Desk) -> None:
    case = desk.escalated(SELF_HARM)
    sign_in(desk.client, desk.tokens["specialist"])
    page = desk.client.get(f"/cases/{case['id']}")
    assert 'id="approve-button" class="primary" type="submit" disabled' in page.text
    assert 'data-testid="close-critical-fields"' in page.text and "I confirm this case is safe to close" in page.text
    form = {
        "csrf_token": csrf_of(page.text),
        "action": "approve",
        "draft_id": str(case["draft"]["id"]),
        "case_version": str(case["version"]),
    }
    url = f"/cases/{case['id']}/decide"
    plain = desk.client.post(url, data=form, follow_redirects=False)
    assert plain.status_code == 409 and "resolution" in plain.text
    unconfirmed = desk.client.post(url, data={**form, "resolution": "resources_given"}, follow_redirects=False)
    assert unconfirmed.status_code == 409 and "confirm_critical" in unconfirmed.text
    closed = desk.client.post(
        url, data={**form, "resolution": "resources_given", "confirm_critical": "yes"}, follow_redirects=False
    )
    assert closed.status_code == 303 and "closed_critical" in closed.headers["location"]
    after = desk.client.get(closed.headers["location"])
    assert "closed with a resolution code" in after.text and 'data-testid="followup" data-status="open"' in after.text


def test_claim_from_the_case_page_and_the_escalation_and_holds_pages(desk: Desk) -> None:
    case = desk.escalated(THREAT)
    sign_in(desk.client, desk.tokens["specialist"])
    page = desk.client.get(f"/cases/{case['id']}")
    assert 'data-testid="hold"' in page.text and "cannot be edited or deleted" in page.text
    claimed = desk.client.post(
        f"/cases/{case['id']}/safety/claim", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert claimed.status_code == 303
    assert desk.case(case["id"])["safety"]["escalation"]["owner"] == "spec-ana"
    escalations = desk.client.get("/escalations")
    assert escalations.status_code == 200 and "acknowledged by spec-ana" in escalations.text
    holds = desk.client.get("/holds")
    assert f'href="/cases/{case["id"]}"' in holds.text and "violence threat" in holds.text
    assert "Release</button>" not in holds.text, "only a lead sees the release form"
    hold_id = case["safety"]["holds"][0]["id"]
    refused = desk.client.post(
        f"/holds/{hold_id}/release", data={"csrf_token": csrf_of(holds.text), "note": "no need"}, follow_redirects=False
    )
    assert refused.status_code == 403

    lead = desk.client.__class__(desk.client.app)
    with lead:
        sign_in(lead, desk.tokens["lead"])
        assert lead.get("/queue").status_code == 200 and lead.get("/escalations").status_code == 200
        holds = lead.get("/holds")
        assert "Release</button>" in holds.text
        released = lead.post(
            f"/holds/{hold_id}/release",
            data={"csrf_token": csrf_of(holds.text), "note": "legal reviewed: nothing to preserve"},
            follow_redirects=False,
        )
        assert released.status_code == 303
    assert desk.case(case["id"])["safety"]["holds"] == []


def test_the_police_demo_case_is_logged_from_the_console_and_a_statement_of_reasons_prepared(desk: Desk) -> None:
    from tests.safety.test_packets import _demo

    case_id = desk.ingest(_demo("demo-034"))
    desk.drain()
    assert desk.case(case_id)["category"] == "law_enforcement_request"
    sign_in(desk.client, desk.tokens["specialist"])
    page = desk.client.get(f"/cases/{case_id}")
    assert 'data-testid="legal-form"' in page.text
    form = {
        "csrf_token": csrf_of(page.text),
        "agency": "Lakeside Police Department",
        "legal_process": "preservation_request",
        "deadline": "2026-11-20",
        "requested": "Preserve records for @grey_fox_live",
    }
    logged = desk.client.post(f"/cases/{case_id}/safety/legal", data=form, follow_redirects=False)
    assert logged.status_code == 303
    packet = desk.client.get(logged.headers["location"])
    assert "Law-enforcement request intake" in packet.text and "preservation_request" in packet.text
    assert "2026-11-20T23:59" in packet.text and "disclose nothing" in packet.text
    escalations = desk.client.get("/escalations")
    assert "Lakeside Police Department" in escalations.text, "on the legal queue"

    threat = desk.escalated(THREAT)
    page = desk.client.get(f"/cases/{threat['id']}")
    sor = {
        "csrf_token": csrf_of(page.text),
        "kind": "statement_of_reasons",
        "restriction_type": "live_suspension",
        "duration_days": "14",
    }
    made = desk.client.post(f"/cases/{threat['id']}/safety/packets", data=sor, follow_redirects=False)
    assert made.status_code == 303
    shown = desk.client.get(made.headers["location"])
    assert "Statement of reasons (DSA Art. 17)" in shown.text and "live_suspension" in shown.text
    bad = desk.client.post(
        f"/cases/{threat['id']}/safety/packets", data={**sor, "restriction_type": "nonsense"}, follow_redirects=False
    )
    assert bad.status_code == 409 and "cannot be prepared" in bad.text
