"""Knowledge-base retrieval: does the article that answers a question come back, and how high?

Each case lists the article ids that answer its query (any one will do). ``recall_at_k`` is the share of queries
with such an article in the top ``k`` (``options.k``, default 3 — what a draft sees), ``recall_at_1`` the share
where it is first, and ``mrr`` the mean reciprocal rank of the first answering article within the top 10.
Translations count as their base article (``refunds.es`` answers for ``refunds``).
"""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field

from app.evaluation import metrics as m
from app.evaluation.context import RunContext
from app.evaluation.results import SuiteOutcome
from app.evaluation.suites import RetrievalCase, SuiteSpec, load_cases
from app.knowledge.articles import base_article_id

_DEPTH = 10


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(default=3, ge=1, le=_DEPTH)


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    options = Options.model_validate(spec.options)
    cases = load_cases(spec, RetrievalCase)
    unknown = sorted({a for c in cases for a in c.expected if a not in ctx.system.articles})
    await asyncio.to_thread(ctx.system.prefetch, [c.query for c in cases])
    rankings: dict[str, list[str]] = {}
    for case in cases:
        hits = await asyncio.to_thread(ctx.system.retriever.search_articles, case.query, _DEPTH, case.locale)
        rankings[case.id] = list(dict.fromkeys(base_article_id(h.article_id) for h in hits))
    k = options.k
    at_k: list[str] = []
    at_1: list[str] = []
    ranks: list[float] = []
    worst: list[tuple[float, dict[str, object]]] = []
    for case in cases:
        expected = {base_article_id(a) for a in case.expected}
        ranked = rankings[case.id]
        rr = m.reciprocal_rank(expected, ranked)
        ranks.append(rr)
        if not m.hit_at_k(expected, ranked, k):
            at_k.append(case.id)
        if not m.hit_at_k(expected, ranked, 1):
            at_1.append(case.id)
        if rr < 1.0:
            worst.append(
                (
                    rr,
                    {
                        "id": case.id,
                        "input": case.query,
                        "expected": sorted(expected),
                        "got": ranked[:k],
                        "problem": f"first answering article at rank {round(1 / rr)}" if rr else f"not in top {_DEPTH}",
                    },
                )
            )
    worst.sort(key=lambda item: item[0])
    notes = [f"expected article id(s) not in the knowledge base: {', '.join(unknown)}"] if unknown else []
    return SuiteOutcome(
        metrics={
            "recall_at_k": m.ratio(len(cases) - len(at_k), len(cases)),
            "recall_at_1": m.ratio(len(cases) - len(at_1), len(cases)),
            "mrr": m.mean(ranks),
        },
        cases=len(cases),
        offenders={"recall_at_k": at_k, "recall_at_1": at_1, "mrr": at_1},
        details={"k": k, "depth": _DEPTH, "unknown_expected": unknown},
        worst=[row for _, row in worst[:25]],
        notes=notes,
    )
