"""What goes into a provider and the validated shape of what comes out.

The provider sees only these models: no case, no database. ``DraftProposal`` is the structured output every
provider must produce; anything that does not validate is an error, never half-used.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetrievedArticle(BaseModel):
    """One retrieved knowledge-base chunk, with the article-level guidance the reply may rely on."""

    article_id: str
    version: int
    title: str
    chunk_id: str
    section: str = ""
    text: str
    locale: str = "en"
    categories: list[str] = Field(default_factory=list)
    score: float = 0.0
    reply_guidance: str | None = None
    may_promise: list[str] = Field(default_factory=list)
    never_promise: list[str] = Field(default_factory=list)


class RuleFlag(BaseModel):
    code: str
    severity: str
    evidence: str
    source: str = "rule"
    confidence: float = 1.0


class RejectedDraft(BaseModel):
    """The draft a specialist just rejected and why: the next draft must differ in the way the reason asks."""

    reason: str | None = None
    category: str
    article_ids: list[str] = Field(default_factory=list)
    reply: str


class DraftRequest(BaseModel):
    """Everything a provider may use. Text fields are untrusted data (and redacted for external providers)."""

    correlation_id: str
    message: str
    subject: str | None = None
    thread: list[str] = Field(default_factory=list, description="earlier messages of the case, oldest first")
    locale: str | None = None
    sender_kind: str = "user"
    rule_flags: list[RuleFlag] = Field(default_factory=list)
    uncertain_flags: list[str] = Field(
        default_factory=list, description="flags the flag model was unsure of: the LLM is asked for its opinion"
    )
    articles: list[RetrievedArticle] = Field(default_factory=list)
    canary: str | None = Field(default=None, description="random marker for the system prompt; leak detection")
    context_facts: dict[str, str] = Field(
        default_factory=dict, description="facts the channel or ledger gave (order id, amount…), for reply slots"
    )
    rejected: RejectedDraft | None = None


class ProposedFlag(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    evidence: str = ""


class ProposedCitation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    article_id: str
    chunk_id: str | None = None


class DraftProposal(BaseModel):
    """The structured output of a provider."""

    model_config = ConfigDict(extra="ignore")

    category: str
    priority: str | None = None
    risk_flags: list[ProposedFlag] = Field(default_factory=list)
    reply: str = Field(min_length=1)
    citations: list[ProposedCitation] = Field(default_factory=list)
    confidence: float | None = Field(default=None, ge=0, le=1)


class ProviderResult(BaseModel):
    proposal: DraftProposal
    provider: str
    model: str
    prompt_name: str
    prompt_version: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    notes: list[str] = Field(default_factory=list, description="honest remarks, e.g. locale fallback")
