"""The golden suite: cases specialists approved or edited, exported with ``triage eval export-decisions``.

A specialist sending a draft (as is, or edited) confirms its category, and the text they sent is the reply we
want. Re-drafting those messages shows whether a change keeps what people accepted: ``category_accuracy``
against the accepted category, and ``reply_similarity`` (normalised Levenshtein similarity, 0-1) of the new
reply to the text that was actually sent.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from app.evaluation import metrics as m
from app.evaluation.context import RunContext, category_of, clip, message_input
from app.evaluation.results import CaseError, SuiteOutcome
from app.evaluation.suites import GoldenCase, SuiteSpec, load_cases


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(
            f"no golden cases yet at {path}: run `triage eval export-decisions --out {path}` once specialists have "
            "approved or edited drafts"
        )
    cases = load_cases(spec, GoldenCase)
    if not cases:
        return SuiteOutcome.skip(f"{path} holds no cases")
    outcomes = await ctx.draft_all(
        [
            (c.id, message_input(c.id, c.body, subject=c.subject, locale=c.locale, sender_kind=c.sender_kind))
            for c in cases
        ]
    )
    similarity: dict[str, float] = {}
    for case in cases:
        result = outcomes[case.id]
        reply = "" if isinstance(result, CaseError) else result.reply
        similarity[case.id] = Levenshtein.normalized_similarity(reply, case.final_reply)
    wrong = [c.id for c in cases if category_of(outcomes[c.id]) != c.category.value]
    ranked = sorted(cases, key=lambda c: similarity[c.id])
    return SuiteOutcome(
        metrics={
            "category_accuracy": m.ratio(len(cases) - len(wrong), len(cases)),
            "reply_similarity": m.mean(list(similarity.values())),
        },
        cases=len(cases),
        offenders={"category_accuracy": wrong, "reply_similarity": [c.id for c in ranked]},
        details={"by_action": {a: sum(1 for c in cases if c.action == a) for a in ("approve", "edit")}},
        worst=[
            {
                "id": c.id,
                "input": clip(c.body),
                "expected": {"category": c.category.value, "reply": clip(c.final_reply, 800)},
                "got": {
                    "category": category_of(outcomes[c.id]),
                    "reply": clip(getattr(outcomes[c.id], "reply", ""), 800),
                    "similarity": round(similarity[c.id], 3),
                },
            }
            for c in ranked[:15]
        ],
    )
