"""The console over HTTP (no browser): sign-in, sessions, CSRF, roles, escaping, and each page's content."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.deps import SESSION_COOKIE
from app.auth.models import ApiToken
from app.llm.fake import FakeProvider
from app.llm.provider import ProviderError
from app.main import create_app
from app.review.models import Decision
from app.web.assets import htmx_file
from tests.conftest import add_user, auth, drain
from tests.web.conftest import COINS, Console, csrf_of, message, sign_in


def test_sign_in_sets_a_strict_httponly_cookie_and_lands_on_the_role_home(console: Console) -> None:
    for role, home in (("specialist", "/queue"), ("policy_writer", "/kb"), ("qa", "/qa"), ("admin", "/queue")):
        console.client.cookies.clear()
        response = sign_in(console.client, console.tokens[role])
        assert response.status_code == 303 and response.headers["location"] == home
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        page = console.client.get(home)
        assert page.status_code == 200 and role.replace("_", " ") in page.text


def test_sign_in_refuses_bad_tokens_forged_forms_and_api_only_roles(console: Console) -> None:
    client = console.client
    bad = sign_in(client, "tdk_not-a-token")
    assert bad.status_code == 401 and "not valid" in bad.text
    integration = sign_in(client, console.tokens["integration"])
    assert integration.status_code == 401 and "only call the API" in integration.text
    client.get("/login")
    forged = client.post("/login", data={"token": console.tokens["admin"], "csrf_token": "x"}, follow_redirects=False)
    assert forged.status_code == 403 and SESSION_COOKIE not in client.cookies
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/login?next=/queue"


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(console: Console) -> None:
    assert sign_in(console.client, console.tokens["specialist"], next_path="/kb").headers["location"] == "/kb"
    console.client.cookies.clear()
    assert (
        sign_in(console.client, console.tokens["specialist"], next_path="//evil.example/x").headers["location"]
        == "/queue"
    )


def test_logout_revokes_the_session_even_for_a_copied_cookie(console: Console) -> None:
    client = console.client
    sign_in(client, console.tokens["specialist"])
    stolen = client.cookies[SESSION_COOKIE]
    queue = client.get("/queue")
    out = client.post("/logout", data={"csrf_token": csrf_of(queue.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login?notice=logged_out"
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, stolen)
    assert client.get("/queue", follow_redirects=False).status_code == 303
    with Session(console.services.engine) as session:
        rows = session.exec(select(ApiToken).where(ApiToken.label == "console-session")).all()
    assert [r.revoked for r in rows] == [True]


def test_tampered_or_expired_cookies_are_ignored(console: Console) -> None:
    client = console.client
    sign_in(client, console.tokens["specialist"])
    good = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, good[:-2] + ("00" if not good.endswith("00") else "11"))
    assert client.get("/queue", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, good)
    assert client.get("/queue").status_code == 200
    console.services.clock.advance(hours=console.services.settings.session_ttl_hours + 1)  # type: ignore[attr-defined]
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_revoking_the_api_token_ends_its_console_sessions(console: Console) -> None:
    sign_in(console.client, console.tokens["specialist"])
    with Session(console.services.engine) as session:
        for row in session.exec(select(ApiToken).where(ApiToken.label == "default")).all():
            row.revoked = True
            session.add(row)
        session.commit()
    assert console.client.get("/queue", follow_redirects=False).status_code == 303


def test_forms_without_the_csrf_token_change_nothing(console: Console) -> None:
    case_id = console.drafted_case(COINS)
    sign_in(console.client, console.tokens["specialist"])
    refused = console.client.post(f"/cases/{case_id}/decide", data={"action": "approve", "csrf_token": "nope"})
    assert refused.status_code == 403 and "expired" in refused.text
    assert console.case(case_id)["status"] == "awaiting_review"


def test_the_session_cookie_alone_cannot_post_to_the_api(console: Console) -> None:
    case_id = console.drafted_case(COINS)
    sign_in(console.client, console.tokens["specialist"])
    token = csrf_of(console.client.get("/queue").text)
    assert console.client.get(f"/v1/cases/{case_id}").status_code == 200  # reads may use the session
    bare = console.client.post(f"/v1/cases/{case_id}/decisions", json={"action": "approve"})
    assert bare.status_code == 401
    with_header = console.client.post(
        f"/v1/cases/{case_id}/decisions", json={"action": "approve"}, headers={"X-CSRF-Token": token}
    )
    assert with_header.status_code == 201, with_header.text


def test_roles_get_a_403_page_and_strangers_the_login_page(console: Console) -> None:
    client = console.client
    assert client.get("/kb/account-2fa-and-login-problems/edit", follow_redirects=False).status_code == 303
    sign_in(client, console.tokens["specialist"])
    editor = client.get("/kb/account-2fa-and-login-problems/edit")
    assert editor.status_code == 403 and "policy_writer" in editor.text
    assert editor.headers["content-type"].startswith("text/html")
    assert client.get("/qa").status_code == 403
    client.cookies.clear()
    sign_in(client, console.tokens["qa"])
    assert client.get("/queue").status_code == 403 and client.get("/qa").status_code == 200
    assert client.get("/kb").status_code == 200  # every role reads the knowledge base


def test_untrusted_text_is_escaped_and_evidence_highlighted(console: Console) -> None:
    hostile = (
        'I paid for coins <script>alert("x")</script><img src=x onerror=alert(1)> and if you do not refund me '
        "I will file a chargeback with my bank."
    )
    case_id = console.drafted_case(message("web-xss-1", hostile))
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "Content-Security-Policy" in page.headers and "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    flags = console.case(case_id)["risk_flags"]
    assert any(f["source"] == "rule" for f in flags), flags  # "I will file a chargeback": the rule floor's phrase
    for flag in flags:
        if flag["source"] != "model" and flag["evidence"] and flag["evidence"].lower() in hostile.lower():
            assert f'title="{flag["code"]}"' in page.text


def test_every_post_form_carries_a_csrf_token(console: Console) -> None:
    case_id = console.drafted_case(COINS)
    sign_in(console.client, console.tokens["admin"])
    pages = ["/queue", f"/cases/{case_id}", "/kb", "/kb/account-2fa-and-login-problems/edit", "/kb/_new", "/qa"]
    for path in pages:
        html = console.client.get(path).text
        forms = _forms(html)
        assert forms, path
        for method, fields in forms:
            if method == "post":
                assert "csrf_token" in fields, f"a POST form on {path} has no CSRF token: {fields}"


def test_queue_filters_counts_and_live_fragment(console: Console) -> None:
    first = console.drafted_case(COINS)
    second = console.drafted_case(
        message("web-email-1", "My payout has not arrived.", sender="u-web-2", channel="email")
    )
    sign_in(console.client, console.tokens["specialist"])
    everything = console.client.get("/queue").text
    assert f'data-case-id="{first}"' in everything and f'data-case-id="{second}"' in everything
    emails = console.client.get("/queue?channel=email&flag=not_a_flag").text
    assert f'data-case-id="{second}"' in emails and f'data-case-id="{first}"' not in emails
    assert "Ignored unknown filter value(s): flag=not_a_flag" in emails
    live = console.client.get("/queue/rows?channel=email", headers={"HX-Request": "true"})
    assert live.status_code == 200 and live.text.lstrip().startswith('<section id="queue-live"')
    assert 'hx-get="/queue/rows?channel=email"' in live.text


def test_expired_session_on_a_poll_redirects_the_whole_page(console: Console) -> None:
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/queue?channel=email"}
    response = console.client.get("/queue/rows?channel=email", headers=headers, follow_redirects=False)
    assert response.headers["HX-Redirect"] == "/login?next=/queue%3Fchannel%3Demail"
    foreign = {"HX-Request": "true", "HX-Current-URL": "https://evil.example/queue"}
    assert console.client.get("/queue/rows", headers=foreign).headers["HX-Redirect"] == "/login?next=/"


def test_case_page_shows_context_citations_and_records_decisions(console: Console) -> None:
    earlier = console.drafted_case(message("web-prev-1", "The app crashes when I open a LIVE."))
    console.client.post(
        f"/v1/cases/{earlier}/decisions", json={"action": "escalate"}, headers=auth(console.tokens["admin"])
    )
    case_id = console.drafted_case({**COINS, "thread_id": "t-2"})
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    assert f'href="/cases/{earlier}"' in page and "$340.00 · regular spender" in page
    draft = console.case(case_id)["draft"]
    for citation in draft["citations"]:
        assert f'href="/kb/{citation["article_id"]}/v/{citation["version"]}"' in page
    diff = console.client.post(
        f"/cases/{case_id}/diff",
        data={"text": draft["reply"] + " Extra <b>line</b>."},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert "<ins> Extra &lt;b&gt;line&lt;/b&gt;.</ins>" in diff.text and "+2 words" in diff.text
    no_reason = console.client.post(f"/cases/{case_id}/decide", data={"action": "reject", "csrf_token": csrf_of(page)})
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    done = console.client.post(
        f"/cases/{case_id}/decide",
        data={"action": "edit", "text": "Final words.", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"notice=edit&case={case_id}")
    assert console.case(case_id)["status"] == "resolved"
    again = console.client.post(f"/cases/{case_id}/decide", data={"action": "approve", "csrf_token": csrf_of(page)})
    assert again.status_code == 409 and "already resolved" in again.text


def test_qa_page_computes_rates_per_category(console: Console) -> None:
    admin = auth(console.tokens["admin"])
    ids = [
        console.drafted_case(message(f"web-qa-{i}", f"Coins missing after purchase number {i}.", sender=f"u-qa-{i}"))
        for i in range(3)
    ]
    console.client.post(f"/v1/cases/{ids[0]}/decisions", json={"action": "approve"}, headers=admin)
    console.client.post(f"/v1/cases/{ids[1]}/decisions", json={"action": "edit", "text": "Short."}, headers=admin)
    console.client.post(f"/v1/cases/{ids[2]}/decisions", json={"action": "reject", "reason": "tone"}, headers=admin)
    with Session(console.services.engine) as session:
        category = session.exec(select(Decision.category)).first()
    sign_in(console.client, console.tokens["qa"])
    page = console.client.get("/qa").text
    row = page.split(f'data-category="{category}"', 1)[1].split("</tr>", 1)[0]
    assert row.count("33%") == 3 and "<td>3</td>" in row
    assert "tone" in page


def test_htmx_is_served_from_the_npm_package(console: Console) -> None:
    response = console.client.get("/static/vendor/htmx.min.js")
    found = htmx_file()
    if found is not None:
        assert response.status_code == 200 and response.content == found.read_bytes()
        assert response.headers["content-type"].startswith("text/javascript")
    else:
        assert response.status_code == 404 and "install-browser-deps.sh" in response.text
    assert console.client.get("/static/console.js").status_code == 200
    assert console.client.get("/static/..%2Fsession.py").status_code == 404


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(((values.get("method") or "get").lower(), []))
        elif tag in ("input", "textarea", "select", "button") and self.forms and values.get("name"):
            self.forms[-1][1].append(str(values["name"]))


def _forms(html: str) -> list[tuple[str, list[str]]]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def test_a_failed_draft_shows_its_error_in_the_queue_and_on_the_case(make_services: Any) -> None:
    def refuse(_request: object) -> ProviderError:
        return ProviderError("upstream said no (HTTP 400)", retryable=False)

    services = make_services(provider=FakeProvider(fail=refuse), job_max_attempts=1)
    token = add_user(services, "web-failed", "specialist")
    with TestClient(create_app(services.settings, services, run_worker=False)) as client:
        case_id = client.post("/v1/messages", json=COINS, headers=auth(token)).json()["case_id"]
        drain(services)
        sign_in(client, token)
        assert "Drafting failed: " in client.get("/queue").text
        page = client.get(f"/cases/{case_id}").text
        assert "upstream said no (HTTP 400)" in page.split('data-testid="draft-error"', 1)[1]
        assert 'id="approve-button" class="primary" type="submit" disabled' in page


def test_approving_a_page_that_a_new_message_overtook_is_refused(console: Console) -> None:
    case_id = console.drafted_case(COINS)
    sign_in(console.client, console.tokens["specialist"])
    page = console.client.get(f"/cases/{case_id}").text
    follow_up = {**COINS, "external_id": "web-follow-up", "body": "Also, a viewer says he'll kill me if I go live."}
    console.ingest(follow_up)

    stale = console.client.post(
        f"/cases/{case_id}/decide",
        data={
            "action": "approve",
            "csrf_token": csrf_of(page),
            "draft_id": hidden_value(page, "draft_id"),
            "case_version": hidden_value(page, "case_version"),
        },
    )

    assert stale.status_code == 409 and "a new message arrived" in stale.text
    assert "kill me if I go live" in stale.text, "the refusal shows the case as it is now, new message included"
    assert console.case(case_id)["status"] != "resolved"


def hidden_value(page: str, name: str) -> str:
    marker = f'name="{name}" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]
