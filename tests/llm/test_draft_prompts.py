"""The draft prompt files: versioned by content, strict about variables, taxonomy rendered from app/taxonomy.py."""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.llm.answer import taxonomy_variables
from app.llm.prompts import PromptError, load_prompt
from app.taxonomy import CATEGORY_DESCRIPTIONS, RISK_FLAGS


def test_system_prompt_renders_the_whole_taxonomy_and_the_canary() -> None:
    prompt = load_prompt(PROJECT_ROOT / "prompts", "draft_system")
    text = prompt.render(**taxonomy_variables(), language="Portuguese", canary="c4n4ry")
    for category, description in CATEGORY_DESCRIPTIONS.items():
        assert f"- {category.value}: {description}" in text
    for spec in RISK_FLAGS.values():
        assert f"- {spec.code} ({spec.severity.value}): {spec.description}" in text
    assert "Confidential marker: c4n4ry." in text and "in Portuguese" in text
    assert prompt.version.startswith("draft_system@") and len(prompt.version) == len("draft_system@") + 12


def test_user_prompt_fails_loudly_on_a_missing_variable() -> None:
    prompt = load_prompt(PROJECT_ROOT / "prompts", "draft_user")
    with pytest.raises(PromptError, match="boundary"):
        prompt.render(language="English", sender_kind="user", rule_flags=[], articles=[], thread=[], message="hi")


def test_user_prompt_without_articles_says_to_cite_nothing() -> None:
    prompt = load_prompt(PROJECT_ROOT / "prompts", "draft_user")
    text = prompt.render(
        boundary="b0",
        language="English",
        sender_kind="creator",
        rule_flags=["pii_shared"],
        uncertain_flags=[],
        articles=[],
        thread=[],
        subject=None,
        message="where is my payout",
    )
    assert "cite nothing" in text and "<<<DATA b0 MESSAGE>>>\nwhere is my payout\n<<<END b0>>>" in text
    assert "Rule-based detectors already raised: pii_shared." in text
