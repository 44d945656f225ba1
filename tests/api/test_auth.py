"""Every /v1 route checks the caller: 401 without a valid token, 403 with the wrong role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services import Services
from tests.conftest import auth

ALL = {"specialist", "policy_writer", "qa", "admin", "integration"}
# (method, path, roles allowed) — the contract in DESIGN.md.
ROUTES = [
    ("POST", "/v1/messages", {"specialist", "admin", "integration"}),
    ("GET", "/v1/queue", {"specialist", "admin"}),
    ("GET", "/v1/cases/1", {"specialist", "admin"}),
    ("POST", "/v1/cases/1/decisions", {"specialist", "admin"}),
    ("POST", "/v1/cases/1/flags", {"specialist", "admin"}),
    ("GET", "/v1/flag-model", {"qa", "admin"}),
    ("GET", "/v1/kb/articles", ALL - {"integration"}),
    ("GET", "/v1/kb/articles/refund-policy-coins-and-gifts", ALL - {"integration"}),
    ("GET", "/v1/kb/articles/refund-policy-coins-and-gifts/versions/1", ALL - {"integration"}),
    ("GET", "/v1/kb/search?q=refund", ALL - {"integration"}),
    ("POST", "/v1/kb/articles", {"policy_writer", "admin"}),
    ("PUT", "/v1/kb/articles/refund-policy-coins-and-gifts", {"policy_writer", "admin"}),
    ("GET", "/v1/users", {"admin"}),
    ("POST", "/v1/users", {"admin"}),
    ("POST", "/v1/users/nobody/deactivate", {"admin"}),
    ("POST", "/v1/users/nobody/activate", {"admin"}),
    ("DELETE", "/v1/users/nobody/tokens", {"admin"}),
    ("POST", "/v1/users/nobody/tokens", {"admin"}),
    ("GET", "/v1/me", ALL),
    ("GET", "/v1/reports/service", {"qa", "admin"}),
    ("GET", "/v1/insights/trends", {"qa", "admin"}),
]


def test_every_v1_route_is_in_the_table(services: Services) -> None:
    app = create_app(services.settings, services, run_worker=False)
    declared = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/v1")
        for method in operations
    }
    table = {(m, p.split("?")[0]) for m, p, _ in ROUTES}
    normalised = {
        (
            m,
            p.replace("{case_id}", "1")
            .replace("{article_id}", "refund-policy-coins-and-gifts")
            .replace("{version}", "1")
            .replace("{name}", "nobody"),
        )
        for m, p in declared
    }
    assert normalised == table, "a route was added without a role expectation in this test"


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_no_token_is_401(client: TestClient, method: str, path: str, allowed: set[str]) -> None:
    assert client.request(method, path, json={}).status_code == 401
    bad = client.request(method, path, json={}, headers={"Authorization": "Bearer tdk_nope"})
    assert bad.status_code == 401
    malformed = client.request(method, path, json={}, headers={"Authorization": "Basic abc"})
    assert malformed.status_code == 401


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_roles(client: TestClient, tokens: dict[str, str], method: str, path: str, allowed: set[str]) -> None:
    for role, token in tokens.items():
        status = client.request(method, path, json={}, headers=auth(token)).status_code
        if role in allowed:
            assert status not in (401, 403), f"{role} should be allowed on {method} {path}, got {status}"
        else:
            assert status == 403, f"{role} should get 403 on {method} {path}, got {status}"


def test_open_endpoints(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "accepting": True,
        "drafting": True,
        "checks": {"database": "ok", "vector_store": "ok", "provider": "ok"},
    }
    assert "triage_messages_ingested_total" in client.get("/metrics").text
    login = client.get("/", follow_redirects=True)
    assert login.status_code == 200 and "<form" in login.text
    assert "default-src 'self'" in login.headers["content-security-policy"]
