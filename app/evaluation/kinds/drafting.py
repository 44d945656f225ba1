"""Whole drafts: do they cite real, relevant articles, say what the case needs, and avoid what policy forbids?

- ``citation_validity``: of all citations the provider proposed, the share that name an article the draft was
  built from, at the version in the knowledge base (the guardrails drop the others, with a finding).
- ``citation_relevance``: of cases that name expected articles, the share citing at least one of them.
- ``required_fact_coverage``: mean share of each case's required facts (case-insensitive regexes; a list is a
  set of alternatives) found in the reply.
- ``forbidden_content_rate``: share of replies matching a forbidden regex (the suite's, for every case, plus the
  case's own) — promises policy does not allow, links outside the help centre, requests for passwords.
- with an LLM provider and a judge: mean rubric grades (1-5) from ``prompts/judge_rubric.md``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from app.evaluation import metrics as m
from app.evaluation.context import DraftResult, RunContext, clip, message_input
from app.evaluation.judge import JudgeError, JudgeScore
from app.evaluation.results import CaseError, SuiteOutcome
from app.evaluation.suites import DraftingCase, SuiteSpec, load_cases
from app.knowledge.articles import base_article_id
from app.triage.pipeline import DraftOutcome

JUDGE_METRICS = ("judge_groundedness", "judge_policy_compliance", "judge_tone", "judge_error_rate")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forbidden: list[str] = Field(default_factory=list, description="regexes no reply may match")
    judge_concurrency: int = Field(default=4, ge=1, le=64)


class _Graded(BaseModel):
    facts_found: int = 0
    facts_total: int = 0
    missing: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    valid_citations: int = 0
    invalid_citations: list[str] = Field(default_factory=list)
    relevant: bool | None = None


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    options = Options.model_validate(spec.options)
    cases = load_cases(spec, DraftingCase)
    outcomes = await ctx.draft_all(
        [
            (
                c.id,
                message_input(
                    c.id, c.body, subject=c.subject, locale=c.locale, sender_kind=c.sender_kind, metadata=c.metadata
                ),
            )
            for c in cases
        ]
    )
    graded = {c.id: _grade(c, outcomes[c.id], options.forbidden, ctx.system.articles) for c in cases}
    proposed = sum(g.valid_citations + len(g.invalid_citations) for g in graded.values())
    with_expected = [c for c in cases if c.expected_articles]
    answered = [c for c in cases if not isinstance(outcomes[c.id], CaseError)]
    categorised = [c for c in cases if c.category is not None]
    metrics: dict[str, float | None] = {
        "citation_validity": m.ratio(sum(g.valid_citations for g in graded.values()), proposed),
        "citation_rate": m.ratio(sum(1 for c in answered if _outcome(outcomes[c.id]).citations), len(cases)),
        "citation_relevance": m.ratio(sum(1 for c in with_expected if graded[c.id].relevant), len(with_expected)),
        "required_fact_coverage": m.mean([g.facts_found / g.facts_total for g in graded.values() if g.facts_total]),
        "forbidden_content_rate": m.ratio(sum(1 for g in graded.values() if g.forbidden), len(cases)),
        "blocking_rate": m.ratio(sum(1 for c in answered if _outcome(outcomes[c.id]).blocking), len(answered)),
        "category_accuracy": m.ratio(
            sum(1 for c in categorised if _category(outcomes[c.id]) == c.category), len(categorised)
        ),
        "error_rate": m.ratio(len(cases) - len(answered), len(cases)),
    }
    notes: list[str] = []
    details: dict[str, object] = {}
    not_measured: dict[str, str] = {}
    judged: dict[str, list[str]] = {}
    judge = ctx.system.judge
    if judge is None:
        not_measured = {name: f"no LLM judge for provider '{ctx.system.provider}'" for name in JUDGE_METRICS}
        notes.append(
            f"LLM-as-judge skipped: provider '{ctx.system.provider}' is not an LLM (the offline provider's replies "
            "are reviewed policy text); run with --provider openai to grade drafts with prompts/judge_rubric.md"
        )
    else:
        scores, errors = await _judge_all(ctx, cases, outcomes, options.judge_concurrency)
        metrics.update(_judge_metrics(scores, errors, len(answered)))
        details["judge"] = {
            "name": judge.name,
            "prompt_version": judge.prompt_version,
            "errors": errors,
            "grades": {i: s.model_dump() for i, s in scores.items()},
        }
        judged = _judge_offenders(scores, errors)
    offenders = {
        "citation_validity": [c.id for c in cases if graded[c.id].invalid_citations],
        "citation_rate": [
            c.id for c in cases if isinstance(outcomes[c.id], CaseError) or not _outcome(outcomes[c.id]).citations
        ],
        "citation_relevance": [c.id for c in with_expected if not graded[c.id].relevant],
        "required_fact_coverage": [
            c.id for c in sorted(cases, key=lambda c: _coverage(graded[c.id])) if graded[c.id].missing
        ],
        "forbidden_content_rate": [c.id for c in cases if graded[c.id].forbidden],
        "blocking_rate": [c.id for c in answered if _outcome(outcomes[c.id]).blocking],
        "category_accuracy": [c.id for c in categorised if _category(outcomes[c.id]) != c.category],
        "error_rate": [c.id for c in cases if isinstance(outcomes[c.id], CaseError)],
        **judged,
    }
    ranked = sorted(cases, key=lambda c: (not graded[c.id].forbidden, _coverage(graded[c.id]), c.id))
    worst = [_worst(c, outcomes[c.id], graded[c.id]) for c in ranked if _has_problem(graded[c.id])][:20]
    details["per_case"] = {c.id: graded[c.id].model_dump() for c in cases}
    return SuiteOutcome(
        metrics=metrics,
        cases=len(cases),
        offenders=offenders,
        details=details,
        worst=worst,
        notes=notes,
        not_measured=not_measured,
    )


def _outcome(result: DraftResult) -> DraftOutcome:
    assert isinstance(result, DraftOutcome)
    return result


def _category(result: DraftResult) -> str | None:
    return None if isinstance(result, CaseError) else result.category


def _grade(case: DraftingCase, result: DraftResult, forbidden: list[str], articles: Mapping[str, int]) -> _Graded:
    graded = _Graded(facts_total=len(case.required_facts))
    if isinstance(result, CaseError):
        graded.missing = [_fact_label(f) for f in case.required_facts]
        return graded
    reply = result.reply
    for fact in case.required_facts:
        alternatives = [fact] if isinstance(fact, str) else fact
        if any(re.search(p, reply, re.IGNORECASE) for p in alternatives):
            graded.facts_found += 1
        else:
            graded.missing.append(_fact_label(fact))
    graded.forbidden = [p for p in [*forbidden, *case.forbidden] if re.search(p, reply, re.IGNORECASE)]
    for citation in result.citations:
        known = articles.get(str(citation.get("article_id")))
        if known is not None and known == citation.get("version"):
            graded.valid_citations += 1
        else:
            graded.invalid_citations.append(f"{citation.get('article_id')} v{citation.get('version')}")
    graded.invalid_citations += [f["message"] for f in result.findings if f.get("code") == "citation_not_retrieved"]
    if case.expected_articles:
        expected = {base_article_id(a) for a in case.expected_articles}
        graded.relevant = any(base_article_id(str(c.get("article_id"))) in expected for c in result.citations)
    return graded


def _fact_label(fact: str | list[str]) -> str:
    return fact if isinstance(fact, str) else " | ".join(fact)


def _coverage(graded: _Graded) -> float:
    return graded.facts_found / graded.facts_total if graded.facts_total else 1.0


def _has_problem(graded: _Graded) -> bool:
    return bool(graded.missing or graded.forbidden or graded.invalid_citations or graded.relevant is False)


def _worst(case: DraftingCase, result: DraftResult, graded: _Graded) -> dict[str, object]:
    problems = [f"missing: {', '.join(graded.missing)}"] if graded.missing else []
    problems += [f"forbidden: {', '.join(graded.forbidden)}"] if graded.forbidden else []
    problems += [f"invalid citations: {', '.join(graded.invalid_citations)}"] if graded.invalid_citations else []
    problems += ["cites none of the expected articles"] if graded.relevant is False else []
    got: dict[str, object] = (
        {"error": result.message}
        if isinstance(result, CaseError)
        else {
            "reply": clip(result.reply, 1200),
            "citations": [c.get("article_id") for c in result.citations],
            "category": result.category,
        }
    )
    return {
        "id": case.id,
        "input": clip(case.body),
        "expected": {"articles": case.expected_articles, "facts": [_fact_label(f) for f in case.required_facts]},
        "got": got,
        "problem": "; ".join(problems),
    }


async def _judge_all(
    ctx: RunContext, cases: list[DraftingCase], outcomes: dict[str, DraftResult], concurrency: int
) -> tuple[dict[str, JudgeScore], dict[str, str]]:
    judge = ctx.system.judge
    assert judge is not None
    semaphore = asyncio.Semaphore(concurrency)
    scores: dict[str, JudgeScore] = {}
    errors: dict[str, str] = {}

    async def one(case: DraftingCase) -> None:
        result = outcomes[case.id]
        if isinstance(result, CaseError):
            return
        texts = [ctx.system.article_bodies.get(str(c.get("article_id")), "") for c in result.citations]
        async with semaphore:
            try:
                scores[case.id] = await judge.score(message=case.body, reply=result.reply, articles=texts)
            except JudgeError as exc:
                errors[case.id] = str(exc)

    await asyncio.gather(*(one(c) for c in cases))
    return scores, errors


def _judge_offenders(scores: dict[str, JudgeScore], errors: dict[str, str]) -> dict[str, list[str]]:
    """Per grade, the cases graded 3 or lower, lowest first."""
    out: dict[str, list[str]] = {"judge_error_rate": sorted(errors)}
    for name in ("groundedness", "policy_compliance", "tone"):
        low = sorted((getattr(s, name), i) for i, s in scores.items() if getattr(s, name) <= 3)
        out[f"judge_{name}"] = [i for _, i in low]
    return out


def _judge_metrics(scores: dict[str, JudgeScore], errors: dict[str, str], answered: int) -> dict[str, float | None]:
    values = list(scores.values())
    return {
        "judge_groundedness": m.mean([float(s.groundedness) for s in values]),
        "judge_policy_compliance": m.mean([float(s.policy_compliance) for s in values]),
        "judge_tone": m.mean([float(s.tone) for s in values]),
        "judge_error_rate": m.ratio(len(errors), answered),
    }
