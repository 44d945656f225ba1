"""Checks on every draft before a specialist sees it; findings are stored and shown, never silently applied.

Each module holds one check that needs no model; :func:`review_draft` runs them all. A finding is ``blocking``
when the draft must not be sent as is: the console and the decisions endpoint refuse a plain approve until the
text is edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.llm.schemas import RetrievedArticle
from app.triage.guardrails.citations import check_citations
from app.triage.guardrails.disclosure import check_canary, check_prompt_disclosure
from app.triage.guardrails.findings import Finding
from app.triage.guardrails.grounding import Sources, check_instruction_following
from app.triage.guardrails.links import check_urls
from app.triage.guardrails.personal_data import check_personal_data
from app.triage.guardrails.promises import check_promises

__all__ = ["Finding", "check_citations", "knowledge_text", "review_draft"]


def knowledge_text(articles: Sequence[RetrievedArticle]) -> str:
    """All the article text a draft may rely on: chunks, titles, approved wording and allowances."""
    return "\n".join("\n".join([a.title, a.text, a.reply_guidance or "", *a.may_promise]) for a in articles)


def review_draft(
    reply: str,
    *,
    cited: Sequence[RetrievedArticle],
    retrieved: Sequence[RetrievedArticle],
    conversation: str,
    injected: Sequence[str] = (),
    canary: str | None = None,
    system_prompt: str = "",
) -> list[Finding]:
    """Every guardrail on one draft reply.

    ``conversation`` is what the requester wrote, with any injected instructions cut out: they are listed in
    ``injected`` so that a reply repeating them is caught rather than excused as quoting the requester.
    """
    kb = knowledge_text(retrieved)
    findings = check_urls(reply, kb)
    findings += check_canary(reply, canary)
    findings += check_prompt_disclosure(reply, system_prompt, kb)
    findings += check_personal_data(reply, conversation, kb)
    findings += check_promises(reply, cited)
    findings += check_instruction_following(reply, Sources(knowledge=kb, conversation=conversation, injected=injected))
    return findings
