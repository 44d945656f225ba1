"""Checks on every draft before a specialist sees it; findings are stored and shown, never silently applied.

This module holds the checks that need no model. A finding is ``blocking`` when the draft must not be sent as
is: the console and the decisions endpoint refuse a plain approve until the text is edited.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from app.llm.schemas import ProposedCitation, RetrievedArticle

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    blocking: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_citations(
    citations: list[ProposedCitation], retrieved: list[RetrievedArticle]
) -> tuple[list[RetrievedArticle], list[Finding]]:
    """Keep citations that name a retrieved article; drop the rest with a finding each."""
    by_id = {a.article_id: a for a in retrieved}
    kept: list[RetrievedArticle] = []
    findings: list[Finding] = []
    for citation in citations:
        article = by_id.get(citation.article_id)
        if article is None:
            findings.append(
                Finding("citation_not_retrieved", f"dropped a citation to '{citation.article_id}', not retrieved")
            )
        elif article not in kept:
            kept.append(article)
    return kept, findings


def check_urls(reply: str, allowed_text: str) -> list[Finding]:
    """A URL in the reply must appear in the knowledge base text the draft was built from."""
    findings = []
    for url in _URL.findall(reply):
        if url.rstrip(".,;") not in allowed_text:
            findings.append(Finding("unknown_url", f"the reply links to {url}, which no cited article contains", True))
    return findings


def check_canary(reply: str, canary: str | None) -> list[Finding]:
    if canary and canary in reply:
        return [Finding("prompt_leak", "the reply contains the system prompt canary", True)]
    return []
