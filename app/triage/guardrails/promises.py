"""No promise of a refund, compensation, reinstatement or timeline unless a cited article allows it.

Articles say what a specialist may and must never promise ("What the specialist may promise", "What must never
be promised") and give approved reply wording ("Reply guidance"). A draft sentence is a *promise* when it
commits (``will``, ``we'll``, ``guarantee``) or announces a decision (``your refund has been approved``) about one
of the kinds below, and is not negated ("we can't refund spent Coins" is policy, not a promise).

The rules, per promise:

- an announced decision ("refund approved", "your ban has been lifted") is never the draft's to make, unless
  the cited article's approved wording says exactly that;
- a timeline ("within 24 hours", "by Friday") must quote a duration that a cited article states;
- an unconditional commitment of a kind that a cited article lists under "must never be promised" is blocked
  (the bullet is quoted), and otherwise needs an allowance of the same kind — a "may promise" bullet or a
  sentence of approved reply wording;
- a conditional commitment ("if we confirm the duplicate, it is refunded") needs such an allowance.

It is lexical on purpose: it runs on every draft in microseconds, is explainable in one finding, and errs
towards asking the specialist to look — a blocked draft costs an edit, a wrong promise costs money and trust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.llm.schemas import RetrievedArticle
from app.triage.guardrails.findings import Finding, clip
from app.triage.guardrails.text import sentences

_RX = re.IGNORECASE

KINDS: dict[str, re.Pattern[str]] = {
    "refund": re.compile(
        r"\b(?:refund\w*|reimburs\w*|reembols\w*|money back|(?:coins|money|funds) (?:back|returned)|"
        r"return (?:the|your|those) (?:coins|money|funds)|give (?:you )?(?:your )?(?:coins|money) back|"
        r"revers\w* (?:the|your) (?:charge|payment|purchase)|"
        # es/pt: "le devolveremos el dinero", "devolver suas moedas"
        r"devolv\w* (?:el|su|tu|sus|tus|las|os|as|seu|sua|seus|suas) (?:dinero|monedas|moedas|pago|compra)|"
        r"devolu[cç][aã]o do (?:dinheiro|pagamento))\b",
        _RX,
    ),
    "compensation": re.compile(
        r"\b(?:compensat\w*|compensa[cç]\w*|compensar\w*|monedas gratis|moedas gr[aá]tis|bonifica\w*|goodwill|"
        r"free (?:coins|gifts?|diamonds)|bonus (?:coins|diamonds|gifts?)|"
        r"extra (?:coins|gifts?|diamonds)|make it up to you|on the house|credit (?:you|your (?:account|balance))|"
        r"\$\s?\d[\d,.]*\s+(?:credit|credited|added)|"
        r"(?:coins|diamonds) (?:as a|for the) (?:gift|gesture|inconvenience))",
        _RX,
    ),
    "reinstatement": re.compile(
        r"\b(?:unban\w*|lift\w* (?:the|your|this) (?:ban|restriction|suspension|block|lock)|"
        r"(?:ban|restriction|suspension|block) (?:is|has been|will be|was|'s been|gets?) (?:lifted|removed|reversed)|"
        r"restor\w* (?:your|the|this) (?:account|access|profile|live)|reinstat\w*|reactivat\w*|"
        r"(?:account|profile|access) (?:is|has been|will be|was|'s been|gets?) (?:restored|recovered|unlocked|"
        r"unbanned|reinstated|reactivated|back)|get (?:your|the) account back|recover (?:your|the) account|"
        # es/pt: "levantaremos la suspensión", "su cuenta será restablecida", "vamos desbanir"
        r"desbane\w*|desbani\w*|desbloque\w*|levant\w* (?:la|el|tu|su|o|a) (?:suspensi[oó]n|bloqueo|baneo|"
        r"restricci[oó]n|suspens[aã]o|banimento)|restablec\w*|reactiv\w*|restaur\w* (?:tu|su|sua|seu) (?:cuenta|conta)|"
        r"recuper\w* (?:tu|su|sua|seu) (?:cuenta|conta))",
        _RX,
    ),
    "payout": re.compile(
        r"\b(?:release\w* (?:your|the) (?:payout|withdrawal|rewards?|earnings|funds)|"
        r"(?:payout|withdrawal|rewards?|earnings|funds) (?:is|are|will be|has been|have been) (?:released|paid|sent))",
        _RX,
    ),
    "guarantee": re.compile(
        r"\b(?:i|we) (?:promise|guarantee)\b|\bguarantee[ds]?\b|\b100% (?:sure|certain)\b"
        r"|\bgarantiz\w*|\bgarant(?:imos|o|ido|ida)\b|\bprometemos\b|\bprometo\b",
        _RX,
    ),
}

_DECISION = re.compile(
    r"\b(?:refund|withdrawal|payout|appeal|request|claim|dispute|chargeback|unban|compensation|reimbursement|"
    r"reversal)s?\s+(?:is |are |was |were |has been |have been |got |been )?(?:approved|accepted|granted|confirmed|"
    r"released)\b"
    r"|\b(?:ban|restriction|suspension|block|lock|strike)s?\s+(?:is|are|was|were|has been|have been)\s+(?:lifted|"
    r"removed|reversed|cancell?ed)\b"
    r"|\b(?:has|have|'s|'ve) been (?:refunded|credited|reimbursed|restored|reinstated|unbanned|lifted|reversed|"
    r"compensated)\b"
    r"|\b(?:we|i)(?:'ve| have) (?:refunded|credited|reimbursed|restored|reinstated|unbanned|lifted|reversed|"
    r"approved|issued (?:a|the|your) refund)\b"
    r"|\$\s?\d[\d,.]*\s+(?:has been |was |is )?(?:credited|refunded|added)\b"
    # es/pt: "reembolso aprobado", "su retiro ha sido aprobado", "ya le hemos reembolsado", "o banimento foi removido"
    r"|\b(?:reembolso|retiro|saque|pago|apelaci[oó]n|apela[cç][aã]o|solicitud|solicita[cç][aã]o)\s+(?:ha sido |fue |"
    r"est[aá] |foi |est[aá] sendo )?(?:aprobad[oa]|aprovad[oa]|aceptad[oa]|aceit[oa])\b"
    r"|\b(?:suspensi[oó]n|bloqueo|baneo|restricci[oó]n|suspens[aã]o|banimento|bloqueio)\s+(?:ha sido|fue|foi)\s+"
    r"(?:levantad[oa]|retirad[oa]|removid[oa]|eliminad[oa])\b"
    r"|\b(?:ya )?(?:te|le|les|lhe)\s+(?:hemos|he)\s+(?:reembolsado|devuelto|acreditado|compensado)\b",
    _RX,
)
_COMMIT = re.compile(
    r"\b(?:will|shall|going to|gonna|promise|guarantee\w*|make sure|ensure)\b|'ll\b|\bwe can (?:refund|credit|"
    r"restore|unban|lift|compensate)|\b(?:you(?:'ll| will)? (?:get|receive|have|see)|you(?:'ve| have) been given|"
    r"(?:we|i)(?:'ve| have) added)\b"
    # es/pt futures and "vamos a/vou" + infinitive: "le reembolsaremos", "recibirá", "vamos reembolsar"
    r"|\b\w+(?:aremos|eremos|iremos|ará|erá|irá|arán|erán|irán)\b|\b(?:vamos|voy|va|van) a \w+(?:ar|er|ir)\b"
    r"|\b(?:vamos|vou|vai|v[aã]o|iremos) \w+(?:ar|er|ir)\b|\bser[aá] \w+(?:ado|ido|ada|ida)\b",
    _RX,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|won't|isn't|aren't|don't|doesn't|unable|nor|without|neither|"
    r"no longer|only apple|only google|only the store|can only be|nunca|jam[aá]s|n[aã]o|nao|nem|sin|sem|"
    r"solo apple|s[oó] a apple|solo google|s[oó] o google)\b|n't\b",
    _RX,
)
_CONDITION = re.compile(
    r"\b(?:if|once|when|whether|after|as soon as|provided|assuming|in case|unless|depending|should (?:we|the|it|"
    r"your|our))\b|\bsi\b|\bcuando\b|\buna vez\b|\ben cuanto\b|\bsiempre que\b|\bcaso\b|\bquando\b|"
    r"\bassim que\b|\bdesde que\b|\buma vez\b|\bse (?:a|o|for|voc[eê]|confirmarmos|tiver|houver)\b",
    _RX,
)
_NUMBER_WORDS = {
    "a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "fourteen": "14", "thirty": "30",
    "twenty-four": "24", "a couple of": "2", "a few": "few", "few": "few", "couple of": "2",
}  # fmt: skip
_DURATION = re.compile(
    r"\b(\d+(?:\s*(?:-|–|to)\s*\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty|"
    r"twenty-four|a couple of|a few|few)\s+(?:more\s+)?(?:business\s+|working\s+|calendar\s+)?"
    r"(minute|hour|day|week|month|día|dia|hora|semana)s?\b(?!\s+ago)",
    _RX,
)
_DEADLINE = re.compile(
    r"\b(?:by|before|until) (?:tomorrow|tonight|(?:this |next )?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|the end of (?:the |this )?(?:day|week|month))\b|\b(?:today|tomorrow|right away|immediately|"
    r"instantly|straight away|in no time)\b"
    r"|\b(?:hoy|mañana|hoje|amanhã|de inmediato|inmediatamente|imediatamente|en seguida|enseguida|agora mesmo)\b",
    _RX,
)
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|so|because|which|or|whereas|y|pero|mas|porque|e|mientras)\s+", _RX)
_UNIT = {"día": "day", "dia": "day", "hora": "hour", "semana": "week"}


@dataclass(frozen=True)
class _Allowance:
    """What the cited articles allow, pre-digested."""

    units: tuple[str, ...]  # "may promise" bullets and approved reply wording, sentence by sentence
    never: tuple[str, ...]
    durations: frozenset[tuple[str, str]]
    text: str


def check_promises(reply: str, cited: Iterable[RetrievedArticle]) -> list[Finding]:
    """Blocking findings for each promise in ``reply`` that the cited articles do not allow."""
    allowance = _allowance(list(cited))
    findings: list[Finding] = []
    for sentence in sentences(reply):
        finding = _judge(sentence, allowance)
        if finding is not None:
            findings.append(finding)
    return findings


def _allowance(cited: list[RetrievedArticle]) -> _Allowance:
    units: list[str] = []
    never: list[str] = []
    texts: list[str] = []
    for article in cited:
        units += article.may_promise
        units += list(sentences(article.reply_guidance or ""))
        never += article.never_promise
        texts += [article.text, article.reply_guidance or "", *article.may_promise]
    text = "\n".join(texts)
    return _Allowance(tuple(units), tuple(never), frozenset(durations(text)), text.lower())


def durations(text: str) -> set[tuple[str, str]]:
    """(number, unit) pairs: "3–5 business days" gives ("3", "day") and ("5", "day"); "an hour" ("1", "hour")."""
    found: set[tuple[str, str]] = set()
    for match in _DURATION.finditer(text):
        amount, unit = match.group(1).lower(), match.group(2).lower()
        unit = _UNIT.get(unit, unit)
        for number in re.findall(r"\d+", amount) or [_NUMBER_WORDS.get(amount, amount)]:
            found.add((number, unit))
    return found


def _clause_before(sentence: str, end: int) -> str:
    """The clause a match sits in, up to the match: negation and conditions only reach this far."""
    head = sentence[:end]
    cut = max(head.rfind(sep) for sep in (";", ":", " but ", " however", " and we", " and you", " so "))
    return head[cut + 1 :] if cut >= 0 else head


def _judge(sentence: str, allowance: _Allowance) -> Finding | None:
    decision = _DECISION.search(sentence)
    before = _clause_before(sentence, decision.start()) if decision is not None else ""
    negated = bool(_NEGATION.search(before) or _CONDITION.search(before))  # "if your refund is approved" is no claim
    if decision is not None and not negated and decision.group(0).lower() not in allowance.text:
        return Finding(
            "unallowed_promise",
            f"the reply announces a decision (“{decision.group(0)}”) that no cited article lets a draft make: "
            f"“{clip(sentence)}”",
            True,
        )
    timeline = _timeline_problem(sentence, allowance)
    if timeline is not None:
        return timeline
    return _commitment_problem(sentence, allowance)


def _commitment_problem(sentence: str, allowance: _Allowance) -> Finding | None:
    """A clause that commits (``will``, ``guarantee``) to a kind of promise, judged against the allowances."""
    offset = 0
    for clause in _CLAUSE.split(sentence):
        offset = sentence.find(clause, offset)
        commit = _COMMIT.search(clause)
        if commit is None or _NEGATION.search(clause[: commit.start()]):
            continue
        for kind, pattern in KINDS.items():
            match = pattern.search(clause)
            if match is None or _NEGATION.search(clause[: max(match.start(), commit.start())]):
                continue
            conditional = bool(_CONDITION.search(sentence[: offset + match.end()]))
            forbidden = next((b for b in allowance.never if pattern.search(b)), None)
            if forbidden is not None and not conditional:
                return Finding(
                    "unallowed_promise",
                    f"the reply promises a {kind} that a cited article says must never be promised "
                    f"(“{clip(forbidden, 90)}”): “{clip(sentence)}”",
                    True,
                )
            if not any(_allows(pattern, unit) for unit in allowance.units):
                return Finding(
                    "unallowed_promise",
                    f"the reply promises a {kind}, which no cited article allows: “{clip(sentence)}”",
                    True,
                )
    return None


def _allows(pattern: re.Pattern[str], unit: str) -> bool:
    """A "may promise" bullet or approved sentence that speaks of this kind without denying it."""
    match = pattern.search(unit)
    if match is None:
        return False
    clause_start = max((m.end() for m in _CLAUSE.finditer(unit, 0, match.start())), default=0)
    return not _NEGATION.search(unit[clause_start : match.start()])


def _timeline_problem(sentence: str, allowance: _Allowance) -> Finding | None:
    stated = durations(sentence)
    unknown = sorted(d for d in stated if d not in allowance.durations and d[0] != "few")
    deadline = _DEADLINE.search(sentence)
    if deadline is not None and deadline.group(0).lower() not in allowance.text:
        unknown.append((deadline.group(0), ""))
    if not unknown or _NEGATION.search(_clause_before(sentence, len(sentence))):
        return None
    said = ", ".join(f"{n} {u}".strip() for n, u in unknown)
    return Finding(
        "unallowed_promise",
        f"the reply gives a timeline ({said}) that no cited article states: “{clip(sentence)}”",
        True,
    )
