"""Admins can stop a leaked token or a departed colleague at once: revocation, rotation, deactivation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.services import Services
from tests.conftest import add_user, auth


def test_revoked_tokens_stop_working_and_a_rotated_token_works(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    admin = auth(tokens["admin"])
    old = add_user(services, "leaky", "specialist")
    assert client.get("/v1/queue", headers=auth(old)).status_code == 200

    revoked = client.delete("/v1/users/leaky/tokens", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"] == 1
    refused = client.get("/v1/queue", headers=auth(old))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]

    rotated = client.post("/v1/users/leaky/tokens", headers=admin)
    assert rotated.status_code == 201
    assert client.get("/v1/queue", headers=auth(rotated.json()["token"])).status_code == 200
    assert client.get("/v1/queue", headers=auth(old)).status_code == 401


def test_a_deactivated_user_is_refused_until_reactivated(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    admin = auth(tokens["admin"])
    token = add_user(services, "leaver", "specialist")
    assert client.post("/v1/users/leaver/deactivate", headers=admin).json() == {"name": "leaver", "active": False}
    assert client.get("/v1/queue", headers=auth(token)).status_code == 401
    listed = {u["name"]: u["active"] for u in client.get("/v1/users", headers=admin).json()["items"]}
    assert listed["leaver"] is False
    assert client.post("/v1/users/leaver/activate", headers=admin).status_code == 200
    assert client.get("/v1/queue", headers=auth(token)).status_code == 200


def test_user_changes_name_what_is_wrong(client: TestClient, tokens: dict[str, str]) -> None:
    admin = auth(tokens["admin"])
    missing = client.post("/v1/users/ghost/deactivate", headers=admin)
    assert missing.status_code == 404 and "ghost" in missing.json()["detail"]
    itself = client.post("/v1/users/test-admin/deactivate", headers=admin)
    assert itself.status_code == 409 and "yourself" in itself.json()["detail"]
    specialist = client.delete("/v1/users/test-admin/tokens", headers=auth(tokens["specialist"]))
    assert specialist.status_code == 403
