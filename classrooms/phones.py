"""Telephone numbers as people write them, checked loosely and turned into a ``tel:`` link.

A visiting family's number is typed by a teacher from whatever the family said or wrote: "+1 555 0100",
"(555) 010-0199 ext 2", "555.010.0199". Heard keeps it as typed (that is how the instructor reads it
out) and refuses only what cannot be a number to dial:

- the characters of a written number: digits, spaces, one leading "+", brackets, dashes, dots and
  slashes; then, optionally, an extension: "ext", "ext.", "extension", "x" or "#" and 1 to 6 digits;
- 7 to 15 digits before the extension (a local number without its area code is 7; the
  international standard, E.164, allows at most 15);
- at most ``PHONE_MAX_LENGTH`` characters in all.

No country's rules are checked: a family may give a foreign or a mobile number, and a wrong digit is
caught by the first call, not by a pattern.
"""

import re

PHONE_MAX_LENGTH = 40
PHONE_DIGITS = (7, 15)

_PHONE = re.compile(
    r"^(?P<number>\+?[0-9][0-9 ()./-]*?)(?:\s*(?:ext\.?|extension|x|\#)\s*(?P<ext>[0-9]{1,6}))?$",
    re.IGNORECASE,
)


def phone_normalize(text: str) -> str:
    """The number with its spaces collapsed, as it is stored and shown."""
    return " ".join((text or "").split())


def phone_is_valid(text: str) -> bool:
    """True when ``text`` (normalised) is a number someone could dial, by the rules above."""
    if not text or len(text) > PHONE_MAX_LENGTH:
        return False
    # A bracket may open the number: "(555) 010-0199".
    match = _PHONE.match(text[1:] if text.startswith("(") else text)
    if match is None:
        return False
    digits = sum(ch.isdigit() for ch in match["number"])
    return PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]


def phone_uri(text: str) -> str:
    """The ``tel:`` link of a valid number (RFC 3966: digits, a leading "+", ";ext=" for an extension)."""
    match = _PHONE.match(text[1:] if text.startswith("(") else text)
    if match is None:
        return ""
    number = match["number"]
    uri = "tel:" + ("+" if number.startswith("+") else "") + "".join(ch for ch in number if ch.isdigit())
    if match["ext"]:
        uri += ";ext=" + match["ext"]
    return uri
