"""Each referral packet renders from a demo case with the fields its recipient needs; a person reviews it first."""

from __future__ import annotations

from typing import Any

from app.demo.seed import demo_messages
from tests.safety.conftest import Desk
from tests.web.conftest import sign_in


def _demo(external_id: str) -> dict[str, Any]:
    message = next(m for m, _age in demo_messages(7) if m.external_id == external_id)
    return message.model_dump(mode="json", exclude_none=True)


def test_cybertipline_packet_from_the_child_on_live_demo_case(desk: Desk) -> None:
    case = desk.escalated(_demo("demo-027"))  # a girl of about 10 hosting a LIVE, adults asking her to dance
    assert "minor_safety" in [f["code"] for f in case["risk_flags"]]
    assert [h["reason"] for h in case["safety"]["holds"]] == ["minor_safety"]
    made = desk.client.post(f"/v1/cases/{case['id']}/packets", json={"kind": "cybertipline"}, headers=desk.h())
    assert made.status_code == 201, made.text
    packet = made.json()
    payload = packet["payload"]
    assert packet["status"] == "draft"
    assert payload["incidentSummary"]["incidentType"] == "Online Enticement of Children for Sexual Acts"
    assert payload["incidentSummary"]["incidentDateTime"] == case["messages"][0]["received_at"].replace("Z", "+00:00")
    assert {"screenName": "sunnyfam_daily"}.items() <= payload["personOrUserReported"][0].items()
    assert payload["internetDetails"][0]["messageExternalId"] == "demo-027"
    assert payload["childVictim"]["agesStated"] == [10]
    assert "hosting a LIVE" in payload["additionalInfo"], "the reporter's narrative"
    assert payload["preservation"][0]["reason"] == "minor_safety"

    review = f"/v1/packets/{packet['id']}/review"
    assert desk.client.post(review, json={"approve": True}, headers=desk.h()).status_code == 403, "a lead reviews"
    approved = desk.client.post(review, json={"approve": True, "note": "checked the handle"}, headers=desk.h("lead"))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    sign_in(desk.client, desk.tokens["specialist"])
    page = desk.client.get(f"/packets/{packet['id']}")
    assert page.status_code == 200 and "CyberTipline report data" in page.text
    for field in ("incidentType", "personOrUserReported", "sunnyfam_daily", "additionalInfo", "approved"):
        assert field in page.text

    ordinary = desk.ingest(_demo("demo-040"))
    refused = desk.client.post(f"/v1/cases/{ordinary}/packets", json={"kind": "cybertipline"}, headers=desk.h())
    assert refused.status_code == 409 and "minor_safety" in refused.json()["detail"]


def test_law_enforcement_request_from_the_police_demo_case_goes_to_the_legal_queue(desk: Desk) -> None:
    case_id = desk.ingest(_demo("demo-034"))  # Det. Quinn asks to preserve @grey_fox_live's records
    desk.drain()
    intake = {
        "case_id": case_id,
        "agency": "Lakeside Police Department, Cyber Unit",
        "officer": "Det. Laura Quinn",
        "legal_process": "preservation_request",
        "reference": "25-0417",
        "deadline": "2026-11-08T17:00:00Z",
        "requested": "Preserve all records for @grey_fox_live for 90 days pending a court order",
        "accounts": ["@grey_fox_live"],
    }
    made = desk.client.post("/v1/legal/requests", json=intake, headers=desk.h())
    assert made.status_code == 201, made.text
    payload = made.json()["payload"]
    assert payload["agency"] == intake["agency"] and payload["legalProcess"] == "preservation_request"
    assert payload["deadline"].startswith("2026-11-08T17:00") and payload["routedTo"] == "legal"
    assert "disclose nothing" in payload["supportReply"]
    legal = desk.client.get("/v1/legal/queue", headers=desk.h()).json()["items"]
    assert [p["case_id"] for p in legal] == [case_id]
    case = desk.case(case_id)
    assert case["category"] == "law_enforcement_request"
    assert "law_enforcement_request" in [h["reason"] for h in case["safety"]["holds"]]

    leaky = "Thanks, detective. The account is registered to grey.fox@example.com and last logged in from Ohio."
    seen = {"draft_id": case["draft"]["id"], "case_version": case["version"]}
    refused = desk.client.post(
        f"/v1/cases/{case_id}/decisions", json={"action": "edit", "text": leaky, **seen}, headers=desk.h()
    )
    assert refused.status_code == 409 and "discloses account information" in refused.json()["detail"]


def test_statement_of_reasons_from_the_threat_demo_case(desk: Desk) -> None:
    case = desk.escalated(_demo("demo-028"))  # a creator threatened with a knife outside her home
    restriction = {
        "type": "account_suspension",
        "duration_days": 30,
        "facts": "Threatened a creator in LIVE chat.",
        "flags": ["violence_threat"],
    }
    made = desk.client.post(
        f"/v1/cases/{case['id']}/packets",
        json={"kind": "statement_of_reasons", "restriction": restriction},
        headers=desk.h(),
    )
    assert made.status_code == 201, made.text
    sor = made.json()["payload"]
    assert sor["decision"]["type"] == "account_suspension" and sor["decision"]["durationDays"] == 30
    assert sor["decision"]["categories"] == ["STATEMENT_CATEGORY_VIOLENCE"]
    assert sor["facts"] == "Threatened a creator in LIVE chat."
    assert "playbook-threats" in [p["article_id"] for p in sor["ground"]["policy"]], "the KB ground is cited"
    assert sor["automatedMeans"]["detection"] is True and sor["automatedMeans"]["decision"] is False
    assert {r["kind"] for r in sor["redress"]} == {
        "internal_complaint",
        "out_of_court_dispute_settlement",
        "judicial_redress",
    }
    sign_in(desk.client, desk.tokens["specialist"])
    page = desk.client.get(f"/packets/{made.json()['id']}")
    assert "Statement of reasons (DSA Art. 17)" in page.text and "judicial_redress" in page.text
