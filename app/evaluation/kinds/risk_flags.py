"""Risk flags on the labelled messages: the flags a draft carries (rule detectors merged with the provider's).

A missed flag costs more than a false alarm — a specialist dismisses an extra flag in a second, but a missed
self-harm message waits in the ordinary queue — so the headline is F2 (recall weighted 4:1), and the report lists
missed critical flags before anything else. Critical flags are also scored on their own (recall, precision),
and the hard negatives (gaming slang, negations, quoted errors) give a false-positive rate: the share of hard
negatives that got a flag they were written to avoid.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.evaluation import metrics as m
from app.evaluation.context import DraftResult, RunContext, category_of, clip, flag_codes, message_input
from app.evaluation.results import CaseError, SuiteOutcome
from app.evaluation.suites import MessageCase, SuiteSpec, load_cases
from app.taxonomy import CRITICAL_FLAGS, RISK_FLAGS, SEVERITY_RANK, Category, priority_for
from app.triage.flag_corpus import normalised, read_corpus_path

FLAGS = list(RISK_FLAGS)
CRITICAL = sorted(CRITICAL_FLAGS)


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    path = spec.cases_path()
    if path is None or not path.exists():
        return SuiteOutcome.skip(f"cases file not found: {path}")
    cases = corpus_cases(path, spec) if spec.options.get("format") == "corpus" else load_cases(spec, MessageCase)
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
    gold = [set(c.flags) for c in cases]
    got = [flag_codes(outcomes[c.id]) for c in cases]
    tallies = m.multi_label_tallies(gold, got, FLAGS)
    overall = m.micro(tallies.values())
    critical = m.micro(tallies[code] for code in CRITICAL)
    missed_critical = [c.id for c, g in zip(cases, got, strict=True) if (set(c.flags) & CRITICAL_FLAGS) - g]
    false_critical = [c.id for c, g in zip(cases, got, strict=True) if (g & CRITICAL_FLAGS) - set(c.flags)]
    hard = [(c, c.hard_negative_targets() & set(RISK_FLAGS)) for c in cases]
    hard = [(c, targets) for c, targets in hard if targets]
    hard_hits = [c.id for (c, targets) in hard if targets & flag_codes(outcomes[c.id])]
    hard_critical = [(c, t & CRITICAL_FLAGS) for c, t in hard if t & CRITICAL_FLAGS]
    hard_critical_hits = [c.id for (c, targets) in hard_critical if targets & flag_codes(outcomes[c.id])]
    metrics: dict[str, float | None] = {
        "flag_f2": overall.f(2.0),
        "flag_recall": overall.recall,
        "flag_precision": overall.precision,
        "critical_recall": critical.recall,
        "critical_precision": critical.precision,
        "critical_f2": critical.f(2.0),
        "critical_hard_negative_fpr": m.ratio(len(hard_critical_hits), len(hard_critical)),
        "hard_negative_fpr": m.ratio(len(hard_hits), len(hard)),
    }
    offenders: dict[str, list[str]] = {
        "flag_f2": _missed(cases, got, set(FLAGS)) + _extra(cases, got, set(FLAGS)),
        "flag_recall": _missed(cases, got, set(FLAGS)),
        "flag_precision": _extra(cases, got, set(FLAGS)),
        "critical_recall": missed_critical,
        "critical_precision": false_critical,
        "critical_f2": missed_critical + false_critical,
        "critical_hard_negative_fpr": hard_critical_hits,
        "hard_negative_fpr": hard_hits,
    }
    for lang in sorted({c.locale for c in cases if c.locale}):
        in_lang = [(c, g) for c, g in zip(cases, got, strict=True) if c.locale == lang]
        lang_tally = m.micro(
            m.multi_label_tallies([set(c.flags) for c, _ in in_lang], [g for _, g in in_lang], CRITICAL).values()
        )
        if lang_tally.support:
            metrics[f"critical_recall.{lang}"] = lang_tally.recall
            offenders[f"critical_recall.{lang}"] = [c for c in missed_critical if c in {x.id for x, _ in in_lang}]
    for code, tally in tallies.items():
        if tally.support:
            metrics[f"recall.{code}"] = tally.recall
            offenders[f"recall.{code}"] = _missed(cases, got, {code})
        if tally.tp + tally.fp:
            metrics[f"precision.{code}"] = tally.precision
            offenders[f"precision.{code}"] = _extra(cases, got, {code})
    return SuiteOutcome(
        metrics=metrics,
        cases=len(cases),
        offenders=offenders,
        details={
            "per_flag": {
                code: {**t.row(2.0), "severity": RISK_FLAGS[code].severity.value} for code, t in tallies.items()
            },
            "hard_negatives": {"cases": len(hard), "flagged": hard_hits},
            "critical": {
                "recall_ci": m.wilson_interval(critical.tp, critical.tp + critical.fn),
                "precision_ci": m.wilson_interval(critical.tp, critical.tp + critical.fp),
                "hard_negative_fpr_ci": m.wilson_interval(len(hard_critical_hits), len(hard_critical)),
            },
        },
        worst=_worst_cases(cases, got, outcomes),
    )


def corpus_cases(path: Path, spec: SuiteSpec) -> list[MessageCase]:
    """Rows in the flag corpus's format as message cases; ``options.split`` keeps one part (``test``) only.

    The corpus's test split is scored here as a whole, never row by row in a unit test.
    """
    split = spec.options.get("split")
    cases = []
    for row in read_corpus_path(path):
        if split and row.split.value != split:
            continue
        targets = " ".join(sorted(row.hard_negative_for))
        cases.append(
            MessageCase(
                id="c-" + hashlib.sha256(normalised(row.text).encode()).hexdigest()[:10],
                body=row.text,
                locale=row.lang,
                metadata=row.metadata,
                category=row.category or Category.FEEDBACK_OTHER.value,
                priority=priority_for(row.category or Category.FEEDBACK_OTHER.value, sorted(row.flags)).value,
                flags=sorted(row.flags),
                hard_negative=row.kind == "hard_negative",
                note=f"hard negative for {targets}: corpus row" if targets else None,
            )
        )
    return cases


def _missed(cases: list[MessageCase], got: list[set[str]], codes: set[str]) -> list[str]:
    return [c.id for c, g in zip(cases, got, strict=True) if (set(c.flags) & codes) - g]


def _extra(cases: list[MessageCase], got: list[set[str]], codes: set[str]) -> list[str]:
    return [c.id for c, g in zip(cases, got, strict=True) if (g & codes) - set(c.flags)]


def _worst_cases(
    cases: list[MessageCase], got: list[set[str]], outcomes: dict[str, DraftResult], limit: int = 30
) -> list[dict[str, object]]:
    """Misses before false alarms, and within each the most severe flag first."""
    ranked: list[tuple[tuple[int, int], dict[str, object]]] = []
    for case, found in zip(cases, got, strict=True):
        missed = sorted(set(case.flags) - found, key=_severity)
        extra = sorted(found - set(case.flags), key=_severity)
        if not missed and not extra:
            continue
        key = (0, _severity(missed[0])) if missed else (1, _severity(extra[0]))
        outcome = outcomes[case.id]
        ranked.append(
            (
                key,
                {
                    "id": case.id,
                    "input": clip(case.body),
                    "expected": {"flags": sorted(case.flags), "hard_negative": case.hard_negative},
                    "got": {"error": outcome.message}
                    if isinstance(outcome, CaseError)
                    else {"flags": sorted(found), "category": category_of(outcome)},
                    "problem": ("missed " + ", ".join(missed) if missed else "")
                    + ("; " if missed and extra else "")
                    + ("false alarm " + ", ".join(extra) if extra else ""),
                    "critical_miss": bool(set(missed) & CRITICAL_FLAGS),
                },
            )
        )
    ranked.sort(key=lambda item: item[0])
    return [row for _, row in ranked[:limit]]


def _severity(code: str) -> int:
    spec = RISK_FLAGS.get(code)
    return SEVERITY_RANK[spec.severity] if spec else 9
