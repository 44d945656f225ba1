"""The draft answer a model must give: its JSON schema, its validation, and the repair turn when it fails.

Kept apart from the HTTP client so the contract can be read (and tested) on its own: the schema keeps to the
strict subset OpenAI, vLLM, Ollama and llama.cpp all enforce (every key required, no extra keys), and
``ModelAnswer`` is stricter than ``DraftProposal`` — an unknown category or flag earns a repair turn with the
exact error instead of a silent ``feedback_other``. Reasons never quote the answer: they are stored and shown.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.llm.call_log import CallOutcome
from app.llm.language import language_name
from app.llm.schemas import DraftProposal, DraftRequest, ProposedCitation, ProposedFlag
from app.taxonomy import CATEGORY_DESCRIPTIONS, RISK_FLAGS, Category, Priority

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
PRIORITY_MEANINGS: dict[Priority, str] = {
    Priority.P0: "a life or safety emergency; minutes matter",
    Priority.P1: "urgent: account takeover, fraud, chargebacks, legal or regulatory threats, safety reports",
    Priority.P2: "money or account access is affected (missing coins, payouts, restrictions, privacy requests)",
    Priority.P3: "general questions, technical issues, feedback",
}


def taxonomy_variables() -> dict[str, list[dict[str, str]]]:
    """Categories, flags and priorities for the system prompt, from ``app/taxonomy.py`` (never re-declared)."""
    return {
        "categories": [{"code": c.value, "description": CATEGORY_DESCRIPTIONS[c]} for c in Category],
        "flags": [
            {"code": f.code, "severity": f.severity.value, "description": f.description} for f in RISK_FLAGS.values()
        ],
        "priorities": [{"code": p.value, "description": d} for p, d in PRIORITY_MEANINGS.items()],
    }


class _Flag(BaseModel):
    model_config = ConfigDict(extra="ignore")
    code: str
    evidence: str = ""

    @field_validator("code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in RISK_FLAGS:
            raise ValueError(f"unknown risk flag {value!r}; use one of {', '.join(RISK_FLAGS)}")
        return value


class _Citation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    article_id: str
    chunk_id: str | None = None


class ModelAnswer(BaseModel):
    """What the model must return; stricter than ``DraftProposal`` so a wrong code earns a repair, not a guess."""

    model_config = ConfigDict(extra="ignore")
    category: Category
    priority: Priority
    risk_flags: list[_Flag] = Field(default_factory=list)
    citations: list[_Citation] = Field(default_factory=list)
    reply: str = Field(min_length=1)
    confidence: float | None = Field(default=None, ge=0, le=1)

    @field_validator("confidence", mode="before")
    @classmethod
    def _advisory(cls, value: object) -> object:
        """Confidence is advisory: a value outside 0..1 (small models write 4.5) is dropped, not worth a repair."""
        if isinstance(value, int | float) and not isinstance(value, bool) and not 0 <= value <= 1:
            return None
        return value

    @field_validator("reply")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the reply is blank")
        return value.strip()


def answer_schema(article_ids: list[str], *, bounded: bool = False) -> dict[str, Any]:
    """JSON schema of ``ModelAnswer`` in the strict subset every server enforces (all keys required, no extras).

    ``bounded`` adds limits for grammar-constrained servers (llama.cpp turns the schema into a grammar): no
    blank strings, at most 4 flags and 4 citations, so a small model cannot loop on list items until
    ``max_tokens``. No ``maxLength``: llama-cpp-python unrolls it into one nested rule per character, and a
    reply-sized limit (1,200) made its grammar parser fail and the server exit (measured). These keywords are
    left out of OpenAI's strict ``json_schema``, which does not take every one of them.
    """
    citation_id: dict[str, Any] = {"type": "string"}
    if article_ids:
        citation_id["enum"] = sorted(set(article_ids))

    def obj(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}

    def text() -> dict[str, Any]:
        return {"type": "string", "minLength": 1} if bounded else {"type": "string"}

    def array(items: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": items, "maxItems": 4} if bounded else {"type": "array", "items": items}

    flag = obj({"code": {"type": "string", "enum": list(RISK_FLAGS)}, "evidence": text()})
    citation = obj({"article_id": citation_id, "chunk_id": {"type": "string"}})
    return obj(
        {
            "category": {"type": "string", "enum": [c.value for c in Category]},
            "priority": {"type": "string", "enum": [p.value for p in Priority]},
            "risk_flags": array(flag),
            "citations": array(citation),
            "reply": text(),
            "confidence": {"type": "number"},
        }
    )


class InvalidAnswer(Exception):
    """The model answered, but not with a valid draft; ``reason`` names what was wrong (no message text).

    A refusal is neither repaired nor retried (the same prompt gets the same refusal); an empty answer is not
    repaired but may be retried by the job; anything else gets one repair turn.
    """

    def __init__(
        self,
        reason: str,
        outcome: CallOutcome = CallOutcome.INVALID_OUTPUT,
        *,
        repairable: bool = True,
        retryable: bool = True,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome
        self.repairable = repairable
        self.retryable = retryable


def parse_answer(
    content: str | None, *, finish_reason: str | None, refusal: str | None, max_tokens: int
) -> DraftProposal:
    """Validate a model message into a ``DraftProposal`` or raise ``InvalidAnswer`` with the reason."""
    if refusal or finish_reason == "content_filter":
        reason = f"the model refused: {(refusal or 'content filter').strip()[:200]}"
        raise InvalidAnswer(reason, CallOutcome.REFUSED, repairable=False, retryable=False)
    content = (content or "").strip()
    if not content:
        raise InvalidAnswer("the model returned an empty answer", CallOutcome.REFUSED, repairable=False)
    if finish_reason == "length":
        raise InvalidAnswer(f"the answer was cut off at max_tokens={max_tokens}; write a shorter reply")
    fenced = _FENCE.match(content)
    content = fenced.group(1) if fenced else content
    try:
        data = json.loads(content, strict=False)  # raw newlines inside strings: harmless, common in small models
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise InvalidAnswer(f"the answer must be a JSON object, not {type(data).__name__}")
    try:
        answer = ModelAnswer.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)[:6]
        ]
        raise InvalidAnswer("schema-invalid answer: " + "; ".join(problems)) from exc
    return DraftProposal(
        category=answer.category.value,
        priority=answer.priority.value,
        risk_flags=[ProposedFlag(code=f.code, evidence=f.evidence) for f in answer.risk_flags],
        reply=answer.reply,
        citations=[ProposedCitation(article_id=c.article_id, chunk_id=c.chunk_id) for c in answer.citations],
        confidence=answer.confidence,
    )


def repair_turn(raw: str, reason: str) -> list[dict[str, str]]:
    """The invalid answer and the validation error, so the model can correct itself once."""
    return [
        {"role": "assistant", "content": raw[:4000]},
        {
            "role": "user",
            "content": f"Your answer was not valid: {reason}. Answer again with only the JSON object, in the "
            "shape the instructions give, keeping every rule.",
        },
    ]


def language_notes(request: DraftRequest, language: str) -> list[str]:
    """Say so when the reply's language has no retrieved article: the model translated policy on its own."""
    locales = sorted({a.locale for a in request.articles})
    if not locales or language in locales:
        return []
    return [
        f"no '{language}' article was retrieved; the model wrote the {language_name(language)} reply from "
        f"{', '.join(locales)} policy text, so check the wording against the cited article"
    ]
