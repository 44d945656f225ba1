"""KB gaps and draft failures, from the API: a category the KB stopped covering, a draft that failed for good
and was answered by hand. The scripted provider (app/llm/fake.py) decides category and failure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.llm.fake import FakeProvider
from app.llm.provider import ProviderError
from app.llm.schemas import DraftRequest
from app.main import create_app
from app.services import Services
from tests.conftest import add_user, auth, drain

LAW_ENFORCEMENT_ARTICLES = ("law-enforcement-requests", "law-enforcement-emergency-disclosure")


def fail_on_marker(request: DraftRequest) -> ProviderError | None:
    if "[unreachable]" in request.message:
        return ProviderError("model endpoint unavailable", retryable=False)
    return None


@pytest.fixture
def desk(make_services: Any, database_url: str) -> Iterator[tuple[TestClient, Services, dict[str, str]]]:
    services: Services = make_services(
        database_url, provider=FakeProvider(category="law_enforcement_request", fail=fail_on_marker)
    )
    users = {role: add_user(services, f"gap-{role}", role) for role in ("specialist", "policy_writer", "qa")}
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        yield client, services, users


def retire_category(client: TestClient, token: str, article_id: str, category: str) -> None:
    """Rewrite an article through the KB API as a short pointer that no longer lists ``category``.

    (Short on purpose: re-embedding the full article would cost seconds on a busy machine.)
    """
    content = client.get(f"/v1/kb/articles/{article_id}", headers=auth(token)).json()["content"]
    front = content.split("---", 2)[1]

    def without(match: re.Match[str]) -> str:
        kept = [c.strip() for c in match.group(1).split(",") if c.strip() != category]
        return f"categories: [{', '.join(kept or ['feedback_other'])}]"

    front = re.sub(r"categories: \[(.*?)\]", without, front, count=1)
    assert category not in front
    stub = f"---{front}---\n# Moved\n\nThese requests are handled by the legal team's own handbook now.\n"
    response = client.put(f"/v1/kb/articles/{article_id}", json={"content": stub}, headers=auth(token))
    assert response.status_code == 200, response.text


def ingest(client: TestClient, token: str, number: int, body: str) -> int:
    message = {"channel": "email", "external_id": f"le-{number}", "sender": {"id": f"u-{number}", "kind": "user"}}
    response = client.post("/v1/messages", json={**message, "body": body}, headers=auth(token))
    assert response.status_code == 202, response.text
    case_id: int = response.json()["case_id"]
    return case_id


def report(client: TestClient, token: str) -> dict[str, Any]:
    # Both ends are dates: the report covers the whole of 1 November (the test clock's day).
    response = client.get(
        "/v1/reports/service", params={"since": "2026-11-01", "until": "2026-11-01"}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_kb_gaps_and_draft_failures(desk: tuple[TestClient, Services, dict[str, str]]) -> None:
    client, services, users = desk
    for article_id in LAW_ENFORCEMENT_ARTICLES:
        retire_category(client, users["policy_writer"], article_id, "law_enforcement_request")

    police = "Officer Reyes here, county police. Under subpoena 24-118 send the email and IP of user @moonbake."
    first = ingest(client, users["specialist"], 1, police)
    second = ingest(client, users["specialist"], 2, police.replace("24-118", "24-119"))
    failed = ingest(client, users["specialist"], 3, "[unreachable] my payout is late")
    drain(services)

    before = report(client, users["qa"])
    assert before["drafting"]["dead_jobs"] == 1 and before["drafting"]["cases_draft_failed"] == 1
    assert [e for e in before["drafting"]["errors"] if "model endpoint unavailable" in e]
    assert before["response_times"]["first_draft"]["cases"] == 2  # the failed case never got a draft

    # No draft to approve: the specialist rejects the (missing) draft and writes the reply by hand.
    handwritten = client.post(
        f"/v1/cases/{failed}/decisions",
        json={"action": "reject", "reason": "needs_investigation", "text": "We are checking your payout now."},
        headers=auth(users["specialist"]),
    )
    assert handwritten.status_code == 201, handwritten.text

    gaps = report(client, users["qa"])["kb_gaps"]
    assert gaps["categories_without_article"] == ["law_enforcement_request"]
    assert gaps["cases_with_gap"] == 3
    groups = {g["category"]: g for g in gaps["by_category"]}
    assert groups["law_enforcement_request"] == {
        "category": "law_enforcement_request",
        "has_article": False,
        "cases": 2,
        "uncited_drafts": 0,  # the drafts cited something, just nothing written for this category
        "case_ids": [second, first],
    }
    assert groups["feedback_other"] == {
        "category": "feedback_other",
        "has_article": True,
        "cases": 1,
        "uncited_drafts": 1,
        "case_ids": [failed],
    }

    # One day of history is too little to judge a trend: no spike, and the reason is given.
    trends = client.get("/v1/insights/trends", params={"min_count": 2}, headers=auth(users["qa"])).json()
    assert trends["spikes"] == []
    assert all(w["skipped"] and "history" in w["skipped"] for w in trends["windows"])
