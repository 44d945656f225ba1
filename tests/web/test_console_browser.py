"""The console in a real browser (Debian's Chromium via Playwright) against a live uvicorn server.

Each test checks the outcome through the API, not only what the page says: a decision made in the browser
must be the same Decision row an API call would have made.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import COINS, LiveServer, browser_sign_in, drain_outside_loop, message

pytestmark = pytest.mark.browser

ARTICLE = "account-2fa-and-login-problems"


def test_sign_in_then_the_queue_updates_itself_and_obeys_the_keyboard(page: Any, live_server: LiveServer) -> None:
    first = live_server.drafted_case(COINS)
    browser_sign_in(page, live_server, "specialist")
    assert page.url.endswith("/queue")
    page.goto(live_server.url + "/queue?refresh=2")
    page.wait_for_selector(f'tr[data-case-id="{first}"]')
    page.evaluate("window.__sameDocument = true")

    second = live_server.drafted_case(message("web-live-2", "My gift never reached the streamer.", sender="u-live-2"))
    page.wait_for_selector(f'tr[data-case-id="{second}"]', timeout=8_000)
    assert page.evaluate("window.__sameDocument === true"), "the queue reloaded the whole page"
    assert page.inner_text('[data-testid="queue-total"]') == "2"

    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert page.is_hidden("#help")

    page.keyboard.press("j")
    selected = page.get_attribute("tr.selected", "data-case-id")
    assert selected in (str(first), str(second))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/cases/{selected}$"))
    assert page.is_visible('[data-testid="draft-reply"]')


def test_approve_a_draft_with_the_keyboard(page: Any, live_server: LiveServer) -> None:
    case_id = live_server.drafted_case(COINS)
    reply = live_server.case(case_id)["draft"]["reply"]
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")
    assert page.inner_text('[data-testid="draft-reply"]').strip() == reply.strip()
    page.keyboard.press("a")
    page.wait_for_selector('[data-testid="notice"]')
    assert f"Case #{case_id} approved" in page.inner_text('[data-testid="notice"]')

    case = live_server.case(case_id)
    assert case["status"] == "resolved"
    assert [d["action"] for d in case["decisions"]] == ["approve"]
    assert case["decisions"][0]["actor"] == "web-specialist"
    assert case["messages"][-1]["direction"] == "outbound" and case["messages"][-1]["body"] == reply


def test_edit_shows_a_diff_then_sends_the_edited_reply(page: Any, live_server: LiveServer) -> None:
    case_id = live_server.drafted_case(COINS)
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "edit-text"
    final = "Hi Mia, we found purchase TX-88231-AB and credited your 1,000 coins. Sorry for the wait!"
    page.fill("#edit-text", final)
    page.wait_for_selector('[data-testid="edit-diff"] ins')
    assert "TX-88231-AB" in page.inner_text(
        '[data-testid="edit-diff"] ins >> nth=0'
    ) or "TX-88231-AB" in page.inner_text('[data-testid="edit-diff"]')
    page.click("#send-edit-button")
    page.wait_for_selector('[data-testid="notice"]')
    assert "edited reply was sent" in page.inner_text('[data-testid="notice"]')

    case = live_server.case(case_id)
    decision = case["decisions"][-1]
    assert case["status"] == "resolved"
    assert decision["action"] == "edit" and decision["text"] == final and decision["edit_distance"] > 0
    assert case["messages"][-1]["body"] == final


def test_reject_with_a_reason_requests_a_new_draft(page: Any, live_server: LiveServer) -> None:
    case_id = live_server.drafted_case(COINS)
    first_draft = live_server.case(case_id)["draft"]["id"]
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reject-reason"
    page.select_option("#reject-reason", "wrong_policy")
    page.fill("#reject-note", "cites the refund article, should be recharge")
    page.click("#reject-button")
    page.wait_for_selector('[data-testid="notice"]')

    case = live_server.case(case_id)
    decision = case["decisions"][-1]
    assert decision["action"] == "reject" and decision["reason"] == "wrong_policy"
    assert decision["note"] == "cites the refund article, should be recharge"
    assert case["status"] == "awaiting_review"
    assert drain_outside_loop(live_server.services) == 1, "the rejection should have queued exactly one new draft"
    assert live_server.case(case_id)["draft"]["id"] != first_draft


def test_policy_writer_edits_an_article_and_search_finds_the_new_text(page: Any, live_server: LiveServer) -> None:
    phrase = "Backup codes printed on paper stay valid for ninety days"
    browser_sign_in(page, live_server, "policy_writer")
    assert page.url.endswith("/kb")
    page.goto(f"{live_server.url}/kb/{ARTICLE}/edit")
    content = page.input_value("#kb-content")
    page.fill("#kb-content", content.replace("## Policy\n", f"## Policy\n{phrase}.\n\n", 1))
    page.wait_for_selector(f'[data-testid="preview-body"] >> text={phrase}')
    with page.expect_navigation(url=re.compile(rf"/kb/{ARTICLE}/v/2"), timeout=60_000):
        page.click("#publish-button")  # publishing re-embeds the article: allow for a slow, shared machine
    assert phrase in page.inner_text('[data-testid="article-body"]')
    assert "version 2" in page.inner_text('[data-testid="article-version"]')

    page.click('header nav a[href="/kb"]')
    page.fill("#kb-q", phrase)
    page.press("#kb-q", "Enter")
    page.wait_for_selector('[data-testid="kb-hit"]')
    hits = page.locator('[data-testid="kb-hit"]').all_inner_texts()
    assert any(f"{ARTICLE} v2" in hit and phrase in hit for hit in hits), hits

    page.goto(f"{live_server.url}/kb/{ARTICLE}/history")
    newest = page.locator('[data-testid="history-entry"]').first
    added = newest.locator(".dl-add").all_inner_texts()
    assert any(phrase in line for line in added) and "+version: 2" in added


def test_a_specialist_cannot_open_the_kb_editor(page: Any, live_server: LiveServer) -> None:
    browser_sign_in(page, live_server, "specialist")
    response = page.goto(f"{live_server.url}/kb/{ARTICLE}/edit")
    assert response is not None and response.status == 403
    assert "Not allowed" in page.inner_text("h1")
    assert "policy_writer" in page.inner_text('[role="alert"]')
    page.goto(f"{live_server.url}/kb/{ARTICLE}")
    assert page.locator(f'a[href="/kb/{ARTICLE}/edit"]').count() == 0
