"""Shared types for the rule-based risk signals, and the small loop that turns regex rules into signals.

A detector is a function from a :class:`Context` to signals. Most are lists of :class:`Rule` run through
:func:`scan`, which applies the context checks every rule needs (negation, vetoes) in one place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.taxonomy import RISK_FLAGS, FlagSource, Severity
from app.triage.signals.patterns import leading_literals, strip_leading_boundaries, trie_pattern, whitespace_key
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


@dataclass(frozen=True)
class Context:
    """The input of every detector.

    ``text`` is the message normalised and lower-cased (patterns are lower-case, see :func:`.patterns.compile_rx`),
    ``cased`` the same with its case kept, for the few checks that need it; both have the length of
    ``original``, so any offset is valid in all three and evidence is cut from ``original``. ``hits`` (built by
    a :class:`TriggerIndex`) tells each rule where it may start; without it every rule scans the whole text.
    """

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


# Start positions of each anchored rule in one text, keyed by ``id(rule)``.
Hits = Mapping[int, list[int]]


class TriggerIndex:
    """One pass over the text finds where every rule may start.

    Python's ``re`` is slow when a hundred patterns each scan a 2 KB message (each scan costs tens of
    microseconds). A rule's pattern starts with one of a known set of words (its *anchors*, see
    :func:`.patterns.leading_literals`); all anchors go into one prefix-tree pattern, and a rule is then only tried,
    with ``match``, where one of its anchors starts a word. That finds exactly what scanning the whole text
    would; a rule without anchors still scans everything (the tests keep every rule anchored).
    """

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
        # Each search restarts one character after the last hit, so anchors that overlap a longer one ("got to" /
        # "to court") are all found.
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


Detector = Callable[[Context], list[Signal]]
# A guard vetoes a match: it gets the normalised text and the match, and returns True to drop it.
Guard = Callable[[str, re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
    """A pattern that raises ``code``; ``negatable`` rules are dropped when a negation precedes the match.

    A pattern may name a group ``ev``: then only that group is the evidence (the rest is context). ``requires``
    lists strings one of which must appear within :data:`REQUIRES_SPAN` characters of where a match would start;
    it is a cheap test that spares the regex on long, gap-heavy patterns.
    """

    code: str
    pattern: re.Pattern[str]
    confidence: float
    negatable: bool = True
    guards: tuple[Guard, ...] = ()
    requires: tuple[str, ...] = ()

    anchors: frozenset[str] | None = field(default=None, init=False, compare=False)
    requires_rx: re.Pattern[str] | None = field(default=None, init=False, compare=False)

    def __post_init__(self) -> None:
        # Word starts are checked per match in scan(); without the leading \b a scan is much faster.
        fast = strip_leading_boundaries(self.pattern.pattern)
        if fast != self.pattern.pattern:
            object.__setattr__(self, "pattern", re.compile(fast, self.pattern.flags))
        object.__setattr__(self, "anchors", leading_literals(fast))
        if self.requires:
            object.__setattr__(self, "requires_rx", re.compile("|".join(map(re.escape, self.requires))))


def alt(*words: str) -> str:
    """A non-capturing alternation of regex fragments."""
    return "(?:" + "|".join(words) + ")"


def make_signal(
    code: str,
    original: str,
    start: int,
    end: int,
    confidence: float,
    source: FlagSource = FlagSource.RULE,
) -> Signal:
    """A signal whose evidence is the exact span ``original[start:end]``."""
    return Signal(
        code=code,
        severity=RISK_FLAGS[code].severity,
        evidence=original[start:end],
        start=start,
        end=end,
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        source=source,
    )


def as_number(value: Any) -> float | None:
    """A number from metadata that may arrive as int, float or string ("1,200.50", "$30"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").replace("$", "").strip())
        except ValueError:
            return None
    return None


def make_meta_signal(code: str, evidence: str, confidence: float, source: FlagSource = FlagSource.RULE) -> Signal:
    """A signal that comes from metadata or history: no offsets, a short description as evidence."""
    return Signal(
        code=code,
        severity=RISK_FLAGS[code].severity,
        evidence=evidence,
        start=None,
        end=None,
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        source=source,
    )


def _span(match: re.Match[str]) -> tuple[int, int]:
    if "ev" in match.re.groupindex and match.group("ev") is not None:
        return match.span("ev")
    return match.span()


def scan(ctx: Context, rules: Iterable[Rule]) -> list[Signal]:
    """Run rules over the text; each contributes its first match that survives the negation check and its
    guards. With trigger hits, an anchored rule is only tried where one of its anchors starts a word."""
    found: list[Signal] = []
    for rule in rules:
        if ctx.hits is not None and rule.anchors is not None:
            signal = _first_at(ctx, rule, ctx.hits.get(id(rule), ()))
        else:
            signal = _first_anywhere(ctx, rule)
        if signal is not None:
            found.append(signal)
    return found


def first_match(ctx: Context, rule: Rule) -> re.Match[str] | None:
    """The first match of ``rule`` that starts a word, without negation or guards (for helper patterns)."""
    if ctx.hits is not None and rule.anchors is not None:
        starts: Iterable[int] = ctx.hits.get(id(rule), ())
        candidates = (rule.pattern.match(ctx.text, pos) for pos in starts)
    else:
        candidates = (m for m in rule.pattern.finditer(ctx.text))
    for match in candidates:
        if match is not None and not _inside_word(ctx.text, match.start()):
            return match
    return None


REQUIRES_SPAN = 160


def _first_at(ctx: Context, rule: Rule, starts: Iterable[int]) -> Signal | None:
    text, requires = ctx.text, rule.requires_rx
    found = [m.start() for m in requires.finditer(text)] if requires is not None else None
    for pos in starts:
        if found is not None:
            # The nearest required string at or after pos must start within the span.
            k = bisect_left(found, pos)
            if k == len(found) or found[k] >= pos + REQUIRES_SPAN:
                continue
        match = rule.pattern.match(text, pos)
        if match is not None and (signal := _accept(ctx, rule, match)) is not None:
            return signal
    return None


def _first_anywhere(ctx: Context, rule: Rule) -> Signal | None:
    for match in rule.pattern.finditer(ctx.text):
        if (signal := _accept(ctx, rule, match)) is not None:
            return signal
    return None


def _accept(ctx: Context, rule: Rule, match: re.Match[str]) -> Signal | None:
    if _inside_word(ctx.text, match.start()):
        return None
    if rule.negatable and is_negated(ctx.text, match.start()):
        return None
    if any(guard(ctx.text, match) for guard in rule.guards):
        return None
    start, end = _span(match)
    return make_signal(rule.code, ctx.original, start, end, rule.confidence)


def _inside_word(text: str, pos: int) -> bool:
    """The match starts in the middle of a word ("kill" in "skill"): what a leading \\b used to reject."""
    return pos > 0 and _is_word_char(text[pos]) and _is_word_char(text[pos - 1])


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def strongest(signals: Iterable[Signal]) -> Signal | None:
    """The most confident signal, the earliest one on ties."""
    best: Signal | None = None
    for signal in signals:
        if best is None:
            best = signal
            continue
        if signal.confidence > best.confidence or (
            signal.confidence == best.confidence and _position(signal) < _position(best)
        ):
            best = signal
    return best


def _position(signal: Signal) -> int:
    return signal.start if signal.start is not None else 1 << 30
