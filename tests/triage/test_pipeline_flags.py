"""Flags that need the drafted category (a repeat complaint in the same category) still reach the draft."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from app.config import PROJECT_ROOT
from app.knowledge.articles import Article
from app.knowledge.retrieval import SearchHit
from app.llm.fake import FakeProvider
from app.triage.pipeline import DraftingPipeline, PipelineInput
from app.triage.signals import SenderHistory


class NoHits:
    def search_articles(
        self, query: str, k: int = 3, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]:
        return []


class NoCatalog:
    def get(self, article_id: str) -> Article | None:
        return None

    def variant(self, article_id: str, locale: str) -> Article | None:
        return None


def flags_for(history: SenderHistory, category: str = "recharge_payment") -> dict[str, str]:
    pipeline = DraftingPipeline(
        retriever=NoHits(),
        catalog=NoCatalog(),
        provider=FakeProvider(category=category),
        prompts_dir=PROJECT_ROOT / "prompts",
        redact_pii=False,
    )
    inp = PipelineInput(correlation_id="c-1", message="My coins never arrived after I paid", history=history)
    outcome = asyncio.run(pipeline.run(inp))
    return {f["code"]: f["source"] for f in outcome.risk_flags}


def test_an_earlier_case_in_the_drafted_category_is_a_repeat_complaint() -> None:
    assert flags_for(SenderHistory(prior_categories_14d=("recharge_payment",))).get("repeat_complaint") == "history"


def test_an_earlier_case_in_another_category_is_not() -> None:
    assert "repeat_complaint" not in flags_for(SenderHistory(prior_categories_14d=("account_access",)))


def test_history_known_before_drafting_is_flagged_once() -> None:
    flags = flags_for(SenderHistory(prior_contacts_14d=5, lifetime_spend_usd=5000.0))
    assert flags["repeat_complaint"] == "history" and flags["high_value_user"] == "history"
