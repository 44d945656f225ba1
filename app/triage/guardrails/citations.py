"""Citations must name articles that were actually retrieved for this draft."""

from __future__ import annotations

from app.llm.schemas import ProposedCitation, RetrievedArticle
from app.triage.guardrails.findings import Finding


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
