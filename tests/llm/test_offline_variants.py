"""The offline drafter without a variant in the requester's language: English text and a finding, never a third."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.config import PROJECT_ROOT
from app.llm.offline import OfflineProvider
from app.llm.prompts import load_prompt
from app.llm.schemas import DraftRequest, RetrievedArticle

PROMPTS = PROJECT_ROOT / "prompts"


@dataclass(frozen=True)
class Fixed:
    category: str = "gift_transaction"
    confidence: float = 0.9
    scores: Mapping[str, float] = field(default_factory=lambda: {"gift_transaction": 0.9})


class FixedClassifier:
    def classify(self, text: str) -> Fixed:
        return Fixed()


def article(article_id: str, locale: str, guidance: str) -> RetrievedArticle:
    return RetrievedArticle(
        article_id=article_id,
        version=1,
        title=article_id,
        chunk_id=f"{article_id}@v1#0",
        text="policy",
        locale=locale,
        categories=["gift_transaction"],
        reply_guidance=guidance,
    )


def test_a_portuguese_message_gets_the_english_text_for_translation_not_the_spanish_variant() -> None:
    provider = OfflineProvider(
        FixedClassifier(),
        reply_prompt=load_prompt(PROMPTS, "offline_reply"),
        fallback_prompt=load_prompt(PROMPTS, "offline_fallback"),
        holding_prompt=load_prompt(PROMPTS, "offline_holding"),
        model="test",
    )
    request = DraftRequest(
        correlation_id="t",
        message="Enviei um presente para a LIVE errada",
        locale="pt",
        articles=[article("gift-wrong.es", "es", "Texto en español."), article("gift-wrong", "en", "English text.")],
    )
    result = asyncio.run(provider.draft(request))
    assert result.proposal.reply.startswith("Hi there") and "English text." in result.proposal.reply
    assert [c.article_id for c in result.proposal.citations] == ["gift-wrong"]
    assert any("no 'pt' variant" in note and "translate" in note for note in result.notes), result.notes
