"""The draft must not disclose the system prompt: neither its per-draft canary nor its wording.

The canary catches a verbatim leak; a paraphrased or partial leak shows up as phrases shared with the prompt
that no article contains, or as the model talking about its own instructions.
"""

from __future__ import annotations

import re

from app.triage.guardrails.findings import Finding, clip
from app.triage.guardrails.text import sentences, shingles

_PHRASE_WORDS = 6
_SELF_TALK = re.compile(
    r"\b(?:system prompt|(?:my|hidden|initial|original|secret) (?:instructions|rules|prompt)|"
    r"i (?:was|am|have been|'ve been) (?:instructed|programmed|told|configured) to|"
    r"as an ai\b|as a language model|developer mode|jailbreak|dan mode|confidential marker|"
    r"(?:admin|your|the|new) password (?:is|was|has been (?:reset|changed|set) to)\b)",
    re.IGNORECASE,
)


def check_canary(reply: str, canary: str | None) -> list[Finding]:
    if canary and canary in reply:
        return [Finding("prompt_leak", "the reply contains the system prompt canary", True)]
    return []


def check_prompt_disclosure(reply: str, system_prompt: str, knowledge_text: str) -> list[Finding]:
    """Phrases of the system prompt in the reply (unless an article says the same), and talk about instructions."""
    findings: list[Finding] = []
    if system_prompt:
        leaked = shingles(reply, _PHRASE_WORDS) & shingles(system_prompt, _PHRASE_WORDS)
        leaked -= shingles(knowledge_text, _PHRASE_WORDS)
        if leaked:
            phrase = " ".join(sorted(leaked)[0])
            findings.append(Finding("prompt_leak", f"the reply repeats the system prompt: “{phrase}…”", True))
    for sentence in sentences(reply):
        if _SELF_TALK.search(sentence):
            findings.append(
                Finding(
                    "prompt_disclosure",
                    f"the reply talks about the assistant's own instructions: “{clip(sentence)}”",
                    True,
                )
            )
            break
    return findings
