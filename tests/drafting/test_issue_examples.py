"""Issue 12's examples over HTTP: ingest → drain the jobs → read the case, as a specialist would see it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services import Services
from tests.conftest import auth, drain


@pytest.fixture
def database_url(tmp_path: Any) -> str:
    """SQLite only: these tests are about the words of a draft, not the database engine."""
    return f"sqlite:///{tmp_path / 'triage.db'}"


class Desk:
    def __init__(self, client: TestClient, services: Services, token: str) -> None:
        self.client, self.services, self.token = client, services, token
        self._n = 0

    def send(self, body: str, *, thread: str | None = None, sender: str = "u-1", **extra: Any) -> dict[str, Any]:
        self._n += 1
        message = {
            "channel": "in_app_chat",
            "external_id": f"m-{self._n}",
            "sender": {"id": sender, "kind": extra.pop("kind", "user")},
            "thread_id": thread or f"t-{self._n}",
            "body": body,
            **extra,
        }
        response = self.client.post("/v1/messages", json=message, headers=auth(self.token))
        assert response.status_code == 202, response.text
        drain(self.services)
        return self.case(response.json()["case_id"])

    def case(self, case_id: int) -> dict[str, Any]:
        return dict(self.client.get(f"/v1/cases/{case_id}", headers=auth(self.token)).json())

    def reject(self, case: dict[str, Any], reason: str) -> dict[str, Any]:
        response = self.client.post(
            f"/v1/cases/{case['id']}/decisions", json={"action": "reject", "reason": reason}, headers=auth(self.token)
        )
        assert response.status_code == 201, response.text
        drain(self.services)
        return self.case(case["id"])


@pytest.fixture
def desk(client: TestClient, services: Services, tokens: dict[str, str]) -> Desk:
    return Desk(client, services, tokens["specialist"])


def cited(case: dict[str, Any]) -> list[str]:
    return [c["article_id"] for c in case["draft"]["citations"]]


def flags(case: dict[str, Any]) -> set[str]:
    return {f["code"] for f in case["risk_flags"]}


def test_a_reply_does_not_ask_again_for_what_the_requester_gave(desk: Desk) -> None:
    first = desk.send(
        "My withdrawal has been under review for 20 days and the money has not arrived.",
        thread="payout-1",
        sender="creator-1",
        kind="creator",
    )
    assert "withdrawal ID" in first["draft"]["reply"], "the first draft asks for the withdrawal ID"
    second = desk.send(
        "Withdrawal ID is WD-77812. Nothing under Action required.",
        thread="payout-1",
        sender="creator-1",
        kind="creator",
    )
    assert second["id"] == first["id"]
    reply = second["draft"]["reply"]
    assert "WD-77812" in reply, reply
    assert "reply with the withdrawal ID" not in reply
    assert 'check Balance > Rewards > History and Tax information for an "Action required"' not in reply
    assert reply != first["draft"]["reply"]

    coins = desk.send(
        "I bought 1,000 coins on Google Play, order GPA.3312-4581-2270-19934, and support gave me the reference "
        "SN-20931. The coins never arrived."
    )
    reply = coins["draft"]["reply"]
    assert coins["category"] == "recharge_payment"
    assert "GPA.3312-4581-2270-19934" in reply and "SN-20931" in reply, reply
    assert "please reply with the order or transaction ID" not in reply


def test_rejecting_a_draft_gives_a_different_one_steered_by_the_reason(desk: Desk) -> None:
    case = desk.send("I paid $9.99 for coins with my card yesterday but my balance did not change.")
    before = case["draft"]
    holding = desk.reject(case, "needs_investigation")["draft"]
    assert holding["reply"] != before["reply"]
    assert "checking your Coin purchase" in holding["reply"] and "$9.99" in holding["reply"], holding["reply"]
    again = desk.reject(case, "factually_wrong")["draft"]
    assert again["reply"] != holding["reply"], "the same draft twice in a row"

    policy = desk.send("I paid $9.99 for coins with my card yesterday but my balance did not change.")
    after = desk.reject(policy, "wrong_policy")
    assert after["draft"]["reply"] != policy["draft"]["reply"]
    assert not set(cited(after)) & set(cited(policy)), "wrong_policy: the next draft cites another article"

    category = desk.send("I paid $9.99 for coins with my card yesterday but my balance did not change.")
    after = desk.reject(category, "wrong_category")
    assert after["draft"]["category"] != category["draft"]["category"]
    assert after["draft"]["reply"] != category["draft"]["reply"]


def test_replies_come_in_the_requesters_language(desk: Desk) -> None:
    hacked = desk.send(
        "Minha conta foi hackeada, alguém mudou meu e-mail e a senha e agora não consigo entrar. O que eu faço?"
    )
    assert "account_takeover" in flags(hacked), hacked["risk_flags"]
    assert hacked["draft"]["reply"].startswith("Olá"), hacked["draft"]["reply"]
    assert any(a.startswith("account-hacked-recovery") for a in cited(hacked)), cited(hacked)

    payout = desk.send(
        "Meu saque está em análise há três semanas e o dinheiro ainda não chegou na minha conta do PayPal.",
        sender="creator-2",
        kind="creator",
    )
    assert payout["category"] == "creator_payout"
    assert payout["draft"]["reply"].startswith("Olá") and "saque" in payout["draft"]["reply"], payout["draft"]["reply"]
    assert payout["draft"]["prompt_version"].startswith("offline_reply@")


def test_safety_replies_speak_the_language_and_name_the_regions_crisis_line(desk: Desk) -> None:
    spanish = desk.send("Ya no quiero seguir viviendo, estoy pensando en suicidarme esta noche.", locale="es-MX")
    reply = spanish["draft"]["reply"]
    assert "self_harm" in flags(spanish)
    assert reply.startswith("Hola") and "800 911 2000" in reply and "988" not in reply, reply
    assert "safety-self-harm-and-suicide" in cited(spanish)

    english = desk.send("I want to kill myself, I can't do this anymore.")
    assert "988" not in english["draft"]["reply"], "no US-only line for someone whose region is unknown"
    assert "safety-self-harm-and-suicide" in cited(english)
    assert "safety-harassment-and-bullying" not in cited(english)


def test_retrieval_picks_the_article_on_the_subject(desk: Desk) -> None:
    gift = desk.send(
        "I sent a Galaxy gift to the wrong LIVE by mistake, it went to another streamer. Can I get it back?"
    )
    assert gift["category"] == "gift_transaction"
    assert "gift-sent-to-wrong-live" in cited(gift)

    temporary = desk.send("My LIVE was suspended for 24 hours after a warning. When can I go LIVE again?")
    assert "live-restrictions-strikes-and-appeals" in cited(temporary), cited(temporary)
    assert "account-permanent-ban-appeals" not in cited(temporary)

    compliment = desk.send("Just wanted to say I love the new LIVE effects, great job team!")
    assert "transaction ID" not in compliment["draft"]["reply"], compliment["draft"]["reply"]
