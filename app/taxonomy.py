"""The one place that names categories, risk flags and their severities.

Detectors, prompts, evals, the queue ordering and the console all read from here, so a new flag or category is
added once. ``TAXONOMY_VERSION`` changes whenever a code is added, removed or re-graded; drafts and eval runs
record it so QA can tell results from different taxonomies apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TAXONOMY_VERSION = "2026-11-25.1"


class Category(StrEnum):
    RECHARGE_PAYMENT = "recharge_payment"
    GIFT_TRANSACTION = "gift_transaction"
    REFUND_REQUEST = "refund_request"
    CHARGEBACK_DISPUTE = "chargeback_dispute"
    CREATOR_PAYOUT = "creator_payout"
    ACCOUNT_ACCESS = "account_access"
    ACCOUNT_RESTRICTION = "account_restriction"
    CREATOR_AGENCY = "creator_agency"
    SAFETY_REPORT = "safety_report"
    SCAM_FRAUD_REPORT = "scam_fraud_report"
    PRIVACY_REQUEST = "privacy_request"
    LAW_ENFORCEMENT_REQUEST = "law_enforcement_request"
    TECHNICAL_ISSUE = "technical_issue"
    FEEDBACK_OTHER = "feedback_other"


CATEGORY_DESCRIPTIONS: dict[Category, str] = {
    Category.RECHARGE_PAYMENT: "Coin purchase charged but not credited, failed or declined recharges, payment methods.",
    Category.GIFT_TRANSACTION: "A gift sent to the wrong LIVE, not delivered, or coins debited without a gift.",
    Category.REFUND_REQUEST: "The requester asks for money back for coins, gifts or a subscription.",
    Category.CHARGEBACK_DISPUTE: "A bank or card dispute, chargeback, or the consequences of one.",
    Category.CREATOR_PAYOUT: "Creator earnings, diamonds, withdrawals, payout methods and tax forms.",
    Category.ACCOUNT_ACCESS: "Login problems, hacked accounts, 2FA, password and account recovery.",
    Category.ACCOUNT_RESTRICTION: "Bans, LIVE suspensions, strikes, transaction bans and appeals.",
    Category.CREATOR_AGENCY: "Agencies (creator networks), host programs, LIVE eligibility.",
    Category.SAFETY_REPORT: "Harassment, minors at risk, threats, self-harm, dangerous LIVE content.",
    Category.SCAM_FRAUD_REPORT: "Scams, impersonation, phishing, fake agencies, forwarded scam messages.",
    Category.PRIVACY_REQUEST: "Data access, correction, download or deletion (CCPA, GDPR and the like).",
    Category.LAW_ENFORCEMENT_REQUEST: "Police, courts or government asking for data; routed to legal.",
    Category.TECHNICAL_ISSUE: "App crashes, LIVE stream or upload bugs, features not working.",
    Category.FEEDBACK_OTHER: "Feedback, suggestions, and anything that fits no other category.",
}


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    INFO = "info"


SEVERITY_RANK: dict[Severity, int] = {
    Severity.CRITICAL: 0,
    Severity.HIGH: 1,
    Severity.MEDIUM: 2,
    Severity.INFO: 3,
}
NO_FLAG_RANK = 4


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class FlagSource(StrEnum):
    """Who raised a flag: a rule (explicit wording, metadata), the flag model, an LLM, the sender's history, or
    a specialist's correction."""

    RULE = "rule"
    MODEL = "model"
    LLM = "llm"
    HISTORY = "history"
    SPECIALIST = "specialist"


@dataclass(frozen=True)
class FlagSpec:
    """A risk flag's fixed properties; ``dsa_category`` is the EU DSA statement-of-reasons category, if any."""

    code: str
    severity: Severity
    description: str
    dsa_category: str | None = None


RISK_FLAGS: dict[str, FlagSpec] = {
    spec.code: spec
    for spec in (
        FlagSpec(
            "self_harm", Severity.CRITICAL, "Suicide or self-harm intent or risk.", "STATEMENT_CATEGORY_SELF_HARM"
        ),
        FlagSpec(
            "violence_threat",
            Severity.CRITICAL,
            "A threat of violence against a person.",
            "STATEMENT_CATEGORY_VIOLENCE",
        ),
        FlagSpec(
            "minor_safety",
            Severity.CRITICAL,
            "A minor at risk: grooming, sexualisation, a minor hosting or solicited for gifts (a parent's refund for "
            "a child's purchase, with nothing putting the child at risk, is a refund case).",
            "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
        ),
        FlagSpec(
            "extortion", Severity.CRITICAL, "Sextortion, blackmail or extortion.", "STATEMENT_CATEGORY_CYBER_VIOLENCE"
        ),
        FlagSpec("account_takeover", Severity.HIGH, "Signs someone else controls or used the account.", None),
        FlagSpec(
            "fraud_scam",
            Severity.HIGH,
            "A scam, phishing, impersonation or fraud is reported or suspected.",
            "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        ),
        FlagSpec(
            "chargeback_threat",
            Severity.HIGH,
            "The requester threatens or has filed a chargeback or bank dispute.",
            None,
        ),
        FlagSpec("legal_regulatory_threat", Severity.HIGH, "A lawyer, regulator, lawsuit or press is mentioned.", None),
        FlagSpec(
            "payment_anomaly", Severity.HIGH, "Repeated failed charges, unusual amounts or duplicate charges.", None
        ),
        FlagSpec(
            "repeat_complaint",
            Severity.MEDIUM,
            "Same requester and category again within 14 days, or a third contact.",
            None,
        ),
        FlagSpec("prompt_injection", Severity.MEDIUM, "Text that tries to instruct the assistant.", None),
        FlagSpec("high_value_user", Severity.MEDIUM, "A requester with high lifetime spend.", None),
        FlagSpec("pii_shared", Severity.INFO, "The requester shared personal data (card, email, phone, ID).", None),
    )
}

CRITICAL_FLAGS: frozenset[str] = frozenset(c for c, s in RISK_FLAGS.items() if s.severity is Severity.CRITICAL)

# Priority a category gets before flags raise it; flags can only make a case more urgent.
CATEGORY_BASE_PRIORITY: dict[Category, Priority] = {
    Category.SAFETY_REPORT: Priority.P1,
    Category.SCAM_FRAUD_REPORT: Priority.P1,
    Category.LAW_ENFORCEMENT_REQUEST: Priority.P1,
    Category.ACCOUNT_ACCESS: Priority.P1,
    Category.CHARGEBACK_DISPUTE: Priority.P1,
    Category.RECHARGE_PAYMENT: Priority.P2,
    Category.GIFT_TRANSACTION: Priority.P2,
    Category.REFUND_REQUEST: Priority.P2,
    Category.CREATOR_PAYOUT: Priority.P2,
    Category.ACCOUNT_RESTRICTION: Priority.P2,
    Category.PRIVACY_REQUEST: Priority.P2,
    Category.CREATOR_AGENCY: Priority.P3,
    Category.TECHNICAL_ISSUE: Priority.P3,
    Category.FEEDBACK_OTHER: Priority.P3,
}

_SEVERITY_PRIORITY: dict[Severity, Priority] = {
    Severity.CRITICAL: Priority.P0,
    Severity.HIGH: Priority.P1,
    Severity.MEDIUM: Priority.P2,
    Severity.INFO: Priority.P3,
}


def severity_of(code: str) -> Severity:
    """Severity of a flag code; unknown codes are treated as info so they never jump the queue."""
    spec = RISK_FLAGS.get(code)
    return spec.severity if spec else Severity.INFO


def priority_for(category: Category | str, flag_codes: list[str] | tuple[str, ...] | set[str]) -> Priority:
    """Priority from the category's base and the most severe flag: the more urgent of the two wins."""
    try:
        base = CATEGORY_BASE_PRIORITY[Category(category)]
    except ValueError:
        base = Priority.P3
    candidates = [base] + [_SEVERITY_PRIORITY[severity_of(code)] for code in flag_codes]
    return min(candidates, key=lambda p: int(p.value[1]))


def parse_category(value: str | None) -> Category:
    """Map any string to a category; unknown or empty values become ``feedback_other``, never null."""
    if not value:
        return Category.FEEDBACK_OTHER
    try:
        return Category(value.strip().lower())
    except ValueError:
        return Category.FEEDBACK_OTHER
