"""Poison input over HTTP, on SQLite and PostgreSQL: each is a 4xx naming the field, never a 500, and nothing
stored can take a read path down for everyone (issue 16: year-9999 dates, NUL, NaN, lone surrogates, big ids)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.cases.models import Case, Message
from app.services import Services
from tests.conftest import auth
from tests.web.conftest import csrf_of, sign_in

MESSAGE: dict[str, Any] = {
    "channel": "api",
    "external_id": "poison-1",
    "sender": {"id": "u-poison", "kind": "user", "name": "Pat"},
    "subject": "coins",
    "body": "I paid for coins and they never arrived",
    "metadata": {"transaction_id": "TX-1"},
}
ARTICLE = """---
id: {id}
title: {title}
categories: [gift_transaction]
locale: en
version: 1
effective_date: 2026-11-01
owner: payments-policy
---
# Gift wrapping fees

## Summary
Premium gift wrapping costs 5 Coins per gift.

## Reply guidance
Premium wrapping costs 5 Coins per gift and is charged when the gift is sent.
"""


def post_raw(client: TestClient, token: str, text: str) -> Any:
    """POST a JSON text as is: httpx's json= cannot send NaN, 1e400 or lone surrogates, but a client can."""
    return client.post(
        "/v1/messages", content=text.encode(), headers={**auth(token), "content-type": "application/json"}
    )


def with_field(path: str, value: Any) -> dict[str, Any]:
    message = json.loads(json.dumps(MESSAGE))
    target = message
    *parents, last = path.split(".")
    for key in parents:
        target = target[key]
    target[last] = value
    return message


def assert_names(response: Any, field: str, words: str) -> None:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    located = [e for e in detail if field in ".".join(str(p) for p in e["loc"])]
    assert located, f"no error names {field}: {detail}"
    assert words.lower() in located[0]["msg"].lower(), located[0]["msg"]


@pytest.mark.parametrize(
    "received_at",
    [
        "9999-12-31T00:00:00Z",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
        "1999-12-31T23:59:59Z",
        pytest.param((datetime.now(UTC) + timedelta(days=2)).isoformat(), id="two-days-ahead"),
    ],
)
def test_absurd_received_at_is_refused_and_the_queue_stays_up(
    client: TestClient, tokens: dict[str, str], received_at: str
) -> None:
    token = tokens["integration"]
    response = client.post("/v1/messages", json=with_field("received_at", received_at), headers=auth(token))
    assert_names(response, "received_at", "outside the accepted window")
    ok = client.post("/v1/messages", json=with_field("received_at", "2021-03-04T05:06:07Z"), headers=auth(token))
    assert ok.status_code == 202, ok.text
    queue = client.get("/v1/queue", headers=auth(tokens["specialist"]))
    assert queue.status_code == 200 and queue.json()["total"] == 1


def test_a_year_9999_row_already_stored_does_not_break_the_queue_or_the_console(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    accepted = client.post("/v1/messages", json=MESSAGE, headers=auth(tokens["specialist"])).json()
    far = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    with Session(services.engine) as session:  # what an ingest before the bound could store
        case = session.get(Case, accepted["case_id"])
        message = session.get(Message, accepted["message_id"])
        assert case is not None and message is not None
        case.first_received_at = case.last_message_at = message.received_at = far
        session.commit()
    queue = client.get("/v1/queue", headers=auth(tokens["specialist"]))
    assert queue.status_code == 200, queue.text
    item = queue.json()["items"][0]
    assert item["age_minutes"] == 0 and item["sla_breached"] is False
    assert item["sla_due_at"].startswith("9999-12-31")
    assert client.get(f"/v1/cases/{accepted['case_id']}", headers=auth(tokens["specialist"])).status_code == 200
    assert sign_in(client, tokens["specialist"]).status_code == 303
    for page in ("/queue", "/queue/rows", f"/cases/{accepted['case_id']}"):
        response = client.get(page)
        assert response.status_code == 200, f"{page}: {response.status_code}"


@pytest.mark.parametrize(
    "field",
    ["body", "subject", "external_id", "thread_id", "sender.id", "sender.name", "metadata.note"],
)
@pytest.mark.parametrize(("bad", "words"), [("a\x00b", "NUL"), ("a\ud800b", "unicode")])
def test_text_the_database_cannot_hold_is_a_422_naming_the_field(
    client: TestClient, tokens: dict[str, str], field: str, bad: str, words: str
) -> None:
    # ensure_ascii writes \u0000 and \ud800 as escapes, exactly as a client's JSON encoder would
    response = post_raw(client, tokens["integration"], json.dumps(with_field(field, bad)))
    assert_names(response, field.split(".")[0] if field.startswith("metadata") else field.split(".")[-1], words)
    assert client.get("/v1/queue", headers=auth(tokens["specialist"])).json()["total"] == 0


@pytest.mark.parametrize("key", ["a\x00b", "\ud800"])
def test_metadata_keys_are_checked_too(client: TestClient, tokens: dict[str, str], key: str) -> None:
    response = post_raw(client, tokens["integration"], json.dumps(with_field("metadata", {key: 1})))
    assert_names(response, "metadata", "a key contains")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"amount": 1e400}', "not a json number"),
        ('{"amount": NaN}', "not a json number"),
        ('{"nested": {"deep": [Infinity]}}', "metadata.nested.deep[0]"),
        ('{"amount": -Infinity}', "not a json number"),
        (json.dumps({"id": 2**64}), "does not fit in 64 bits"),
        (json.dumps({"a": json.loads("[" * 30 + "]" * 30)}), "nested deeper"),
    ],
)
def test_metadata_must_be_json_both_databases_can_store(
    client: TestClient, tokens: dict[str, str], raw: str, words: str
) -> None:
    text = json.dumps(MESSAGE).replace('{"transaction_id": "TX-1"}', raw)
    assert_names(post_raw(client, tokens["integration"], text), "metadata", words)
    assert client.get("/v1/queue", headers=auth(tokens["specialist"])).status_code == 200


def test_ids_and_offsets_beyond_the_integer_columns_are_422(client: TestClient, tokens: dict[str, str]) -> None:
    specialist, writer = auth(tokens["specialist"]), auth(tokens["policy_writer"])
    for big in (2**31, 2**63, 10**30):
        assert_names(client.get(f"/v1/cases/{big}", headers=specialist), "case_id", "less than or equal")
        decision = client.post(f"/v1/cases/{big}/decisions", json={"action": "approve"}, headers=specialist)
        assert_names(decision, "case_id", "less than or equal")
        assert_names(client.get(f"/v1/queue?offset={big}", headers=specialist), "offset", "less than or equal")
        version = client.get(f"/v1/kb/articles/refund-policy/versions/{big}", headers=writer)
        assert_names(version, "version", "less than or equal")
    assert client.get(f"/v1/cases/{2**31 - 1}", headers=specialist).status_code == 404
    far_page = client.get(f"/v1/queue?offset={2**31 - 1}", headers=specialist)
    assert far_page.status_code == 200 and far_page.json()["items"] == []
    assert sign_in(client, tokens["specialist"]).status_code == 303
    assert client.get(f"/cases/{2**31}").status_code == 422
    assert client.get(f"/cases/{2**31 - 1}").status_code == 404


def test_queue_filters_and_search_refuse_what_they_cannot_match(client: TestClient, tokens: dict[str, str]) -> None:
    specialist = auth(tokens["specialist"])
    assert_names(client.get("/v1/queue?channel=fax%00", headers=specialist), "channel", "input should be")
    assert_names(client.get("/v1/kb/search?q=refund%00", headers=specialist), "q", "NUL")
    assert_names(client.get("/v1/kb/search?q=refund&locale=e%00n", headers=specialist), "locale", "NUL")
    assert client.get("/v1/kb/search?q=refund", headers=specialist).status_code == 200


def test_decision_text_the_database_cannot_hold_is_refused_over_the_api_and_the_console(
    client: TestClient, tokens: dict[str, str]
) -> None:
    specialist = auth(tokens["specialist"])
    case_id = client.post("/v1/messages", json=MESSAGE, headers=specialist).json()["case_id"]
    for body, field, words in (
        ({"action": "edit", "text": "Hello\x00there"}, "text", "NUL"),
        ({"action": "escalate", "note": "see \x00"}, "note", "NUL"),
        ({"action": "escalate", "note": "see \ud800"}, "note", "unicode"),
    ):
        response = client.post(
            f"/v1/cases/{case_id}/decisions",
            content=json.dumps(body).encode(),
            headers={**specialist, "content-type": "application/json"},
        )
        assert_names(response, field, words)
    assert sign_in(client, tokens["specialist"]).status_code == 303
    page = client.get(f"/cases/{case_id}")
    form = {"csrf_token": csrf_of(page.text), "action": "edit", "text": "Hello\x00there"}
    refused = client.post(f"/cases/{case_id}/decide", data=form, follow_redirects=False)
    assert refused.status_code == 422 and "NUL" in refused.text
    view = client.get(f"/v1/cases/{case_id}", headers=specialist).json()
    assert view["status"] == "new" and view["decisions"] == []


@pytest.mark.parametrize(
    ("article_id", "field", "words"),
    [
        ("a" * 121, "id", "at most 120"),
        ('"gift-wrapping-fees\\n"', "id", "kebab-case"),
        ("gift-wrapping-fees", "title", "at most 300"),
    ],
)
def test_article_ids_and_titles_must_fit_the_columns_and_file_names(
    client: TestClient, services: Services, tokens: dict[str, str], article_id: str, field: str, words: str
) -> None:
    title = "T" * 301 if field == "title" else "Gift wrapping fees"
    content = ARTICLE.format(id=article_id, title=title)
    response = client.post("/v1/kb/articles", json={"content": content}, headers=auth(tokens["policy_writer"]))
    assert response.status_code == 422, response.text
    error = response.json()["detail"][0]
    assert error["loc"][-1] == field and words in error["msg"], error
    kb_dir = services.settings.knowledge_dir
    assert isinstance(kb_dir, Path)
    assert not [p for p in kb_dir.rglob("*") if "\n" in p.name or p.name.startswith("gift-wrapping")]


def test_article_content_and_path_ids_the_database_cannot_hold(client: TestClient, tokens: dict[str, str]) -> None:
    writer = auth(tokens["policy_writer"])
    content = ARTICLE.format(id="gift-wrapping-fees", title="Gift\x00 wrapping")
    assert_names(client.post("/v1/kb/articles", json={"content": content}, headers=writer), "content", "NUL")
    for bad in ("a" * 121, "refund%00policy", "refund%0A"):
        assert client.get(f"/v1/kb/articles/{bad}", headers=writer).status_code == 422
        put = client.put(f"/v1/kb/articles/{bad}", json={"content": content}, headers=writer)
        assert put.status_code == 422
    assert client.get("/v1/kb/articles/no-such-article", headers=writer).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [("until=9999-12-31", "until"), ("since=0001-01-01T00:00:00%2B01:00", "since"), ("until=1999-01-01", "until")],
)
def test_report_periods_outside_the_stored_range_are_422(
    client: TestClient, tokens: dict[str, str], query: str, field: str
) -> None:
    response = client.get(f"/v1/reports/service?{query}", headers=auth(tokens["qa"]))
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{field}:")


def test_metadata_numbers_as_text_do_not_break_the_case_page(client: TestClient, tokens: dict[str, str]) -> None:
    """Strings are valid metadata; the requester panel reads numbers out of them and must not overflow."""
    meta = {"lifetime_spend_usd": "1e400", "account_age_days": "NaN"}
    case_id = client.post("/v1/messages", json=with_field("metadata", meta), headers=auth(tokens["specialist"]))
    assert case_id.status_code == 202, case_id.text
    assert sign_in(client, tokens["specialist"]).status_code == 303
    page = client.get(f"/cases/{case_id.json()['case_id']}")
    assert page.status_code == 200 and "top spender" not in page.text


@pytest.mark.parametrize("value", ["[" * 100_000 + "]" * 100_000, "9" * 5_000])
def test_json_the_parser_refuses_is_a_400(client: TestClient, tokens: dict[str, str], value: str) -> None:
    """100,000 levels of nesting (a RecursionError) or a 5,000-digit integer (past Python's int limit)."""
    text = json.dumps(MESSAGE).replace('{"transaction_id": "TX-1"}', '{"a": ' + value + "}")
    response = post_raw(client, tokens["integration"], text)
    assert response.status_code == 400 and "parsing the body" in response.text
