"""Macros (issue 14): policy writers publish approved snippets, every version kept; the desk reads the newest."""

from __future__ import annotations

from tests.conftest import add_user, auth
from tests.safety.conftest import Desk


def test_a_policy_writer_versions_a_macro_and_the_desk_sees_the_current_one(desk: Desk) -> None:
    writer = auth(add_user(desk.services, "pol-pia", "policy_writer"))
    first = {"slug": "refund-window", "title": "Refund window", "body": "Refunds are possible within 48 hours."}
    assert desk.client.post("/v1/macros", json=first, headers=writer).json()["version"] == 1
    second = {**first, "body": "Refunds are possible within 14 days of purchase."}
    published = desk.client.post("/v1/macros", json=second, headers=writer).json()
    assert (published["version"], published["author"]) == (2, "pol-pia")

    current = desk.client.get("/v1/macros", headers=desk.h()).json()["items"]
    assert [(m["slug"], m["version"], m["body"]) for m in current] == [("refund-window", 2, second["body"])]
    versions = desk.client.get("/v1/macros/refund-window/versions", headers=desk.h()).json()["items"]
    assert [v["body"] for v in versions] == [first["body"], second["body"]], "every version is kept"

    refused = desk.client.post("/v1/macros", json=first, headers=desk.h())
    assert refused.status_code == 403, "specialists insert macros; they do not write them"
    bad = desk.client.post("/v1/macros", json={**first, "slug": "Refund Window!"}, headers=writer)
    assert bad.status_code == 422 and "slug" in bad.json()["message"]
    assert desk.client.get("/v1/macros/nope/versions", headers=desk.h()).status_code == 404
