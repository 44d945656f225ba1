"""A scripted provider for tests and benchmarks: no model, configurable latency and failures.

Like httpx's ``MockTransport`` it ships beside the real thing so tests swap behaviour through settings or
dependency injection instead of patching. It cites the first retrieved article and classifies nothing
(``feedback_other`` unless told otherwise), so tests can tell its drafts from real ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.llm.provider import ProviderError
from app.llm.schemas import DraftProposal, DraftRequest, ProposedCitation, ProviderResult


class FakeProvider:
    name = "fake"
    model = "fake-1"

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        category: str = "feedback_other",
        fail: Callable[[DraftRequest], ProviderError | None] | None = None,
    ) -> None:
        self.latency_s = latency_s
        self.category = category
        self._fail = fail
        self.calls: list[DraftRequest] = []

    async def ping(self) -> None:
        return None

    async def draft(self, request: DraftRequest) -> ProviderResult:
        self.calls.append(request)
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        if self._fail is not None:
            error = self._fail(request)
            if error is not None:
                raise error
        citations = [ProposedCitation(article_id=a.article_id, chunk_id=a.chunk_id) for a in request.articles[:1]]
        return ProviderResult(
            proposal=DraftProposal(
                category=self.category, reply="Thanks, we are looking into it.", citations=citations
            ),
            provider=self.name,
            model=self.model,
            prompt_name="fake",
            prompt_version="fake@0",
        )
