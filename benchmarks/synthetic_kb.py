"""A large, realistic knowledge base for benchmarks, synthesised from ``knowledge_base/`` into a directory.

Real teams grow the knowledge base by writing regional, platform and programme variants of the same policies,
so a variant here is one shipped article re-scoped: a new id and title ("… — Brazil", "… — Android app"), a
scope paragraph, the policy bullets in another order and the time limits moved. Every variant therefore splits
into chunks of its own (nothing is deduplicated by the index), its translations stay translations of the variant,
and the generator is deterministic, so the same ``count`` gives the same files and the benchmark caches stay
valid. Generated files go to a temporary directory and are never committed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from app.config import PROJECT_ROOT
from app.knowledge.articles import Article, load_articles, render_article

SCOPES = [
    ("Android app", "the StreamNest app for Android phones and tablets"),
    ("iOS app", "the StreamNest app on iPhone and iPad"),
    ("web", "streamnest.com in a desktop or mobile browser"),
    ("Brazil", "accounts registered in Brazil"),
    ("Mexico", "accounts registered in Mexico"),
    ("Spain", "accounts registered in Spain"),
    ("United States", "accounts registered in the United States"),
    ("United Kingdom", "accounts registered in the United Kingdom"),
    ("Germany", "accounts registered in Germany"),
    ("Philippines", "accounts registered in the Philippines"),
    ("Indonesia", "accounts registered in Indonesia"),
    ("new accounts", "accounts less than 30 days old"),
    ("verified creators", "creators with a verified badge"),
    ("agency hosts", "hosts who stream through a partner agency"),
    ("top spenders", "viewers in the StreamNest VIP programme"),
    ("teen accounts", "accounts of users aged 16 and 17"),
    ("business accounts", "brand and business accounts"),
    ("PK battles", "PK battles and multi-guest LIVEs"),
    ("events", "seasonal events and campaigns"),
    ("smart TVs", "the StreamNest app on smart TVs"),
]
_HOURS = re.compile(r"\b(24|48|72) hours\b")
_DAYS = re.compile(r"\b(\d{1,2}) (business )?days\b")


def _variant_body(body: str, title: str, scope: str, n: int) -> str:
    """The body re-scoped: new heading, a scope paragraph, rotated policy bullets, shifted time limits."""
    lines = body.splitlines()
    out: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            shift = n % len(bullets)
            out.extend(bullets[shift:] + bullets[:shift])
            bullets.clear()

    for line in lines:
        if line.startswith("# "):
            out.append(f"# {title}")
            continue
        if line.startswith("- "):
            bullets.append(line)
            continue
        flush()
        out.append(line)
        if line.startswith("## ") and out.count(line) == 1 and len(out) < 6:
            out.append(
                f"This version of the policy applies to {scope}. Where it differs from the general policy, it wins."
            )
    flush()
    text = "\n".join(out)
    text = _HOURS.sub(lambda m: f"{int(m.group(1)) + 12 * (n % 3)} hours", text)
    return _DAYS.sub(lambda m: f"{int(m.group(1)) + n % 4} {m.group(2) or ''}days", text)


def variants(base: list[Article], count: int) -> list[Article]:
    """``count`` articles: the shipped ones first, then re-scoped variants of each in turn."""
    if count <= len(base):
        return base[:count]
    originals = [a for a in base if not a.translation_of]
    translations = {a.translation_of: a for a in base if a.translation_of}
    out = list(base)
    n = 0
    while len(out) < count:
        source = originals[n % len(originals)]
        round_ = n // len(originals)
        label, scope = SCOPES[round_ % len(SCOPES)]
        suffix = f"{label.lower().replace(' ', '-')}-{round_ // len(SCOPES) + 1}"
        new_id = f"{source.id}-{suffix}"
        title = f"{source.title} — {label}"
        out.append(replace(source, id=new_id, title=title, body=_variant_body(source.body, title, scope, n + round_)))
        translated = translations.get(source.id)
        if translated is not None and len(out) < count:
            t_title = f"{translated.title} — {label}"
            out.append(
                replace(
                    translated,
                    id=f"{new_id}.{translated.locale.lower()}",
                    translation_of=new_id,
                    title=t_title,
                    body=_variant_body(translated.body, t_title, scope, n + round_),
                )
            )
        n += 1
    return out


def write_kb(directory: Path, count: int, source: Path = PROJECT_ROOT / "knowledge_base") -> list[Article]:
    """Write ``count`` articles as ``<id>.md`` files into ``directory`` (created) and return them."""
    directory.mkdir(parents=True, exist_ok=True)
    articles = variants(load_articles(source), count)
    for article in articles:
        (directory / f"{article.id}.md").write_text(render_article(article), encoding="utf-8")
    return articles


def kb_digest(articles: list[Article]) -> str:
    """A short hash of the articles' content: the key of any index built from them."""
    digest = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a.id):
        digest.update(f"{article.id}\0{article.content_hash}\0".encode())
    return digest.hexdigest()[:12]
