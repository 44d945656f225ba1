from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.knowledge.articles import ArticleError, load_articles, parse_article, render_article
from tests.knowledge.samples import ALL_SAMPLES, COINS, COINS_ES, TAX, article_text, write_samples

REPO_KB = Path(__file__).resolve().parents[2] / "knowledge_base"


def test_parse_reads_front_matter_and_body() -> None:
    article = parse_article(COINS, source="kb/coins.md")
    assert article.id == "recharge-coins-not-credited"
    assert article.title == "Coins not credited after a purchase"
    assert article.categories == ("recharge_payment",)
    assert article.locale == "en"
    assert article.version == 1
    assert article.effective_date == date(2026, 9, 1)
    assert article.owner == "payments-policy"
    assert article.translation_of is None
    assert article.body.startswith("# Coins not credited after a purchase\n")
    assert "---" not in article.body.splitlines()[0]
    assert len(article.content_hash) == 64


def test_sections_and_promises() -> None:
    article = parse_article(COINS)
    assert article.section("policy") is not None
    assert article.section("POLICY").startswith("Most purchases are credited")  # type: ignore[union-attr]
    assert "What the specialist may promise" not in (article.section("Policy") or "")
    assert article.section("Refunds") is None
    assert article.may_promise == [
        "To check the order against the payment log.",
        "That confirmed missing Coins are credited within 2 business days.",
    ]
    assert article.never_promise == ["Bonus Coins as compensation.", "A refund before the payment has been checked."]
    assert article.reply_guidance is not None and article.reply_guidance.startswith("Apologise")
    assert parse_article(TAX).reply_guidance is None


def test_section_keeps_subsections_and_wrapped_bullets() -> None:
    body = (
        "## Policy\nIntro.\n\n### Web purchases\nWeb text.\n\n```\n## not a heading\n```\n## What the specialist may "
        "promise\n- First promise\n  continued here.\n- Second\n\n## Reply guidance\nBe kind.\n"
    )
    article = parse_article(article_text("a-b", "T", "refund_request", body))
    policy = article.section("Policy") or ""
    assert "### Web purchases" in policy and "## not a heading" in policy and "promise" not in policy
    assert article.may_promise == ["First promise continued here.", "Second"]


def test_translation_variant() -> None:
    article = parse_article(COINS_ES)
    assert article.id == "recharge-coins-not-credited.es"
    assert article.translation_of == "recharge-coins-not-credited"
    assert article.family_id == "recharge-coins-not-credited"
    assert article.locale == "es"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("id: recharge-coins-not-credited\n", "", "id"),
        ("id: recharge-coins-not-credited", "id: Recharge_Coins", "id"),
        ("[recharge_payment]", "[recharge_payments]", "categories"),
        ("[recharge_payment]", "[]", "categories"),
        ("[recharge_payment]", "[recharge_payment, recharge_payment]", "categories"),
        ("version: 1", "version: 0", "version"),
        ("version: 1", "version: one", "version"),
        ("version: 1", "version: true", "version"),
        ("effective_date: 2026-09-01", "effective_date: next monday", "effective_date"),
        ("effective_date: 2026-09-01", "effective_date: 2026-13-01", "effective_date"),
        ("locale: en", "locale: English", "locale"),
        ("owner: payments-policy\n", "", "owner"),
        ("owner: payments-policy", "owner: payments-policy\ncategoies: [refund_request]", "categoies"),
        ("title: Coins not credited after a purchase", "title: ''", "title"),
        ("owner: payments-policy", "owner: payments-policy\ntranslation_of: other-article", "id"),
        ("id: recharge-coins-not-credited", "id: recharge-coins-not-credited.es", "id"),
    ],
)
def test_parse_errors_name_the_file_and_field(old: str, new: str, field: str) -> None:
    assert old in COINS
    with pytest.raises(ArticleError) as info:
        parse_article(COINS.replace(old, new, 1), source="knowledge_base/coins.md")
    assert info.value.field == field
    assert "knowledge_base/coins.md" in str(info.value)
    assert f"'{field}'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("# Just markdown\n", "front matter"),
        ("---\nid: a\n# never closed\n", "front matter"),
        ("---\n- a list\n---\nbody\n", "front matter"),
        ("---\nid: [unclosed\n---\nbody\n", "front matter"),
        (COINS.split("# Coins not credited")[0], "body"),
    ],
)
def test_structural_errors(text: str, field: str) -> None:
    with pytest.raises(ArticleError) as info:
        parse_article(text, source="x.md")
    assert info.value.field == field


def test_render_round_trips() -> None:
    for text in (COINS, COINS_ES, TAX):
        article = parse_article(text)
        rendered = render_article(article)
        assert parse_article(rendered) == article
        assert render_article(parse_article(rendered)) == rendered


def test_render_quotes_awkward_titles() -> None:
    text = COINS.replace("title: Coins not credited after a purchase", "title: 'Refunds: #1 question, [sic]'")
    article = parse_article(text)
    assert article.title == "Refunds: #1 question, [sic]"
    assert parse_article(render_article(article)) == article


def test_content_hash_ignores_formatting_but_not_content() -> None:
    base = parse_article(COINS).content_hash
    reordered = COINS.replace("locale: en\n", "").replace(
        "owner: payments-policy\n", "owner: payments-policy\nlocale: en\n"
    )
    assert parse_article(reordered).content_hash == base
    assert parse_article(COINS.replace("\n", "\r\n")).content_hash == base
    assert parse_article(COINS + "\n\n").content_hash == base
    assert parse_article(COINS.replace("30 minutes", "45 minutes")).content_hash != base
    assert parse_article(COINS.replace("version: 1", "version: 2")).content_hash != base


def test_load_articles_sorted_and_skips_readme(tmp_path: Path) -> None:
    write_samples(tmp_path)
    (tmp_path / "README.md").write_text("# How to write articles\n", encoding="utf-8")
    articles = load_articles(tmp_path)
    ids = [a.id for a in articles]
    assert ids == sorted(ids)
    assert "recharge-coins-not-credited.es" in ids and len(ids) == len(ALL_SAMPLES)
    assert (
        articles[0].content_hash
        == parse_article((tmp_path / f"{articles[0].id}.md").read_text(encoding="utf-8")).content_hash
    )


def test_load_articles_rejects_duplicate_ids(tmp_path: Path) -> None:
    write_samples(tmp_path / "payments", {"recharge-coins-not-credited": COINS})
    write_samples(tmp_path / "archive", {"recharge-coins-not-credited": COINS})
    with pytest.raises(ArticleError) as info:
        load_articles(tmp_path)
    assert info.value.field == "id" and "already used" in str(info.value)


def test_load_articles_requires_file_named_after_id(tmp_path: Path) -> None:
    (tmp_path / "coins.md").write_text(COINS, encoding="utf-8")
    with pytest.raises(ArticleError) as info:
        load_articles(tmp_path)
    assert str(tmp_path / "coins.md") in str(info.value)
    assert "recharge-coins-not-credited.md" in str(info.value)


@pytest.mark.skipif(not any(REPO_KB.glob("*.md")), reason="knowledge_base/ has no articles yet")
def test_repository_knowledge_base_is_valid() -> None:
    articles = load_articles(REPO_KB)
    assert articles
    for article in articles:
        if article.locale.startswith("en"):
            assert article.section("Summary"), f"{article.id}: no '## Summary' section"


def test_content_hash_is_always_derived() -> None:
    article = parse_article(COINS)
    bumped = replace(article, version=2)
    assert bumped.content_hash != article.content_hash
    assert bumped.content_hash == parse_article(render_article(bumped)).content_hash
    assert replace(article, content_hash="forged").content_hash == article.content_hash
