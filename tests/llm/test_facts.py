"""What the requester gave, read from their words in en/es/pt, and guidance lines that do not ask for it again."""

from __future__ import annotations

from app.llm.facts import extract_facts, render_guidance, unknown_names

GUIDANCE = """Thanks for writing about your withdrawal.
[if not withdrawal_id] Reply with the withdrawal ID.
[if withdrawal_id] We have the withdrawal ID {withdrawal_id}.
[if order_id|transaction_id] We have your receipt.
The amount was {amount}.

Best wishes."""


def test_facts_given_in_each_language_are_found() -> None:
    assert extract_facts(["Withdrawal ID is WD-77812. Nothing under Action required."]) == {
        "withdrawal_id": "WD-77812",
        "action_required_checked": "yes",
    }
    es = extract_facts(["Pagué 9,99 USD el 02/11, pedido GPA.3312-4581-2270-19934, referencia SN-20931"])
    assert es["order_id"] == "GPA.3312-4581-2270-19934" and es["reference"] == "SN-20931"
    assert es["amount"] == "9,99 USD" and es["date"] == "02/11"
    pt = extract_facts(["o ID da transação é TX-88231 no meu iPhone, minha conta é @mia.live"])
    assert pt["transaction_id"] == "TX-88231" and pt["device"] == "iPhone" and pt["username"] == "@mia.live"


def test_a_later_message_wins_and_words_without_digits_are_not_ids() -> None:
    facts = extract_facts(["my order is pending", "WD-100 was wrong, it is WD-200"])
    assert facts == {"withdrawal_id": "WD-200"}


def test_guidance_acknowledges_what_was_given_and_never_invents_a_slot() -> None:
    asked = render_guidance(GUIDANCE, {})
    assert "Reply with the withdrawal ID." in asked and "{" not in asked
    assert "The amount was" not in asked, "a line whose slot has no value is dropped, not filled with a guess"
    given = render_guidance(GUIDANCE, {"withdrawal_id": "WD-1", "transaction_id": "TX-9", "amount": "$5"})
    assert given == (
        "Thanks for writing about your withdrawal. We have the withdrawal ID WD-1. We have your receipt. "
        "The amount was $5.\n\nBest wishes."
    )


def test_a_misspelt_condition_is_reported() -> None:
    assert unknown_names("[if withdrawl_id] x {amount}") == ["withdrawl_id"]


def test_every_shipped_guidance_uses_known_conditions_and_slots() -> None:
    from app.config import PROJECT_ROOT
    from app.knowledge.articles import load_articles

    for article in load_articles(PROJECT_ROOT / "knowledge_base"):
        assert unknown_names(article.reply_guidance or "") == [], article.id
