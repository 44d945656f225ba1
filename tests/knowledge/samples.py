"""Small articles of our own for the knowledge tests (the real knowledge_base/ changes under writers' hands)."""

from __future__ import annotations

from pathlib import Path


def article_text(
    article_id: str,
    title: str,
    categories: str,
    body: str,
    *,
    locale: str = "en",
    version: int = 1,
    translation_of: str | None = None,
) -> str:
    extra = f"translation_of: {translation_of}\n" if translation_of else ""
    return (
        f"---\nid: {article_id}\ntitle: {title}\ncategories: [{categories}]\nlocale: {locale}\nversion: {version}\n"
        f"effective_date: 2026-09-01\nowner: payments-policy\n{extra}---\n# {title}\n\n{body.strip()}\n"
    )


COINS = article_text(
    "recharge-coins-not-credited",
    "Coins not credited after a purchase",
    "recharge_payment",
    """
## Summary
A viewer bought a Coin pack and was charged, but the Coins did not appear in their balance.

## Policy
Most purchases are credited within a few minutes. If the balance has not updated after 30 minutes, ask the
viewer for the order number from their receipt and check the transaction log. Coins confirmed as paid are
credited manually within 2 business days.

## What the specialist may promise
- To check the order against the payment log.
- That confirmed missing Coins are credited within 2 business days.

## What must never be promised
- Bonus Coins as compensation.
- A refund before the payment has been checked.

## Reply guidance
Apologise, ask for the order number and the date of the purchase, and explain the 2-day window.
""",
)

COINS_ES = article_text(
    "recharge-coins-not-credited.es",
    "Monedas no acreditadas tras una compra",
    "recharge_payment",
    """
## Resumen
Un espectador compró un paquete de Monedas y se le cobró, pero las Monedas no aparecen en su saldo.

## Política
La mayoría de las compras se acreditan en pocos minutos. Si el saldo no se ha actualizado tras 30 minutos,
pide el número de pedido del recibo y revisa el registro de transacciones. Las Monedas pagadas se acreditan
manualmente en 2 días hábiles.
""",
    locale="es",
    translation_of="recharge-coins-not-credited",
)

TAX = article_text(
    "payout-tax-forms",
    "Tax information for creator rewards",
    "creator_payout",
    """
## Summary
Creators must give tax information before they can withdraw rewards.

## Policy
Creators outside the United States submit form W-8BEN; US creators submit form W-9. Until a valid form is on
file, withdrawals stay on hold. Tax withholding follows the treaty rate the creator claims on the form.

## What the specialist may promise
- That withdrawals resume once a valid form is accepted.
""",
)

HACKED = article_text(
    "account-hacked-recovery",
    "Recovering a hacked account",
    "account_access",
    """
## Summary
Someone else took control of the account: the password, email or phone number was changed without permission.

## Policy
Lock the account, then verify ownership with earlier contact details, devices and past purchases. Verification
takes 3 to 5 business days. Never ask for the user's password or one-time codes.
""",
)

GIFT = article_text(
    "gift-sent-to-wrong-live",
    "A gift sent to the wrong LIVE",
    "gift_transaction",
    """
## Summary
A viewer sent a Gift to a different creator's LIVE than intended.

## Policy
Gifts are final once delivered to a LIVE; they cannot be moved to another creator. Coins are not returned for
gifts sent by mistake.
""",
)

RESTRICTION = article_text(
    "live-restrictions-appeals",
    "LIVE suspensions and appeals",
    "account_restriction",
    """
## Summary
A creator's ability to go LIVE was suspended after a guideline violation.

## Policy
Creators can appeal a LIVE suspension once, within 30 days, from the notification in the app. Appeals are
reviewed by a different moderator within 7 days. The suspension stays in place during the appeal.
""",
)

WITHDRAWAL = article_text(
    "payout-withdrawal-methods",
    "Withdrawing creator rewards",
    "creator_payout",
    """
## Summary
Creators convert Diamonds into rewards and withdraw them to PayPal or a bank account.

## Policy
Withdrawals are processed within 3 business days; bank transfers can take up to 7 more days to arrive. A
withdrawal that is stuck or pending longer than 10 business days is checked by the payouts team.
""",
)

ALL_SAMPLES = {
    "recharge-coins-not-credited": COINS,
    "recharge-coins-not-credited.es": COINS_ES,
    "payout-tax-forms": TAX,
    "account-hacked-recovery": HACKED,
    "gift-sent-to-wrong-live": GIFT,
    "live-restrictions-appeals": RESTRICTION,
    "payout-withdrawal-methods": WITHDRAWAL,
}


def write_samples(directory: Path, texts: dict[str, str] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for article_id, text in (texts or ALL_SAMPLES).items():
        (directory / f"{article_id}.md").write_text(text, encoding="utf-8")
    return directory
