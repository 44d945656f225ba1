"""Parents buying coins are not a child-safety emergency; a child at risk still is. Both ways, through the API."""

from __future__ import annotations

import pytest

from app.triage.signals.minor_purchases import purchase_without_safety_element
from tests.safety.conftest import Desk

PARENT = (
    "Hi, my 11-year-old son used my credit card to buy $300 of coins on his account without my permission. "
    "I'm his mother. Please refund these unauthorised purchases."
)
AT_RISK = (
    "My 12 year old daughter spent $150 of coins on my card gifting a streamer, and he has been messaging her "
    "asking for photos of herself and told her to keep it secret from us. Please refund and stop him."
)


def _message(external_id: str, body: str) -> dict[str, object]:
    return {
        "channel": "email",
        "external_id": external_id,
        "sender": {"id": f"parent-{external_id}", "kind": "user"},
        "body": body,
        "metadata": {"amount": 300, "currency": "USD", "payment_method": "card"},
    }


def test_a_parent_refund_is_a_refund_case_and_a_child_at_risk_is_minor_safety(desk: Desk) -> None:
    refund = desk.ingest(_message("parent-refund", PARENT))
    at_risk = desk.ingest(_message("parent-risk", AT_RISK))
    desk.drain()
    refund_case, risk_case = desk.case(refund), desk.case(at_risk)

    assert "minor_safety" not in refund_case["risk_flags"] and refund_case["status"] == "awaiting_review"
    assert "minor_safety" not in [f["code"] for f in refund_case["risk_flags"]]
    assert refund_case["category"] == "refund_request" and refund_case["priority"] != "P0", (
        refund_case["risk_flags"],
        refund_case["draft"]["reply"],
        refund_case["draft"]["citations"],
    )
    assert "emergency" not in refund_case["draft"]["reply"].lower()
    assert refund_case["safety"]["holds"] == [] and refund_case["safety"]["escalation"] is None

    assert "minor_safety" in [f["code"] for f in risk_case["risk_flags"]]
    assert risk_case["status"] == "escalated" and risk_case["priority"] == "P0"
    assert "minor_safety" in [h["reason"] for h in risk_case["safety"]["holds"]]


@pytest.mark.parametrize(
    ("text", "purchase_only"),
    [
        (PARENT, True),
        ("My daughter is 12 and she spent $150 on coins on my card without asking. Can I get a refund?", True),
        ("Mi hijo de 10 años gastó 50 dólares en monedas con mi tarjeta. Quiero un reembolso.", True),
        (AT_RISK, False),
        ("My 13-year-old bought coins with my card. A streamer promised her gifts if she sent pictures.", False),
        ("My 9 year old son has been going live every night and bought coins with my card.", False),
        ("My son spent coins on a man who told him to meet up after school.", False),
        ("an older guy keeps offering my daughter (she's 15) coins to go on a 1on1 video with him", False),
        ("I was charged twice for 1,000 coins yesterday.", False),  # no child: not this rule's business
    ],
)
def test_what_counts_as_a_safety_element(text: str, purchase_only: bool) -> None:
    assert purchase_without_safety_element(text) is purchase_only
