"""The embedded provider: a useful, honest draft with no LLM at all.

Category comes from a classifier trained on the project's labelled examples; the reply is the approved
"Reply guidance" of the best-matching retrieved article (written and reviewed by policy writers), framed by a
prompt file; the citation names that article. It never invents text, so it cannot promise what policy forbids.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Protocol

from app.llm.facts import extract_facts, render_guidance
from app.llm.prompts import PromptTemplate
from app.llm.schemas import DraftProposal, DraftRequest, ProposedCitation, ProviderResult, RetrievedArticle


class ClassificationLike(Protocol):
    @property
    def category(self) -> str: ...

    @property
    def confidence(self) -> float: ...

    @property
    def scores(self) -> Mapping[str, float]: ...


class TextClassifier(Protocol):
    def classify(self, text: str) -> ClassificationLike: ...


# A reply the drafter could offer: its text, the prompt that framed it, and what it cites.
Candidate = tuple[str, PromptTemplate, list[ProposedCitation]]
_MONEY = frozenset({"recharge_payment", "refund_request", "chargeback_dispute", "creator_payout", "gift_transaction"})
_PAYMENT_FACTS = ("order_id", "transaction_id", "withdrawal_id", "reference")
# Reject reasons that call for checking before answering again: a holding reply says what is being checked.
_HOLDING_REASONS = frozenset({"factually_wrong", "needs_investigation"})


class OfflineProvider:
    name = "offline"

    def __init__(
        self,
        classifier: TextClassifier,
        reply_prompt: PromptTemplate,
        fallback_prompt: PromptTemplate,
        model: str,
        holding_prompt: PromptTemplate | None = None,
    ) -> None:
        self._classifier = classifier
        self._reply_prompt = reply_prompt
        self._fallback_prompt = fallback_prompt
        self._holding_prompt = holding_prompt
        self.model = model

    async def ping(self) -> None:
        return None

    async def draft(self, request: DraftRequest) -> ProviderResult:
        started = time.perf_counter()
        text = "\n".join(part for part in (request.subject, request.message) if part)
        # A follow-up is read with the thread before it: "Still nothing after a day" is about what came before.
        result = self._classifier.classify("\n".join([*request.thread[-2:], text]))
        rejected = request.rejected
        category = str(result.category)
        if rejected is not None and rejected.reason == "wrong_category" and category == rejected.category:
            category = _next_category(result, request.articles, rejected.category)
        locale = (request.locale or "en").split("-")[0].lower()
        facts = {**request.context_facts, **extract_facts([*request.thread, text])}
        wrong_policy = rejected is not None and rejected.reason == "wrong_policy"
        excluded = {_base_id(a) for a in rejected.article_ids} if rejected is not None and wrong_policy else set()
        article, notes = _choose_article(request.articles, category, locale, excluded)
        # Candidates in order of preference; a rejection never gets back the draft it rejected.
        candidates: list[Candidate] = []
        if article is not None and article.reply_guidance:
            guidance = render_guidance(article.reply_guidance, facts)
            citation = ProposedCitation(article_id=article.article_id, chunk_id=article.chunk_id)
            candidates.append(
                (self._reply_prompt.render(guidance=guidance, locale=article.locale), self._reply_prompt, [citation])
            )
        else:
            notes.append("no retrieved article matched the category; generic acknowledgement used")
        fallback: list[Candidate] = [(self._fallback(locale, category, facts), self._fallback_prompt, [])]
        holding: list[Candidate] = []
        if self._holding_prompt is not None:
            holding = [(self._holding(locale, category, facts), self._holding_prompt, [])]
        if rejected is not None and rejected.reason in _HOLDING_REASONS:
            candidates = holding + candidates + fallback
        else:
            candidates = candidates + fallback + holding
        fresh = [c for c in candidates if rejected is None or not _same(c[0], rejected.reply)]
        reply, prompt, citations = (fresh or candidates)[0]
        if rejected is not None and prompt is self._holding_prompt:
            notes.append(
                f"previous draft rejected ({rejected.reason or 'redraft'}): holding reply saying what is being checked"
            )
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

    def _holding(self, locale: str, category: str, facts: dict[str, str]) -> str:
        assert self._holding_prompt is not None
        given = [facts[name] for name in (*_PAYMENT_FACTS, "amount", "date", "username") if facts.get(name)]
        return self._holding_prompt.render(locale=locale, topic=category, facts=given)

    def _fallback(self, locale: str, category: str, facts: dict[str, str]) -> str:
        ask = category in _MONEY and not any(facts.get(name) for name in _PAYMENT_FACTS)
        return self._fallback_prompt.render(locale=locale, ask_payment=ask)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _next_category(result: ClassificationLike, articles: list[RetrievedArticle], rejected: str) -> str:
    """The classifier's runner-up, else the category of the best retrieved article that is not the rejected one."""
    ranked = sorted(result.scores.items(), key=lambda item: item[1], reverse=True)
    for candidate, _ in ranked:
        if candidate not in (rejected, "feedback_other"):
            return str(candidate)
    for article in articles:
        for candidate in article.categories:
            if candidate != rejected:
                return candidate
    return "feedback_other"


def _choose_article(
    articles: list[RetrievedArticle], category: str, locale: str, excluded: set[str] | None = None
) -> tuple[RetrievedArticle | None, list[str]]:
    """Best retrieved article for the category, in the requester's locale when a variant was retrieved."""
    notes: list[str] = []
    excluded = excluded or set()
    with_guidance = [a for a in articles if a.reply_guidance and _base_id(a.article_id) not in excluded]
    in_category = [a for a in with_guidance if category in a.categories]
    # An article about another topic would answer the wrong question: fall back instead. Within the category, an
    # article filed primarily under it beats one that only touches it (coins missing → not the store-refund text).
    pool = sorted(in_category, key=lambda a: a.categories[0] != category)
    if not pool:
        return None, notes
    same_locale = [a for a in pool if a.locale == locale]
    if same_locale:
        return same_locale[0], notes
    # Never a third language: without a variant in the requester's language, the English text for translation.
    english = [a for a in pool if a.locale == "en"]
    if not english:
        return None, [f"no '{locale}' or English text of the matching article was retrieved"]
    if locale != "en":
        notes.append(
            f"no '{locale}' variant of '{english[0].article_id}': the {english[0].locale} text is offered for the "
            "specialist to translate before sending"
        )
    return english[0], notes


def _base_id(article_id: str) -> str:
    """``recharge-coins-not-credited.es`` → ``recharge-coins-not-credited``: a rejected policy in any language."""
    head, _, tail = article_id.rpartition(".")
    return head if head and len(tail) == 2 else article_id
