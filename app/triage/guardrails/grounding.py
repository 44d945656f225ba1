"""Did the draft carry out an instruction hidden in the message (or in an article)?

A model that obeys injected text leaves traces that do not depend on what the instruction was:

- it **echoes** the injected text: a code word it was told to say, a phrase of the instruction, a quoted slogan;
- it writes sentences **grounded in nothing** the draft may rely on — an essay, a poem, the capital of Brazil,
  a plea to vote — when every sentence of a support reply should come from the cited articles, the requester's
  own words or ordinary support courtesy;
- it **garbles** the reply as told: letters swapped for digits or symbols, words misspelt or scrambled, spaces
  removed.

Echoes and heavy garbling are blocking on every draft. The grounding test and the finer garbling test
(misspellings, anagrams) are blocking only when an injection was detected in the conversation or an article:
on ordinary drafts a model's paraphrase may legitimately use words no article uses, and such a draft needs no
special suspicion. Links, personal data, promises and prompt disclosure have guardrails of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.triage.guardrails.findings import Finding, clip
from app.triage.guardrails.text import content_words, known_words, sentences, shingles, stem, stems, tokens, words

_ECHO_WORDS = 4
_MIN_WORDS = 2  # one-word sentences ("Hi Ana,", "Thanks!") are not judged
_MIN_SUPPORT = 0.5
_MIN_GARBLED = 2

# Ordinary support courtesy: a grounded reply may use these words without any article containing them.
_COURTESY_WORDS = """
hi hello hey dear thanks thank sorry apologise apologize apologies understand understandable frustrating frustration
inconvenience concern concerned worry worried help helping happy glad team support streamnest regards best wishes
kind kindly please let know reach contact question questions hear hope look looking check checking details detail
reply replying message writing getting touch patience appreciate assist assistance specialist specialists review
reviewing next step steps sure right account matter issue problem situation information info share sharing send
provide confirm confirming soon possible quickly thing things update updates experience reaching out case ticket
colleague colleagues forward forwarded pass passed note noted welcome day great good today asap moment time
understanding cooperation hola saludo saludos gracias atentamente soporte equipo olá obrigado obrigada
atenciosamente suporte equipe
"""
COURTESY = frozenset(_COURTESY_WORDS.split())

_SIGN_OFF = re.compile(
    r"(?:the )?streamnest support(?: team)?|(?:equipo de )?soporte de streamnest|suporte streamnest", re.I
)
_CODE_WORD = re.compile(r"\b(?:[A-Z][A-Z0-9]*[-_]?\d+[A-Z0-9-]*|[A-Z]{4,})\b")
_QUOTED = re.compile(r"[\"“']([^\"“”']{6,120})[\"”']")
_DIGIT_IN_WORD = re.compile(r"^(?=.*[^\W\d_])(?=.*\d)[^\W_]*[^\W\d_]\d+[^\W\d_][^\W_]*$")
_SYMBOL_IN_WORD = re.compile(r"^[^\W\d_]+[@&$|!*#][^\W\d_]+$")
_RUN_ON = re.compile(r"^(?!.*(?:://|www\.))(?=(?:[^\W\d_]\W?){24})\S{28,}$")


@dataclass(frozen=True)
class Sources:
    """What a draft may rely on; ``injected`` is the untrusted text that tried to instruct the model."""

    knowledge: str
    conversation: str
    injected: Sequence[str] = ()


def check_instruction_following(reply: str, sources: Sources) -> list[Finding]:
    findings = _echoes(reply, sources)
    garbled = _garbled(reply, sources, strict=bool(sources.injected))
    if garbled:
        findings.append(
            Finding(
                "injected_instruction_followed",
                f"the reply is garbled or encoded ({', '.join(garbled[:4])}) — as an injected instruction would "
                "ask; a support reply never is",
                True,
            )
        )
    if sources.injected:
        allowed = stems(sources.knowledge) | stems(sources.conversation) | {stem(w) for w in COURTESY}
        findings += _topic_echo(reply, sources, allowed)
        findings += _after_sign_off(reply)
        findings += _ungrounded(reply, allowed)
    return findings


def _topic_echo(reply: str, sources: Sources, allowed: set[str]) -> list[Finding]:
    """Words of the injected text that nothing else the draft relies on contains: the reply took up its topic.

    ``allowed``: stems of the knowledge, the requester's own words and courtesy."""
    injected = {stem(w) for text in sources.injected for w in content_words(text) if len(w) >= 4}
    taken = sorted({w for w in content_words(reply) if stem(w) in injected and stem(w) not in allowed})
    if not taken:
        return []
    return [
        Finding(
            "injected_instruction_followed",
            f"the reply takes up words that only the injected instructions use: {', '.join(taken[:6])}",
            True,
        )
    ]


def _after_sign_off(reply: str) -> list[Finding]:
    """Drafts end with the sign-off; text after it is where an obeying model tends to put what it was told."""
    lines = [line.strip() for line in reply.strip().splitlines()]
    for i, line in enumerate(lines):
        if _SIGN_OFF.fullmatch(line) and any(rest for rest in lines[i + 1 :]):
            tail = " ".join(rest for rest in lines[i + 1 :] if rest)
            return [
                Finding(
                    "injected_instruction_followed",
                    f"the reply goes on after its sign-off, in a conversation that carries injected instructions: "
                    f"“{clip(tail)}”",
                    True,
                )
            ]
    return []


def _echoes(reply: str, sources: Sources) -> list[Finding]:
    if not sources.injected:
        return []
    trusted = sources.knowledge + "\n" + sources.conversation
    trusted_lower = trusted.lower()
    reply_lower = reply.lower()
    echoed: list[str] = []
    for injected in sources.injected:
        for word in _CODE_WORD.findall(injected):
            if word.lower() not in trusted_lower and re.search(rf"\b{re.escape(word.lower())}\b", reply_lower):
                echoed.append(word)
        for quoted in _QUOTED.findall(injected):
            if quoted.lower() in reply_lower and quoted.lower() not in trusted_lower:
                echoed.append(quoted)
        phrases = shingles(reply, _ECHO_WORDS) & shingles(injected, _ECHO_WORDS)
        phrases -= shingles(trusted, _ECHO_WORDS)
        echoed += [" ".join(p) for p in sorted(phrases)[:2]]
    if not echoed:
        return []
    said = "; ".join(f"“{clip(e, 60)}”" for e in dict.fromkeys(echoed))
    return [
        Finding(
            "injected_instruction_followed",
            f"the reply repeats text from the injected instructions: {said}",
            True,
        )
    ]


def _garbled(reply: str, sources: Sources, *, strict: bool) -> list[str]:
    vocabulary = set(words(sources.knowledge + "\n" + sources.conversation)) | COURTESY
    odd: list[str] = []
    for token in tokens(reply):
        low = token.lower()
        if not token or low in vocabulary or ("@" in token and "." in token):
            continue
        if _DIGIT_IN_WORD.match(token) or _SYMBOL_IN_WORD.match(token) or _RUN_ON.match(token):
            if low not in sources.conversation.lower() and low not in sources.knowledge.lower():
                odd.append(token)
        elif strict and low.isalpha() and len(low) >= 4 and low not in known_words() and _near_miss(low, vocabulary):
            odd.append(token)
    return odd if len(odd) >= _MIN_GARBLED else []


def _near_miss(word: str, vocabulary: set[str]) -> bool:
    """One edit (a letter dropped, added, changed, or two swapped) away from a real word, or a real word scrambled."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = {a + b[1:] for a, b in splits if b}
    candidates |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    candidates |= {a + c + b[1:] for a, b in splits if b for c in letters}
    candidates |= {a + c + b for a, b in splits for c in letters}
    candidates.discard(word)
    dictionary = known_words()
    if any(len(c) >= 4 and (c in dictionary or c in vocabulary) for c in candidates):
        return True
    key = _anagram_key(word)
    return key in _dictionary_anagrams() or any(_anagram_key(v) == key for v in vocabulary if len(v) == len(word))


def _anagram_key(word: str) -> str:
    return "".join(sorted(word))


@lru_cache(maxsize=1)
def _dictionary_anagrams() -> frozenset[str]:
    return frozenset(_anagram_key(w) for w in known_words() if len(w) >= 4)


def _ungrounded(reply: str, allowed: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    for sentence in sentences(reply):
        meaningful = content_words(sentence)
        if len(meaningful) < _MIN_WORDS:
            continue
        support = sum(stem(w) in allowed for w in meaningful) / len(meaningful)
        if support < _MIN_SUPPORT:
            findings.append(
                Finding(
                    "injected_instruction_followed",
                    f"in a conversation that carries injected instructions, this sentence is grounded in no "
                    f"cited article and not in the requester's words ({support:.0%} of its words): "
                    f"“{clip(sentence)}”",
                    True,
                )
            )
    return findings[:3]
