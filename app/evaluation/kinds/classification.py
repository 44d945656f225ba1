"""Category and priority of whole drafts on the labelled messages, through the configured provider.

Besides accuracy and macro F1, two errors are measured on their own because they cost the most: a case filed as
``feedback_other`` (out of scope) when it was a real request, and a priority *less urgent* than the label (the
queue then serves it late). ``out_of_scope_accuracy`` is the share of truly out-of-scope messages the system
files as ``feedback_other``.
"""

from __future__ import annotations

from app.evaluation import metrics as m
from app.evaluation.context import DraftResult, RunContext, category_of, clip, message_input
from app.evaluation.results import CaseError, SuiteOutcome
from app.evaluation.suites import MessageCase, SuiteSpec, load_cases
from app.taxonomy import Category
from app.triage.pipeline import PipelineInput

OTHER = Category.FEEDBACK_OTHER.value
LABELS = [c.value for c in Category]


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.is_file():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    cases = load_cases(spec, MessageCase)
    outcomes = await ctx.draft_all([(c.id, _input(c)) for c in cases])
    gold = [c.category.value for c in cases]
    predicted = [category_of(outcomes[c.id]) for c in cases]
    tallies = m.single_label_tallies(gold, predicted, LABELS)
    priority_gold = [c.priority for c in cases]
    priority_got = [_priority(outcomes[c.id]) for c in cases]
    under = [c.id for c, got in zip(cases, priority_got, strict=True) if _rank(got) > _rank(c.priority)]
    oos = [c for c in cases if c.category.value == OTHER]
    oos_missed = [c.id for c in oos if category_of(outcomes[c.id]) != OTHER]
    wrongly_out = [c.id for c, got in zip(cases, predicted, strict=True) if got == OTHER and c.category.value != OTHER]
    wrong = [c.id for c, got in zip(cases, predicted, strict=True) if got != c.category.value]
    errors = [c.id for c in cases if isinstance(outcomes[c.id], CaseError)]
    metrics: dict[str, float | None] = {
        "accuracy": m.accuracy(gold, predicted),
        "macro_f1": m.macro_f1(tallies),
        "priority_accuracy": m.accuracy(priority_gold, priority_got),
        "priority_under_rate": m.ratio(len(under), len(cases)),
        "out_of_scope_accuracy": m.ratio(len(oos) - len(oos_missed), len(oos)),
        "forced_out_of_scope_rate": m.ratio(len(wrongly_out), len(cases) - len(oos)),
        "error_rate": m.ratio(len(errors), len(cases)),
    }
    for label, tally in tallies.items():
        if tally.support:
            metrics[f"recall.{label}"] = tally.recall
            metrics[f"f1.{label}"] = tally.f(1.0)
    offenders = {
        "accuracy": wrong,
        "macro_f1": wrong,
        "priority_accuracy": [c.id for c, got in zip(cases, priority_got, strict=True) if got != c.priority],
        "priority_under_rate": under,
        "out_of_scope_accuracy": oos_missed,
        "forced_out_of_scope_rate": wrongly_out,
        "error_rate": errors,
    }
    for label in LABELS:
        missed = [c.id for c, got in zip(cases, predicted, strict=True) if c.category.value == label and got != label]
        offenders[f"recall.{label}"] = missed
        offenders[f"f1.{label}"] = missed + [
            c.id for c, got in zip(cases, predicted, strict=True) if got == label and c.category.value != label
        ]
    by_id = {c.id: c for c in cases}
    worst_ids = list(dict.fromkeys(under + wrong))[:25]  # a late priority first: the queue serves it late
    return SuiteOutcome(
        metrics=metrics,
        cases=len(cases),
        offenders=offenders,
        details={
            "per_label": {label: t.row() for label, t in tallies.items() if t.support or t.fp},
            "confusion": m.confusion(gold, predicted, LABELS),
            "priority_confusion": m.confusion(priority_gold, priority_got, ["P0", "P1", "P2", "P3"]),
        },
        worst=[_worst(by_id[i], outcomes[i]) for i in worst_ids],
    )


def _input(case: MessageCase) -> PipelineInput:
    return message_input(
        case.id,
        case.body,
        subject=case.subject,
        locale=case.locale,
        sender_kind=case.sender_kind,
        metadata=case.metadata,
    )


def _priority(outcome: DraftResult) -> str:
    return "(error)" if isinstance(outcome, CaseError) else outcome.priority


def _rank(priority: str) -> int:
    return int(priority[1]) if len(priority) == 2 and priority[0] == "P" and priority[1].isdigit() else 9


def _worst(case: MessageCase, outcome: DraftResult) -> dict[str, object]:
    got: dict[str, object]
    if isinstance(outcome, CaseError):
        got = {"error": outcome.message}
    else:
        got = {"category": outcome.category, "priority": outcome.priority, "confidence": outcome.confidence}
    return {
        "id": case.id,
        "input": clip(case.body),
        "expected": {"category": case.category.value, "priority": case.priority},
        "got": got,
    }
