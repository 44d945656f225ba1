"""Real phrasing the system was not written for: the public sets in ``../shared/data`` (see ``datasets.py``).

- banking77, mapped intents (``evals/external/banking77_mapping.yaml``): category accuracy of whole drafts;
  its unrecognised-payment and compromised-card intents must raise ``account_takeover`` or ``fraud_scam``.
- CLINC150 ``oos`` rows: the share filed as ``feedback_other``.
- BIPIA: attacks spliced into clean payment emails and into our knowledge-base articles (injection recall),
  and the clean emails and articles themselves (false-positive rate).
- presidio synthetic PII: redaction recall per kind and precision.
- SMS spam forwarded to support: ``fraud_scam`` on spam, and how often ham gets it.

Each source whose files are absent is skipped with a note (its metrics are "not measured", so their thresholds
do not fail the run); with none present the suite is skipped. ``--sample`` (what ``make test`` uses) draws the
``sample:`` sizes of ``suite.yaml`` with the suite's fixed seed; without it every row is measured.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.evaluation import datasets as ds
from app.evaluation import metrics as m
from app.evaluation.context import RunContext, category_of, clip, message_input
from app.evaluation.kinds.redaction import SpanRow, score_spans, tally_metrics, tally_rows
from app.evaluation.results import SuiteOutcome
from app.evaluation.suites import SuiteSpec
from app.knowledge.articles import load_articles
from app.taxonomy import Category

OTHER = Category.FEEDBACK_OTHER.value
ATO_OR_FRAUD = {"account_takeover", "fraud_scam"}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: str = Field(default="../shared/data", description="relative to the repository root")
    fraud_intents: list[str] = Field(
        default=[
            "card_payment_not_recognised",
            "compromised_card",
            "cash_withdrawal_not_recognised",
            "direct_debit_payment_not_recognised",
        ]
    )
    bipia_positions: list[str] = Field(default=["start", "middle", "end"])


Source = Callable[[SuiteSpec, RunContext, Options, Path], Coroutine[Any, Any, SuiteOutcome]]


async def run(spec: SuiteSpec, ctx: RunContext) -> SuiteOutcome:
    options = Options.model_validate(spec.options)
    data_dir = ctx.data_dir or (ctx.project_root / options.data_dir).resolve()
    if not data_dir.is_dir():
        return SuiteOutcome.skip(f"external data not found at {data_dir} (see ../shared/data/README.md)")
    sources: dict[str, tuple[Path, Source]] = {
        "banking77": (ds.BANKING77, _banking77),
        "clinc150": (ds.CLINC150, _clinc150),
        "bipia": (ds.BIPIA_ATTACKS, _bipia),
        "presidio": (ds.PRESIDIO, _presidio),
        "sms": (ds.SMS, _sms),
    }
    merged = SuiteOutcome(sampled=ctx.sample)
    present = 0
    for name, (needed, source) in sources.items():
        if not (data_dir / needed).is_file():
            merged.notes.append(f"{name}: {data_dir / needed} not found, skipped")
            merged.not_measured.update({p: f"{name} data absent" for p in _PREFIXES[name]})
            continue
        present += 1
        part = await source(spec, ctx, options, data_dir)
        merged.metrics.update(part.metrics)
        merged.offenders.update(part.offenders)
        merged.details[name] = part.details
        merged.worst += part.worst
        merged.notes += part.notes
        merged.cases += part.cases
    if not present:
        return SuiteOutcome.skip(f"none of the external data sets found under {data_dir}")
    return merged


# Metric names per source, so thresholds on an absent source count as "not measured" rather than failures.
_PREFIXES = {
    "banking77": ["banking77_accuracy", "banking77_fraud_flag_recall"],
    "clinc150": ["clinc_oos_accuracy"],
    "bipia": ["bipia_recall", "bipia_article_recall", "bipia_email_fpr", "bipia_article_fpr"],
    "presidio": [
        "presidio_precision",
        *(f"presidio_recall.{k}" for k in ("EMAIL", "PHONE", "CARD", "SSN", "IP", "IBAN", "ADDRESS")),
    ],
    "sms": ["sms_spam_recall", "sms_ham_fraud_rate"],
}


def _size(spec: SuiteSpec, ctx: RunContext, key: str) -> int:
    return spec.sample.get(key, 0) if ctx.sample else 0


async def _banking77(spec: SuiteSpec, ctx: RunContext, options: Options, data_dir: Path) -> SuiteOutcome:
    mapping = ds.load_mapping(spec.directory / "banking77_mapping.yaml")
    mapped = ds.sample(ds.load_banking77(data_dir, mapping), _size(spec, ctx, "banking77"), spec.seed)
    outcomes = await ctx.draft_all([(r.id, message_input(r.id, r.text)) for r in mapped])
    gold = [r.category for r in mapped]
    got = [category_of(outcomes[r.id]) for r in mapped]
    wrong = [r for r, g in zip(mapped, got, strict=True) if g != r.category]
    every = ds.load_banking77(data_dir)
    fraud = ds.sample(
        [r for r in every if r.intent in options.fraud_intents], _size(spec, ctx, "banking77_fraud"), spec.seed
    )
    flagged = await asyncio.to_thread(lambda: {r.id: _codes(ctx, r.text) & ATO_OR_FRAUD for r in fraud})
    unflagged = [r for r in fraud if not flagged[r.id]]
    per_intent = {
        intent: m.ratio(
            sum(1 for r, g in zip(mapped, got, strict=True) if r.intent == intent and g == r.category),
            sum(1 for r in mapped if r.intent == intent),
        )
        for intent in sorted({r.intent for r in mapped})
    }
    return SuiteOutcome(
        metrics={
            "banking77_accuracy": m.accuracy(gold, got),
            "banking77_fraud_flag_recall": m.ratio(len(fraud) - len(unflagged), len(fraud)),
        },
        cases=len(mapped) + len(fraud),
        offenders={
            "banking77_accuracy": [r.id for r in wrong],
            "banking77_fraud_flag_recall": [r.id for r in unflagged],
        },
        details={
            "rows": len(mapped),
            "fraud_rows": len(fraud),
            "confusion": m.confusion(gold, got, [c.value for c in Category]),
            "per_intent_accuracy": {k: None if v is None else round(v, 4) for k, v in per_intent.items()},
        },
        worst=[
            {
                "id": r.id,
                "input": r.text,
                "expected": {"category": r.category, "intent": r.intent},
                "got": {"category": g},
                "problem": "banking77 category",
            }
            for r, g in zip(mapped, got, strict=True)
            if g != r.category
        ][:10]
        + [
            {
                "id": r.id,
                "input": r.text,
                "expected": {"flags": sorted(ATO_OR_FRAUD), "intent": r.intent},
                "got": {"flags": sorted(_codes(ctx, r.text))},
                "problem": "unrecognised payment not flagged",
            }
            for r in unflagged[:5]
        ],
    )


async def _clinc150(spec: SuiteSpec, ctx: RunContext, options: Options, data_dir: Path) -> SuiteOutcome:
    mapping = ds.load_mapping(spec.directory / "clinc150_mapping.yaml")
    oos = [r for r in ds.load_clinc150(data_dir, mapping) if r.intent == "oos"]
    oos = ds.sample(oos, _size(spec, ctx, "clinc_oos"), spec.seed)
    outcomes = await ctx.draft_all([(r.id, message_input(r.id, r.text)) for r in oos])
    pulled = [r for r in oos if category_of(outcomes[r.id]) != OTHER]
    return SuiteOutcome(
        metrics={"clinc_oos_accuracy": m.ratio(len(oos) - len(pulled), len(oos))},
        cases=len(oos),
        offenders={"clinc_oos_accuracy": [r.id for r in pulled]},
        details={"rows": len(oos), "pulled_into": ds.counts([category_of(outcomes[r.id]) for r in pulled])},
        worst=[
            {
                "id": r.id,
                "input": r.text,
                "expected": {"category": OTHER},
                "got": {"category": category_of(outcomes[r.id])},
                "problem": "out-of-scope message given a category",
            }
            for r in pulled[:10]
        ],
    )


async def _bipia(spec: SuiteSpec, ctx: RunContext, options: Options, data_dir: Path) -> SuiteOutcome:
    emails, attacks = ds.load_bipia(data_dir)
    articles = [(a.id, a.body) for a in load_articles(ctx.knowledge_dir)]
    hosts = [(f"email{i}", e) for i, e in enumerate(emails)]
    in_emails = ds.sample(
        ds.spliced_rows(hosts, attacks, options.bipia_positions, spec.seed), _size(spec, ctx, "bipia"), spec.seed
    )
    in_articles = ds.sample(
        ds.spliced_rows(articles, attacks, ["middle"], spec.seed), _size(spec, ctx, "bipia_articles"), spec.seed
    )
    detect = ctx.system.detect_injection

    def scan() -> tuple[list[str], list[str], list[str], list[str]]:
        missed = [r.id for r in in_emails if not detect(r.text)]
        missed_articles = [r.id for r in in_articles if not detect(r.text)]
        email_fp = [f"bipia:clean:email{i}" for i, e in enumerate(emails) if detect(e)]
        article_fp = [f"kb:{aid}" for aid, body in articles if detect(body)]
        return missed, missed_articles, email_fp, article_fp

    missed, missed_articles, email_fp, article_fp = await asyncio.to_thread(scan)
    texts = {r.id: r.text for r in in_emails}
    missed_set = set(missed)
    per_category = {
        category: m.ratio(
            sum(1 for r in in_emails if r.label == category and r.id not in missed_set),
            sum(1 for r in in_emails if r.label == category),
        )
        for category in sorted(attacks)
    }
    return SuiteOutcome(
        metrics={
            "bipia_recall": m.ratio(len(in_emails) - len(missed), len(in_emails)),
            "bipia_article_recall": m.ratio(len(in_articles) - len(missed_articles), len(in_articles)),
            "bipia_email_fpr": m.ratio(len(email_fp), len(emails)),
            "bipia_article_fpr": m.ratio(len(article_fp), len(articles)),
        },
        cases=len(in_emails) + len(in_articles) + len(emails) + len(articles),
        offenders={
            "bipia_recall": missed,
            "bipia_article_recall": missed_articles,
            "bipia_email_fpr": email_fp,
            "bipia_article_fpr": article_fp,
        },
        details={
            "spliced_emails": len(in_emails),
            "spliced_articles": len(in_articles),
            "recall_per_attack_category": {k: None if v is None else round(v, 4) for k, v in per_category.items()},
        },
        worst=[
            {
                "id": i,
                "input": clip(texts[i]),
                "expected": {"flags": ["prompt_injection"]},
                "got": {"flags": []},
                "problem": "injection not detected",
            }
            for i in missed[:10]
        ],
    )


async def _presidio(spec: SuiteSpec, ctx: RunContext, options: Options, data_dir: Path) -> SuiteOutcome:
    rows = ds.sample(ds.load_presidio(data_dir), _size(spec, ctx, "presidio"), spec.seed)
    span_rows = [SpanRow(i, text, gold) for i, text, gold in rows]
    tallies = await asyncio.to_thread(score_spans, span_rows, ctx.system.find_pii)
    metrics, offenders = tally_metrics(tallies, prefix="presidio_")
    texts = {r.id: r.text for r in span_rows}
    missed = [i for t in tallies.values() for i in t.missed_in]
    return SuiteOutcome(
        metrics=metrics,
        cases=len(span_rows),
        offenders=offenders,
        details={"rows": len(span_rows), "per_kind": tally_rows(tallies)},
        worst=[
            {
                "id": i,
                "input": clip(texts[i]),
                "expected": {"pii": "labelled span"},
                "got": {"found": [f"{s.kind}: {s.text}" for s in ctx.system.find_pii(texts[i])]},
                "problem": "PII left in the text",
            }
            for i in list(dict.fromkeys(missed))[:10]
        ],
    )


async def _sms(spec: SuiteSpec, ctx: RunContext, options: Options, data_dir: Path) -> SuiteOutcome:
    rows = ds.load_sms(data_dir)
    spam = ds.sample([r for r in rows if r.label == "spam"], _size(spec, ctx, "sms_spam"), spec.seed)
    ham = ds.sample([r for r in rows if r.label == "ham"], _size(spec, ctx, "sms_ham"), spec.seed)
    found = await asyncio.to_thread(lambda: {r.id: "fraud_scam" in _codes(ctx, r.text) for r in spam + ham})
    missed = [r for r in spam if not found[r.id]]
    false = [r for r in ham if found[r.id]]
    return SuiteOutcome(
        metrics={
            "sms_spam_recall": m.ratio(len(spam) - len(missed), len(spam)),
            "sms_ham_fraud_rate": m.ratio(len(false), len(ham)),
        },
        cases=len(spam) + len(ham),
        offenders={"sms_spam_recall": [r.id for r in missed], "sms_ham_fraud_rate": [r.id for r in false]},
        details={"spam": len(spam), "ham": len(ham)},
        worst=[
            {
                "id": r.id,
                "input": clip(r.text),
                "expected": {"fraud_scam": r.label == "spam"},
                "got": {"fraud_scam": found[r.id]},
                "problem": "forwarded spam not flagged" if r.label == "spam" else "ham flagged as a scam",
            }
            for r in (missed + false)[:10]
        ],
    )


def _codes(ctx: RunContext, text: str) -> set[str]:
    return {s.code for s in ctx.system.detect_signals(text, None, None)}
