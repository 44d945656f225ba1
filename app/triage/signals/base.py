"""Shared types for the rule floor and the loop that turns rules into signals.

A :class:`Rule` is one named regex on the text with its context checks (negation, guards that veto a match); a
:class:`Check` is one named test on structured data (channel metadata, the sender's history).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.taxonomy import RISK_FLAGS, FlagSource, Severity
from app.triage.signals.patterns import leading_literals, trie_pattern, whitespace_key
from app.triage.signals.text import fold, is_negated, normalize


@dataclass(frozen=True)
class Signal:
    """One risk flag raised by a detector, with the span of text (or the metadata) that raised it."""

    code: str
    severity: Severity
    evidence: str
    start: int | None
    end: int | None
    confidence: float
    source: FlagSource


@dataclass(frozen=True)
class SenderHistory:
    """What we already know about the requester; the caller looks it up, detectors never query anything."""

    prior_contacts_14d: int = 0
    prior_categories_14d: tuple[str, ...] = ()
    lifetime_spend_usd: float | None = None


# Start positions of each anchored rule in one text, keyed by ``id(rule)``.
Hits = Mapping[int, list[int]]


@dataclass(frozen=True)
class Context:
    """The input of every rule and check: ``text`` is the message normalised and lower-cased, ``cased`` the same
    with its case kept, both as long as ``original`` (so offsets hold in all three); ``hits`` come from a
    :class:`TriggerIndex` and tell each rule where it may start."""

    original: str
    text: str
    cased: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    history: SenderHistory | None = None
    category: str | None = None
    hits: Hits | None = None

    @classmethod
    def build(
        cls,
        text: str,
        metadata: Mapping[str, Any] | None = None,
        history: SenderHistory | None = None,
        category: str | None = None,
        index: TriggerIndex | None = None,
    ) -> Context:
        """A context for ``text`` with its normalised and folded twins (and the trigger hits, given an index)."""
        cased = normalize(text)
        folded = fold(cased)
        hits = index.find(folded) if index is not None else None
        return cls(text, folded, cased, metadata or {}, history, category, hits)


class TriggerIndex:
    """One pass over the text finds where every rule may start: all rules' anchors (the words a match can start
    with, :func:`.patterns.leading_literals`) form one prefix-tree pattern, and a rule is then only tried where
    one of its anchors starts a word. Rules without anchors (digit-shaped PII, base64) scan the whole text."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_anchor: dict[str, set[int]] = {}
        for rule in rules:
            for anchor in rule.anchors or ():
                by_anchor.setdefault(anchor, set()).add(id(rule))
        # The pattern takes the longest anchor at a position, which also stands for every shorter one it extends.
        self._rules: dict[str, tuple[int, ...]] = {
            anchor: tuple(
                set().union(*(by_anchor[anchor[:k]] for k in range(1, len(anchor) + 1) if anchor[:k] in by_anchor))
            )
            for anchor in by_anchor
        }
        word = [a for a in by_anchor if _is_word_char(a[0])]
        other = [a for a in by_anchor if not _is_word_char(a[0])]
        pattern = r"\b(?:" + trie_pattern(word) + ")"
        if other:
            pattern += "|" + trie_pattern(other)
        self._pattern = re.compile(pattern)

    def find(self, text: str) -> Hits:
        """Start positions per rule in ``text`` (folded), in text order."""
        starts: dict[int, list[int]] = {}
        rules, search, pos = self._rules, self._pattern.search, 0
        # Each search restarts one character after the last hit, so overlapping anchors are all found.
        while (match := search(text, pos)) is not None:
            at = match.start()
            pos = at + 1
            found = match.group()
            ids = rules.get(found)
            if ids is None:  # the anchor spans words: key it with WS for each run of whitespace
                ids = rules[whitespace_key(found)]
            for rule_id in ids:
                starts.setdefault(rule_id, []).append(at)
        return starts


# A guard vetoes a match: it gets the text the rule matched against and the match, and returns True to drop it.
Guard = Callable[[str, re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
    """A named pattern that raises ``code``; ``negatable`` rules are dropped when a negation precedes the match.

    A pattern may name a group ``ev``: then only that group is the evidence (the rest is context). ``cased``
    rules match the text with its case kept (base64) and are never anchored.
    """

    name: str
    code: str
    pattern: re.Pattern[str]
    confidence: float
    negatable: bool = True
    guards: tuple[Guard, ...] = ()
    cased: bool = False

    anchors: frozenset[str] | None = field(default=None, init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchors", None if self.cased else leading_literals(self.pattern.pattern))


@dataclass(frozen=True)
class Check:
    """A named test on structured data: ``find`` returns the evidence ("metadata.failed_charges=4") or None."""

    name: str
    code: str
    find: Callable[[Context], str | None]
    confidence: float
    source: FlagSource = FlagSource.RULE


def make_signal(
    code: str, evidence: str, confidence: float, source: FlagSource = FlagSource.RULE, start: int | None = None
) -> Signal:
    """A signal for ``code``: text evidence starts at ``start``; metadata and history evidence has no offsets."""
    end = None if start is None else start + len(evidence)
    return Signal(code, RISK_FLAGS[code].severity, evidence, start, end, round(confidence, 3), source)


def as_number(value: Any) -> float | None:
    """A number from metadata that may arrive as int, float or string ("1,200.50", "$30"); None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value.replace(",", "").replace("$", "").strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def run_checks(ctx: Context, checks: Iterable[Check]) -> list[Signal]:
    """The signals of the checks that find something in the context's metadata or history."""
    return [
        make_signal(check.code, evidence, check.confidence, check.source)
        for check in checks
        if (evidence := check.find(ctx)) is not None
    ]


def scan(ctx: Context, rules: Iterable[Rule]) -> list[Signal]:
    """Run rules over the text; each contributes its first match that survives the negation check and its
    guards. With trigger hits, an anchored rule is only tried where one of its anchors starts a word."""
    found: list[Signal] = []
    for rule in rules:
        text = ctx.cased if rule.cased else ctx.text
        if ctx.hits is not None and rule.anchors is not None:
            candidates: Iterable[re.Match[str] | None] = (
                rule.pattern.match(text, p) for p in ctx.hits.get(id(rule), ())
            )
        else:
            candidates = rule.pattern.finditer(text)
        for match in candidates:
            if match is not None and _accept(ctx, text, rule, match):
                ev = "ev" if "ev" in rule.pattern.groupindex and match.group("ev") is not None else 0
                start, end = match.span(ev)
                found.append(make_signal(rule.code, ctx.original[start:end], rule.confidence, start=start))
                break
    return found


def _accept(ctx: Context, text: str, rule: Rule, match: re.Match[str]) -> bool:
    start = match.start()
    if start > 0 and _is_word_char(text[start]) and _is_word_char(text[start - 1]):
        return False  # the match starts inside a word ("kill" in "skill"): what a leading \b used to reject
    if rule.negatable and is_negated(ctx.text, start):
        return False
    return not any(guard(text, match) for guard in rule.guards)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def strongest(signals: Iterable[Signal]) -> Signal | None:
    """The most confident signal, the earliest one on ties."""
    return max(signals, key=lambda s: (s.confidence, -(s.start if s.start is not None else 1 << 30)), default=None)
