"""Flags that need the drafted category (a repeat complaint in the same category) still reach the draft."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from app.config import PROJECT_ROOT
from app.knowledge.articles import Article
from app.knowledge.retrieval import SearchHit
from app.llm.fake import FakeProvider
from app.llm.prompts import load_prompt
from app.llm.schemas import DraftRequest, ProposedFlag, ProviderResult
from app.triage.flag_classifier import FlagScore, as_signal
from app.triage.pipeline import DraftingPipeline, PipelineInput
from app.triage.signals import SenderHistory, Signal


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


class ScriptedFlags:
    """A flag model stub: what the real model would say, fixed, so the pipeline's merging is what is tested."""

    version = "stub-1"

    def __init__(self, scores: list[FlagScore]) -> None:
        self._scores = scores

    def score(self, text: str) -> list[FlagScore]:
        return self._scores

    def detect(self, text: str) -> list[Signal]:
        return [as_signal(text, s) for s in self._scores if s.raised]


class OpinionatedLLM(FakeProvider):
    """An LLM that names some flags (and never the ones it is not told to)."""

    name = "openai"

    def __init__(self, flags: list[str]) -> None:
        super().__init__()
        self._flags = flags

    async def draft(self, request: DraftRequest) -> ProviderResult:
        result = await super().draft(request)
        result.proposal.risk_flags = [ProposedFlag(code=c, evidence="the message") for c in self._flags]
        result.provider = self.name
        return result


def _run(model: ScriptedFlags, provider: FakeProvider, message: str) -> Any:
    pipeline = DraftingPipeline(
        retriever=NoHits(),
        catalog=NoCatalog(),
        provider=provider,
        prompts_dir=PROJECT_ROOT / "prompts",
        redact_pii=False,
        flag_model=model,
    )
    return asyncio.run(pipeline.run(PipelineInput(correlation_id="c-2", message=message)))


def test_uncertain_flags_get_the_llms_opinion_recorded_with_its_source() -> None:
    model = ScriptedFlags([FlagScore("fraud_scam", 0.3, 0.5, "he asked for my login code")])
    provider = OpinionatedLLM(["fraud_scam"])
    outcome = _run(model, provider, "is this normal? someone wrote to me about my account")
    assert provider.calls[0].uncertain_flags == ["fraud_scam"]
    flags = {f["code"]: f["source"] for f in outcome.risk_flags}
    assert flags == {"fraud_scam": "llm"}
    opinion = [f for f in outcome.findings if f["code"] == "flag_opinion"]
    assert opinion and "fraud_scam (model 0.30, threshold 0.50): raised by the LLM" in opinion[0]["message"]
    assert outcome.flag_model_version == "stub-1"


def test_the_llm_cannot_lower_a_flag_the_model_raised() -> None:
    model = ScriptedFlags(
        [FlagScore("account_takeover", 0.9, 0.5, "someone changed my email"), FlagScore("fraud_scam", 0.1, 0.5, "")]
    )
    outcome = _run(model, OpinionatedLLM([]), "please look at what happened on my account")
    assert {f["code"]: f["source"] for f in outcome.risk_flags} == {"account_takeover": "model"}
    assert not [f for f in outcome.findings if f["code"] == "flag_opinion"]  # nothing was uncertain


def test_the_prompt_asks_about_uncertain_flags_only_when_there_are_some() -> None:
    prompt = load_prompt(PROJECT_ROOT / "prompts", "draft_user")
    common = {
        "boundary": "b",
        "language": "English",
        "sender_kind": "user",
        "rule_flags": [],
        "articles": [],
        "thread": [],
        "subject": None,
        "message": "hi",
    }
    assert "unsure whether these apply: fraud_scam" in prompt.render(**common, uncertain_flags=["fraud_scam"])
    assert "unsure" not in prompt.render(**common, uncertain_flags=[])
