"""Policy articles: markdown files with YAML front matter, parsed into validated, immutable ``Article`` objects.

Policy writers edit these files by hand, so every validation error names the file and the field and says what
a valid value looks like. ``content_hash`` is taken over the *canonical* text (``render_article``): re-ordering
front-matter keys, quoting a title or switching line endings does not change it, so the indexer re-embeds an
article only when something that could change retrieval changed, and ``parse_article(render_article(a)) == a``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from app.taxonomy import Category

_BASE_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ID_RE = re.compile(rf"^{_BASE_ID}(?:\.[a-z]{{2}}(?:-[a-z]{{2}})?)?$")
_BASE_ID_RE = re.compile(rf"^{_BASE_ID}$")
_LOCALE_RE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")
# `$` also matches before a trailing newline, so every pattern above is used with `fullmatch`: 'faq\n' once
# passed as an id and became a file name with a newline in it.
_ID_MAX = 120  # article_versions.article_id is VARCHAR(120)
_REQUIRED = ("id", "title", "categories", "locale", "version", "effective_date", "owner")
_OPTIONAL = ("translation_of",)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")

MAY_PROMISE_HEADING = "What the specialist may promise"
NEVER_PROMISE_HEADING = "What must never be promised"
REPLY_GUIDANCE_HEADING = "Reply guidance"


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so an impossible date is reported as a field error, not a crash."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # timestamps are always scalar nodes


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class ArticleError(ValueError):
    """An article that cannot be used; the message names the source (file or ``<api>``) and the field."""

    def __init__(self, source: str, field_name: str, problem: str) -> None:
        super().__init__(f"{source}: field '{field_name}': {problem}")
        self.source = source
        self.field = field_name
        self.problem = problem


@dataclass(frozen=True)
class Article:
    """One version of one policy article; ``body`` is the markdown after the front matter."""

    id: str
    title: str
    categories: tuple[str, ...]
    locale: str
    version: int
    effective_date: date
    owner: str
    body: str
    translation_of: str | None = None
    # Always derived from the canonical text, whatever is passed: `replace(article, version=2)` cannot carry a
    # stale hash into the index.
    content_hash: str = ""

    def __post_init__(self) -> None:
        digest = hashlib.sha256(render_article(self).encode("utf-8")).hexdigest()
        object.__setattr__(self, "content_hash", digest)

    @property
    def family_id(self) -> str:
        """The id shared by an article and its translations (``refunds.es`` → ``refunds``)."""
        return self.translation_of or self.id

    def section(self, heading: str) -> str | None:
        """Text under ``## heading`` (case-insensitive) up to the next heading of the same or a higher level."""
        return _section(self.body, heading)

    @property
    def reply_guidance(self) -> str | None:
        return self.section(REPLY_GUIDANCE_HEADING)

    @property
    def may_promise(self) -> list[str]:
        """Bullets of "What the specialist may promise" — what a draft reply is allowed to commit to."""
        return _bullets(self.section(MAY_PROMISE_HEADING))

    @property
    def never_promise(self) -> list[str]:
        """Bullets of "What must never be promised" — what guardrails should block in a draft reply."""
        return _bullets(self.section(NEVER_PROMISE_HEADING))


def parse_article(text: str, source: str = "<api>") -> Article:
    """Parse and validate one article; raises ``ArticleError`` naming ``source`` and the offending field."""
    front, body = _split_front_matter(_normalise(text), source)
    try:
        # _FrontMatterLoader is a SafeLoader subclass: it cannot build arbitrary objects.
        meta = yaml.load(front, Loader=_FrontMatterLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ArticleError(source, "front matter", f"is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise ArticleError(source, "front matter", "must be a mapping of `key: value` lines")
    unknown = sorted(str(k) for k in meta if k not in _REQUIRED + _OPTIONAL)
    if unknown:
        allowed = ", ".join(_REQUIRED + _OPTIONAL)
        raise ArticleError(source, unknown[0], f"is not a known key (allowed: {allowed})")
    for key in _REQUIRED:
        if meta.get(key) is None:
            raise ArticleError(source, key, "is required")
    locale = _locale(meta["locale"], source)
    translation_of = _translation_of(meta.get("translation_of"), source)
    return Article(
        id=_article_id(meta["id"], locale, translation_of, source),
        title=_text(meta["title"], "title", source),
        categories=_categories(meta["categories"], source),
        locale=locale,
        version=_version(meta["version"], source),
        effective_date=_date(meta["effective_date"], source),
        owner=_text(meta["owner"], "owner", source),
        body=_body(body, source),
        translation_of=translation_of,
    )


def base_article_id(article_id: str) -> str:
    """The original's id for a translation id (``refunds.es`` → ``refunds``); other ids unchanged."""
    return article_id.split(".", 1)[0]


def render_article(article: Article) -> str:
    """The canonical file text of an article: fixed key order, LF line endings, one trailing newline."""
    meta: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "categories": list(article.categories),
        "locale": article.locale,
        "version": article.version,
        "effective_date": article.effective_date,
        "owner": article.owner,
    }
    if article.translation_of:
        meta["translation_of"] = article.translation_of
    front = yaml.safe_dump(meta, sort_keys=False, default_flow_style=None, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n{article.body.strip()}\n"


def load_articles(directory: Path) -> list[Article]:
    """Every ``*.md`` article under ``directory``, sorted by id."""
    return [article for _path, article in load_article_files(directory)]


def load_article_files(directory: Path) -> list[tuple[Path, Article]]:
    """Every ``*.md`` article under ``directory`` with the file it came from, sorted by id.

    Files whose names start with ``_`` or ``README`` are notes for writers, not articles. A file must be named
    after its id (``<id>.md``), so a duplicate id always shows up as two files, and is reported as an error.
    """
    seen: dict[str, Path] = {}
    articles: list[tuple[Path, Article]] = []
    for path in sorted(directory.rglob("*.md")):
        if path.name.startswith("_") or path.name.upper().startswith("README"):
            continue
        source = str(path)
        article = parse_article(path.read_text(encoding="utf-8"), source=source)
        if article.id in seen:
            raise ArticleError(source, "id", f"'{article.id}' is already used by {seen[article.id]}")
        if path.name != f"{article.id}.md":
            raise ArticleError(source, "id", f"'{article.id}' does not match the file name; rename it {article.id}.md")
        seen[article.id] = path
        articles.append((path, article))
    return sorted(articles, key=lambda pair: pair[1].id)


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _split_front_matter(text: str, source: str) -> tuple[str, str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ArticleError(source, "front matter", "the file must start with a '---' line, then `key: value` lines")
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    raise ArticleError(source, "front matter", "no closing '---' line after the front matter")


def _text(value: object, name: str, source: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
        raise ArticleError(source, name, f"must be non-empty text, got {value!r}")
    return " ".join(str(value).split())


def _article_id(value: object, locale: str, translation_of: str | None, source: str) -> str:
    if isinstance(value, str) and len(value) > _ID_MAX:
        raise ArticleError(source, "id", f"is {len(value)} characters long; at most {_ID_MAX} are allowed")
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ArticleError(
            source,
            "id",
            f"must be kebab-case like 'coins-not-credited' (or '<id>.<locale>' for a translation), got {value!r}",
        )
    if translation_of is None and not _BASE_ID_RE.fullmatch(value):
        raise ArticleError(source, "id", f"'{value}' has a locale suffix, so 'translation_of' must name the original")
    if translation_of is not None and value != f"{translation_of}.{locale.lower()}":
        raise ArticleError(
            source, "id", f"a translation must have id '{translation_of}.{locale.lower()}', got '{value}'"
        )
    return value


def _translation_of(value: object, source: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _BASE_ID_RE.fullmatch(value):
        raise ArticleError(source, "translation_of", f"must be the kebab-case id of the original, got {value!r}")
    return value


def _locale(value: object, source: str) -> str:
    if not isinstance(value, str) or not _LOCALE_RE.fullmatch(value):
        raise ArticleError(source, "locale", f"must be a language code like 'en' or 'pt-BR', got {value!r}")
    return value


def _categories(value: object, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ArticleError(source, "categories", "must be a non-empty list like [recharge_payment]")
    allowed = {c.value for c in Category}
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise ArticleError(
                source, "categories", f"{item!r} is not a category (allowed: {', '.join(sorted(allowed))})"
            )
        if item in out:
            raise ArticleError(source, "categories", f"{item!r} is listed twice")
        out.append(item)
    return tuple(out)


def _version(value: object, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArticleError(source, "version", f"must be a whole number >= 1, got {value!r}")
    return value


def _date(value: object, source: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ArticleError(source, "effective_date", f"must be a date like 2026-09-01, got {value!r}")


def _body(body: str, source: str) -> str:
    body = body.strip("\n").rstrip()
    if not body.strip():
        raise ArticleError(source, "body", "the article has no text after the front matter")
    return body + "\n"


def _section(body: str, heading: str) -> str | None:
    wanted = " ".join(heading.split()).casefold()
    collected: list[str] | None = None
    level = 0
    in_fence = False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match and collected is not None and len(match.group(1)) <= level:
            break
        if collected is not None:
            collected.append(line)
        elif match and len(match.group(1)) == 2 and " ".join(match.group(2).split()).casefold() == wanted:
            collected, level = [], 2
    if collected is None:
        return None
    return "\n".join(collected).strip()


def _bullets(text: str | None) -> list[str]:
    """List items of a section; indented continuation lines are joined onto their item."""
    items: list[str] = []
    for line in (text or "").split("\n"):
        match = _BULLET_RE.match(line)
        if match and not line.startswith(("  ", "\t")):
            items.append(match.group(1).strip())
        elif items and line.strip() and line.startswith((" ", "\t")):
            items[-1] = f"{items[-1]} {line.strip()}"
    return items
