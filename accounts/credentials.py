"""Usernames and first passwords for children who have no e-mail address, and hashing them.

No database: the caller checks a proposed username against the table and stores the hashes.
"""

import secrets
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import make_password

# Short, friendly, unambiguous words an eight-year-old can read and type. Our own list.
WORDS = (
    "acorn apple badger banjo beach berry bison brook cactus canoe cedar cello cherry cloud "
    "clover comet coral cricket daisy delta dolphin dragon eagle ember falcon fern fiddle finch "
    "forest fox garden gecko ginger glacier goose grape harbor hazel heron honey island jelly "
    "kayak kettle kite koala lemon lilac lily llama lotus mango maple meadow melon moose "
    "nectar nutmeg ocean olive orbit otter owl panda peach pebble pepper piano pickle pine "
    "planet plum pony puffin quail rabbit radish raven reef river robin rocket sage salmon "
    "sparrow spruce squash star tiger tulip turtle violet walnut whale willow yak zebra"
).split()


def propose_password() -> str:
    """Two words and two digits, e.g. ``otter-maple-42``: easy to read off a card, hard to guess.

    About 97 × 96 × 90 ≈ 840,000 combinations; sign-in throttling per username does the rest.
    """
    first, second = secrets.choice(WORDS), secrets.choice(WORDS)
    while second == first:
        second = secrets.choice(WORDS)
    return f"{first}-{second}-{secrets.randbelow(90) + 10}"


def _ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def username_base(first_name: str, last_name: str) -> str:
    """``Zoë`` ``Núñez`` becomes ``zoe.n``; a name with no Latin letters becomes ``student``."""
    first = _ascii_letters(first_name)[:20]
    initial = _ascii_letters(last_name)[:1]
    if not first:
        return "student"
    return f"{first}.{initial}" if initial else first


def username_candidates(base: str):
    """``maya.r``, ``maya.r2``, ``maya.r3``, … for the caller to try in order."""
    yield base
    n = 2
    while True:
        yield f"{base}{n}"
        n += 1


def hash_passwords(passwords: list[str]) -> list[str]:
    """Hash several passwords at once, one per core.

    A password costs about half a second to hash (that cost is what protects it), so a class
    of thirty would take fifteen seconds one after another; hashlib releases the GIL.
    """
    if len(passwords) <= 1:
        return [make_password(p) for p in passwords]
    with ThreadPoolExecutor() as pool:
        return list(pool.map(make_password, passwords))
