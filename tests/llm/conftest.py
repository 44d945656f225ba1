"""Fixtures for the openai provider: a real provider on a respx-mocked OpenAI API, and answer builders.

The provider gets an explicit ``httpx.AsyncClient`` (as in production) so respx intercepts every request; the
retry sleep is injected and records the waits instead of sleeping, which keeps these tests fast and lets them
assert the exact ``Retry-After`` honoured.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from typing import Any

import httpx
import pytest
import respx

from app.clock import ManualClock
from app.config import PROJECT_ROOT
from app.knowledge.articles import Article
from app.knowledge.retrieval import SearchHit
from app.llm.call_log import InMemoryCallRecorder
from app.llm.openai_provider import OpenAIProvider
from app.llm.prompts import load_prompt
from app.llm.schemas import DraftRequest, RetrievedArticle

BASE_URL = "http://llm.test/v1"
COMPLETIONS = f"{BASE_URL}/chat/completions"

COINS_ARTICLE = RetrievedArticle(
    article_id="recharge-coins-not-credited",
    version=3,
    title="Coins not credited after a recharge",
    chunk_id="recharge-coins-not-credited@v3#0",
    text="If a recharge was charged but the coins did not arrive, ask for the transaction ID. "
    "See https://help.streamnest.example/recharge.",
    categories=["recharge_payment"],
    reply_guidance="Ask for the transaction ID and the payment date; coins are credited after verification.",
)


HIT = SearchHit(
    chunk_id=COINS_ARTICLE.chunk_id,
    article_id=COINS_ARTICLE.article_id,
    version=COINS_ARTICLE.version,
    title=COINS_ARTICLE.title,
    section="What to do",
    text=COINS_ARTICLE.text,
    locale="en",
    categories=("recharge_payment",),
    score=1.0,
)


class FixedRetriever:
    def __init__(self, hits: list[SearchHit]) -> None:
        self.hits = hits

    def search_articles(
        self, query: str, k: int = 3, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]:
        return self.hits[:k]


class NoCatalog:
    """No article bodies or locale variants: the pipeline uses the hit as retrieved."""

    def get(self, article_id: str) -> Article | None:
        return None

    def variant(self, article_id: str, locale: str) -> Article | None:
        return None


def answer(**overrides: Any) -> dict[str, Any]:
    """A valid draft answer as the model would write it."""
    body: dict[str, Any] = {
        "category": "recharge_payment",
        "priority": "P2",
        "risk_flags": [],
        "citations": [{"article_id": COINS_ARTICLE.article_id, "chunk_id": COINS_ARTICLE.chunk_id}],
        "reply": "Hi, sorry your coins have not arrived. Please send the transaction ID. StreamNest Support",
        "confidence": 0.8,
    }
    body.update(overrides)
    return body


def completion(
    content: str | dict[str, Any] | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 120,
    completion_tokens: int = 40,
) -> httpx.Response:
    """An OpenAI chat completion response carrying ``content`` (a dict is JSON-encoded)."""
    text = json.dumps(content) if isinstance(content, dict) else content
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish_reason,
                    "message": {"role": "assistant", "content": text, "refusal": refusal},
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def error(status: int, message: str = "boom", **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={"error": {"message": message, "type": "test"}})


def request_body(call: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(call.request.content)
    return body


def draft_request(**overrides: Any) -> DraftRequest:
    values: dict[str, Any] = {
        "correlation_id": "case-1-v1",
        "message": "I paid for 1,000 coins yesterday but my balance did not change.",
        "locale": "en",
        "articles": [COINS_ARTICLE],
        "canary": "canary-0123456789",
    }
    values.update(overrides)
    return DraftRequest(**values)


class SleepRecorder:
    """Stands in for ``asyncio.sleep``: remembers each wait and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio through anyio's pytest plugin (no extra test dependency)."""
    return "asyncio"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.fromisoformat("2026-11-01T22:00:00+00:00"))


@pytest.fixture
def recorder() -> InMemoryCallRecorder:
    return InMemoryCallRecorder()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def mock_api() -> AsyncIterator[respx.MockRouter]:
    async with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
async def make_provider(
    recorder: InMemoryCallRecorder, sleeps: SleepRecorder, clock: ManualClock
) -> AsyncIterator[Callable[..., OpenAIProvider]]:
    clients: list[httpx.AsyncClient] = []

    def make(**options: Any) -> OpenAIProvider:
        http = httpx.AsyncClient(timeout=httpx.Timeout(options.get("timeout_s", 5.0)))
        clients.append(http)
        values: dict[str, Any] = {
            "model": "test-model",
            "system_prompt": load_prompt(PROJECT_ROOT / "prompts", "draft_system"),
            "user_prompt": load_prompt(PROJECT_ROOT / "prompts", "draft_user"),
            "recorder": recorder,
            "base_url": BASE_URL,
            "api_key": "sk-test",
            "client_retries": 1,
            "http_client": http,
            "clock": clock.now,
            "sleep": sleeps,
        }
        values.update(options)
        return OpenAIProvider(**values)

    yield make
    for http in clients:
        await http.aclose()


def json_object_provider(
    client: httpx.AsyncClient, base_url: str = BASE_URL, model: str = "test-model"
) -> OpenAIProvider:
    """The real provider with the shipped prompts, in ``json_object`` mode, on ``client`` (which respx intercepts)."""
    prompts = PROJECT_ROOT / "prompts"
    return OpenAIProvider(
        model=model,
        system_prompt=load_prompt(prompts, "draft_system"),
        user_prompt=load_prompt(prompts, "draft_user"),
        recorder=InMemoryCallRecorder(),
        base_url=base_url,
        api_key="sk-test",
        response_format="json_object",
        http_client=client,
    )
