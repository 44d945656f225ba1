"""A deliberately small markdown renderer for policy articles: escape first, then add a few known tags.

Articles use headings, paragraphs, lists, bold, inline code and links; that is all this renders. Raw HTML in
an article is shown as text, and links are kept only for ``http(s)://`` and same-site paths, so a policy
writer's typo (or a hostile edit) can never inject script or a ``javascript:`` URL into a specialist's page.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|(?P<url>https?://[^\s<>\"'`]+)"
)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])[*_](?=\S)([^*_]+?)(?<=\S)[*_](?![\w*])")
_TRAILING = ".,;:!?)"


def _safe_href(href: str) -> bool:
    return href.startswith(("https://", "http://")) or (href.startswith("/") and not href.startswith("//"))


def _emphasis(raw: str) -> str:
    html = str(escape(raw))
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    return _EM.sub(r"<em>\1</em>", html)


def _link(href: str, label: str) -> str:
    return f'<a href="{escape(href)}" rel="noopener noreferrer">{label}</a>'


def inline(raw: str) -> str:
    """One line of inline markdown to HTML; every piece of ``raw`` is escaped before a tag is added."""
    out: list[str] = []
    cursor = 0
    for match in _INLINE.finditer(raw):
        out.append(_emphasis(raw[cursor : match.start()]))
        cursor = match.end()
        if match.group("code") is not None:
            out.append(f"<code>{escape(match.group('code'))}</code>")
        elif match.group("href") is not None:
            href, label = match.group("href"), _emphasis(match.group("label"))
            out.append(_link(href, label) if _safe_href(href) else _emphasis(match.group(0)))
        else:
            url = match.group("url")
            trimmed = url.rstrip(_TRAILING)
            out.append(_link(trimmed, str(escape(trimmed))) + str(escape(url[len(trimmed) :])))
    out.append(_emphasis(raw[cursor:]))
    return "".join(out)


class _Blocks:
    """Accumulates block HTML; open paragraphs, lists and quotes are closed by ``flush``."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.paragraph: list[str] = []
        self.items: list[str] = []
        self.list_tag = ""
        self.quote: list[str] = []

    def flush(self) -> None:
        if self.paragraph:
            self.html.append("<p>" + " ".join(inline(line.strip()) for line in self.paragraph) + "</p>")
            self.paragraph = []
        if self.items:
            lis = "".join(f"<li>{inline(item)}</li>" for item in self.items)
            self.html.append(f"<{self.list_tag}>{lis}</{self.list_tag}>")
            self.items, self.list_tag = [], ""
        if self.quote:
            self.html.append("<blockquote><p>" + " ".join(inline(q) for q in self.quote) + "</p></blockquote>")
            self.quote = []

    def item(self, tag: str, text: str) -> None:
        if self.list_tag != tag or self.paragraph or self.quote:
            self.flush()
        self.list_tag = tag
        self.items.append(text)


def render_markdown(text: str, *, heading_offset: int = 1) -> Markup:
    """Render article markdown; headings move down ``heading_offset`` levels (the page already has an h1)."""
    blocks = _Blocks()
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE.match(line):
            blocks.flush()
            code: list[str] = []
            while index < len(lines) and not _FENCE.match(lines[index]):
                code.append(lines[index])
                index += 1
            index += 1  # the closing fence (or the end)
            blocks.html.append(f"<pre><code>{escape(chr(10).join(code))}</code></pre>")
        elif not line.strip():
            blocks.flush()
        elif heading := _HEADING.match(line):
            blocks.flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            blocks.html.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif _RULE.match(line):
            blocks.flush()
            blocks.html.append("<hr>")
        elif bullet := _BULLET.match(line):
            blocks.item("ul", bullet.group(1))
        elif numbered := _NUMBERED.match(line):
            blocks.item("ol", numbered.group(1))
        elif quote := _QUOTE.match(line):
            if blocks.paragraph or blocks.items:
                blocks.flush()
            blocks.quote.append(quote.group(1))
        elif blocks.items and line.startswith((" ", "\t")):
            blocks.items[-1] += " " + line.strip()  # a wrapped list item
        else:
            if blocks.items or blocks.quote:
                blocks.flush()
            blocks.paragraph.append(line)
    blocks.flush()
    return Markup("\n".join(blocks.html))  # noqa: S704 - built only from escaped text and fixed tags
