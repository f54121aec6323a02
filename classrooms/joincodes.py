"""Join codes: short, unambiguous, typed by children.

No 0/O, 1/I/L: a code read off a board must not be mistyped. Input ignores case, spaces and
dashes, so ``k7p 4qx`` and ``K7P-4QX`` are the same code.
"""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def display(code: str) -> str:
    """``K7P4QX`` is shown as ``K7P-4QX``: two halves are easier to copy."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
