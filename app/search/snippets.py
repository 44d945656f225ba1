"""A short excerpt around the first matching word, as (text, matched) pieces a template marks up safely."""

from __future__ import annotations

import re
import unicodedata

WINDOW = 180


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions in the folded text are the original's
    (SQLite's tokenizer ignores diacritics: "reembolso" finds "reembolsó", and the excerpt marks it too)."""
    out = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        out.append(base[0] if len(base) >= 1 else char)
    return "".join(out)


def excerpt(text: str, terms: list[str], *, window: int = WINDOW) -> list[tuple[str, bool]]:
    """The part of ``text`` around the first match, with every word starting with a term marked."""
    text = " ".join(text.split())
    if not terms:
        return [(text[:window], False)]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(fold(t)) for t in terms) + r")\w*", re.UNICODE)
    folded = fold(text)
    first = pattern.search(folded)
    start = max(0, (first.start() if first else 0) - window // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + window)
    pieces: list[tuple[str, bool]] = [("… ", False)] if start else []
    at = start
    for match in pattern.finditer(folded, start, end):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((text[match.start() : match.end()], True))
        at = match.end()
    if at < end:
        pieces.append((text[at:end], False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces
