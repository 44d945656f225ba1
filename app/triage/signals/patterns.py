"""Regex machinery for the rules: lower-case patterns and rule anchors (the budget is 2 ms for a 2 KB message).

A case-insensitive pattern scans several times slower than a lower-case one over folded text, so patterns are
lower-case (:func:`compile_rx` checks); and each rule's possible first words (:func:`leading_literals`) are found
for all rules in one pass by :class:`.base.TriggerIndex`, so a rule is only tried where it can start.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

# Escapes (\S, \U0001F602), named groups and the range A-Z in a class are fine in a lower-case pattern.
_ESCAPE = re.compile(r"\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)|A-Z|\?P[<=]")


def compile_rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern meant for folded (lower-case) text; an upper-case letter in it could never match."""
    if any(c.isupper() for c in _ESCAPE.sub("", pattern)):
        raise ValueError(f"detector pattern must be lower-case: {pattern[:60]!r}")
    return re.compile(pattern, flags)


# The standard library's regex parser (private, untyped), used at import time; a surprise just leaves a rule unanchored.
_sre_parser: Any = importlib.import_module("re._parser")


# Stands for a run of whitespace (``\\s+``) inside an anchor.
WS = "\x00"
_MAX_ANCHORS = 200
_MAX_ANCHOR_LEN = 12


def leading_literals(pattern: str) -> frozenset[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with, or None if there is no such set:
    ``(?:payments?|charges?)\\s+x`` gives {"payment\\x00x", ...} (:data:`WS` is a run of whitespace)."""
    try:
        found = _prefixes(list(_sre_parser.parse(pattern)))
    except Exception:
        return None
    if not found or any(not p or p[0] == WS for p in found):
        return None
    return frozenset(found)


def _prefixes(items: list[Any]) -> set[str] | None:
    """Prefixes of a sequence of parsed regex items; stops at the first item it cannot spell out in full."""
    prefixes = {""}
    for op, arg in items:
        grown, complete = _grow(prefixes, str(op), arg)
        if grown is not None and len(grown) > _MAX_ANCHORS:
            grown, complete = _grow(prefixes, str(op), arg, whole=False)
        if grown is not None and len(grown) > _MAX_ANCHORS:
            # Too many spelled-out variants: keep their first few words, as many as the budget allows.
            for words in (3, 2, 1):
                cut = {WS.join(g.split(WS)[:words]) for g in grown}
                if len(cut) <= _MAX_ANCHORS:
                    break
            grown, complete = cut, False
        if grown is None or len(grown) > _MAX_ANCHORS:
            break
        prefixes = grown
        if not complete or min(len(p) for p in prefixes) >= _MAX_ANCHOR_LEN:
            break
    prefixes = {p.rstrip(WS) for p in prefixes}
    return None if "" in prefixes else prefixes


def _grow(prefixes: set[str], name: str, arg: Any, whole: bool = True) -> tuple[set[str] | None, bool]:
    """Extend the prefixes by one item; the flag says whether the item was spelled out completely."""
    if name == "AT":
        return (prefixes if prefixes == {""} else None), True
    if whole and name in ("LITERAL", "IN", "SUBPATTERN", "BRANCH", "MAX_REPEAT", "MIN_REPEAT"):
        spelled = _alternatives([(name, arg)])
        if spelled is not None:
            return {p + w for p in prefixes for w in spelled}, True
    if name == "SUBPATTERN":
        return _grow(prefixes, "SEQUENCE", list(arg[-1]))
    if name == "SEQUENCE":
        inner = _prefixes(arg)
        return (None if inner is None else {p + i for p in prefixes for i in inner}), False
    if name == "BRANCH":
        options: set[str] = set()
        for branch in arg[1]:
            inner = _prefixes(list(branch))
            if inner is None:
                return None, False
            options |= inner
        return {p + o for p in prefixes for o in options}, False
    if name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] >= 1:
        inner = _prefixes(list(arg[2]))
        return (None if inner is None else {p + i for p in prefixes for i in inner}), False
    return None, False


def _alternatives(items: list[Any]) -> set[str] | None:
    """The complete strings a small sub-pattern can match, or None if it is not a finite set of literals."""
    results = {""}
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            results = {r + chr(arg) for r in results}
        elif name == "IN" and arg == [(_sre_parser.CATEGORY, _sre_parser.CATEGORY_SPACE)]:
            results = {r + WS for r in results}
        elif name == "IN":
            chars = _class_chars(arg)
            if chars is None:
                return None
            results = {r + c for r in results for c in chars}
        elif name == "SUBPATTERN":
            inner = _alternatives(list(arg[-1]))
            if inner is None:
                return None
            results = {r + i for r in results for i in inner}
        elif name == "BRANCH":
            options: set[str] = set()
            for branch in arg[1]:
                inner = _alternatives(list(branch))
                if inner is None:
                    return None
                options |= inner
            results = {r + o for r in results for o in options}
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            inner = _alternatives(list(body))
            if inner is None:
                return None
            if inner == {WS} and low >= 1:
                results = {r + WS for r in results}
            elif high == 1:
                results = {r + i for r in results for i in inner | ({""} if low == 0 else set())}
            else:
                return None
        else:
            return None
        if len(results) > _MAX_ANCHORS:
            return None
    return {r.replace(WS + WS, WS) for r in results}


_MAX_CLASS = 10


def _class_chars(items: list[Any]) -> list[str] | None:
    """The characters of a small class of literals and ranges (``[$€£]``, ``[4-9]``), or None."""
    chars: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            chars.append(chr(arg))
        elif name == "RANGE" and arg[1] - arg[0] < _MAX_CLASS:
            chars.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return chars if len(chars) <= _MAX_CLASS else None


_WHITESPACE = re.compile(r"\s+")


def whitespace_key(found: str) -> str:
    """An anchor as :func:`leading_literals` spells it: each run of whitespace as :data:`WS`."""
    return _WHITESPACE.sub(WS, found)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes, which ``re`` matches much faster."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [(r"\s+" if ch == WS else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)
