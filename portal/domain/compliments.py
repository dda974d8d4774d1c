"""Compliment rules: the duplicate fingerprint, who is told, and what may be shown on the wall. Pure functions."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from portal.domain import DomainError

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


class ComplimentError(DomainError):
    """A broken compliment rule, naming the form field it concerns."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_words(words: str) -> str:
    """Lower-case, accents folded, punctuation and repeated spaces removed: 'Thank you!!' == 'thank  you'."""
    folded = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def compliment_fingerprint(received_on: date, team_id: int | None, words: str) -> str:
    """SHA-256 of the received date, the team and the normalised words (64 hex characters)."""
    key = f"{received_on.isoformat()}|{team_id if team_id is not None else '-'}|{normalise_words(words)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def notification_recipients(
    *,
    consent_pass_on: bool | None,
    named_staff_email: str | None,
    team_manager_emails: Iterable[str | None] = (),
) -> list[str]:
    """Who is told about a compliment: nobody unless the author agreed to it being passed on (an unanswered
    question is not consent); otherwise the named worker and the managers of the team concerned and of the named
    worker's teams, each once."""
    if consent_pass_on is not True:
        return []
    recipients: list[str] = []
    seen: set[str] = set()
    for email in (named_staff_email, *team_manager_emails):
        if email and email.strip() and email.strip().lower() not in seen:
            seen.add(email.strip().lower())
            recipients.append(email.strip())
    return recipients


def may_show_on_wall(*, internal: bool | None, consent_anonymous_use: bool | None) -> bool:
    """The wall shows external compliments whose author agreed to anonymous use, and nothing else."""
    return internal is False and consent_anonymous_use is True


def check_compliment(
    *,
    received_on: date,
    today: date,
    words: str | None,
    team_id: int | None,
    staff_named: str | None,
    staff_user_id: int | None,
    service_area_id: int | None = None,
    require_subject: bool = False,
) -> None:
    """A compliment needs its words and a received date that is not in the future. When staff record one
    (`require_subject`), it must also say who it is about: a team, a service area or a member of staff."""
    if received_on > today:
        raise ComplimentError("The date the compliment was received must be today or in the past", "received_on")
    if not (words or "").strip():
        raise ComplimentError("Enter the words of the compliment", "words")
    if require_subject and not (
        team_id is not None or service_area_id is not None or (staff_named or "").strip() or staff_user_id is not None
    ):
        raise ComplimentError(
            "Select the team or service area, or name the member of staff the compliment is about", "team"
        )


def months_ago(today: date, months: int) -> date:
    """The same day `months` calendar months before today (clamped to the month's last day)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
