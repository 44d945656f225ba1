"""The drafting pipeline with the real openai provider on a respx-mocked API: redaction, guardrails, language.

Retrieval is a fixed list of hits (the pipeline's ``Retriever`` protocol), so these tests look only at what the
pipeline sends to the model and what it makes of the answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from app.config import PROJECT_ROOT
from app.llm.openai_provider import OpenAIProvider
from app.triage.pipeline import DraftingPipeline, PipelineInput
from tests.llm.conftest import COINS_ARTICLE, COMPLETIONS, HIT, FixedRetriever, NoCatalog, answer, completion

pytestmark = pytest.mark.anyio

PII = {
    "email": "mia.rossi@example.com",
    "phone": "+1 415-555-0134",
    "card": "4111 1111 1111 1111",
    "ssn": "123-45-6789",
    "ip": "203.0.113.42",
    "address": "742 Evergreen Terrace",
}


def pipeline(provider: OpenAIProvider, *, redact_pii: bool = True) -> DraftingPipeline:
    return DraftingPipeline(
        retriever=FixedRetriever([HIT]),
        catalog=NoCatalog(),
        provider=provider,
        prompts_dir=PROJECT_ROOT / "prompts",
        redact_pii=redact_pii,
    )


def pii_message() -> PipelineInput:
    return PipelineInput(
        correlation_id="case-7-v2",
        subject=f"Charged twice, reach me at {PII['email']}",
        message=(
            f"Hi, my card {PII['card']} was charged twice for coins and nothing arrived. Call me on {PII['phone']} "
            f"or write to {PII['email']}. SSN {PII['ssn']} for the tax form; I logged in from {PII['ip']}. "
            f"Post: {PII['address']}, Springfield."
        ),
        thread=[f"Earlier: my phone is {PII['phone']} and my IP {PII['ip']}"],
        locale="en",
    )


def _variants(value: str) -> set[str]:
    return {value, re.sub(r"[\s\-+()]", "", value)}


async def test_no_outbound_request_carries_the_raw_pii(
    mock_api: respx.MockRouter, make_provider: Callable[..., OpenAIProvider]
) -> None:
    bodies: list[str] = []

    def capture(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content.decode())
        if len(bodies) == 1:  # force a repair turn: that request must be clean too
            return completion("not json")
        reply = "Hi, we will write to <EMAIL_1> and call <PHONE_1> about card <CARD_1>. StreamNest Support"
        return completion(answer(reply=reply))

    mock_api.post(COMPLETIONS).mock(side_effect=capture)
    outcome = await pipeline(make_provider()).run(pii_message())

    assert len(bodies) == 2
    for body in bodies:
        decoded = json.dumps(json.loads(body), ensure_ascii=False)
        for kind, value in PII.items():
            for form in _variants(value):
                assert form not in body and form not in decoded, f"raw {kind} left in an outbound request"
        assert "<EMAIL_1>" in body and "<CARD_1>" in body and "<SSN_1>" in body and "<IP_1>" in body
    # the specialist sees the real values again
    assert PII["email"] in outcome.reply and PII["phone"] in outcome.reply and PII["card"] in outcome.reply
    assert "<EMAIL_1>" not in outcome.reply


async def test_citation_to_a_non_retrieved_article_is_dropped_with_a_finding(
    mock_api: respx.MockRouter, make_provider: Callable[..., OpenAIProvider]
) -> None:
    citations = [
        {"article_id": COINS_ARTICLE.article_id, "chunk_id": COINS_ARTICLE.chunk_id},
        {"article_id": "refund-everything-policy", "chunk_id": "refund-everything-policy@v1#0"},
    ]
    mock_api.post(COMPLETIONS).mock(return_value=completion(answer(citations=citations)))
    outcome = await pipeline(make_provider()).run(pii_message())

    assert [c["article_id"] for c in outcome.citations] == [COINS_ARTICLE.article_id]
    [finding] = [f for f in outcome.findings if f["code"] == "citation_not_retrieved"]
    assert "refund-everything-policy" in finding["message"]
    assert outcome.provider == "openai" and outcome.origin == "model"
    assert outcome.category == "recharge_payment"


async def test_a_reply_leaking_the_system_prompt_canary_is_blocked(
    mock_api: respx.MockRouter, make_provider: Callable[..., OpenAIProvider]
) -> None:
    seen: list[str] = []

    def leak(request: httpx.Request) -> httpx.Response:
        system = json.loads(request.content)["messages"][0]["content"]
        canary = re.search(r"Confidential marker: (\S+)\.", system)
        assert canary is not None
        seen.append(canary.group(1))
        return completion(answer(reply=f"My instructions say: Confidential marker: {canary.group(1)}."))

    mock_api.post(COMPLETIONS).mock(side_effect=leak)
    first = await pipeline(make_provider()).run(pii_message())
    second = await pipeline(make_provider()).run(pii_message())

    assert seen[0] != seen[1]  # a fresh canary per draft
    for outcome in (first, second):
        assert outcome.blocking
        assert any(f["code"] == "prompt_leak" and f["blocking"] for f in outcome.findings)


async def test_unlabelled_spanish_message_gets_a_spanish_reply_and_an_honest_note(
    mock_api: respx.MockRouter, make_provider: Callable[..., OpenAIProvider]
) -> None:
    route = mock_api.post(COMPLETIONS).mock(return_value=completion(answer(reply="Hola, gracias por escribirnos.")))
    message = PipelineInput(
        correlation_id="case-9-v1",
        message="Hola, pagué las monedas con mi tarjeta pero no me llegaron. ¿Qué puedo hacer?",
        locale=None,
    )
    outcome = await pipeline(make_provider()).run(message)

    body: dict[str, Any] = json.loads(route.calls.last.request.content)
    assert "in Spanish" in body["messages"][0]["content"] and "in Spanish" in body["messages"][1]["content"]
    notes = [f["message"] for f in outcome.findings if f["code"] == "provider_note"]
    assert notes and "no 'es' article was retrieved" in notes[0]
