"""A critical case in a real browser: `a` does not close it; claiming, a resolution code and a confirmation do,
and the follow-up the reply promised shows on the case and in the queue."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.safety.conftest import SELF_HARM
from tests.web.conftest import LiveServer, browser_sign_in, drain_outside_loop

pytestmark = pytest.mark.browser


def test_a_specialist_closes_a_critical_case_only_with_a_code_and_a_confirmation(
    page: Any, live_server: LiveServer
) -> None:
    case_id = live_server.ingest(SELF_HARM)
    drain_outside_loop(live_server.services)
    assert live_server.case(case_id)["status"] == "escalated"
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")

    assert page.is_disabled("#approve-button")
    page.keyboard.press("a")
    assert "nobody" in page.inner_text('[data-testid="owner"]')
    page.click("#claim-button")  # a form posted by `a` would have been sent before this one
    page.wait_for_selector('[data-testid="notice"]')
    assert page.inner_text('[data-testid="owner"]').strip() == "web-specialist"
    claimed = live_server.case(case_id)
    assert claimed["status"] == "escalated" and claimed["decisions"] == [], "`a` closed nothing"

    page.select_option("#close-resolution", "resources_given")
    page.click("#critical-close-button")  # the confirmation box is required: the browser does not submit
    assert page.evaluate("document.querySelector('#close-confirm').validity.valueMissing")
    assert live_server.case(case_id)["decisions"] == []
    page.check("#close-confirm")
    with page.expect_navigation(url=re.compile(rf"/cases/{case_id}\?notice=closed_critical")):
        page.click("#critical-close-button")
    assert "closed with a resolution code" in page.inner_text('[data-testid="notice"]')
    followup = page.inner_text('[data-testid="followup"]')
    assert "Follow up with the requester" in followup and "due" in followup

    case = live_server.case(case_id)
    assert case["status"] == "resolved"
    assert case["safety"]["resolutions"][0]["code"] == "resources_given"
    assert case["decisions"][-1]["actor"] == "web-specialist"
    page.goto(f"{live_server.url}/queue")
    row = page.locator(f'tr[data-case-id="{case_id}"]')
    assert "1 follow-up due" in row.inner_text()
