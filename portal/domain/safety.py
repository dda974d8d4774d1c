"""Safety: words in free text that may mean someone is at risk of harm, and what a young person said about
feeling safe. Pure Python: no Flask, no database, no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A deliberately small rule. It does not decide anything: a match puts the submission on the same-day list
# (safeguarding_flag with the words found as the reason) so a person reads it today. False positives cost a
# few minutes of a complaints officer's time; a missed child at risk costs far more, so the list leans wide.
# Phrases match whole words, case-insensitively, allowing any run of spaces or hyphens between words.

RISK_PHRASES: tuple[str, ...] = (
    "kill myself",
    "killing myself",
    "suicide",
    "suicidal",
    "self harm",
    "self harming",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "want to die",
    "end my life",
    "not safe",
    "unsafe",
    "scared to go home",
    "afraid to go home",
    "hits me",
    "hit me",
    "hitting me",
    "beats me",
    "beat me",
    "kicked me",
    "punched me",
    "hurts me",
    "hurt me",
    "touched me",
    "abuse",
    "abused",
    "abusing",
    "rape",
    "raped",
    "sexual",
    "threatened",
    "threatens",
    "knife",
    "weapon",
    "ran away",
    "run away",
    "running away",
    "going missing",
)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"\b" + r"[\s\-]+".join(words) + r"\b", re.IGNORECASE)


_RISK_PATTERNS = tuple((phrase, _phrase_pattern(phrase)) for phrase in RISK_PHRASES)


def risk_phrases_in(*texts: str | None) -> list[str]:
    """The risk phrases found in any of the texts, in list order, without repeats."""
    found: list[str] = []
    for phrase, pattern in _RISK_PATTERNS:
        if phrase not in found and any(text and pattern.search(text) for text in texts):
            found.append(phrase)
    return found


@dataclass(frozen=True)
class SafetyAssessment:
    feels_unsafe: bool
    flag: bool
    reason: str | None


def assess_safety(*, safe_answer: str | None, texts: tuple[str | None, ...]) -> SafetyAssessment:
    """Flag for same-day attention when a young person says they do not feel safe (or are not sure),
    or when free text contains words that may mean risk of harm."""
    reasons: list[str] = []
    feels_unsafe = safe_answer == "no"
    if feels_unsafe:
        reasons.append("Said they do not feel safe")
    elif safe_answer == "not_sure":
        reasons.append("Said they are not sure they are safe")
    phrases = risk_phrases_in(*texts)
    if phrases:
        reasons.append("Words that may mean risk of harm: " + ", ".join(phrases))
    reason = "; ".join(reasons) or None
    if reason and len(reason) > 300:
        reason = reason[:297] + "..."
    return SafetyAssessment(feels_unsafe=feels_unsafe, flag=bool(reasons), reason=reason)
