from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from app.knowledge.articles import load_articles, parse_article
from app.knowledge.embeddings import model_dir
from app.knowledge.splitting import CHUNK_SIZE, NON_ENGLISH_CHUNK_SIZE, split_article
from tests.knowledge.samples import COINS, COINS_ES, article_text

REPO_KB = Path(__file__).resolve().parents[2] / "knowledge_base"


def _long_article() -> str:
    paragraphs = "\n\n".join(
        f"Paragraph {i}: withdrawals to a bank account take up to {i + 2} business days after the request is approved."
        for i in range(25)
    )
    body = (
        f"Intro before any section.\n\n## Policy\n{paragraphs}\n\n"
        "### Edge cases\nRare things.\n\n## Reply guidance\nBe clear."
    )
    return article_text("payout-timelines", "Payout timelines", "creator_payout", body, version=3)


def test_chunks_keep_article_identity() -> None:
    article = parse_article(COINS_ES)
    chunks = split_article(article)
    assert chunks
    for n, chunk in enumerate(chunks):
        assert chunk.chunk_id == f"recharge-coins-not-credited.es@v1#{n}"
        assert chunk.article_id == article.id
        assert chunk.version == article.version
        assert chunk.locale == "es"
        assert chunk.categories == ("recharge_payment",)
        assert chunk.title == article.title


def test_chunks_follow_sections_and_carry_title_prefix() -> None:
    chunks = split_article(parse_article(COINS))
    sections = [c.section for c in chunks]
    assert sections == [
        "Summary",
        "Policy",
        "What the specialist may promise",
        "What must never be promised",
        "Reply guidance",
    ]
    for chunk in chunks:
        assert chunk.text.startswith(f"Coins not credited after a purchase — {chunk.section}\n")
    never = next(c for c in chunks if c.section == "What must never be promised")
    assert "Bonus Coins" in never.text and "order against the payment log" not in never.text


def test_long_sections_are_split_with_overlap_and_subsections_named() -> None:
    article = parse_article(_long_article())
    chunks = split_article(article)
    policy = [c for c in chunks if c.section == "Policy"]
    assert len(policy) >= 3
    prefix = len("Payout timelines — Policy\n")
    assert all(len(c.text) - prefix <= CHUNK_SIZE for c in policy)
    # Cuts fall between paragraphs: every paragraph is whole in some chunk.
    for i in range(25):
        paragraph = f"Paragraph {i}: withdrawals to a bank account take up to {i + 2} business days"
        assert any(paragraph in c.text for c in policy), paragraph
    assert [c.section for c in chunks if c.section not in ("Policy",)] == [
        "Introduction",
        "Policy > Edge cases",
        "Reply guidance",
    ]
    assert chunks[0].text.endswith("Intro before any section.")
    assert all(c.version == 3 and c.chunk_id.startswith("payout-timelines@v3#") for c in chunks)


def test_a_wall_of_text_is_cut_between_words_with_overlap() -> None:
    words = " ".join(f"word{i}" for i in range(400))
    chunks = split_article(parse_article(article_text("wall", "Wall", "feedback_other", f"## Policy\n{words}")))
    assert len(chunks) >= 3
    bodies = [c.text.split("\n", 1)[1].split() for c in chunks]
    for left, right in itertools.pairwise(bodies):
        assert left[-1] in right  # the last words of one chunk open the next
    assert all(w.startswith("word") for body in bodies for w in body)  # no word was cut in half


def test_headings_only_article_still_has_a_chunk() -> None:
    article = parse_article(article_text("empty-shell", "Placeholder", "feedback_other", "## Summary\n## Policy"))
    chunks = split_article(article)
    assert len(chunks) == 1
    assert chunks[0].chunk_id == "empty-shell@v1#0"
    assert "Placeholder" in chunks[0].text


def test_non_english_chunks_are_shorter() -> None:
    words = " ".join(f"palabra{i}" for i in range(300))
    spanish = parse_article(
        article_text("muro.es", "Muro", "feedback_other", f"## Política\n{words}", locale="es", translation_of="muro")
    )
    prefix = len("Muro — Política\n")
    assert max(len(c.text) - prefix for c in split_article(spanish)) <= NON_ENGLISH_CHUNK_SIZE


@pytest.mark.skipif(not any(REPO_KB.glob("*.md")), reason="knowledge_base/ has no articles yet")
def test_repository_chunks_fit_the_embedding_model() -> None:
    """MiniLM silently truncates past 256 word pieces; a chunk that long would be embedded without its tail."""
    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    too_long = [
        (chunk.chunk_id, n)
        for article in load_articles(REPO_KB)
        for chunk in split_article(article)
        if (n := len(tokenizer.encode(chunk.text).ids)) > 256
    ]
    assert too_long == []
