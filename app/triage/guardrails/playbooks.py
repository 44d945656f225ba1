"""The critical-flag playbooks (knowledge_base/playbook-*.md) as checks on a reply.

Each playbook has things a reply must never do — they are blocking: the draft cannot be approved and an edit that
does them is refused — and things it must do, reported as findings for the specialist (a missing crisis resource
in a self-harm reply is blocking too: it is the one thing that reply exists for). Lexical and sentence by
sentence, like the promise check: a sentence that says *not* to do the thing ("don't pay them") is advice, not a breach.

- sextortion (``extortion``): never advise paying or complying, never ask for the images, never advise deleting
  the evidence; must say to preserve evidence and point to take-down help.
- self-harm: no judgement, no promise the team cannot keep; must give a crisis resource.
- minors (``minor_safety``): never ask for images of the child or for the child's personal details.
- threats (``violence_threat``): never wave the threat away or advise confronting; must point to emergency
  services for imminent danger.
- law-enforcement requests: support replies disclose nothing about any account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.triage.guardrails.findings import Finding, clip
from app.triage.guardrails.text import sentences

_I = re.IGNORECASE
_ADVICE_AGAINST = re.compile(
    r"\b(?:don'?t|do not|never|stop|avoid|no (?:pague|pagues|pagar)|não pague|nunca|rather than|instead of|"
    r"won'?t|will not|cannot|can'?t|not)\b",
    _I,
)
_NEVER: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "extortion": (
        (
            "advises paying or complying with the extortionist",
            re.compile(
                r"\b(?:pay (?:them|him|her|the (?:amount|money|ransom|demand))|send (?:them|him|her) (?:the )?"
                r"(?:money|gift ?cards?|coins|gifts)|give (?:them|him|her) what (?:they|he|she) want|"
                r"comply with (?:the|their|his|her) demands?|paying (?:is|may be) (?:the )?(?:best|safest|easiest))\b",
                _I,
            ),
        ),
        (
            "asks for the intimate images",
            re.compile(
                r"\b(?:send|share|attach|upload|forward)\s+(?:us|me)?\s*"
                r"(?:the|those|these|a copy of the|copies of the)?\s*(?:intimate\s+)?"
                r"(?:images?|photos?|pictures?|pics|videos?|recordings?|nudes?)\b",
                _I,
            ),
        ),
        (
            "advises deleting the evidence",
            re.compile(
                r"\bdelete (?:the|your|all|those|these) (?:messages?|chats?|conversations?|account|screenshots?)\b", _I
            ),
        ),
    ),
    "self_harm": (
        (
            "judges the person",
            re.compile(
                r"\b(?:selfish|attention[- ]seeking|for attention|overreact\w*|(?:just )?calm down|not a big deal|"
                r"being dramatic|snap out of it|get over it|think of (?:your|the) family)\b",
                _I,
            ),
        ),
        (
            "promises what the team cannot keep",
            re.compile(
                r"\b(?:we(?:'ll| will) keep you safe|(?:we|i) promise|we guarantee|guaranteed|we(?:'ll| will) "
                r"(?:always be|be) (?:here|available) (?:24/7|around the clock|any ?time)|"
                r"(?:we|someone)(?:'ll| will) (?:call|phone|visit) you|everything will be (?:fine|ok|okay))\b",
                _I,
            ),
        ),
    ),
    "minor_safety": (
        (
            "asks for images of the child",
            re.compile(
                r"\b(?:send|share|attach|upload|forward)\s+(?:us|me)?\s*(?:the|those|these|any|some|a|copies of the)?"
                r"\s*(?:images?|photos?|pictures?|pics|videos?|screenshots?|recordings?)\b",
                _I,
            ),
        ),
        (
            "asks for the child's personal details",
            re.compile(
                r"\b(?:what is|what's|tell us|send us|share|give us|provide)\s+(?:the\s+)?(?:child'?s?|kid'?s?|her|his|"
                r"their|the minor'?s?)\s+(?:full\s+)?(?:name|address|school|age|phone|location|date of birth)\b",
                _I,
            ),
        ),
    ),
    "violence_threat": (
        (
            "waves the threat away or advises confronting",
            re.compile(
                r"\b(?:probably (?:just )?(?:a )?joke|just ignore (?:it|them|him|her)|nothing to worry about|"
                r"don'?t worry about it|confront (?:them|him|her)|not (?:a )?(?:real|serious) threat)\b",
                _I,
            ),
        ),
    ),
    "law_enforcement_request": (
        (
            "discloses account information",
            re.compile(
                r"\b(?:registered (?:to|with|under)|the account belongs to|account holder is|"
                r"(?:their|his|her|the user'?s|the account'?s) (?:email|e-mail|phone|ip|address|real name|"
                r"payment (?:details|method)|location) (?:is|was|are)|ip address(?:es)? (?:is|was|were|are|used)|"
                r"last (?:logged|signed) in from)\b",
                _I,
            ),
        ),
    ),
}
_MUST: dict[str, tuple[tuple[str, re.Pattern[str], bool], ...]] = {
    "extortion": (
        (
            "say to keep the evidence (screenshots, keep the messages)",
            re.compile(r"\b(?:screenshots?|keep (?:the|your|all)|save (?:the|your)|evidence|preserv\w*)\b", _I),
            False,
        ),
        (
            "point to take-down help (Take It Down for under-18s, StopNCII for adults, or reporting in the app)",
            re.compile(r"\b(?:take it down|stopncii|take[- ]down|remov\w* (?:the )?(?:images?|photos?|videos?))\b", _I),
            False,
        ),
    ),
    "self_harm": (
        (
            "give a crisis resource (988 in the US, a local crisis line or emergency number)",
            re.compile(
                r"\b(?:988|crisis (?:line|lifeline|text)|samaritans|emergency (?:number|services)|hotline|112|911"
                # Spanish and Portuguese crisis and emergency wording, and the regional lines the template names
                r"|l[ií]nea de (?:crisis|la vida)|emergencias|linha de apoio|emerg[eê]ncia|cvv|024|188|116 123)\b",
                _I,
            ),
            True,
        ),
    ),
    "violence_threat": (
        (
            "point to emergency services for imminent danger",
            re.compile(
                r"\b(?:emergency (?:number|services)|911|999|112|police|local authorities|emergencias|emerg[eê]ncia)\b",
                _I,
            ),
            False,
        ),
    ),
}
LAW_ENFORCEMENT = "law_enforcement_request"
# The KB article of each playbook: cited on a critical case's draft by flag, never retrieved for the requester.
PLAYBOOK_ARTICLES = {
    "extortion": "playbook-sextortion",
    "self_harm": "playbook-self-harm",
    "minor_safety": "playbook-minors",
    "violence_threat": "playbook-threats",
}
PLAYBOOK_PREFIX = "playbook-"
# The policy article on each critical flag's subject, cited with its playbook on the safety template's draft.
TOPIC_ARTICLES = {
    "extortion": "safety-sextortion-and-extortion",
    "self_harm": "safety-self-harm-and-suicide",
    "minor_safety": "safety-underage-users-on-live",
    "violence_threat": "safety-threats-of-violence",
}


def playbook_findings(reply: str, flags: Iterable[str], category: str | None) -> list[Finding]:
    """Findings for every playbook that applies: the case's critical flags, and a law-enforcement request."""
    books = [f for f in sorted(set(flags)) if f in _NEVER]
    if category == LAW_ENFORCEMENT:
        books.append(LAW_ENFORCEMENT)
    findings: list[Finding] = []
    text = list(sentences(reply))
    for book in books:
        for what, pattern in _NEVER.get(book, ()):
            for sentence in text:
                found = pattern.search(sentence)
                if found and not _ADVICE_AGAINST.search(sentence, max(0, found.start() - 40), found.start()):
                    findings.append(
                        Finding(
                            "playbook_breach", f"{book} playbook: the reply {what}: \u201c{clip(sentence)}\u201d", True
                        )
                    )
                    break
        for what, pattern, blocking in _MUST.get(book, ()):
            if not pattern.search(reply):
                findings.append(Finding("playbook_missing", f"{book} playbook: the reply should {what}", blocking))
    return findings
