"""Human-friendly, unguessable submission references with a check character.

Nine characters from a 30-letter alphabet without look-alikes (no 0/O, 1/I/L, U), shown as three groups of
three, for example ``7KQ-M9T-X4R``. Eight characters are random (30**8, about 6.6e11 combinations); the ninth is
a Luhn mod N check character, which catches every single mistyped character and almost every swap of two
neighbouring characters.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_N = len(ALPHABET)
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
RANDOM_LENGTH = 8


def check_character(body: str) -> str:
    """Luhn mod N over the body (right to left, doubling every second from the right-most)."""
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        addend = addend // _N + addend % _N
        total += addend
    return ALPHABET[(_N - total % _N) % _N]


def generate_reference(randbelow=secrets.randbelow) -> str:
    body = "".join(ALPHABET[randbelow(_N)] for _ in range(RANDOM_LENGTH))
    return format_reference(body + check_character(body))


def format_reference(compact: str) -> str:
    return "-".join(compact[i : i + 3] for i in range(0, len(compact), 3))


def normalise_reference(text: str) -> str | None:
    """Return the canonical form of a typed reference, or None if it is not a valid one."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(compact) != RANDOM_LENGTH + 1 or any(ch not in _INDEX for ch in compact):
        return None
    if check_character(compact[:-1]) != compact[-1]:
        return None
    return format_reference(compact)
