"""Safety screening of a help request's words: does it go to the school's counselors before any peer sees it?

Pure: no Django, no database, no network, so it can be tested exhaustively and run on the request path
(``bench/screening.py`` prints its time on texts of up to 2,000 characters). The words are data, not code:
``screening_lists/<language>/<category>.txt``, written by Heard for children's writing (no published list
is copied), loaded once per process and then frozen out of the garbage collector's full passes (``gc.freeze``).

A request is **flagged** when an entry of any category's list matches and no benign entry overlaps the
match. Every language's lists are matched against every request: children mix languages ("i wanna
matarme", "my mom me pega"), and one language's entries do not misread another's words.

What is decided here, once:

* **A miss costs more than a false alarm.** A flag sends the words to an adult, who reads them; a miss
  leaves a child who asked for help with a peer. So the lists lean wide, and negation is *not* read:
  "I'm not going to kill myself" is flagged, because a child who writes it has the thought in mind and a
  counselor should see it. Reported speech counts the same way: "my friend says she wants to kill
  herself" is flagged, as is "someone told me to kys".
* **Categories** (``CATEGORIES``): ``self_harm`` (suicide, wanting to die, hurting oneself), ``harm_to_others``
  (violence or threats between people, either way), ``abuse`` (an adult or a family member hurting,
  touching or keeping secrets with a child), ``weapon`` (one brought, carried, shown or threatened),
  ``emergency`` (danger now: followed, trapped, someone trying to get in, call 911) and ``unsafe_home``
  (afraid to go home, left without food or an adult, violence between the adults at home). A request may
  fall in several. ``Screening.categories`` is sorted alphabetically; ``Screening.terms`` holds the list
  entries that matched, as written in the files, each once: word-by-word matches in the order of the text,
  then those found inside run-together words.
* **Identity words never trigger.** No entry contains a word for who someone is (gay, trans, Muslim,
  Black, Mexican, gordo, ...); the tests check the lists for them, and that adding them to ordinary text
  changes nothing. "They'll hurt me because I'm gay" is flagged by "hurt me", never by "gay".
* **Emoji count only beside words.** An emoji is a word of its own and appears only inside entries of two
  or more words ("bring {knife}", where the slot holds 🔪): "cutting a cake 🔪🎂" is not flagged; the tests
  check that no emoji alone can match. A run of the same emoji counts as one.
* **Benign context suppresses only where it is.** ``benign.txt`` holds everyday exaggeration ("this
  homework is killing me", "I died laughing", "we killed them in fortnite", "me muero de risa"). A match
  is dropped only when a benign match overlaps it (shares a word with it) and lies within one sentence (a "."
  "!" "?" or ";" before a space, or a new line, ends one); any other match in the same request still flags it.
* **A second layer** (``screening_concepts.py``) reads the text as concepts (a wish, dying, a way to hurt, a
  person, an adult at home, a weapon, school, ...) and flags combinations of them within a sentence; it only
  adds flags, and benign matches suppress its concepts as they do entries.

Normalisation (``normalise``), in order; list entries go through the same steps:

1. Unicode NFKC (full-width and mathematical letters, ligatures become plain letters), then casefold.
2. Deleted: every format character (Unicode category Cf: zero-width space, joiner and non-joiner, word
   joiner, BOM, soft hyphen, bidi controls) and emoji skin tones. Cyrillic and Greek letters that look
   like Latin ones (а, е, о, р, с, і, ο, ...) become the Latin letter.
3. Accents stripped: NFKD, combining marks removed ("suicidarmé" is "suicidarme", "papá" is "papa").
4. Apostrophes inside words removed ("don't" is "dont", "I'm" is "im"); one outside a word separates words. The text is split into words
   (letters, digits and the leetspeak symbols ``@ $ !``) and emoji; anything else separates words. A "!"
   at either end of a word is punctuation; symbols in a word without letters are dropped ("$5" is "5").
   A "*" or "#" inside a word is a masked letter ("k*ll", "k#ll", "su*cide"): the word stays as written
   (with "*"), and is also read as each list word or stem it may stand for, a mask being one letter or
   none (``_unmasked``; two letters shown at least, and no more masks than letters).
5. Spaced-out letters joined: a run of three or more one-character words ("k i l l", "k.i.l.l",
   "k-i-l-l") becomes one word. Words run together ("killmyself", "iwanttodie") are found by searching
   inside long words (seven letters or more) for entries of two or more words (six letters or more once
   joined), and around a joined run (with two words either side, and without a first letter that is a
   word of its own: "has a g u n") for every entry that touches the run. Inside words, a stem counts as
   its letters, and a slot or optional word too wide to spell out (over EXPANSION_CAP joined forms) is
   left to the word-by-word match.
6. Leetspeak, only in a word that also has a letter, so "911", "3" and "2025" stay numbers:
   0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s, !→i. A word with a "1" is also read with 1→l ("ki11").
7. Repeated letters squeezed to one ("diiiie" is "die"; "killlll" and "kill" are both "kil"; digits are
   kept: "911"). Entries are squeezed too, so they are written in plain spelling.
8. Rewrites (``rewrites.txt``): unambiguous shorthand of several words becomes one ("sewer slide" →
   "suicide", "going to" → "gonna", "want to" → "wanna"). A rewrite matches any reading of step 9, so
   "whant to" (a spelling of "want") is rewritten too. ``normalise`` returns the words after this
   step, joined by single spaces, and is idempotent.
9. Other spellings (``spellings.txt``) add a reading without replacing the word, because they are
   ambiguous: "m" is also read "me" (Spanish chat) but stays "m" (metres); "q" is also "que", "u" "you",
   "kiero" "quiero". They are not in ``normalise``'s output, except inside a rewrite they completed
   ("i whant to die" is normalised "i wana die").

List syntax: one entry per line, ``#`` starts a comment. Words match whole and in order, after
normalisation. In an entry,

* ``word*`` is any word starting so (a stem of three letters or more, squeezed: ``suicid*``);
* ``(a|b|c)`` is one of these words (each may be a stem);
* ``{slot}`` is one of the words of a slot from any language's ``slots.txt`` (a slot named in two
  languages holds both languages' words, so Spanish entries match "my mom me pega"); ``{number}`` is any
  number;
* ``word?``, ``(a|b)?``, ``{slot}?`` are optional;
* ``..`` is zero to three words of anything (never first or last).

An entry starts with a word that is not optional. A list file that breaks these rules fails to load,
naming its file and line.
"""

import functools
import gc
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from peer_counselors import screening_concepts

CATEGORIES = ("self_harm", "harm_to_others", "abuse", "weapon", "emergency", "unsafe_home")
LANGUAGES = ("en", "es")
LISTS = Path(__file__).with_name("screening_lists")

GAP = 3  # what ``..`` spans: "want to really really die", not two sentences
SPACED_RUN = 3  # two one-letter words ("y a", "a i") are ordinary writing; three are spelling out
LONG_WORD = 7  # only words this long are searched for run-together entries
RUN_TOGETHER_MIN = 6  # and only for entries this long once joined ("hitme" sits inside ordinary words)
ONE_LETTER_WORDS = frozenset("aiyoeu")  # English and Spanish words of one letter
EXPANSION_CAP = 200  # spellings of one entry joined together; more is a slot too wide to search inside
WIDE_FIRST = 60  # an entry whose first word has more spellings than this is indexed by it once (Matcher)
BENIGN_MARGIN = 10  # words either side of a concept rule's match that are looked at for a benign entry

# --- normalisation -------------------------------------------------------------------------------------------

_FORMAT = re.compile(  # Unicode category Cf (tests check the list against unicodedata) and skin tones
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U0001f3fb-\U0001f3ff]"
)
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef]")
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝһӏεορτυνικχαγ",  # Cyrillic then Greek, lower case (casefold came first)
    "aeopcyxijsdqwhleoptuvikxay",
)
_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")
# --- tune4a (2026-12-03) ---
_LONE_APOSTROPHE = re.compile("ʼ")  # a modifier-letter apostrophe left outside a word separates, like "'" ("0:ʼ:0")
_EMOJI = "\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff"
_CHUNK = re.compile(rf"[\w@$!]+(?:[*#]+[\w@$!]+)*|[{_EMOJI}]")  # "*" or "#" inside a word: a masked letter
_IS_EMOJI = re.compile(rf"[{_EMOJI}]")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]+")
_SQUEEZE = re.compile(r"([^\W\d_])\1+")
_LEET = str.maketrans("013457@$!", "oieastasi")
_LEET_L = str.maketrans("1", "l")


class Word(NamedTuple):  # a tuple: hashed in C, and words are looked up by the thousand
    text: str  # normalised
    others: tuple[str, ...] = ()  # other readings: 1→l ("ki11"), a spelled-out run less a swallowed "a" or "i"
    spelled_out: bool = False  # joined from a run of one-character words


def _clean(text: str) -> str:
    """Steps 1-3 and the apostrophes of step 4."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold()
        text = _FORMAT.sub("", text).translate(_LOOKALIKES)
        # Lookalikes again once the marks are gone: a Greek iota with an accent ("ὶ") is a plain iota only now.
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).translate(_LOOKALIKES)
    else:
        text = text.casefold()
    text = _APOSTROPHE.sub("", text)
    return _LONE_APOSTROPHE.sub(" ", text) if "ʼ" in text else text


def _pieces(text: str) -> list[str]:
    """Step 4: words (leetspeak symbols kept where there are letters) and emoji."""
    pieces = []
    for chunk in _CHUNK.findall(text):
        if chunk.isalpha():  # most words: nothing to split or strip
            pieces.append(chunk)
            continue
        if _IS_EMOJI.match(chunk):
            if not pieces or pieces[-1] != chunk:
                pieces.append(chunk)
            continue
        for part in chunk.replace("#", "*").split("_"):
            part = part.strip("!*")
            if not part:
                continue
            if _LETTER.search(part):
                pieces.append(part)
            else:
                pieces.extend(_ALNUM.findall(part))
    return pieces


@functools.lru_cache(maxsize=65_536)
def _word(piece: str) -> Word:
    """Steps 6 and 7 for one word (cached: children's words repeat)."""
    if piece.isalpha() or not _LETTER.search(piece):
        return Word(_SQUEEZE.sub(r"\1", piece))
    others = (_SQUEEZE.sub(r"\1", piece.translate(_LEET_L).translate(_LEET)),) if "1" in piece else ()
    return Word(_SQUEEZE.sub(r"\1", piece.translate(_LEET)), others)


def _joined(words: list[Word]) -> Iterator[Word]:
    """Step 5, on words already through steps 6 and 7 (so that the result is the same the second time):
    a run of SPACED_RUN or more one-character words (not emoji) becomes one word. A run that starts or ends
    with a word of one letter ("i d o n t", "a g u n", "t o o k a") is also read without it (the word itself
    is lost: "took a lot" spelled "t o o k a lot" reads "took lot")."""
    run: list[Word] = []
    for word in [*words, None]:
        if word is not None and len(word.text) == 1 and word.text.isalnum():
            run.append(word)
            continue
        if len(run) >= SPACED_RUN:
            letters = "".join(w.text for w in run)
            joined = _word(letters)
            first, last = letters[0] in ONE_LETTER_WORDS, letters[-1] in ONE_LETTER_WORDS
            trimmed = {letters[first : len(letters) - last], letters[first:], letters[: len(letters) - last]}
            others = joined.others + tuple(_word(t).text for t in trimmed if len(t) >= SPACED_RUN and t != letters)
            yield Word(joined.text, others, spelled_out=True)
        else:
            yield from run
        run = []
        if word is not None:
            yield word


def _found(text: str) -> list[Word]:
    """Steps 1-7."""
    return list(_joined([_word(piece) for piece in _pieces(_clean(text))]))


_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")  # the end of a sentence, for the second layer's windows


def _found_in_sentences(text: str) -> tuple[list[Word], list[int]]:
    """Steps 1-7, and the sentence of each word (0, 1, ...: a "." "!" "?" or ";" before a space, or a new line, ends
    one). The words are those of ``_found``: a sentence's end is never inside a word, so the pieces are the same."""
    cleaned = _clean(text)
    pieces: list[str] = []
    sentence_of_piece: list[int] = []
    for sentence, part in enumerate(_SENTENCE_END.split(cleaned)):
        found = _pieces(part)
        if found and pieces and found[0] == pieces[-1] and _IS_EMOJI.match(found[0]):
            found = found[1:]  # a run of one emoji counts once, across a sentence's end too
        pieces.extend(found)
        sentence_of_piece.extend([sentence] * len(found))
    words = [_word(piece) for piece in pieces]
    joined = list(_joined(words))
    if len(joined) == len(words):
        return joined, sentence_of_piece
    # A "." between spelled-out letters ("g . o . i . n . g") is spelling, not a sentence's end: the words after such
    # a run stay in its sentence.
    starts = _starts(words)
    sentences, inside = [], 0
    for start, end in zip(starts, [*starts[1:], len(words)], strict=True):
        sentences.append(sentence_of_piece[start] - inside)
        inside += sentence_of_piece[end - 1] - sentence_of_piece[start]
    return joined, sentences


def _starts(words: list[Word]) -> list[int]:
    """The index in ``words`` of the first word that each of ``_joined(words)``'s words comes from."""
    starts, run = [], []
    for k, word in enumerate([*words, None]):
        if word is not None and len(word.text) == 1 and word.text.isalnum():
            run.append(k)
            continue
        if len(run) >= SPACED_RUN:
            starts.append(run[0])
        else:
            starts.extend(run)
        run = []
        if word is not None:
            starts.append(k)
    return starts


Rewrites = dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]


class Words:
    """A text's words after step 8 (``words``), each with its readings (step 9), and the long or
    spelled-out words that are searched inside. For the screen (``within_sentences``), a rewrite does not join words
    across a sentence's end ("so mad at him. self harm" keeps "self harm"); ``normalise``, whose output has no
    sentences left, rewrites the words as they run, so that it stays idempotent."""

    def __init__(self, text: str, rewrites: Rewrites, spellings: dict[str, frozenset[str]], within_sentences: bool = False):
        found, sentences = _found_in_sentences(text)
        bounds = sentences if within_sentences else [0] * len(found)
        if any("*" in word.text for word in found):
            found = [Word(w.text, w.others + _unmasked(w.text), w.spelled_out) if "*" in w.text else w for w in found]
        self.run_together = list(_run_together(found, sentences))
        readings = _readings_of(spellings)
        forms = [readings(w) for w in found]
        if rewrites.keys().isdisjoint({form for word in forms for form in word}):
            self.words, self.readings, self.sentences = [w.text for w in found], forms, sentences
            return
        self.words: list[str] = []
        self.readings: list[tuple[str, ...]] = []
        self.sentences: list[int] = []  # the sentence of each word, for the second layer
        i = 0
        while i < len(found):
            before, after = _rewrite(forms, i, rewrites, bounds) if not rewrites.keys().isdisjoint(forms[i]) else ((), ())
            if after:
                self.words.extend(after)
                self.readings.extend(readings(Word(word)) for word in after)
                self.sentences.extend([sentences[i]] * len(after))
            else:
                self.words.append(found[i].text)
                self.readings.append(forms[i])
                self.sentences.append(sentences[i])
            i += max(len(before), 1)


@functools.lru_cache(maxsize=4_096)
def _unmasked(text: str) -> tuple[str, ...]:
    """Step 4, masked letters: the list words (and stems, the rest of the word kept) that a word with masked letters
    ("k*ll", "su*cide", "k#lling") may stand for, each "*" one letter or none (squeezed: "k*l" is "kil").
    A word with fewer than two letters shown, or more masks than letters, stands for nothing."""
    masks = text.count("*")
    if len(text) - masks < 2 or masks > len(text) - masks:
        return ()
    pattern = "".join(r"[^\W\d_]?" if c == "*" else re.escape(c) for c in text)
    vocabulary, stems = _lists().vocabulary
    found = [word for word in vocabulary.get(text[0], ()) if re.fullmatch(pattern, word)] if text[0] != "*" else []
    for end in range(3, len(text) + 1):  # a stem is a prefix of the word: "su*cidal" is "suicid" + "al"
        head = re.compile("".join(r"[^\W\d_]?" if c == "*" else re.escape(c) for c in text[:end]))
        found.extend(stem + text[end:].replace("*", "") for stem in stems if head.fullmatch(stem))
    return tuple(dict.fromkeys(found))[:8]


def _run_together(found: list[Word], sentences: list[int]) -> Iterator[tuple[str, int, int]]:
    """What is searched inside, as (letters, start, end of the part that must be matched): each long word
    whole; each spelled-out run with two words either side joined on ("has a g u n" is "hasagun", the
    run being "agun"), and, since a one-letter word before it ("a", "i", "y") is swallowed into the run,
    once more without the run's first letter when that is such a word ("hasgun")."""
    for k, word in enumerate(found):
        if word.spelled_out:
            # Neighbours of the same sentence only: "... in minecraft. k i l l m y s e l f" is not read with "minecraft".
            before = "".join(w.text for j, w in enumerate(found[max(k - 2, 0) : k], start=max(k - 2, 0))
                             if w.text.isalnum() and sentences[j] == sentences[k])
            after = "".join(w.text for j, w in enumerate(found[k + 1 : k + 3], start=k + 1)
                            if w.text.isalnum() and sentences[j] == sentences[k])
            yield before + word.text + after, len(before), len(before) + len(word.text)
            if word.text[0] in ONE_LETTER_WORDS:  # and without the word it may have swallowed
                yield before + word.text[1:] + after, len(before), len(before) + len(word.text) - 1
        elif len(word.text) >= LONG_WORD and word.text.isalpha():
            yield word.text, -1, -1


def _rewrite(
    forms: list[tuple[str, ...]], i: int, rewrites: Rewrites, sentences: list[int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The longest rewrite whose words are readings of the words from ``i`` on, within one sentence ("so mad at him.
    self harm" is no "himself"), or two empty tuples."""
    candidates = [rewrite for form in forms[i] for rewrite in rewrites.get(form, ())]
    for before, after in sorted(candidates, key=lambda rewrite: -len(rewrite[0])):
        if len(before) <= len(forms) - i and all(word in forms[i + k] and sentences[i + k] == sentences[i] for k, word in enumerate(before)):
            return before, after
    return (), ()


@functools.cache
def _readings_of(spellings: "Spellings"):
    """Step 9 for one set of spellings: ``readings(word)``, every reading of a word, the word itself first."""

    @functools.lru_cache(maxsize=65_536)
    def readings(word: Word) -> tuple[str, ...]:
        forms = [word.text, *word.others]
        forms += [base for form in forms for base in _spanish_bases(form)]
        return tuple(dict.fromkeys(forms + [canonical for form in forms for canonical in spellings.get(form, ())]))

    return readings


# Step 9, Spanish forms: an infinitive or gerund with pronouns joined on ("apunalarlo", "pegarle", "golpeandome") is
# also read as the bare verb, and a diminutive ("hermanito", "cuchillito", "mamita", "pobrecito") as its word, so
# that an entry written for the plain word meets every such form. The bare verb has five letters or more ("carla" is
# no "car"); a wrong base ("mosquito" as "mosquo") is a word no entry holds.
_ENCLITIC = re.compile(r"^([a-z]{2,}?(?:ar|er|ir|ando|iendo))(?:me|te|se|nos)?(?:lo|la|le|los|las|les)?$")
_DIMINUTIVE = re.compile(r"^([a-z]{3,}?)(c?)it(o|a|os|as)$")


@functools.lru_cache(maxsize=65_536)
def _spanish_bases(form: str) -> tuple[str, ...]:
    bases = []
    clitic = _ENCLITIC.match(form)
    if clitic and clitic[1] != form and len(clitic[1]) >= 5:
        bases.append(clitic[1])
    small = _DIMINUTIVE.match(form)
    if small and len(form) >= 6:
        bases.append(small[1] + small[3])
        if small[2]:  # "-cito" after a consonant or an "e": "amorcito", "pobrecito"
            bases.append(small[1])
    return tuple(bases)


class Spellings(dict):
    """Other spellings, variant -> canonical words; hashed by identity, as loaded once."""

    __hash__ = object.__hash__


def normalise(text: str) -> str:
    """The words of ``text`` after steps 1-8 of the module docstring, joined by single spaces."""
    lists = _lists()
    return " ".join(Words(text, lists.rewrites, lists.spellings).words)


# --- patterns ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """One word of an entry: any of ``words``, a word starting with any of ``stems``, or a number."""

    words: frozenset[str]
    stems: tuple[str, ...] = ()
    number: bool = False
    optional: bool = False

    def accepts(self, readings: tuple[str, ...]) -> bool:
        for form in readings:
            if form in self.words or (self.stems and form.startswith(self.stems)) or (self.number and form.isdigit()):
                return True
        return False


@dataclass(frozen=True)
class Pattern:
    source: str  # the line as written, for the adult's view
    category: str  # a CATEGORIES name, or "benign"
    positions: tuple[Position | None, ...]  # None is a gap (``..``)


def _match(positions: tuple[Position | None, ...], k: int, readings: list[tuple[str, ...]], j: int) -> int | None:
    """The end (exclusive) of a match of ``positions[k:]`` starting at word ``j``, or None."""
    if k == len(positions):
        return j
    position = positions[k]
    if position is None:
        for skip in range(min(GAP, len(readings) - j) + 1):
            end = _match(positions, k + 1, readings, j + skip)
            if end is not None:
                return end
        return None
    if j < len(readings) and position.accepts(readings[j]):
        end = _match(positions, k + 1, readings, j + 1)
        if end is not None:
            return end
    return _match(positions, k + 1, readings, j) if position.optional else None


class _Index:
    """Items by the words a position accepts: ``lookup(form)`` lists those whose position accepts it."""

    def __init__(self):
        self.words: dict[str, list[int]] = defaultdict(list)
        self.stems: dict[str, list[int]] = defaultdict(list)
        self.numbers: list[int] = []
        self.stem_lengths: list[int] = []

    def add(self, position: Position, item: int) -> None:
        for word in position.words:
            self.words[word].append(item)
        for stem in position.stems:
            if stem not in self.stems:
                self.stem_lengths = sorted({*self.stem_lengths, len(stem)})
            self.stems[stem].append(item)
        if position.number:
            self.numbers.append(item)

    def lookup(self, form: str) -> list[int]:
        found = list(self.words.get(form, ()))
        for length in self.stem_lengths:
            if length > len(form):
                break
            found.extend(self.stems.get(form[:length], ()))
        if self.numbers and form.isdigit():
            found.extend(self.numbers)
        return found


# Words too common to tell entries apart; an entry is looked for only in texts holding its rarest word.
_COMMON = frozenset(
    "i me my a an the to is are was be and or you u he she they it in on at of for with that this im so just "
    "not no dont do de la el los las que en mi y o un una se le lo te es por con su".split()
)


def _anchor(pattern: Pattern) -> Position:
    """The required word of ``pattern`` that a text is least likely to hold."""

    def commonness(position: Position) -> int:
        return sum(100 if word in _COMMON else 1 for word in position.words) + 5 * len(position.stems) + 50 * position.number

    return min((p for p in pattern.positions if p is not None and not p.optional), key=commonness)


class Matcher:
    """Entries indexed by their rarest required word (is the entry possible in this text at all?) and by
    their first word (where can it start?)."""

    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        self.anchors = _Index()
        self.required = [[p for p in pattern.positions if p is not None and not p.optional] for pattern in patterns]
        # Entries whose first word is a slot of many words (first names) are indexed by it once, not again for each
        # text that may hold them: that would cost as much as the rest of the screen.
        self.wide = frozenset(n for n, pattern in enumerate(patterns) if len(pattern.positions[0].words) > WIDE_FIRST)
        self.wide_firsts = _Index()
        for n, pattern in enumerate(patterns):
            self.anchors.add(_anchor(pattern), n)
            if n in self.wide:
                self.wide_firsts.add(pattern.positions[0], n)

    def spans(self, readings: list[tuple[str, ...]]) -> Iterator[tuple[int, int, Pattern]]:
        forms = {form for word in readings for form in word}
        possible = {n for form in forms for n in self.anchors.lookup(form)}
        firsts = _Index()
        wide = set()
        for n in sorted(possible):
            if all(_present(position, forms) for position in self.required[n]):
                if n in self.wide:
                    wide.add(n)
                else:
                    firsts.add(self.patterns[n].positions[0], n)
        if not firsts.words and not firsts.stems and not firsts.numbers and not wide:
            return
        starting: dict[tuple[str, ...], list[int]] = {}  # words repeat: where each can start, once
        for i, word in enumerate(readings):
            candidates = starting.get(word)
            if candidates is None:
                found = {n for form in word for n in firsts.lookup(form)}
                if wide:
                    found.update(n for form in word for n in self.wide_firsts.lookup(form) if n in wide)
                candidates = starting[word] = sorted(found)
            for n in candidates:
                end = _match(self.patterns[n].positions, 1, readings, i + 1)
                if end is not None:
                    yield i, end, self.patterns[n]


def _present(position: Position, forms: set[str]) -> bool:
    """Can the text fill ``position`` at all? (Stems and numbers are taken as yes: checking costs more.)"""
    return bool(position.stems) or position.number or not position.words.isdisjoint(forms)


class Inside:
    """Entries joined into letters (every spelling of every slot), searched inside one word. Held flat, as
    two dicts of strings and ints (every prefix; each whole joined form's entries), not as a trie of nested
    dicts: a few objects for the garbage collector to walk, not a hundred thousand."""

    def __init__(self, patterns: list[Pattern]):
        self.prefixes: dict[str, int] = {}  # every prefix of a joined form: -1, or its index in ``entries``
        self.entries: list[tuple[tuple[int, bool, int], ...]] = []  # (index in ``patterns``, several, length)
        self.patterns = patterns
        literals: dict[str, dict[tuple[str, bool], int]] = {}  # one entry per source line suffices
        for n, pattern in enumerate(patterns):
            if any(p is not None and p.number for p in pattern.positions):
                continue
            choices = []
            for position in pattern.positions:
                if position is None:
                    continue
                letters = [w for w in (*position.words, *position.stems) if w.isalpha() and not _IS_EMOJI.search(w)]
                choices.append((letters, position.optional))
            if not all(letters for letters, optional in choices if not optional):
                continue
            choices = _within_cap(choices)
            if choices is None:
                continue
            for parts in itertools.product(*choices):
                several = sum(1 for part in parts if part) >= 2
                # Squeezed across the joins too: a long word is squeezed whole ("iwanttodie" is "iwantodie"),
                # a spelled-out run with its neighbours is not.
                plain = "".join(parts)
                for joined in (plain, _SQUEEZE.sub(r"\1", plain)):
                    literals.setdefault(joined, {})[pattern.source, several] = n
        for joined, entries in literals.items():
            for end in range(1, len(joined)):
                self.prefixes.setdefault(joined[:end], -1)
            self.prefixes[joined] = len(self.entries)
            # Only ints and bools: tuples the garbage collector stops tracking after its first look.
            self.entries.append(tuple((n, several, len(joined)) for (_, several), n in entries.items()))

    def find(self, letters: str, run_start: int, run_end: int) -> Iterator[tuple[int, int, Pattern]]:
        """(start, end, pattern) of the entries inside ``letters``. In a long word (``run_start`` -1), the
        entries of several words that are RUN_TOGETHER_MIN letters or more; around a spelled-out run, those
        of several words that overlap the run and those of one word that lie within it."""
        prefixes = self.prefixes
        for start in range(len(letters)):
            for end in range(start, len(letters)):
                found = prefixes.get(letters[start : end + 1])
                if found is None:
                    break
                for n, several, length in self.entries[found] if found >= 0 else ():
                    if run_start < 0:
                        kept = several and length >= RUN_TOGETHER_MIN
                    elif several:
                        kept = start < run_end and run_start <= end
                    else:
                        kept = run_start <= start and end < run_end
                    if kept:
                        yield start, end + 1, self.patterns[n]


def _within_cap(choices: list[tuple[list[str], bool]]) -> list[list[str]] | None:
    """Each word's spellings for joining, or None when the required words alone exceed EXPANSION_CAP.
    Optional words are kept, the fewest spellings first, while the product stays within the cap; the
    others are left out of the joined forms (the word-by-word match still has them)."""
    size = 1
    for letters, optional in choices:
        size *= 1 if optional else len(letters)
    if size > EXPANSION_CAP:
        return None
    kept = set()
    for index in sorted((i for i, (_, optional) in enumerate(choices) if optional), key=lambda i: len(choices[i][0])):
        if choices[index][0] and size * (len(choices[index][0]) + 1) <= EXPANSION_CAP:
            size *= len(choices[index][0]) + 1
            kept.add(index)
    return [
        letters if not optional else [*letters, ""] if index in kept else [""]
        for index, (letters, optional) in enumerate(choices)
    ]


# --- the lists -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lists:
    triggers: Matcher
    benign: Matcher
    inside: Inside
    inside_benign: Inside
    spellings: dict[str, frozenset[str]]
    rewrites: Rewrites
    patterns: tuple[Pattern, ...]  # every trigger and benign entry, for the tests
    slots: dict[str, frozenset[str]]
    vocabulary: tuple[dict[str, tuple[str, ...]], tuple[str, ...]]  # trigger words by first letter; stems
    concepts: "ConceptIndex"  # the second layer's concepts (screening_concepts.py)
    concept_patterns: tuple[Pattern, ...]  # each entry's category is its concept
    rules: tuple[screening_concepts.Rule, ...]
    tolerant: screening_concepts.Tolerant


def _vocabulary(patterns: list[Pattern]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    words = {w for p in patterns for pos in p.positions if pos for w in pos.words if w.isalpha() and len(w) >= 3}
    stems = {s for p in patterns for pos in p.positions if pos for s in pos.stems}
    by_letter: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words):
        by_letter[word[0]].append(word)
    return {letter: tuple(words) for letter, words in by_letter.items()}, tuple(sorted(stems))


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            yield number, line


def _one_word(text: str, where: str) -> str:
    """A list's word, normalised as the text will be (without rewrites: they never apply to one word)."""
    word = _normal_word(text)
    if word is None:
        raise ValueError(f"{where}: {text!r} is not one word once normalised")
    return word


@functools.cache
def _normal_word(text: str) -> str | None:
    found = _found(text)
    return found[0].text if len(found) == 1 else None


_PIECE = re.compile(r"\([^)]*\)\??|\S+")


def _position(choices: list[str], optional: bool, slots: dict[str, frozenset[str]], where: str) -> Position:
    """One word of an entry from its written choices (words, ``stem*``, ``{slot}``, ``{number}``)."""
    words, stems, number = set(), set(), False
    pending = list(choices)
    while pending:
        choice = pending.pop()
        if choice == "{number}":
            number = True
        elif choice.startswith("{") and choice.endswith("}"):
            if choice[1:-1] not in slots:
                raise ValueError(f"{where}: no slot named {choice}")
            pending.extend(slots[choice[1:-1]])
        elif choice.endswith("*"):
            stem = _one_word(choice[:-1], where)
            if len(stem) < 3:
                raise ValueError(f"{where}: the stem {choice!r} is shorter than 3 letters")
            stems.add(stem)
        else:
            words.add(_one_word(choice, where))
    return Position(frozenset(words), tuple(sorted(stems)), number=number, optional=optional)


def _patterns(line: str, category: str, slots: dict[str, frozenset[str]], where: str) -> list[Pattern]:
    """The entry on ``line``; an alternative of several words ("(wake up|go on)") makes one entry per
    alternative, with the same ``source``."""
    variants: list[list[Position | None]] = [[]]
    for piece in _PIECE.findall(line):
        if piece == "..":
            variants = [[*variant, None] for variant in variants]
            continue
        optional = piece.endswith("?") and len(piece) > 1
        core = piece[:-1] if optional else piece
        if core.startswith("(") and core.endswith(")"):
            alternatives = [alternative.split() for alternative in core[1:-1].split("|")]
        else:
            alternatives = [[core]]
        if not all(alternatives):
            raise ValueError(f"{where}: an empty alternative in {piece!r}")
        if all(len(alternative) == 1 for alternative in alternatives):
            position = _position([a[0] for a in alternatives], optional, slots, where)
            variants = [[*variant, position] for variant in variants]
            continue
        spelled = [[_position([word], False, slots, where) for word in alternative] for alternative in alternatives]
        spelled += [[]] if optional else []
        variants = [[*variant, *alternative] for variant in variants for alternative in spelled]
    patterns = []
    for variant in variants:
        positions = tuple(variant)
        if not positions or positions[0] is None or positions[0].optional or positions[-1] is None:
            raise ValueError(f"{where}: an entry starts with a word that is not optional and ends with a word")
        if any(a is None and b is None for a, b in itertools.pairwise(positions)):
            raise ValueError(f"{where}: two gaps in a row")
        patterns.append(Pattern(source=line, category=category, positions=positions))
    return patterns


@functools.cache
def _lists() -> Lists:
    raw_slots: dict[str, set[str]] = defaultdict(set)
    for language in LANGUAGES:
        for _number, line in _lines(LISTS / language / "slots.txt"):
            name, _, choices = line.partition(":")
            raw_slots[name.strip()].update(choices.split())
    slots = {name: frozenset(choices) for name, choices in raw_slots.items()}

    spellings: dict[str, set[str]] = defaultdict(set)
    rewrites: dict[str, list] = defaultdict(list)
    triggers, benign = [], []
    for language in LANGUAGES:
        folder = LISTS / language
        for number, line in _lines(folder / "spellings.txt"):
            where = f"{language}/spellings.txt:{number}"
            canonical, _, variants = line.partition(":")
            for variant in variants.split():
                spellings[_one_word(variant, where)].add(_one_word(canonical.strip(), where))
        for number, line in _lines(folder / "rewrites.txt"):
            where = f"{language}/rewrites.txt:{number}"
            before, _, after = line.partition("=>")
            before_words = tuple(_one_word(w, where) for w in before.split())
            after_words = tuple(_one_word(w, where) for w in after.split())
            if not before_words or not after_words or any(len(w) < 2 for w in after_words):
                raise ValueError(f"{where}: a rewrite is 'words => words' (of two letters or more)")
            rewrites[before_words[0]].append((before_words, after_words))
        for category in CATEGORIES:
            for number, line in _lines(folder / f"{category}.txt"):
                triggers.extend(_patterns(line, category, slots, f"{language}/{category}.txt:{number}"))
        for number, line in _lines(folder / "benign.txt"):
            benign.extend(_patterns(line, "benign", slots, f"{language}/benign.txt:{number}"))
    for first in rewrites:
        rewrites[first].sort(key=lambda rewrite: -len(rewrite[0]))  # the longest shorthand first
    concepts, tolerant, exact, spanish = _concepts(slots)
    rules = screening_concepts.parse_rules(LISTS / "rules.txt", CATEGORIES)
    named = {pattern.category for pattern in concepts}
    for rule in rules:
        if not rule.concepts <= named:
            raise ValueError(f"rules.txt: {rule.source!r} names a concept no concepts.txt holds: {rule.concepts - named}")
    lists = Lists(
        triggers=Matcher(_rewritten(triggers, rewrites)),
        benign=Matcher(benign),
        inside=Inside(triggers),
        inside_benign=Inside(benign),
        spellings=Spellings({variant: frozenset(canonical) for variant, canonical in spellings.items()}),
        rewrites=dict(rewrites),
        patterns=(*triggers, *benign),
        slots=slots,
        vocabulary=_vocabulary(triggers),
        concepts=ConceptIndex(_rewritten(concepts, rewrites)),
        concept_patterns=tuple(concepts),
        rules=tuple(rules),
        tolerant=screening_concepts.Tolerant(tolerant, spanish, exact),
    )
    # --- tune4b (2026-12-03) ---
    # The lists are some 225,000 objects that live as long as the process. Left to the collector, every full
    # collection walks them all (about 115 ms), and it fell inside whichever screen() ran then: that text's
    # "longest". Frozen once here, after a collection of the loading's garbage, they are never walked again.
    gc.collect()
    gc.freeze()
    return lists


def _rewritten(patterns: list[Pattern], rewrites: Rewrites) -> list[Pattern]:
    """The entries, and beside each the variants that the text's rewrites (step 8) call for: an entry written
    "(wants|tried) to (take|grab) me" never met "wants to" in a text, which reads "wanna"; its variant
    "wanna (take|grab) me" does. Only trigger and concept entries get variants: they can only add flags."""
    found = list(patterns)
    for pattern in patterns:
        found.extend(_variants(pattern, rewrites, depth=2))
    return found


# "going to die" was never matched by "(going) to (die)" and the tuned table holds it as exaggeration ("i'm going to
# die if i don't get that game"): an entry that wants "gonna" says so.
_NO_VARIANT = frozenset({"gona"})


def _variants(pattern: Pattern, rewrites: Rewrites, depth: int) -> list[Pattern]:
    variants = []
    positions = pattern.positions
    for k in range(len(positions) - 1):
        first, second = positions[k], positions[k + 1]
        if first is None or second is None:
            continue
        for word in first.words:
            for before, after in rewrites.get(word, ()):
                if len(before) != 2 or len(after) != 1 or before[1] not in second.words or after[0] in _NO_VARIANT:
                    continue
                joined = Position(frozenset(after), optional=first.optional and second.optional)
                if k == 0 and joined.optional:
                    continue
                variant = Pattern(pattern.source, pattern.category, (*positions[:k], joined, *positions[k + 2 :]))
                variants.append(variant)
                if depth > 1:
                    variants.extend(_variants(variant, rewrites, depth - 1))
    return variants


def _concepts(slots: dict[str, frozenset[str]]) -> tuple[list[Pattern], set[str], set[str], set[str]]:
    """Every language's concepts.txt: the entries (each Pattern's category its concept), the words read tolerantly,
    the words read exactly, and the Spanish concept words (read by sound too)."""
    patterns: list[Pattern] = []
    tolerant: set[str] = set()
    exact: set[str] = set()
    spanish: set[str] = set()
    for language in LANGUAGES:
        for number, line in _lines(LISTS / language / "concepts.txt"):
            where = f"{language}/concepts.txt:{number}"
            name, _, entry = line.partition(":")
            name, entry = name.strip(), entry.strip()
            if not name.isidentifier() or not entry:
                raise ValueError(f"{where}: a concept line is 'concept: entry'")
            if name in ("tolerant", "exact"):
                (tolerant if name == "tolerant" else exact).update(_one_word(word, where) for word in entry.split())
                continue
            found = _patterns(entry, name, slots, where)
            patterns.extend(found)
            if language == "es":
                spanish.update(w for p in found for pos in p.positions if pos for w in pos.words)
    return patterns, tolerant, exact, spanish


# --- screening -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screening:
    flagged: bool
    categories: tuple[str, ...]  # sorted, each one of CATEGORIES
    terms: tuple[str, ...] = ()  # the matched list entries, as written in the lists, each once


def _overlaps(start: int, end: int, others: list[tuple[int, int, Pattern]]) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end, _ in others)


def screen(text: str) -> Screening:
    """Screen a help request's words; the module docstring decides every case."""
    lists = _lists()
    words = Words(text, lists.rewrites, lists.spellings, within_sentences=True)
    readings = words.readings
    found: list[tuple[tuple[int, int], Pattern]] = []
    matches = list(lists.triggers.spans(readings))
    benign = _Benign(lists, readings, words.sentences)  # most texts match nothing: looked for only when something did
    for start, end, pattern in matches:
        if not _overlaps(start, end, benign.spans):
            found.append(((start, 0), pattern))
    for index, (letters, run_start, run_end) in enumerate(words.run_together):
        inside = list(lists.inside.find(letters, run_start, run_end))
        if not inside:
            continue
        benign_inside = list(lists.inside_benign.find(letters, run_start, run_end))
        for start, end, pattern in inside:
            if not _overlaps(start, end, benign_inside):
                found.append(((len(readings) + index, start), pattern))
    found.sort(key=lambda item: item[0])
    rules = _concept_rules(lists, readings, words.sentences, benign)
    return Screening(
        flagged=bool(found) or bool(rules),
        categories=tuple(sorted({pattern.category for _, pattern in found} | {c for rule in rules for c in rule.categories})),
        terms=tuple(dict.fromkeys([*(pattern.source for _, pattern in found), *(f"concept: {rule.source}" for rule in rules)])),
    )


class ConceptIndex:
    """The concepts' entries, indexed by their first word once (not per text, as ``Matcher`` does: concepts
    start with common words, "my", "no", "i", so every text could hold most of them). Entries of one word are
    looked up whole, cached by the word's readings (texts repeat their words)."""

    def __init__(self, patterns: list[Pattern]):
        patterns = [variant for pattern in patterns for variant in _second_required(pattern)]
        self.patterns = patterns
        self.single: dict[str, set[str]] = defaultdict(set)  # a word -> the concepts it is, alone
        self.first = _Index()  # the first word of an entry of several words -> the entries
        self.pairs: dict[str, dict[str, list[int]]] = {}  # an entry's first word, its second: the entries
        self.single_stems: dict[str, set[str]] = defaultdict(set)
        self.single_numbers: set[str] = set()
        for n, pattern in enumerate(patterns):
            position = pattern.positions[0]
            if len(pattern.positions) > 1:
                second = pattern.positions[1]
                if _plain(position) and second is not None and _plain(second) and not second.optional:
                    for first, then in itertools.product(position.words, second.words):
                        self.pairs.setdefault(first, {}).setdefault(then, []).append(n)
                else:
                    self.first.add(position, n)
                continue
            for word in position.words:
                self.single[word].add(pattern.category)
            for stem in position.stems:
                self.single_stems[stem].add(pattern.category)
            if position.number:
                self.single_numbers.add(pattern.category)
        self.stem_lengths = sorted({len(stem) for stem in self.single_stems})
        self.anchors = _Index()  # an entry of several words by its rarest required word: is it possible at all?
        for n, pattern in enumerate(patterns):
            if len(pattern.positions) > 1:
                self.anchors.add(_anchor(pattern), n)
        self.of_word = functools.lru_cache(maxsize=65_536)(self._of_word)

    def _of_word(self, word: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...], dict[str, list[int]], frozenset[int]]:
        """The concepts a word is alone, the entries of several words that may start at it, those that may
        start at it by the word that follows, and the entries whose rarest word it is."""
        concepts: set[str] = set()
        starting: set[int] = set()
        then: dict[str, list[int]] = {}
        possible: set[int] = set()
        for form in word:
            possible.update(self.anchors.lookup(form))
            for second, entries in self.pairs.get(form, {}).items():
                then[second] = [*then.get(second, ()), *entries]
            concepts.update(self.single.get(form, ()))
            for length in self.stem_lengths:
                if length > len(form):
                    break
                concepts.update(self.single_stems.get(form[:length], ()))
            if self.single_numbers and form.isdigit():
                concepts.update(self.single_numbers)
            starting.update(self.first.lookup(form))
        return tuple(sorted(concepts)), tuple(sorted(starting)), then, frozenset(possible)

    def spans(self, readings: list[tuple[str, ...]]) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        plans = [self.of_word(word) for word in readings]
        if not any(starting or then for _, starting, then, _ in plans):
            return [(i, i + 1, concept) for i, (concepts, _, _, _) in enumerate(plans) for concept in concepts]
        possible: set[int] = set()
        for plan in {id(plan): plan for plan in plans}.values():
            possible |= plan[3]
        patterns, last = self.patterns, len(readings) - 1
        for i, (concepts, starting, then, _) in enumerate(plans):
            for concept in concepts:
                found.append((i, i + 1, concept))
            for n in starting:
                if n in possible:
                    end = _match(patterns[n].positions, 1, readings, i + 1)
                    if end is not None:
                        found.append((i, end, patterns[n].category))
            if then and i < last:
                for second in readings[i + 1]:
                    for n in then.get(second, ()):
                        if n in possible:
                            end = _match(patterns[n].positions, 2, readings, i + 2)
                            if end is not None:
                                found.append((i, end, patterns[n].category))
        return found


def _second_required(pattern: Pattern) -> list[Pattern]:
    """``pattern`` as entries whose second word is not optional (with it, and without it), so that more of them are
    found by their first two words; the same matches."""
    positions = pattern.positions
    if len(positions) < 2 or positions[1] is None or not positions[1].optional:
        return [pattern]
    second = positions[1]
    required = Position(second.words, second.stems, number=second.number, optional=False)
    with_it = Pattern(pattern.source, pattern.category, (positions[0], required, *positions[2:]))
    without = Pattern(pattern.source, pattern.category, (positions[0], *positions[2:]))
    return [with_it, *_second_required(without)]


def _plain(position: Position) -> bool:
    return not position.stems and not position.number


class _Benign:
    """A text's benign matches, found the first time they are asked for; a match that runs across a sentence's end
    is no context ("she killed it at the talent show. he has a gun" is not about a show with a gun)."""

    def __init__(self, lists: Lists, readings: list[tuple[str, ...]], sentences: list[int]):
        self.lists, self.readings, self.sentences = lists, readings, sentences

    @functools.cached_property
    def spans(self) -> list[tuple[int, int, Pattern]]:
        return self.within_sentences(self.lists.benign.spans(self.readings))

    def within_sentences(self, spans: Iterable[tuple[int, int, Pattern]]) -> list[tuple[int, int, Pattern]]:
        return [(s, e, p) for s, e, p in spans if self.sentences[s] == self.sentences[e - 1]]


def _concept_rules(
    lists: Lists, readings: list[tuple[str, ...]], sentences: list[int], benign: _Benign
) -> list[screening_concepts.Rule]:
    """The second layer (screening_concepts.py): the rules that the text's concepts satisfy, once the concept spans
    that a benign match overlaps are dropped. Benign entries are looked for only around a rule's match (BENIGN_MARGIN
    words either side), unless the first layer already looked for them in the whole text."""
    extended = [_tolerant_readings(lists.tolerant, word) for word in readings]
    spans = [span for span in lists.concepts.spans(extended) if sentences[span[0]] == sentences[span[1] - 1]]
    pending = list(lists.rules)
    confirmed: list[screening_concepts.Rule] = []  # matched where benign entries were looked for: final
    checked: list[tuple[int, int]] = []
    while pending:
        windows, unconfirmed = [], []
        for rule, start, end in screening_concepts.fire(pending, screening_concepts.Spans(spans, sentences)):
            if any(low <= start and end <= high for low, high in checked):
                confirmed.append(rule)
            else:
                unconfirmed.append(rule)
                windows.append((max(start - BENIGN_MARGIN, 0), end + BENIGN_MARGIN))
        if not windows:
            break
        if "spans" in benign.__dict__:  # the first layer looked at the whole text already
            covered = _covered(len(readings), benign.spans)
            spans = [(s, e, c) for s, e, c in spans if not any(covered[s:e])]
            checked.append((0, len(readings)))
        else:
            for low, high in _merged(windows):
                checked.append((low, high))
                found = benign.within_sentences((s + low, e + low, p) for s, e, p in lists.benign.spans(readings[low:high]))
                if found:
                    covered = _covered(len(readings), found)
                    spans = [(s, e, c) for s, e, c in spans if not (low <= s and e <= high and any(covered[s:e]))]
        pending = unconfirmed
    order = {rule: n for n, rule in enumerate(lists.rules)}
    return sorted(confirmed, key=order.__getitem__)


def _covered(length: int, found: list[tuple[int, int, Pattern]]) -> list[bool]:
    """Which words a benign match covers."""
    covered = [False] * length
    for start, end, _ in found:
        covered[start:end] = [True] * (end - start)
    return covered


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(windows):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


@functools.lru_cache(maxsize=65_536)
def _tolerant_readings(tolerant: screening_concepts.Tolerant, word: tuple[str, ...]) -> tuple[str, ...]:
    extra = [other for form in word for other in tolerant.readings(form)]
    return tuple(dict.fromkeys([*word, *extra])) if extra else word
