"""The critical-flag playbooks are KB articles, and guardrails block replies that break them."""

from __future__ import annotations

from app.config import PROJECT_ROOT
from app.knowledge.articles import load_articles
from app.llm.prompts import load_prompt
from app.triage.guardrails.playbooks import playbook_findings
from tests.safety.conftest import THREAT, Desk


def _blocking(reply: str, *flags: str, category: str | None = None) -> list[str]:
    return [f.message for f in playbook_findings(reply, flags, category) if f.blocking]


def test_each_critical_flag_has_a_playbook_article() -> None:
    articles = {a.id: a for a in load_articles(PROJECT_ROOT / "knowledge_base")}
    for article_id in ("playbook-sextortion", "playbook-self-harm", "playbook-minors", "playbook-threats"):
        assert "safety_report" in articles[article_id].categories
        assert "never" in articles[article_id].body.lower()


def test_the_reviewed_safety_template_follows_every_playbook() -> None:
    template = load_prompt(PROJECT_ROOT / "prompts", "safety_reply")
    for flag in ("self_harm", "extortion", "minor_safety", "violence_threat"):
        findings = playbook_findings(template.render(flags=[flag], locale="en"), [flag], "safety_report")
        assert findings == [], (flag, findings)


def test_replies_that_break_a_playbook_are_blocked() -> None:
    assert _blocking("It may be easiest to pay them and move on.", "extortion")
    assert _blocking("Please send us the images so we can check them.", "extortion")
    assert _blocking("You should delete the messages and your account.", "extortion")
    assert not _blocking(
        "Please don't pay them. Keep screenshots of the messages; Take It Down can help remove images.", "extortion"
    )
    assert _blocking("Try to calm down, it is not a big deal. Call 988.", "self_harm")
    assert _blocking("We will keep you safe. Call 988 any time.", "self_harm")
    assert _blocking("We're here for you.", "self_harm"), "a self-harm reply without a crisis resource"
    assert _blocking("Could you send us her photos and tell us her school?", "minor_safety")
    assert _blocking("It was probably a joke, just ignore it.", "violence_threat")
    assert _blocking("The user's email is a@b.example.", category="law_enforcement_request")
    assert not _blocking(
        "Thank you, detective; we have passed your request to our legal team.", category="law_enforcement_request"
    )


def test_an_edit_that_breaks_the_threat_playbook_is_refused(desk: Desk) -> None:
    case = desk.escalated(THREAT)
    body = {
        "action": "edit",
        "text": "It was probably a joke, just ignore it. Call the police if worried.",
        "draft_id": case["draft"]["id"],
        "case_version": case["version"],
        "confirm_critical": True,
        "resolution": "resources_given",
    }
    refused = desk.client.post(f"/v1/cases/{case['id']}/decisions", json=body, headers=desk.h())
    assert refused.status_code == 409 and "violence_threat playbook" in refused.json()["detail"]
    assert desk.case(case["id"])["status"] == "escalated"
