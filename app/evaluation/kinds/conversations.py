"""Multi-turn conversations judged per turn, as the requester would judge each reply.

Every turn is drafted with the turns before it as the thread. Per turn, by rules:
- ``language_accuracy``: the reply is in the turn's language (the same offline detector the drafter uses, run
  on the reply); ``language_accuracy_es_pt`` counts only Spanish and Portuguese turns.
- ``no_reask_rate``: of turns where the requester had already given something, the share whose reply does not ask
  for it again.
- ``article_relevance``: of turns naming expected articles, the share citing one of them (any locale variant).
- ``answer_coverage``: mean share of each turn's ``answers`` regexes the reply matches.
- ``forbidden_content_rate``: replies matching a forbidden regex (the suite's, plus the turn's).
- ``redraft_differs``: of turns rejected with a reason, the share whose redraft differs from the rejected draft.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from app.evaluation import metrics as m
from app.evaluation.context import DraftResult, RunContext, clip
from app.evaluation.results import CaseError, SuiteOutcome
from app.evaluation.suites import ConversationCase, ConversationTurn, SuiteSpec, load_cases
from app.knowledge.articles import base_article_id
from app.llm.language import guess_language
from app.llm.schemas import RejectedDraft
from app.triage.pipeline import DraftOutcome, PipelineInput


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forbidden: list[str] = Field(default_factory=list, description="regexes no reply may match")


class _Turn(BaseModel):
    key: str
    language: str
    got_language: str | None = None
    checks_reask: bool = False
    reasked: list[str] = Field(default_factory=list)
    relevant: bool | None = None
    answered: float | None = None
    missing: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    differs: bool | None = None
    error: str | None = None


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    options = Options.model_validate(spec.options)
    cases = load_cases(spec, ConversationCase)
    inputs = {key: inp for case in cases for key, inp, _ in _turn_inputs(case)}
    outcomes = await ctx.draft_all(list(inputs.items()))
    redrafts: dict[str, PipelineInput] = {}
    for case in cases:
        for key, inp, turn in _turn_inputs(case):
            first = outcomes[key]
            if turn.reject and isinstance(first, DraftOutcome):
                rejected = RejectedDraft(
                    reason=turn.reject,
                    category=first.category,
                    article_ids=[str(c.get("article_id")) for c in first.citations],
                    reply=first.reply,
                )
                redrafts[f"{key}/redraft"] = PipelineInput(**{**inp.__dict__, "rejected": rejected})
    again = await ctx.draft_all(list(redrafts.items()))
    graded: list[_Turn] = []
    for case in cases:
        for key, _, turn in _turn_inputs(case):
            graded.append(_grade(key, turn, outcomes[key], again.get(f"{key}/redraft"), options.forbidden))
    return _outcome(graded, len(cases))


def _turn_inputs(case: ConversationCase) -> list[tuple[str, PipelineInput, ConversationTurn]]:
    out = []
    for number, turn in enumerate(case.turns, start=1):
        inp = PipelineInput(
            correlation_id=f"eval-{case.id}-{number}",
            message=turn.body,
            thread=[t.body for t in case.turns[: number - 1]],
            locale=case.locale,
            sender_kind=case.sender_kind,
            metadata=dict(case.metadata),
        )
        out.append((f"{case.id}#{number}", inp, turn))
    return out


def _grade(
    key: str, turn: ConversationTurn, result: DraftResult, redraft: DraftResult | None, forbidden: list[str]
) -> _Turn:
    graded = _Turn(key=key, language=turn.language)
    if isinstance(result, CaseError):
        graded.error = result.message
        return graded
    reply = result.reply
    guess = guess_language(reply)
    graded.got_language = guess.code if guess else None
    graded.checks_reask = bool(turn.not_asking)
    graded.reasked = [p for p in turn.not_asking if re.search(p, reply, re.IGNORECASE)]
    if turn.expected_articles:
        expected = {base_article_id(a) for a in turn.expected_articles}
        graded.relevant = any(base_article_id(str(c.get("article_id"))) in expected for c in result.citations)
    if turn.answers:
        found = 0
        for answer in turn.answers:
            alternatives = [answer] if isinstance(answer, str) else answer
            if any(re.search(p, reply, re.IGNORECASE) for p in alternatives):
                found += 1
            else:
                graded.missing.append(" | ".join(alternatives))
        graded.answered = found / len(turn.answers)
    graded.forbidden = [p for p in [*forbidden, *turn.forbidden] if re.search(p, reply, re.IGNORECASE)]
    if turn.reject:
        graded.differs = isinstance(redraft, DraftOutcome) and " ".join(redraft.reply.split()) != " ".join(
            reply.split()
        )
    return graded


def _outcome(turns: list[_Turn], conversations: int) -> SuiteOutcome:
    ok = [t for t in turns if t.error is None]
    es_pt = [t for t in turns if t.language in ("es", "pt")]
    with_given = [t for t in ok if t.checks_reask]
    relevant = [t for t in ok if t.relevant is not None]
    rejected = [t for t in turns if t.differs is not None]
    metrics: dict[str, float | None] = {
        "language_accuracy": m.ratio(sum(1 for t in turns if t.got_language == t.language), len(turns)),
        "language_accuracy_es_pt": m.ratio(sum(1 for t in es_pt if t.got_language == t.language), len(es_pt)),
        "no_reask_rate": m.ratio(sum(1 for t in with_given if not t.reasked), len(with_given)),
        "article_relevance": m.ratio(sum(1 for t in relevant if t.relevant), len(relevant)),
        "answer_coverage": m.mean([t.answered for t in ok if t.answered is not None]),
        "forbidden_content_rate": m.ratio(sum(1 for t in ok if t.forbidden), len(turns)),
        "redraft_differs": m.ratio(sum(1 for t in rejected if t.differs), len(rejected)),
        "error_rate": m.ratio(len(turns) - len(ok), len(turns)),
    }
    offenders = {
        "language_accuracy": [t.key for t in turns if t.got_language != t.language],
        "language_accuracy_es_pt": [t.key for t in es_pt if t.got_language != t.language],
        "no_reask_rate": [t.key for t in with_given if t.reasked],
        "article_relevance": [t.key for t in relevant if not t.relevant],
        "answer_coverage": [t.key for t in ok if t.missing],
        "forbidden_content_rate": [t.key for t in ok if t.forbidden],
        "redraft_differs": [t.key for t in rejected if not t.differs],
        "error_rate": [t.key for t in turns if t.error is not None],
    }
    worst: list[dict[str, object]] = [{"id": t.key, "problem": clip(_problems(t), 600)} for t in turns if _problems(t)]
    return SuiteOutcome(
        metrics=metrics,
        cases=conversations,
        offenders=offenders,
        details={"turns": len(turns), "per_turn": {t.key: t.model_dump() for t in turns}},
        worst=worst[:20],
    )


def _problems(t: _Turn) -> str:
    parts = [f"error: {t.error}"] if t.error else []
    parts += [f"reply language {t.got_language}, expected {t.language}"] if t.got_language != t.language else []
    parts += [f"asks again: {', '.join(t.reasked)}"] if t.reasked else []
    parts += ["cites none of the expected articles"] if t.relevant is False else []
    parts += [f"missing: {', '.join(t.missing)}"] if t.missing else []
    parts += [f"forbidden: {', '.join(t.forbidden)}"] if t.forbidden else []
    parts += ["redraft identical to the rejected draft"] if t.differs is False else []
    return "; ".join(parts)
