"""HTML email bodies to plain text, the one module that imports ``inscriptis``.

inscriptis renders the layout (paragraphs, lists, tables) as text and drops ``<script>``, ``<style>`` and every
attribute, so nothing from the HTML — links' targets, remote images, handlers — survives into what a
specialist reads or what the model sees. Its input is capped: a multi-megabyte HTML body is cut, not parsed.
"""

from __future__ import annotations

from inscriptis import get_text

MAX_HTML_CHARS = 2_000_000


def html_to_text(html: str) -> str:
    """Readable text of ``html`` ('' for markup with no text)."""
    text: str = get_text(html[:MAX_HTML_CHARS])
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip()
