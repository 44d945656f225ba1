"""The console as a team's all-day workplace (issue 14), in Chromium at 1,280 × 800 and 1,920 × 1,080; every page
visited is also saved as a screenshot in var/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import auth
from tests.safety.conftest import SELF_HARM
from tests.web.conftest import LiveServer, browser_sign_in, drain_outside_loop, message
from tests.web.screens import no_horizontal_scroll, shoot, sized

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_csp_from_local_assets(page: Any, live_server: LiveServer) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    for _ in sized(page):
        page.goto(live_server.url + "/docs")
        page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15_000)
        assert "/v1/messages" in page.inner_text("#swagger-ui")
        shoot(page, "docs")
    assert outside == [], f"/docs fetched from elsewhere: {outside}"


def _wide_queue(server: LiveServer) -> dict[str, int]:
    """A queue with long subjects and names, a critical case, an old (breaching) one and many flags."""
    long_subject = "Coins charged twice on my card and never credited to my balance after the weekend LIVE " * 2
    ids = {
        "coins": server.ingest({**message("desk-1", "I paid for 1,000 coins and got none."), "subject": long_subject}),
        "old": server.ingest(
            {
                **message("desk-2", "My gift never reached the streamer.", sender="u-desk-2"),
                "received_at": (server.services.clock.now() - timedelta(days=5)).isoformat(),
                "sender": {"id": "u-desk-2", "kind": "creator", "name": "Alexandria Montgomery-Featherstonehaugh"},
            }
        ),
        "critical": server.ingest(SELF_HARM),
    }
    drain_outside_loop(server.services)
    return ids


def test_the_queue_fits_one_line_per_case_with_owner_sla_and_saved_views(page: Any, live_server: LiveServer) -> None:
    ids = _wide_queue(live_server)
    with live_server.api() as api:
        assert api.post(f"/v1/cases/{ids['critical']}/claim", headers=auth(live_server.tokens["specialist"])).is_success
    browser_sign_in(page, live_server, "specialist")
    for _ in sized(page):
        page.goto(live_server.url + "/queue")
        page.wait_for_selector(f'tr[data-case-id="{ids["critical"]}"]')
        assert no_horizontal_scroll(page), "the queue scrolls sideways"
        heights = page.eval_on_selector_all(
            "tr[data-case-row]", "rows => rows.map(r => r.getBoundingClientRect().height)"
        )
        assert len(heights) == 3 and max(heights) < 40, f"rows are taller than one line: {heights}"
        owner = page.inner_text(f'tr[data-case-id="{ids["critical"]}"] [data-testid="queue-owner"]')
        assert owner.strip() == "web-specialist"
        assert page.inner_text(f'tr[data-case-id="{ids["old"]}"] [data-testid="queue-sla"]').startswith("−")
        shoot(page, "queue")

    shown = {}
    for view in ("mine", "unassigned", "critical", "breaching"):
        page.click(f'.views a[data-view="{view}"]')
        page.wait_for_selector(f'.views a[data-view="{view}"][aria-current="page"]')
        shown[view] = {
            int(i) for i in page.eval_on_selector_all("tr[data-case-row]", "rs => rs.map(r => r.dataset.caseId)")
        }
    assert shown == {
        "mine": {ids["critical"]},
        "unassigned": {ids["coins"], ids["old"]},
        "critical": {ids["critical"]},
        "breaching": {ids["old"]},
    }
    # a view and a filter combine, and the live refresh keeps the view
    page.select_option('select[name="category"]', "gift_transaction")
    page.click("form.filters button[type=submit]")
    assert "view=breaching" in page.url and "category=gift_transaction" in page.url
    assert "view=breaching" in (page.get_attribute("#queue-live", "hx-get") or "")


def test_claim_with_a_key_then_bulk_assign_selected_rows_from_the_keyboard(page: Any, live_server: LiveServer) -> None:
    first = live_server.drafted_case(message("desk-own-1", "My coins never arrived after paying."))
    second = live_server.drafted_case(message("desk-own-2", "The gift I sent vanished.", sender="u-own-2"))
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{first}")
    assert page.inner_text('[data-testid="case-owner"]') == "nobody"
    page.keyboard.press("c")
    page.wait_for_selector('[data-testid="notice"]')
    assert page.inner_text('[data-testid="case-owner"]') == "web-specialist"
    assert live_server.case(first)["owner"] == "web-specialist"
    for _ in sized(page):
        shoot(page, "case")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/queue?refresh=2")
    page.wait_for_selector(f'tr[data-case-id="{second}"]')
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.inner_text('[data-testid="bulk-count"]') == "2 selected"
    page.wait_for_timeout(2_500)  # one live refresh: the ticks survive it
    assert page.inner_text('[data-testid="bulk-count"]') == "2 selected"
    assert page.is_checked(f'tr[data-case-id="{second}"] input[data-bulk]')
    page.select_option("#bulk-owner", "web-admin")
    page.focus("#bulk-apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2 case(s) updated" in page.inner_text('[data-testid="notice"]')
    assert {live_server.case(i)["owner"] for i in (first, second)} == {"web-admin"}
    owners = page.eval_on_selector_all('[data-testid="queue-owner"]', "cells => cells.map(c => c.innerText.trim())")
    assert owners == ["web-admin", "web-admin"]


def test_an_internal_note_is_written_from_the_keyboard(page: Any, live_server: LiveServer) -> None:
    case_id = live_server.drafted_case(message("desk-note-1", "Where are my coins?"))
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == "note-text"
    page.keyboard.type("Called the payment provider: refund pending.")
    with page.expect_navigation():
        page.click("#note-button")
    assert "note saved" in page.inner_text('[data-testid="notice"]')
    assert "refund pending" in page.inner_text('[data-testid="note"]')
    with live_server.api() as api:
        notes = api.get(f"/v1/cases/{case_id}/notes").json()["items"]
    assert [(n["author"], n["body"]) for n in notes] == [
        ("web-specialist", "Called the payment provider: refund pending.")
    ]
