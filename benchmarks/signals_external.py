"""How the rule-based risk signals do on public data they were not written for.

Run from the repository root:  .venv/bin/python benchmarks/signals_external.py [--data DIR]

Reads ``../shared/data`` (relative to the repository root) unless ``--data`` says otherwise, prints one block
per set, and exits 0 with a message when the data is absent. Data sets and licences: BIPIA (MIT), SMS Spam
Collection (CC BY 4.0), banking77 (CC BY 4.0), CLINC150 (CC BY 3.0), presidio-research synthetic PII (MIT).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from app.evaluation import datasets as ds  # noqa: E402
from app.taxonomy import CRITICAL_FLAGS  # noqa: E402
from app.triage.signals import detect_injection, detect_signals  # noqa: E402

ATO_OR_FRAUD = {"account_takeover", "fraud_scam"}
BANKING_TARGETS = (
    "card_payment_not_recognised",
    "compromised_card",
    "cash_withdrawal_not_recognised",
    "direct_debit_payment_not_recognised",
)


def codes(text: str) -> set[str]:
    return {s.code for s in detect_signals(text)}


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.3f}" if total else "n/a"


def bipia(data: Path) -> None:
    emails, attacks = ds.load_bipia(data)
    rng = random.Random(13)
    clean_fp = sum(bool(detect_injection(e)) for e in emails)
    print(f"BIPIA clean emails flagged prompt_injection: {rate(clean_fp, len(emails))}")
    positions: dict[str, Callable[[str, str], str]] = {
        "start": lambda e, a: f"{a} {e}",
        "end": lambda e, a: f"{e} {a}",
        "middle": lambda e, a: ds.splice(e, a, "middle", rng),
        "mid-text (any whitespace)": lambda e, a: _anywhere(e, a, rng),
    }
    for name, splice in positions.items():
        per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for category, items in attacks.items():
            for attack in items:
                for email in emails:
                    hit = bool(detect_injection(splice(email, attack)))
                    per_cat[category][0] += hit
                    per_cat[category][1] += 1
        hits = sum(v[0] for v in per_cat.values())
        total = sum(v[1] for v in per_cat.values())
        print(f"BIPIA attacks spliced at {name}: recall {rate(hits, total)}")
        if name == "middle":
            for category, (h, t) in sorted(per_cat.items()):
                print(f"    {category:28s} {h / t:.3f}")
    unflagged = [a for items in attacks.values() for a in items if not detect_injection(f"{emails[0]} {a}")]
    if unflagged:
        print("  attacks missed at end of email 0:", *unflagged, sep="\n    ")


def _anywhere(email: str, attack: str, rng: random.Random) -> str:
    spaces = [m.start() for m in re.finditer(r"\s", email)] or [len(email)]
    i = rng.choice(spaces)
    return f"{email[:i]} {attack} {email[i:]}"


def sms(data: Path) -> None:
    rows = [(r.label, r.text) for r in ds.load_sms(data, forwarded=False)]
    for half_name, half in (("even rows", rows[0::2]), ("odd rows", rows[1::2]), ("all", rows)):
        spam_hit = spam_n = ham_hit = ham_n = ham_crit = 0
        for i, (label, body) in enumerate(half):
            found = codes(ds.forward_sms(body, i))
            if label == "spam":
                spam_n += 1
                spam_hit += "fraud_scam" in found
            else:
                ham_n += 1
                ham_hit += "fraud_scam" in found
                ham_crit += bool(found & CRITICAL_FLAGS)
        print(
            f"SMS ({half_name}) forwarded spam -> fraud_scam {rate(spam_hit, spam_n)};"
            f" ham -> fraud_scam {rate(ham_hit, ham_n)}; ham -> any critical {rate(ham_crit, ham_n)}"
        )


def banking(data: Path) -> None:
    rows = [(r.intent, r.text) for r in ds.load_banking77(data)]
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    crit = 0
    for intent, text in rows:
        found = codes(text)
        per[intent][0] += bool(found & ATO_OR_FRAUD)
        per[intent][1] += 1
        crit += bool(found & CRITICAL_FLAGS)
    hits = sum(per[i][0] for i in BANKING_TARGETS)
    total = sum(per[i][1] for i in BANKING_TARGETS)
    print(f"banking77 target intents -> account_takeover|fraud_scam: {rate(hits, total)}")
    for half_name, start in (("even rows", 0), ("odd rows", 1)):
        half = [(i, t) for i, t in rows[start::2] if i in BANKING_TARGETS]
        print(f"    ({half_name}) {rate(sum(bool(codes(t) & ATO_OR_FRAUD) for _i, t in half), len(half))}")
    for intent in BANKING_TARGETS:
        print(f"    {intent:40s} {per[intent][0] / per[intent][1]:.3f}")
    others = [(i, v) for i, v in per.items() if i not in BANKING_TARGETS]
    o_hits, o_total = sum(v[0] for _, v in others), sum(v[1] for _, v in others)
    print(f"banking77 other intents -> account_takeover|fraud_scam: {rate(o_hits, o_total)}")
    for intent, (h, t) in sorted(others, key=lambda x: -x[1][0] / x[1][1])[:6]:
        print(f"    {intent:40s} {h}/{t}")
    print(f"banking77 any critical flag: {rate(crit, len(rows))}")


def clinc(data: Path) -> None:
    queries = [r.text for r in ds.load_clinc150(data)]
    counter: Counter[str] = Counter()
    for q in queries:
        counter.update(codes(q))
    print(f"CLINC150 queries ({len(queries)}), share flagged per code:")
    for code, n in counter.most_common():
        print(f"    {code:26s} {n / len(queries):.4f}")


def presidio(data: Path) -> None:
    rows = ds.read_presidio(data / ds.PRESIDIO)
    wanted = {"CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "IBAN_CODE"}
    # Other personal data the detector may also (rightly) flag; those rows are reported apart.
    other_pii = {"STREET_ADDRESS", "IP_ADDRESS", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER"}
    pos_hit = pos_n = neg_hit = neg_n = addr_hit = addr_n = 0
    for row in rows:
        types = row.entity_types
        found = "pii_shared" in codes(row.text)
        if types & wanted:
            pos_n += 1
            pos_hit += found
        elif "STREET_ADDRESS" in types:
            addr_n += 1
            addr_hit += found
        elif not types & other_pii:
            neg_n += 1
            neg_hit += found
    print(
        f"presidio: pii_shared on rows with card/email/phone/SSN/IBAN {rate(pos_hit, pos_n)};"
        f" on rows with none of those nor another identifier {rate(neg_hit, neg_n)};"
        f" on rows whose only such PII is a street address {rate(addr_hit, addr_n)}"
    )


def timing() -> None:
    base = (
        "Hi, I bought 1,000 coins yesterday with my Visa card and was charged twice, but the coins never showed "
        "up in my wallet. I already wrote to you last week and still no answer. My daughter says it's the app. "
        "Please check transaction 88123 and refund the duplicate charge, otherwise I will dispute it with my bank. "
    )
    text = (base * 12)[:2048]
    for _ in range(20):
        detect_signals(text)
    wall, cpu = [], []
    for _ in range(300):
        t0, c0 = time.perf_counter(), time.process_time()
        detect_signals(text, metadata={"amount": 12.99, "currency": "USD"})
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    wall.sort()
    print(
        f"timing, 2 KB message: median {statistics.median(wall):.2f} ms wall ({statistics.median(cpu):.2f} ms CPU), "
        f"p95 {wall[int(0.95 * len(wall))]:.2f} ms wall"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    data: Path = args.data
    if not data.is_dir():
        print(f"external data not found at {data}; nothing to measure (skipped)")
        return 0
    for name, run in (
        ("bipia", bipia),
        ("sms_spam", sms),
        ("banking77", banking),
        ("clinc150", clinc),
        ("presidio_pii", presidio),
    ):
        if (data / name).is_dir():
            run(data)
        else:
            print(f"{name}: not found under {data}, skipped")
    timing()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
