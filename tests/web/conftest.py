"""Web console fixtures: an app on a fresh database, a signed-in TestClient, and a live server for Playwright.

The browser fixtures (``live_server``, ``browser``, ``page``) are used only by ``@pytest.mark.browser`` tests;
Chromium is Debian's ``/usr/bin/chromium`` (installed by ``scripts/install-browser-deps.sh``).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from app.main import create_app
from app.services import Services
from tests.conftest import add_user, auth, drain

CHROMIUM = Path(os.environ.get("TRIAGE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ROLES = ("specialist", "policy_writer", "qa", "admin", "integration")

COINS = {
    "channel": "in_app_chat",
    "external_id": "web-coins-1",
    "sender": {"id": "u-web-1", "kind": "user", "name": "Mia"},
    "body": "I paid $9.99 for 1,000 coins with my card yesterday but my balance still shows 20 coins. Where are they?",
    "metadata": {"transaction_id": "TX-88231-AB", "amount": 9.99, "currency": "USD", "lifetime_spend_usd": 340},
}


def message(external_id: str, body: str, *, sender: str = "u-web-1", channel: str = "in_app_chat") -> dict[str, Any]:
    return {
        **COINS,
        "external_id": external_id,
        "body": body,
        "channel": channel,
        "sender": {**COINS["sender"], "id": sender},
    }


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, token: str, *, next_path: str | None = None) -> Any:
    page = client.get("/login" + (f"?next={next_path}" if next_path else ""))
    assert page.status_code == 200, page.text
    return client.post(
        "/login",
        data={"token": token, "csrf_token": csrf_of(page.text), "next": next_path or "/"},
        follow_redirects=False,
    )


@dataclass
class Console:
    """A running app (TestClient) with one token per role."""

    services: Services
    client: TestClient
    tokens: dict[str, str]

    def ingest(self, body: dict[str, Any]) -> int:
        response = self.client.post("/v1/messages", json=body, headers=auth(self.tokens["specialist"]))
        assert response.status_code == 202, response.text
        case_id: int = response.json()["case_id"]
        return case_id

    def case(self, case_id: int) -> dict[str, Any]:
        response = self.client.get(f"/v1/cases/{case_id}", headers=auth(self.tokens["admin"]))
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def drafted_case(self, body: dict[str, Any]) -> int:
        case_id = self.ingest(body)
        drain(self.services)
        assert self.case(case_id)["status"] == "awaiting_review"
        return case_id


@pytest.fixture
def console(make_services: Any) -> Iterator[Console]:
    services: Services = make_services()
    tokens = {role: add_user(services, f"web-{role}", role) for role in ROLES}
    app = create_app(services.settings, services, run_worker=False)
    with TestClient(app) as client:
        yield Console(services, client, tokens)


# --- live server + browser (Playwright) ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def drain_outside_loop(services: Services) -> int:
    """``drain`` in a worker thread: Playwright's sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(drain, services).result()


@dataclass
class LiveServer:
    url: str
    services: Services
    tokens: dict[str, str]

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=auth(self.tokens["admin"]), timeout=30)

    def ingest(self, body: dict[str, Any]) -> int:
        with self.api() as api:
            response = api.post("/v1/messages", json=body)
        assert response.status_code == 202, response.text
        case_id: int = response.json()["case_id"]
        return case_id

    def case(self, case_id: int) -> dict[str, Any]:
        with self.api() as api:
            response = api.get(f"/v1/cases/{case_id}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def drafted_case(self, body: dict[str, Any]) -> int:
        case_id = self.ingest(body)
        drain_outside_loop(self.services)
        assert self.case(case_id)["status"] == "awaiting_review"
        return case_id


@pytest.fixture
def live_server(make_services: Any) -> Iterator[LiveServer]:
    """uvicorn in a thread on a free loopback port, on a fresh database; the worker is off (tests ``drain``)."""
    services: Services = make_services()
    tokens = {role: add_user(services, f"web-{role}", role) for role in ROLES}
    app = create_app(services.settings, services, run_worker=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", services, tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module: Playwright's sync API runs an event loop in this thread while it lives, which
    would break ``asyncio.run`` in any later test, so it must stop with the module."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. Run scripts/install-browser-deps.sh "
            "(apt-get install chromium, as root) — CI must run these."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("BROWSER TESTS SKIPPED: the playwright package is missing (pip install -e '.[dev]').")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context per test; a screenshot lands in tests/web/artifacts/ when the test fails.

    Console messages about the Content-Security-Policy fail the test: a violation means a page relies on
    something the CSP blocks (inline script or style) and is broken for real users.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)
    current = context.new_page()
    problems: list[str] = []
    current.on(
        "console",
        lambda msg: (
            problems.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None
        ),
    )
    current.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    try:
        yield current
        assert not problems, f"browser reported: {problems}"
    finally:
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            current.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()


def browser_sign_in(page: Any, server: LiveServer, role: str) -> None:
    page.goto(server.url + "/")
    page.fill("#token", server.tokens[role])
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
