"""Training rows from the public sets in ``../shared/data`` (when present): real text nobody here wrote.

The shipped corpus is support messages, half of them about risk; real traffic is mostly ordinary. Trained on the
corpus alone, the model called 40% of casual SMS and 14% of generic assistant queries critical. These rows teach
what each set can truthfully say, and nothing else (``teaches_only``):

- banking77 and CLINC150 queries, SMS ham: *not* self-harm, violence, a minor at risk or extortion;
- SMS ham and spam forwarded to support as users do: spam is ``fraud_scam``, ham is not;
- BIPIA: its attack instructions spliced into its payment e-mails are ``prompt_injection``, the clean e-mails are
  not. Attack *categories* are split by hash, so the test split holds kinds of attack the model never saw.

The files are read where they are, never copied into the repository (their README asks that); each row keeps its
set's name as ``source`` and the licences are in the README. Rows fall into train / dev / test like the corpus.
"""

from __future__ import annotations

import random
from pathlib import Path

from app.evaluation import datasets as ds
from app.taxonomy import CRITICAL_FLAGS
from app.triage.flag_classifier import message_windows
from app.triage.flag_corpus import FlagExample

NOT_CRITICAL = frozenset(CRITICAL_FLAGS)
UNAUTHORISED = frozenset(
    {
        "card_payment_not_recognised",
        "compromised_card",
        "cash_withdrawal_not_recognised",
        "direct_debit_payment_not_recognised",
    }
)


def _sample(texts: list[str], size: int, seed: int) -> list[str]:
    unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    if len(unique) <= size:
        return unique
    return random.Random(seed).sample(unique, size)


def public_rows(
    data_dir: Path, per_set: int = 1500, seed: int = 7, hosts: list[str] | None = None
) -> list[FlagExample]:
    """Rows from every public set found under ``data_dir``; an absent set is skipped.

    ``hosts``: ordinary support messages (the corpus's) that BIPIA attacks are also spliced into, so the model
    learns the attack and not the shape of BIPIA's e-mails.
    """
    rows: list[FlagExample] = []

    def ordinary(texts: list[str], source: str, extra: frozenset[str] = frozenset()) -> None:
        rows.extend(
            FlagExample(text=t, flags=frozenset(), kind="ordinary", source=source, teaches_only=NOT_CRITICAL | extra)
            for t in texts
        )

    if (data_dir / ds.BANKING77).is_file():
        banking = ds.load_banking77(data_dir)
        ordinary(_sample([r.text for r in banking if r.intent not in UNAUTHORISED], per_set, seed), "public:banking77")
        # Money moved that the requester did not authorise: a fraud report, whatever the product.
        rows.extend(
            FlagExample(
                text=t,
                flags=frozenset({"fraud_scam"}),
                kind="positive",
                source="public:banking77_unauthorised",
                teaches_only=NOT_CRITICAL | {"fraud_scam"},
            )
            for t in _sample([r.text for r in banking if r.intent in UNAUTHORISED], per_set // 3, seed)
        )
    if (data_dir / ds.CLINC150).is_file():
        ordinary(_sample([r.text for r in ds.load_clinc150(data_dir)], per_set, seed), "public:clinc150")
    if (data_dir / ds.SMS).is_file():
        plain = ds.load_sms(data_dir, forwarded=False)
        forwarded = ds.load_sms(data_dir, forwarded=True)
        ordinary(_sample([r.text for r in plain if r.label == "ham"], per_set, seed), "public:sms_ham")
        ordinary(
            _sample([r.text for r in forwarded if r.label == "ham"], per_set // 3, seed + 1),
            "public:sms_ham_forwarded",
            frozenset({"fraud_scam"}),
        )
        rows.extend(
            FlagExample(
                text=t,
                flags=frozenset({"fraud_scam"}),
                kind="positive",
                source="public:sms_spam_forwarded",
                teaches_only=NOT_CRITICAL | {"fraud_scam"},
            )
            for t in _sample([r.text for r in forwarded if r.label == "spam"], per_set // 3, seed + 2)
        )
    if (data_dir / ds.BIPIA_ATTACKS).is_file() and (data_dir / ds.BIPIA_EMAILS).is_file():
        emails, attacks = ds.load_bipia(data_dir)
        rng = random.Random(seed)
        injection = NOT_CRITICAL | {"prompt_injection"}
        # The attack is the signal, not BIPIA's e-mail style: attacks are spliced into the corpus's own support
        # messages (and also stand alone), while the clean e-mails and their two-sentence windows are negatives.
        carriers = hosts or emails
        for category in sorted(attacks):
            for attack in attacks[category]:
                texts = [attack] + [
                    ds.splice(rng.choice(carriers), attack, position, rng) for position in ("start", "middle", "end")
                ]
                rows.extend(
                    FlagExample(
                        text=text,
                        flags=frozenset({"prompt_injection"}),
                        kind="positive",
                        source="public:bipia",
                        teaches_only=injection,
                        group=f"bipia:{category}",
                    )
                    for text in texts
                )
        windows = [w for email in emails for w in message_windows(email)[1:]]
        ordinary(windows, "public:bipia_clean_windows", frozenset({"prompt_injection"}))
        ordinary(emails, "public:bipia_clean", frozenset({"prompt_injection"}))
    return rows
