"""The embedded provider: a useful, honest draft with no LLM at all.

Category comes from a classifier trained on the project's labelled examples; the reply is the approved
"Reply guidance" of the best-matching retrieved article (written and reviewed by policy writers), framed by a
prompt file; the citation names that article. It never invents text, so it cannot promise what policy forbids.
"""

from __future__ import annotations

import time
from typing import Protocol

from app.llm.prompts import PromptTemplate
from app.llm.schemas import DraftProposal, DraftRequest, ProposedCitation, ProviderResult, RetrievedArticle


class ClassificationLike(Protocol):
    @property
    def category(self) -> str: ...

    @property
    def confidence(self) -> float: ...


class TextClassifier(Protocol):
    def classify(self, text: str) -> ClassificationLike: ...


class OfflineProvider:
    name = "offline"

    def __init__(
        self, classifier: TextClassifier, reply_prompt: PromptTemplate, fallback_prompt: PromptTemplate, model: str
    ) -> None:
        self._classifier = classifier
        self._reply_prompt = reply_prompt
        self._fallback_prompt = fallback_prompt
        self.model = model

    async def ping(self) -> None:
        return None

    async def draft(self, request: DraftRequest) -> ProviderResult:
        started = time.perf_counter()
        text = "\n".join(part for part in (request.subject, request.message) if part)
        result = self._classifier.classify(text)
        category = str(result.category)
        locale = (request.locale or "en").split("-")[0].lower()
        article, notes = _choose_article(request.articles, category, locale)
        if article is not None and article.reply_guidance:
            reply_locale = article.locale
            reply = self._reply_prompt.render(guidance=article.reply_guidance.strip(), locale=reply_locale)
            citations = [ProposedCitation(article_id=article.article_id, chunk_id=article.chunk_id)]
            prompt = self._reply_prompt
        else:
            reply = self._fallback_prompt.render(locale=locale)
            citations = []
            prompt = self._fallback_prompt
            notes.append("no retrieved article matched the category; generic acknowledgement used")
        proposal = DraftProposal(
            category=category, reply=reply, citations=citations, confidence=round(float(result.confidence), 4)
        )
        return ProviderResult(
            proposal=proposal,
            provider=self.name,
            model=self.model,
            prompt_name=prompt.name,
            prompt_version=prompt.version,
            latency_ms=int((time.perf_counter() - started) * 1000),
            notes=notes,
        )


def _choose_article(
    articles: list[RetrievedArticle], category: str, locale: str
) -> tuple[RetrievedArticle | None, list[str]]:
    """Best retrieved article for the category, in the requester's locale when a variant was retrieved."""
    notes: list[str] = []
    with_guidance = [a for a in articles if a.reply_guidance]
    in_category = [a for a in with_guidance if category in a.categories]
    pool = in_category  # an article about another topic would answer the wrong question: fall back instead
    if not pool:
        return None, notes
    same_locale = [a for a in pool if a.locale == locale]
    if same_locale:
        return same_locale[0], notes
    if locale != "en":
        notes.append(f"no '{locale}' variant of the article; replied in {pool[0].locale}")
    return pool[0], notes
