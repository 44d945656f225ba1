"""Flag corrections in the console: a specialist adds or removes a risk flag on the case page with a reason (the
same ``correct_flag`` the API calls), and QA sees the flag model's per-flag scores and the corrections waiting.

Every outcome is checked through the API too: a correction made in the console must be the correction an API
call would have made (audited, applied to the case, listed as training data for the next model).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.deps import get_flag_model
from app.main import create_app
from app.taxonomy import RISK_FLAGS
from tests.conftest import add_user, auth
from tests.web.conftest import Console, LiveServer, browser_sign_in, csrf_of, message, sign_in

SCAM = message(
    "web-flag-1",
    "A guy who says he is from StreamNest staff asked me for my login code to 'verify' my account. "
    "I gave it to him and now my coins are gone.",
    sender="u-web-flag",
)
# Not critical: adding it must not escalate the case, so the page keeps its decision controls.
ADDED = "chargeback_threat"


def _flags_panel(html: str) -> str:
    start = html.index('aria-label="Risk flags"')
    return html[start : html.index("</section>", start)]


def _shown_flags(html: str) -> list[str]:
    return re.findall(r'data-testid="flag" data-flag="([a-z_]+)"', _flags_panel(html))


def _addable(html: str) -> list[str]:
    select = _flags_panel(html).split('id="flag-add-code"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([a-z_]+)"', select)


def _flag_codes(console: Console, case_id: int) -> set[str]:
    return {f["code"] for f in console.case(case_id)["risk_flags"]}


def _post(console: Console, case_id: int, page: str, **data: str) -> Any:
    return console.client.post(
        f"/cases/{case_id}/flags", data={"csrf_token": csrf_of(page), **data}, follow_redirects=False
    )


def _scam_case(console: Console) -> tuple[int, str]:
    case_id = console.drafted_case(SCAM)
    flags = sorted(_flag_codes(console, case_id))
    assert flags and ADDED not in flags, flags
    return case_id, flags[0]


def test_a_specialist_removes_a_flag_with_a_reason_and_the_page_shows_the_correction(console: Console) -> None:
    case_id, removed = _scam_case(console)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    assert removed in _shown_flags(page) and removed not in _addable(page)
    flag_html = _flags_panel(page).split(f'data-flag="{removed}"', 1)[1].split('data-testid="flag"', 1)[0]
    source = next(f["source"] for f in console.case(case_id)["risk_flags"] if f["code"] == removed)
    assert source in {"rule", "model", "llm", "history"}
    assert f'data-testid="flag-source" title="who raised this flag">{source}</span>' in flag_html
    assert f'action="/cases/{case_id}/flags"' in flag_html and 'name="reason" required' in flag_html

    done = _post(console, case_id, page, action="remove", code=removed, reason="  the requester was not scammed  ")

    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/cases/{case_id}?notice=flag_remove&flag={removed}"
    after = console.client.get(done.headers["location"])
    assert after.status_code == 200
    assert f"Case #{case_id}: {removed} removed" in after.text.split('data-testid="notice"', 1)[1]
    assert removed not in _shown_flags(after.text) and removed in _addable(after.text)
    corrections = _flags_panel(after.text).split('data-testid="flag-corrections"', 1)[1]
    assert (
        "web-specialist" in corrections and f"removed {removed}</strong>: the requester was not scammed" in corrections
    )

    case = console.case(case_id)
    assert removed not in {f["code"] for f in case["risk_flags"]}
    event = [e for e in case["events"] if e["kind"] == "flag_corrected"][-1]
    assert event["actor"] == "web-specialist"
    assert event["detail"] == {**event["detail"], "code": removed, "action": "remove"}
    assert event["detail"]["reason"] == "the requester was not scammed", "the reason is stored trimmed"


def test_a_specialist_adds_a_flag_and_it_shows_as_the_specialists(console: Console) -> None:
    case_id, _flag = _scam_case(console)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    assert ADDED in _addable(page)

    done = _post(console, case_id, page, action="add", code=ADDED, reason="she says she will dispute the charge")

    assert done.status_code == 303, done.text
    after = console.client.get(done.headers["location"]).text
    assert f"Case #{case_id}: {ADDED} added" in after
    assert ADDED in _shown_flags(after) and ADDED not in _addable(after)
    added_html = _flags_panel(after).split(f'data-flag="{ADDED}"', 1)[1].split('data-testid="flag"', 1)[0]
    assert "source-specialist" in added_html and ">specialist</span>" in added_html
    assert f"added {ADDED}</strong>: she says she will dispute the charge" in after
    added = [f for f in console.case(case_id)["risk_flags"] if f["code"] == ADDED]
    assert added and added[0]["source"] == "specialist"
    assert console.case(case_id)["status"] == "awaiting_review"
    assert 'id="approve-button"' in after, "the decision controls (and their shortcuts) are still on the page"


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"action": "remove", "reason": ""}, 422, "needs a reason"),
        ({"action": "remove"}, 422, "needs a reason"),
        ({"action": "remove", "reason": "  x "}, 422, "needs a reason"),
        ({"action": "remove", "reason": "y" * 501}, 422, "keep it to 500"),
        ({"action": "remove", "reason": "bad\x00byte"}, 422, "NUL"),
        ({"action": "erase", "reason": "a good reason"}, 422, "add or remove"),
        ({"action": "add", "code": "", "reason": "a good reason"}, 422, "Choose a flag"),
        ({"action": "add", "code": "evil_flag", "reason": "a good reason"}, 422, "Unknown flag"),
        ({"action": "remove", "code": ADDED, "reason": "it is not there"}, 409, f"does not have {ADDED}"),
    ],
)
def test_a_refused_correction_shows_the_case_again_with_the_message(
    console: Console, data: dict[str, str], status: int, says: str
) -> None:
    case_id, flag = _scam_case(console)
    before = _flag_codes(console, case_id)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text

    refused = _post(console, case_id, page, **{"code": flag, **data})

    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("text/html")
    error = refused.text.split('data-testid="flag-error"', 1)[1].split("</p>", 1)[0]
    assert says in error
    assert f"Case #{case_id}" in refused.text and set(_shown_flags(refused.text)) >= before
    assert _flag_codes(console, case_id) == before
    assert not [e for e in console.case(case_id)["events"] if e["kind"] == "flag_corrected"]


def test_a_refused_correction_keeps_what_the_specialist_typed(console: Console) -> None:
    case_id, _flag = _scam_case(console)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    refused = _post(console, case_id, page, action="add", code="", reason="she <b>will</b> dispute it")
    assert refused.status_code == 422
    panel = _flags_panel(refused.text)
    assert 'id="add-flag-panel" open' in panel
    assert 'value="she &lt;b&gt;will&lt;/b&gt; dispute it"' in panel, "kept, and escaped"


def test_a_correction_without_the_csrf_token_changes_nothing(console: Console) -> None:
    case_id, flag = _scam_case(console)
    sign_in(console.client, console.tokens["specialist"])
    form = {"action": "remove", "code": flag, "reason": "not what happened"}
    for extra in ({}, {"csrf_token": "forged"}):
        refused = console.client.post(f"/cases/{case_id}/flags", data={**form, **extra}, follow_redirects=False)
        assert refused.status_code == 403 and "expired" in refused.text
    assert flag in _flag_codes(console, case_id)
    console.client.cookies.clear()
    stranger = console.client.post(f"/cases/{case_id}/flags", data=form, follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")
    assert flag in _flag_codes(console, case_id)


@pytest.mark.parametrize("role", ["policy_writer", "qa"])
def test_only_specialists_and_admins_correct_flags(console: Console, role: str) -> None:
    case_id, flag = _scam_case(console)
    sign_in(console.client, console.tokens[role])
    token = csrf_of(console.client.get("/kb").text)
    refused = console.client.post(
        f"/cases/{case_id}/flags", data={"csrf_token": token, "action": "remove", "code": flag, "reason": "nope nope"}
    )
    assert refused.status_code == 403 and "specialist" in refused.text
    assert flag in _flag_codes(console, case_id)

    console.client.cookies.clear()
    sign_in(console.client, console.tokens["admin"])
    page = console.client.get(f"/cases/{case_id}").text
    assert _post(console, case_id, page, action="remove", code=flag, reason="admin says no").status_code == 303
    assert flag not in _flag_codes(console, case_id)


def test_a_missing_case_is_a_404_page(console: Console) -> None:
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get("/queue").text
    missing = _post(console, 999_999, page, action="add", code=ADDED, reason="a good reason")
    assert missing.status_code == 404 and "There is no case #999999" in missing.text


def test_qa_sees_the_flag_models_scores_and_the_corrections_waiting(console: Console) -> None:
    case_id, removed = _scam_case(console)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    assert (
        _post(console, case_id, page, action="remove", code=removed, reason="not a scam after all").status_code == 303
    )
    page = console.client.get(f"/cases/{case_id}").text
    assert _post(console, case_id, page, action="add", code=ADDED, reason="threatens a chargeback").status_code == 303

    console.client.cookies.clear()
    sign_in(console.client, console.tokens["qa"])
    qa = console.client.get("/qa")
    assert qa.status_code == 200
    assert "<title>QA · Triage Desk</title>" in qa.text and qa.text.count('data-testid="flag-model"') == 1
    assert qa.text.index('data-testid="stats"') < qa.text.index('data-testid="flag-model"'), "below the decisions"
    api = console.client.get("/v1/flag-model", headers=auth(console.tokens["qa"])).json()
    section = qa.text.split('data-testid="flag-model"', 1)[1]
    assert f'data-testid="flag-model-version">{api["model"]["version"]}<' in section
    assert api["model"]["embedder"] in section and f"{api['model']['corpus_rows']}" in section

    table = section.split('data-testid="flag-model-table"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<tr data-flag="([a-z_]+)"', table) == list(RISK_FLAGS)
    for row in api["test_split"]["per_flag"]:
        html = table.split(f'data-flag="{row["code"]}"', 1)[1].split("</tr>", 1)[0]
        assert f"<td>{row['code']}</td>" in html and f">{row['severity']}</span>" in html
        if row["recall"] is not None:
            low, high = row["recall_ci"]
            assert f"{row['recall'] * 100:.1f}%" in html and f"({low * 100:.1f}–{high * 100:.1f})" in html
            assert f'<td class="num">{row["support"]}</td>' in html
    assert api["test_split"]["per_flag"][0]["recall"] is not None, "the shipped model has test scores"
    assert 'data-flag="critical"' in table
    assert f"({api['test_split']['hard_negatives_falsely_critical']['count']} of" in section
    for lang in api["test_split"]["critical_by_language"]:
        assert f'data-lang="{lang}"' in section

    assert api["corrections_pending"] == 2
    waiting = section.split('data-testid="corrections-pending"', 1)[1].split("</p>", 1)[0]
    assert "<strong>2</strong> corrections waiting for the next <code>triage model train</code>" in waiting
    corrections = section.split('data-testid="flag-corrections"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr data-correction=", corrections)
    assert len(rows) == 2
    newest = corrections.split("<tr data-correction=", 2)[1]
    assert f"#{case_id}" in newest and f"<td>{ADDED}</td>" in newest and "<td>add</td>" in newest
    assert "threatens a chargeback" in newest and "web-specialist" in newest and "waiting" in newest
    assert f'href="/cases/{case_id}"' not in corrections, "QA cannot open case pages: no dead links"

    console.client.cookies.clear()
    sign_in(console.client, console.tokens["admin"])
    assert f'href="/cases/{case_id}"' in console.client.get("/qa").text


def test_the_qa_page_says_so_when_no_flag_model_is_loaded(make_services: Any) -> None:
    services = make_services()
    token = add_user(services, "web-qa-nomodel", "qa")
    app = create_app(services.settings, services, run_worker=False)
    app.dependency_overrides[get_flag_model] = lambda: None
    with TestClient(app) as client:
        sign_in(client, token)
        page = client.get("/qa")
    assert page.status_code == 200
    assert 'data-testid="flag-model-missing"' in page.text and "<strong>0</strong> corrections waiting" in page.text
    table = page.text.split('data-testid="flag-model-table"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<tr data-flag="([a-z_]+)"', table) == list(RISK_FLAGS)


@pytest.mark.browser
def test_removing_a_flag_in_the_browser_leaves_the_shortcuts_alone(page: Any, live_server: LiveServer) -> None:
    """Typing a reason full of shortcut letters (a, e, r, j, k) must not approve, open panels or navigate."""
    case_id = live_server.drafted_case(SCAM)
    flag = sorted(f["code"] for f in live_server.case(case_id)["risk_flags"])[0]
    browser_sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.click(f'[data-flag="{flag}"] details.flag-fix > summary')
    page.click(f"#flag-remove-reason-{flag}")
    page.keyboard.type("a real account recovery, not a scam: jk")
    assert page.evaluate("document.getElementById('edit-panel').open") is False
    assert page.evaluate("document.getElementById('reject-panel').open") is False
    assert live_server.case(case_id)["status"] == "awaiting_review"
    page.click(f'[data-flag="{flag}"] button[type=submit]')
    page.wait_for_selector('[data-testid="notice"]')
    assert f"{flag} removed" in page.inner_text('[data-testid="notice"]')
    assert page.url.endswith(f"/cases/{case_id}?notice=flag_remove&flag={flag}")

    case = live_server.case(case_id)
    assert flag not in {f["code"] for f in case["risk_flags"]}
    event = [e for e in case["events"] if e["kind"] == "flag_corrected"][-1]
    assert event["detail"]["reason"] == "a real account recovery, not a scam: jk"

    page.keyboard.press("e")  # the page's shortcuts still work once the field is left
    assert page.evaluate("document.activeElement.id") == "edit-text"
