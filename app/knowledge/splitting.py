"""Articles into retrievable chunks: first by markdown heading, then by size.

Splitting on headings first keeps a chunk inside one policy section, so a citation points at "Policy" or
"What must never be promised" rather than at a window that straddles both. Each chunk's text starts with the
article title and section name: a bare bullet such as "- a refund within 14 days" embeds poorly on its own.
Sizes are in characters. MiniLM reads at most 256 word pieces and silently drops the rest; 800 characters of
English stay under ~210 with the title prefix, but its English vocabulary cuts Spanish into more pieces (about 2.9
characters each: 800-character Spanish chunks reached 279), so other locales get 600-character chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from app.knowledge.articles import Article

CHUNK_SIZE = 800
NON_ENGLISH_CHUNK_SIZE = 600
CHUNK_OVERLAP = 100
INTRO_SECTION = "Introduction"
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass(frozen=True)
class Chunk:
    """A piece of one article version; ``chunk_id`` is stable for a given article id, version and position."""

    chunk_id: str
    article_id: str
    version: int
    title: str
    locale: str
    categories: tuple[str, ...]
    section: str
    text: str


def chunk_id(article_id: str, version: int, n: int) -> str:
    return f"{article_id}@v{version}#{n}"


def split_article(article: Article, chunk_size: int | None = None, chunk_overlap: int = CHUNK_OVERLAP) -> list[Chunk]:
    """Chunks in document order, numbered from 0; an article always yields at least one chunk."""
    if chunk_size is None:
        chunk_size = CHUNK_SIZE if article.locale.lower().startswith("en") else NON_ENGLISH_CHUNK_SIZE
    by_heading, by_size = _splitters(chunk_size, chunk_overlap)
    pieces: list[tuple[str, str]] = []
    for doc in by_heading.split_text(article.body):
        # The header splitter joins the lines of a section with "  \n" where the source had blank lines; turn
        # them back into paragraph breaks so the size splitter can cut between paragraphs, not inside them.
        content = doc.page_content.replace("  \n", "\n\n").strip()
        if not content:
            continue
        section = _section_name(doc.metadata)
        pieces.extend((section, part) for part in by_size.split_text(content))
    if not pieces:  # a body made only of headings: index the title so the article can still be found
        pieces = [(INTRO_SECTION, article.title)]
    return [
        Chunk(
            chunk_id=chunk_id(article.id, article.version, n),
            article_id=article.id,
            version=article.version,
            title=article.title,
            locale=article.locale,
            categories=article.categories,
            section=section,
            text=f"{article.title} — {section}\n{text}",
        )
        for n, (section, text) in enumerate(pieces)
    ]


@lru_cache(maxsize=8)
def _splitters(
    chunk_size: int, chunk_overlap: int
) -> tuple[MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter]:
    """Built once per size: a sync splits every article of the knowledge base, and building them is not free.

    Both splitters keep no state between ``split_text`` calls, so sharing them (across threads too) is safe.
    """
    return (
        MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True),
        RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap),
    )


def _section_name(metadata: dict[str, str]) -> str:
    """ "Policy" or "Policy > Refund window"; text before the first "##" is the introduction."""
    parts = [metadata[key] for key in ("h2", "h3") if metadata.get(key)]
    return " > ".join(parts) if parts else INTRO_SECTION
