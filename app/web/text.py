"""Untrusted text made safe for HTML: evidence highlighting and diffs. Every character of input is escaped.

Highlighting finds the evidence in the *raw* text and then escapes every piece (outside and inside the marks)
on output. Searching the already-escaped text instead would miss evidence containing ``&``, ``<`` or quotes and
could match inside an entity such as ``&amp;``; this way the marks can only ever wrap escaped text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_MIN_EVIDENCE = 2  # a one-letter "evidence" would light up half the message
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Mark:
    """A phrase to highlight, with the CSS class (severity) and the label (flag code) shown on hover."""

    phrase: str
    css: str
    label: str


def _spans(text: str, marks: list[Mark]) -> list[tuple[int, int, Mark]]:
    found: list[tuple[int, int, Mark]] = []
    for mark in marks:
        phrase = mark.phrase.strip()
        if len(phrase) < _MIN_EVIDENCE:
            continue
        for match in re.finditer(re.escape(phrase), text, re.IGNORECASE):
            found.append((match.start(), match.end(), mark))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[tuple[int, int, Mark]] = []
    for start, end, mark in found:
        if merged and start < merged[-1][1]:
            # overlapping evidence: extend the earlier mark rather than nest or cross tags
            prev_start, prev_end, prev_mark = merged[-1]
            merged[-1] = (prev_start, max(prev_end, end), prev_mark)
            continue
        merged.append((start, end, mark))
    return merged


def highlight(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with each occurrence of each mark's phrase wrapped in ``<mark>``."""
    out: list[str] = []
    cursor = 0
    for start, end, mark in _spans(text, marks):
        out.append(str(escape(text[cursor:start])))
        out.append(
            f'<mark class="ev ev-{escape(mark.css)}" title="{escape(mark.label)}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped


def word_diff(old: str, new: str) -> Markup:
    """A word-level diff of ``new`` against ``old``: removed words in ``<del>``, added ones in ``<ins>``."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "del" | "hunk" | "ctx"
    text: str


def line_diff(old: str, new: str, *, old_label: str, new_label: str, context: int = 2) -> list[DiffLine]:
    """A unified diff as typed lines; the template escapes the text."""
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=old_label, tofile=new_label, n=context, lineterm=""
    )
    for raw in diff:
        if raw.startswith(("---", "+++")):
            continue
        if raw.startswith("@@"):
            lines.append(DiffLine("hunk", raw))
        elif raw.startswith("+"):
            lines.append(DiffLine("add", raw[1:]))
        elif raw.startswith("-"):
            lines.append(DiffLine("del", raw[1:]))
        else:
            lines.append(DiffLine("ctx", raw[1:]))
    return lines


def edit_stats(old: str, new: str) -> tuple[int, int]:
    """Words added and removed, for the one-line summary above a diff."""
    a, b = old.split(), new.split()
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op in ("insert", "replace"):
            added += j2 - j1
    return added, removed
