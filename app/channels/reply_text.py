"""The new part of an email reply, the one module that imports ``mail-parser-reply``.

Mail clients quote the whole history under "On … wrote:" headers (in many languages and client styles) and
append signatures and "Sent from my phone" lines; the library splits a body into those fragments, and we keep
only the newest reply's own text. When the split leaves nothing (a reply that is all quote), the full body is
kept: losing a requester's words is worse than showing a quote twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailparser_reply import EmailReplyParser

MAX_PARSED_CHARS = 16_000
_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")
LANGUAGES = ["en", "de", "cs", "da", "es", "fr", "it", "ja", "ko", "nl", "pl", "sv", "zh"]


@dataclass(frozen=True)
class Reply:
    text: str
    stripped: bool  # True when quoted history or a signature was removed


def _bounded(body: str) -> str:
    """What the parser gets: blank runs collapsed and at most ``MAX_PARSED_CHARS``. Its patterns are regular
    expressions that slow down sharply on long runs of blank lines (16 KB of them took seconds), and the newest
    reply is at the top, so a long tail of history need not be read."""
    lines = [line.rstrip() for line in body[: MAX_PARSED_CHARS * 2].splitlines()]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines))
    return text[:MAX_PARSED_CHARS]


def latest_reply(body: str) -> Reply:
    """The newest reply's text without quoted history and signature."""
    try:
        parsed = EmailReplyParser(languages=LANGUAGES).read(_bounded(body))
        first = parsed.replies[0] if parsed.replies else None
        split = first is not None and (len(parsed.replies) > 1 or bool(first.signatures) or bool(first.disclaimers))
        newest = first.body.strip() if first is not None and split else ""
    except Exception:  # a parser bug must never cost us the message: keep the full text
        newest = ""
    if not newest:  # nothing was split off (or only quote was left): the whole body is the message
        return Reply(body.strip(), False)
    return Reply(newest, True)
