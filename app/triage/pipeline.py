"""retrieve → draft → validate: the one place that combines signals, knowledge, the provider and guardrails.

It is pure with respect to storage: it takes a message and its context and returns a ``DraftOutcome``; the job
handler (``app/triage/tasks.py``) and ``triage draft`` decide where the outcome goes.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from app.knowledge.articles import Article
from app.knowledge.retrieval import SearchHit
from app.llm.language import resolve_language
from app.llm.prompts import load_prompt
from app.llm.provider import Provider
from app.llm.schemas import DraftRequest, RejectedDraft, RetrievedArticle, RuleFlag
from app.taxonomy import (
    CRITICAL_FLAGS,
    RISK_FLAGS,
    TAXONOMY_VERSION,
    Category,
    FlagSource,
    parse_category,
    priority_for,
    severity_of,
)
from app.triage import guardrails
from app.triage.flag_classifier import FlagScore, as_signal
from app.triage.guardrails.playbooks import PLAYBOOK_ARTICLES, PLAYBOOK_PREFIX, TOPIC_ARTICLES, playbook_findings
from app.triage.injected import split_injected
from app.triage.redaction import redact, restore
from app.triage.requester import context_facts, region_of
from app.triage.signals import SenderHistory, Signal, detect_category_signals, detect_signals
from app.triage.signals.minor_purchases import without_purchase_only_minor_flag

_QUERY_CHARS = 2000


class Retriever(Protocol):
    def search_articles(
        self, query: str, k: int = 3, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]: ...


class FlagModel(Protocol):
    """The risk-flag model (``app/triage/flag_classifier.py``, via the model store): the detector; rules add to it."""

    @property
    def version(self) -> str: ...

    def score(self, text: str) -> list[FlagScore]: ...

    def detect(self, text: str) -> list[Signal]: ...

    def locate(self, text: str, code: str) -> list[tuple[int, int]]: ...


class ArticleCatalog(Protocol):
    def get(self, article_id: str) -> Article | None: ...

    def variant(self, article_id: str, locale: str) -> Article | None: ...


@dataclass
class PipelineInput:
    correlation_id: str
    message: str
    subject: str | None = None
    thread: list[str] = field(default_factory=list)
    locale: str | None = None
    sender_kind: str = "user"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    history: SenderHistory = field(default_factory=SenderHistory)
    rejected: RejectedDraft | None = None  # the draft a specialist just rejected, and why


@dataclass
class DraftOutcome:
    category: str
    priority: str
    risk_flags: list[dict[str, Any]]
    reply: str
    citations: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    blocking: bool
    origin: str
    provider: str
    model: str
    prompt_name: str
    prompt_version: str
    confidence: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    taxonomy_version: str = TAXONOMY_VERSION
    flag_model_version: str | None = None

    def public(self) -> dict[str, Any]:
        """The draft object of the interface contract."""
        return {
            "category": self.category,
            "priority": self.priority,
            "risk_flags": self.risk_flags,
            "reply": self.reply,
            "citations": self.citations,
            "findings": self.findings,
            "blocking": self.blocking,
            "origin": self.origin,
            "provider": self.provider,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "confidence": self.confidence,
            "latency_ms": self.latency_ms,
        }


def flag_dict(signal: Signal) -> dict[str, Any]:
    return {
        "code": signal.code,
        "severity": signal.severity.value,
        "source": signal.source.value,
        "evidence": signal.evidence,
        "confidence": round(signal.confidence, 3),
    }


class DraftingPipeline:
    def __init__(
        self,
        *,
        retriever: Retriever,
        catalog: ArticleCatalog,
        provider: Provider,
        prompts_dir: Path,
        redact_pii: bool,
        k: int = 4,
        flag_model: FlagModel | None = None,
    ) -> None:
        self._retriever = retriever
        self._catalog = catalog
        self._provider = provider
        self._prompts_dir = prompts_dir
        self._redact_pii = redact_pii
        self._k = k
        self._flag_model = flag_model

    @property
    def provider(self) -> Provider:
        return self._provider

    async def run(self, inp: PipelineInput) -> DraftOutcome:
        started = time.perf_counter()
        text = "\n".join(p for p in (inp.subject, inp.message) if p)
        signals = detect_signals(text, inp.metadata, inp.history)
        uncertain: list[FlagScore] = []
        model_version = None
        if self._flag_model is not None:
            model_version = self._flag_model.version
            raised = {s.code for s in signals}
            scores = self._flag_model.score(text)
            signals += [as_signal(text, s) for s in scores if s.raised and s.code not in raised]
            signals = without_purchase_only_minor_flag(text, signals)
            uncertain = [s for s in scores if s.uncertain and s.code not in raised]
        injection = self._injection_spans(text, signals)
        # The channel's locale, else a guess from the newest message, else from the whole conversation: a short
        # follow-up ("El ID es WD-1") says little, the thread before it says which language the requester writes.
        locale = resolve_language(inp.locale, text, default="")
        if not locale:
            locale = resolve_language(None, "\n".join([*inp.thread, text]))
        # The newest message first, then the thread: a follow-up keeps the subject the conversation is about.
        articles = self._retrieve("\n".join([text, *reversed(inp.thread)]), locale)
        critical = sorted({s.code for s in signals if s.code in CRITICAL_FLAGS})
        if critical:
            outcome = self._safety_outcome(critical, articles, locale, region_of(inp.metadata, inp.locale))
        else:
            outcome = await self._provider_outcome(inp, text, signals, articles, locale, uncertain, injection)
        outcome.flag_model_version = model_version
        outcome.risk_flags = self._merge_flags(signals, outcome.risk_flags, inp, outcome.category)
        codes = [f["code"] for f in outcome.risk_flags]
        playbook = [f.as_dict() for f in playbook_findings(outcome.reply, codes, outcome.category)]
        outcome.findings += playbook
        outcome.blocking = outcome.blocking or any(f["blocking"] for f in playbook)
        proposed = outcome.priority
        if proposed == "P0" and not set(codes) & CRITICAL_FLAGS:
            proposed = "P1"  # only a critical flag puts a case at the very top; a model's say-so is not enough
        outcome.priority = min(proposed, priority_for(outcome.category, codes).value)
        outcome.latency_ms = int((time.perf_counter() - started) * 1000)
        return outcome

    def _injection_spans(self, text: str, signals: list[Signal]) -> list[Signal]:
        """Injection signals with the spans the guardrails cut out: the rule's trigger, or the model's sentences."""
        found = [s for s in signals if s.code == "prompt_injection"]
        if self._flag_model is None or not any(s.source is FlagSource.MODEL for s in found):
            return found
        spans = self._flag_model.locate(text, "prompt_injection")
        located = [replace(found[0], start=a, end=b, evidence=text[a:b][:300]) for a, b in spans]
        return [s for s in found if s.source is not FlagSource.MODEL] + located

    def _retrieve(self, text: str, locale: str) -> list[RetrievedArticle]:
        # Playbooks are for the specialist (cited by flag in _safety_outcome), never context for a reply.
        found = self._retriever.search_articles(text[:_QUERY_CHARS], k=self._k + len(PLAYBOOK_ARTICLES), locale=locale)
        hits = [h for h in found if not h.article_id.startswith(PLAYBOOK_PREFIX)][: self._k]
        out: list[RetrievedArticle] = []
        # A catalog that can take a snapshot checks its freshness once per draft instead of once per lookup.
        snapshot: Callable[[], ArticleCatalog] | None = getattr(self._catalog, "snapshot", None)
        catalog = snapshot() if snapshot is not None else self._catalog
        seen: set[str] = set()
        for hit in hits:
            article = catalog.get(hit.article_id)
            base = article.translation_of if article is not None else None
            if base and article is not None and article.locale != locale:
                # A variant in a third language (es text for a pt message): use its original and the right variant.
                original = catalog.get(base)
                if original is not None:
                    hit = replace(
                        hit,
                        article_id=original.id,
                        version=original.version,
                        title=original.title,
                        chunk_id=f"{original.id}@v{original.version}#0",
                        locale=original.locale,
                    )
                    article = original
            if hit.article_id in seen:
                continue
            seen.add(hit.article_id)
            out.append(_retrieved(hit.article_id, hit.version, hit.title, hit.chunk_id, hit, article))
            variant = catalog.variant(hit.article_id, locale) if locale != hit.locale else None
            if variant is not None and variant.id not in seen:
                seen.add(variant.id)
                out.append(
                    _retrieved(
                        variant.id, variant.version, variant.title, f"{variant.id}@v{variant.version}#0", hit, variant
                    )
                )
        return out

    def _safety_outcome(
        self, critical: list[str], articles: list[RetrievedArticle], locale: str, region: str
    ) -> DraftOutcome:
        prompt = load_prompt(self._prompts_dir, "safety_reply")
        # The policy on each flag's subject and the playbook the specialist must follow, looked up by flag (a near
        # tie in retrieval must not decide which policy a crisis reply cites); the best retrieved safety article
        # when the knowledge base has no article for the flag.
        topics = self._flag_articles(critical, TOPIC_ARTICLES)
        retrieved = [_citation(a) for a in articles if Category.SAFETY_REPORT.value in a.categories][:1]
        return DraftOutcome(
            category=Category.SAFETY_REPORT.value,
            priority="P0",
            risk_flags=[],
            reply=prompt.render(flags=critical, locale=locale, region=region),
            citations=(topics or retrieved) + self._flag_articles(critical, PLAYBOOK_ARTICLES),
            findings=[
                {
                    "code": "critical_flag",
                    "message": f"critical flag(s) {', '.join(critical)}: the model was "
                    "skipped and the reviewed safety template offered",
                    "blocking": False,
                }
            ],
            blocking=False,
            origin="safety_template",
            provider="rules",
            model="safety_template",
            prompt_name=prompt.name,
            prompt_version=prompt.version,
        )

    def _flag_articles(self, critical: list[str], articles: Mapping[str, str]) -> list[dict[str, Any]]:
        """Citations of each critical flag's article (its policy, or the playbook the specialist must follow)."""
        cited = []
        for code in critical:
            article = self._catalog.get(articles[code]) if code in articles else None
            if article is not None:
                chunk = f"{article.id}@v{article.version}#0"
                cited.append(
                    {"article_id": article.id, "version": article.version, "title": article.title, "chunk_id": chunk}
                )
        return cited

    async def _provider_outcome(
        self,
        inp: PipelineInput,
        text: str,
        signals: list[Signal],
        articles: list[RetrievedArticle],
        locale: str,
        uncertain: list[FlagScore],
        injection: list[Signal],
    ) -> DraftOutcome:
        splits = [split_injected(text, injection), *(split_injected(t) for t in inp.thread)]
        injected = [region for split in splits for region in split.injected]
        articles, article_findings = _trusted_articles(articles, injected)
        mapping: dict[str, str] = {}
        canary = secrets.token_hex(8)  # per draft: a leaked system prompt shows up in the reply

        def clean(value: str) -> str:
            if not self._redact_pii:
                return value
            redaction = redact(value, mapping)
            mapping.update(redaction.mapping)
            return redaction.text

        request = DraftRequest(
            correlation_id=inp.correlation_id,
            message=clean(inp.message),
            subject=clean(inp.subject) if inp.subject else None,
            thread=[clean(t) for t in inp.thread],
            locale=inp.locale or locale,
            sender_kind=inp.sender_kind,
            rule_flags=[RuleFlag(**{k: v for k, v in flag_dict(s).items()}) for s in signals],
            uncertain_flags=[s.code for s in uncertain],
            articles=articles,
            canary=canary,
            # Ledger facts fill reply slots; they are personal data, so an external LLM does not get them.
            context_facts={} if self._redact_pii else context_facts(inp.metadata),
            rejected=inp.rejected,
        )
        result = await self._provider.draft(request)
        proposal = result.proposal
        cited, findings = guardrails.check_citations(proposal.citations, articles)
        reply = restore(proposal.reply, mapping) if mapping else proposal.reply
        findings += article_findings
        findings += guardrails.review_draft(
            reply,
            cited=cited,
            retrieved=articles,
            conversation="\n".join(split.trusted for split in splits),
            injected=injected,
            canary=canary,
            system_prompt=load_prompt(self._prompts_dir, "draft_system").body,
        )
        findings += [guardrails.Finding("provider_note", note) for note in result.notes]
        category = parse_category(proposal.category)
        llm_flags = [
            {
                "code": f.code,
                "severity": severity_of(f.code).value,
                "source": FlagSource.LLM.value,
                "evidence": f.evidence[:500],
                "confidence": None,
            }
            for f in proposal.risk_flags
            if f.code in RISK_FLAGS
        ]
        if uncertain and result.provider != "offline":
            said = {f["code"] for f in llm_flags}
            findings.append(
                guardrails.Finding(
                    "flag_opinion",
                    "the flag model was unsure; the LLM was asked: "
                    + ", ".join(
                        f"{s.code} (model {s.probability:.2f}, threshold {s.threshold:.2f}): "
                        + ("raised by the LLM" if s.code in said else "not raised by the LLM")
                        for s in uncertain
                    ),
                )
            )
        return DraftOutcome(
            category=category.value,
            priority=proposal.priority if proposal.priority in ("P0", "P1", "P2", "P3") else "P3",
            risk_flags=llm_flags,
            reply=reply,
            citations=[_citation(a) for a in cited],
            findings=[f.as_dict() for f in findings],
            blocking=any(f.blocking for f in findings),
            origin="model",
            provider=result.provider,
            model=result.model,
            prompt_name=result.prompt_name,
            prompt_version=result.prompt_version,
            confidence=proposal.confidence,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
        )

    @staticmethod
    def _merge_flags(
        signals: list[Signal], provider_flags: list[dict[str, Any]], inp: PipelineInput, category: str
    ) -> list[dict[str, Any]]:
        """Rule flags first, then provider flags for codes the rules did not raise; each keeps its source."""
        merged = {s.code: flag_dict(s) for s in signals}
        # The detectors already ran over the text; only the history detector reads the category (now known).
        for extra in detect_category_signals(inp.history, category):
            merged.setdefault(extra.code, flag_dict(extra))
        for flag in provider_flags:
            merged.setdefault(flag["code"], flag)
        return sorted(
            merged.values(), key=lambda f: (["critical", "high", "medium", "info"].index(f["severity"]), f["code"])
        )


def _trusted_articles(
    articles: list[RetrievedArticle], injected: list[str]
) -> tuple[list[RetrievedArticle], list[guardrails.Finding]]:
    """Leave out retrieved chunks whose text reads as instructions to the model (an article edited outside the
    scanned save paths); their text joins ``injected`` so a draft that repeats it is caught."""
    kept: list[RetrievedArticle] = []
    findings: list[guardrails.Finding] = []
    for article in articles:
        found = _injected_in_article("\n".join([article.text, article.reply_guidance or ""]))
        if found:
            injected.extend(found)
            findings.append(
                guardrails.Finding(
                    "article_injection",
                    f"article '{article.article_id}' was left out of the draft: its text reads as instructions "
                    "to the model; a policy writer should review it",
                )
            )
        else:
            kept.append(article)
    return kept, findings


@lru_cache(maxsize=4096)
def _injected_in_article(text: str) -> tuple[str, ...]:
    """Injected regions of a retrieved article's text; the same few chunks come back draft after draft."""
    return tuple(split_injected(text).injected)


def _retrieved(
    article_id: str, version: int, title: str, chunk_id: str, hit: SearchHit, article: Article | None
) -> RetrievedArticle:
    return RetrievedArticle(
        article_id=article_id,
        version=version,
        title=title,
        chunk_id=chunk_id,
        section=hit.section,
        text=hit.text,
        locale=article.locale if article else hit.locale,
        categories=list(article.categories if article else hit.categories),
        score=hit.score,
        reply_guidance=article.reply_guidance if article else None,
        may_promise=article.may_promise if article else [],
        never_promise=article.never_promise if article else [],
    )


def _citation(article: RetrievedArticle) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "version": article.version,
        "title": article.title,
        "chunk_id": article.chunk_id,
    }
