"""PII redaction before text leaves for an external LLM: recall and precision per kind, and readability.

Scoring is by overlap, per kind (as ``benchmarks/redaction_presidio.py`` does): a labelled value is found when
a detected span of the same kind overlaps it; a detected span is correct when it overlaps a labelled value of
the same kind. ``keep_rate`` is the share of ``keep`` strings (amounts, dates, order and transaction ids) that
are still readable after ``redact`` — redaction that hides them makes the draft useless.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.evaluation import metrics as m
from app.evaluation.context import RunContext, clip
from app.evaluation.results import SuiteOutcome
from app.evaluation.suites import RedactionCase, SuiteSpec, load_cases
from app.evaluation.system import PiiFinder
from app.triage.redaction import KINDS, redact

Span = tuple[str, int, int]  # kind, start, end


@dataclass
class SpanRow:
    id: str
    text: str
    gold: list[Span]


@dataclass
class KindTally:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    missed_in: list[str] = field(default_factory=list)
    false_in: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return m.ratio(self.found, self.gold)

    @property
    def precision(self) -> float | None:
        return m.ratio(self.correct, self.predicted)


def score_spans(rows: Iterable[SpanRow], finder: PiiFinder, kinds: Sequence[str] = KINDS) -> dict[str, KindTally]:
    tallies = {kind: KindTally() for kind in kinds}
    for row in rows:
        predicted = [(s.kind, s.start, s.end) for s in finder(row.text)]
        for kind, start, end in row.gold:
            tally = tallies.setdefault(kind, KindTally())
            tally.gold += 1
            if any(k == kind and _overlaps((start, end), (s, e)) for k, s, e in predicted):
                tally.found += 1
            else:
                tally.missed_in.append(row.id)
        for kind, start, end in predicted:
            tally = tallies.setdefault(kind, KindTally())
            tally.predicted += 1
            if any(k == kind and _overlaps((start, end), (s, e)) for k, s, e in row.gold):
                tally.correct += 1
            else:
                tally.false_in.append(row.id)
    return tallies


def tally_metrics(
    tallies: dict[str, KindTally], prefix: str = ""
) -> tuple[dict[str, float | None], dict[str, list[str]]]:
    """``recall.KIND`` / ``precision.KIND`` for kinds that occur, plus ``precision`` over all kinds."""
    metrics: dict[str, float | None] = {}
    offenders: dict[str, list[str]] = {}
    for kind, tally in tallies.items():
        if tally.gold:
            metrics[f"{prefix}recall.{kind}"] = tally.recall
            offenders[f"{prefix}recall.{kind}"] = list(dict.fromkeys(tally.missed_in))
        if tally.predicted:
            metrics[f"{prefix}precision.{kind}"] = tally.precision
            offenders[f"{prefix}precision.{kind}"] = list(dict.fromkeys(tally.false_in))
    predicted = sum(t.predicted for t in tallies.values())
    metrics[f"{prefix}precision"] = m.ratio(sum(t.correct for t in tallies.values()), predicted)
    offenders[f"{prefix}precision"] = list(dict.fromkeys(i for t in tallies.values() for i in t.false_in))
    return metrics, offenders


def tally_rows(tallies: dict[str, KindTally]) -> dict[str, dict[str, object]]:
    return {
        kind: {
            "gold": t.gold,
            "recall": _round(t.recall),
            "predicted": t.predicted,
            "precision": _round(t.precision),
        }
        for kind, t in tallies.items()
        if t.gold or t.predicted
    }


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    cases = load_cases(spec, RedactionCase)
    rows = [SpanRow(c.id, c.text, [_span(c.text, item.kind, item.value) for item in c.pii]) for c in cases]
    tallies = await asyncio.to_thread(score_spans, rows, ctx.system.find_pii)
    metrics, offenders = tally_metrics(tallies)
    hidden: dict[str, list[str]] = {}
    kept = total = 0
    for case in cases:
        redacted = redact(case.text).text
        for value in case.keep:
            total += 1
            if value in redacted:
                kept += 1
            else:
                hidden.setdefault(case.id, []).append(value)
    metrics["keep_rate"] = m.ratio(kept, total)
    offenders["keep_rate"] = list(hidden)
    bad = {i for t in tallies.values() for i in t.missed_in + t.false_in} | set(hidden)
    worst = [
        {
            "id": c.id,
            "input": clip(c.text),
            "expected": {"pii": [f"{p.kind}: {p.value}" for p in c.pii], "keep": c.keep},
            "got": {"redacted": clip(redact(c.text).text)},
            "problem": _problem(c.id, tallies, hidden),
        }
        for c in cases
        if c.id in bad
    ]
    return SuiteOutcome(
        metrics=metrics,
        cases=len(cases),
        offenders=offenders,
        details={"per_kind": tally_rows(tallies)},
        worst=worst[:25],
    )


def _span(text: str, kind: str, value: str) -> Span:
    start = text.index(value)  # validated when the case was loaded
    return kind, start, start + len(value)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _problem(case_id: str, tallies: dict[str, KindTally], hidden: dict[str, list[str]]) -> str:
    parts = [f"missed {kind}" for kind, t in tallies.items() if case_id in t.missed_in]
    parts += [f"false {kind}" for kind, t in tallies.items() if case_id in t.false_in]
    parts += [f"hid {', '.join(hidden[case_id])}"] if case_id in hidden else []
    return "; ".join(parts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
