"""The public web form: rate-limited per IP, CAPTCHA-checked, honeypot for bots, and a double submit is one."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.channels.captcha import CaptchaUnavailable, SiteverifyCaptcha
from app.clock import ManualClock
from app.main import create_app
from app.services import Services
from tests.channels.conftest import case_of
from tests.delivery.peers import token

FORM = {"email": "Jo@Example.com", "name": "Jo", "subject": "refund", "message": "Please refund my last recharge."}


class Captcha:
    """A verifier that accepts exactly one token and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str | None, str | None]] = []

    async def verify(self, token: str | None, remote_ip: str | None) -> bool:
        self.asked.append((token, remote_ip))
        if token == "down":
            raise CaptchaUnavailable("timeout")
        return token == "human"


def test_a_submission_becomes_an_email_answerable_case(api: TestClient, light: Services) -> None:
    first = api.post("/v1/inbound/webform", data=FORM)
    assert first.status_code == 202, first.text
    assert set(first.json()) == {"status", "reference"}  # no case id for an anonymous caller
    double = api.post("/v1/inbound/webform", data=FORM)
    assert double.json() == first.json()
    specialist = token(light, "specialist")
    items = api.get("/v1/queue", headers={"Authorization": f"Bearer {specialist}"}).json()["items"]
    assert len(items) == 1
    case = case_of(api, specialist, items[0]["id"])
    assert case["channel"] == "web_form" and case["requester"]["id"] == "jo@example.com"
    assert len(case["messages"]) == 1


def test_bad_fields_name_the_field(api: TestClient) -> None:
    response = api.post("/v1/inbound/webform", data={**FORM, "email": "not an address"})
    assert response.status_code == 422 and "email" in response.json()["message"]
    response = api.post("/v1/inbound/webform", data={**FORM, "message": "   "})
    assert response.status_code == 422 and "message" in response.json()["message"]
    assert api.post("/v1/inbound/webform", content=b"x", headers={"content-type": "text/csv"}).status_code == 415


def test_per_ip_rate_limit_with_retry_after(api: TestClient, clock: ManualClock) -> None:
    for n in range(5):
        assert api.post("/v1/inbound/webform", json={**FORM, "message": f"try {n}"}).status_code == 202
    blocked = api.post("/v1/inbound/webform", json={**FORM, "message": "one more"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    clock.advance(seconds=601)
    assert api.post("/v1/inbound/webform", json={**FORM, "message": "later"}).status_code == 202


def test_honeypot_is_answered_like_success_and_dropped(api: TestClient, light: Services) -> None:
    bot = api.post("/v1/inbound/webform", data={**FORM, "website": "http://spam.example"})
    assert bot.status_code == 202
    items = api.get("/v1/queue", headers={"Authorization": f"Bearer {token(light, 'specialist')}"}).json()["items"]
    assert items == []


def test_captcha_hook_decides(light: Services) -> None:
    captcha = Captcha()
    light._built["captcha_verifier"] = captcha
    with TestClient(create_app(light.settings, light, run_worker=False)) as client:
        assert client.post("/v1/inbound/webform", data=FORM).status_code == 403
        assert client.post("/v1/inbound/webform", data={**FORM, "h-captcha-response": "robot"}).status_code == 403
        down = client.post("/v1/inbound/webform", data={**FORM, "captcha_token": "down"})
        assert down.status_code == 503 and down.headers["Retry-After"]
        ok = client.post("/v1/inbound/webform", data={**FORM, "cf-turnstile-response": "human"})
        assert ok.status_code == 202
    assert captcha.asked[-1] == ("human", "testclient")


def _siteverify(answer: dict[str, Any] | None, status: int = 200) -> SiteverifyCaptcha:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if answer is None:
            raise httpx.ConnectError("down")
        return httpx.Response(status, content=json.dumps(answer).encode())

    verifier = SiteverifyCaptcha("https://captcha.test/siteverify", "sekret", transport=httpx.MockTransport(handle))
    verifier.seen = seen  # type: ignore[attr-defined]
    return verifier


def test_siteverify_speaks_the_common_api() -> None:
    good = _siteverify({"success": True})
    assert asyncio.run(good.verify("tok", "203.0.113.9"))
    form = dict(httpx.QueryParams(good.seen[0].content.decode()))  # type: ignore[attr-defined]
    assert form == {"secret": "sekret", "response": "tok", "remoteip": "203.0.113.9"}
    assert not asyncio.run(_siteverify({"success": False}).verify("tok", None))
    assert not asyncio.run(_siteverify({"success": True}).verify(None, None))  # no token: not even asked
    with pytest.raises(CaptchaUnavailable):
        asyncio.run(_siteverify(None).verify("tok", None))
    with pytest.raises(CaptchaUnavailable):
        asyncio.run(_siteverify({"error": "x"}, status=500).verify("tok", None))
