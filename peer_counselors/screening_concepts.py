"""The screen's second layer: concepts and the combinations of them that flag, beside the phrase lists.

The phrase lists (``screening.py``) flag an entry written word by word; fresh wording slips past them ("i took
like 10 of my moms pills", "quiero matar a mi compañero"). This layer reads a text as a few concepts instead: a
wish or a plan, dying, not wanting to exist, a way to hurt, a person it is aimed at, an adult at home, a weapon
and a place to bring it, ... (``screening_lists/<language>/concepts.txt``, in the lists' own syntax, each entry
naming its concept), and flags when the rules of ``screening_lists/rules.txt`` find the right concepts close
together: a wish before dying, an adult at home beside a way to hurt and the child, a weapon beside school. It
only ever adds flags; it never removes one that a phrase entry found.

Pure, like ``screening.py``, which calls it: no Django, no database. This module knows nothing of the lists'
syntax or of normalisation; ``screening.py`` finds the concepts' spans (with the tolerant readings below) and
hands them here.

What is decided here, once:

* **Tolerant spelling.** Children misspell the words that matter most ("suisidar", "padrasto", "boyfreind",
  "cuchiyo", "bibir"). A word of the text is also read as a concept word (``Tolerant``) when it is one edit
  away (a letter changed, added, dropped, or two neighbours swapped) from a word listed under ``tolerant:`` in
  a language's concepts file (five letters or more on both sides: shorter words have too many real neighbours),
  or when it sounds the same in Spanish spelling (b/v, s/z/soft c, k/qu/hard c, a silent h), for the
  Spanish concept words of four letters or more. A listed word of four letters is read only with two neighbours
  swapped ("wnat" is "want"). Only listed words are read tolerantly: an edit away from
  "hitting" is "sitting", from "killing" "willing", and those would flag ordinary writing. Words listed under
  ``exact:`` are never read as another word.
* **Rules** (``rules.txt``), one per line: ``categories: A B C /N`` — spans of concepts A, B and C in this
  order, not overlapping, the whole within N words (``/N ~G``: and at most G words between one and the next);
  ``A & B & C /N`` — the same in any order; ``+X`` — a span
  of concept X within N words of the match, on either side; ``-X`` — no span of X overlapping the match (a
  reading that takes a matched word another way: "live in Texas" is not "live"); ``!X`` — no span of X anywhere
  in the match's sentence (a strong word that flags almost anywhere, unless a benign context such as a game, a
  film or a drill is in the same sentence: "a kid has a gun" flags, "the movie had a guy with a gun" does not).
  A concept may be several (``desire|future``). A rule may name several categories.
* **Windows.** Besides its N words, a match lies within one sentence (a "." "!" "?" or ";" before a space, or
  a new line, ends one): a long message of ordinary sentences does not add up to a flag. (Two sentences flagged
  three times as many long ordinary texts made of the tables' phrases, and no more of the tables' rows.)
* **Benign context** suppresses here as in the lists: a concept span that a benign entry overlaps is dropped
  before the rules are read ("this homework is killing me" takes "killing" out; "i want to kill myself"
  beside it still flags).
* **Identity words** are no concept, and no tolerant reading turns one into a concept word (the tests check
  both).
"""

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int, str]  # start, end (exclusive), concept

# --- tolerant readings -------------------------------------------------------------------------------------

TOLERANT_MIN = 5  # letters, on both sides of an edit
SOUNDS_MIN = 4  # letters, for a Spanish sound-alike

_SOUND = re.compile(r"qu(?=[ei])|c(?=[ei])|c(?!h)|(?<!c)h|z|v")  # Spanish spelling by sound, in one pass
_SOUND_OF = {"qu": "k", "c": "k", "h": "", "z": "s", "v": "b"}
_REPEAT = re.compile(r"([a-z])\1+")


def _sound(found: re.Match) -> str:
    letters = found.group()
    if letters == "c" and found.string[found.end() : found.end() + 1] in ("e", "i"):
        return "s"
    return _SOUND_OF[letters]


def sounds(word: str) -> str:
    """A Spanish word as it sounds (b/v, s/z/soft c, k/qu/hard c, a silent h; on words already casefolded,
    unaccented and squeezed): "vivir" and "bibir", "suicidar" and "suisidar" are alike."""
    return _REPEAT.sub(r"\1", _SOUND.sub(_sound, word))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """Is ``b`` one edit from ``a``: a letter changed, added or dropped, or two neighbours swapped?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
                                   and a[diffs[1]] == b[diffs[0]])  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Tolerant:
    """The other readings of a text's word: the tolerant words it is one edit from, and the Spanish words it
    sounds like. ``exact`` words are read as themselves only."""

    def __init__(self, tolerant: Iterable[str], spanish: Iterable[str], exact: Iterable[str]):
        self.words = frozenset(w for w in tolerant if len(w) >= TOLERANT_MIN and w.isalpha())
        self.short = frozenset(w for w in tolerant if len(w) == SOUNDS_MIN and w.isalpha())  # two letters swapped only
        self.exact = frozenset(exact)
        self.by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self.words:
            for variant in {word, *_deletions(word)}:
                self.by_deletion[variant].add(word)
        self.by_sound: dict[str, set[str]] = defaultdict(set)
        for word in spanish:
            if len(word) >= SOUNDS_MIN and word.isalpha():
                self.by_sound[sounds(word)].add(word)
        self.readings = functools.lru_cache(maxsize=65_536)(self._readings)

    def _readings(self, form: str) -> tuple[str, ...]:
        if form in self.exact or not form.isalpha() or len(form) < SOUNDS_MIN:
            return ()
        found = set(self.by_sound.get(sounds(form), ()))
        if len(form) == SOUNDS_MIN and self.short:
            found.update(w for w in (form[:i] + form[i + 1] + form[i] + form[i + 2 :] for i in range(3)) if w in self.short)
        if len(form) >= TOLERANT_MIN and form not in self.words:
            for variant in {form, *_deletions(form)}:
                found.update(word for word in self.by_deletion.get(variant, ()) if one_edit(form, word))
        found.discard(form)
        return tuple(sorted(found))


# --- rules -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    source: str  # the line as written, for the adult's view
    categories: tuple[str, ...]
    sequence: tuple[frozenset[str], ...]  # the concepts matched, each a set of alternatives
    ordered: bool
    within: int
    gap: int | None = None  # at most this many words between one concept's span and the next (``~G``)
    near: tuple[frozenset[str], ...] = ()
    without: tuple[frozenset[str], ...] = ()
    unless: tuple[frozenset[str], ...] = ()  # ``!X``: none of these in the match's sentence

    @property
    def concepts(self) -> set[str]:
        return {c for group in (*self.sequence, *self.near, *self.without, *self.unless) for c in group}


_RULE = re.compile(
    r"^(?P<categories>[\w,]+):\s*(?P<body>.+?)\s*/(?P<within>\d+)(?:\s*~(?P<gap>\d+))?(?P<extra>(?:\s+[+!-][\w|]+)*)\s*$"
)


def parse_rule(line: str, categories: Iterable[str], where: str) -> Rule:
    found = _RULE.match(line)
    if found is None:
        raise ValueError(f"{where}: a rule is 'categories: A B C /N' or 'categories: A & B /N', with +X, -X and !X after")
    names = tuple(found["categories"].split(","))
    if not set(names) <= set(categories):
        raise ValueError(f"{where}: unknown category in {found['categories']!r}")
    body = found["body"]
    ordered = "&" not in body
    parts = body.split() if ordered else [part.strip() for part in body.split("&")]
    if not parts or any(not part or " " in part for part in parts):
        raise ValueError(f"{where}: a rule names its concepts separated by spaces, or by '&' in any order")
    extra = found["extra"].split()
    return Rule(
        source=line,
        categories=names,
        sequence=tuple(frozenset(part.split("|")) for part in parts),
        ordered=ordered,
        within=int(found["within"]),
        gap=int(found["gap"]) if found["gap"] else None,
        near=tuple(frozenset(x[1:].split("|")) for x in extra if x.startswith("+")),
        without=tuple(frozenset(x[1:].split("|")) for x in extra if x.startswith("-")),
        unless=tuple(frozenset(x[1:].split("|")) for x in extra if x.startswith("!")),
    )


def parse_rules(path: Path, categories: Iterable[str]) -> list[Rule]:
    rules = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            rules.append(parse_rule(line, categories, f"{path.name}:{number}"))
    return rules


SENTENCES = 1  # a rule's match lies within this many sentences running


class Spans:
    """A text's concept spans by concept, each list sorted by start, and the sentence of each word."""

    def __init__(self, spans: Iterable[Span], sentences: list[int]):
        self.sentences = sentences
        self.by_concept: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start, end, concept in sorted(set(spans)):
            self.by_concept[concept].append((start, end))
        self.groups: dict[frozenset[str], list[tuple[int, int]]] = {}

    def has(self, group: frozenset[str]) -> bool:
        return any(concept in self.by_concept for concept in group)

    def of(self, group: frozenset[str]) -> list[tuple[int, int]]:
        found = self.groups.get(group)
        if found is None:
            if len(group) == 1:
                found = self.by_concept.get(next(iter(group)), [])
            else:
                found = sorted({span for concept in group for span in self.by_concept.get(concept, ())})
            self.groups[group] = found
        return found

    def any_in(self, group: frozenset[str], start: int, end: int) -> bool:
        return any(start <= s and e <= end for s, e in self.of(group))

    def any_over(self, group: frozenset[str], start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.of(group))


def _ordered(rule: Rule, spans: Spans) -> tuple[int, int] | None:
    """The first match of ``rule.sequence`` in order, as (start, end), or None."""
    lists = [spans.of(group) for group in rule.sequence]
    if not all(lists):
        return None
    for first_start, first_end in lists[0]:
        end, ok = first_end, True
        for candidates in lists[1:]:
            following = [e for s, e in candidates if s >= end and e - first_start <= rule.within
                         and (rule.gap is None or s - end <= rule.gap)]  # fmt: skip
            if not following:
                ok = False
                break
            end = min(following)
        if ok and _sentences(spans, first_start, end) and _context(rule, spans, first_start, end):
            return first_start, end
    return None


def _unordered(rule: Rule, spans: Spans) -> tuple[int, int] | None:
    """The first match of ``rule.sequence`` in any order (distinct, not overlapping spans), or None."""
    lists = [spans.of(group) for group in rule.sequence]
    if not all(lists):
        return None

    def extend(k: int, chosen: list[tuple[int, int]]) -> tuple[int, int] | None:
        if k == len(lists):
            start, end = min(s for s, _ in chosen), max(e for _, e in chosen)
            return (start, end) if _sentences(spans, start, end) and _context(rule, spans, start, end) else None
        low, high = min(s for s, _ in chosen), max(e for _, e in chosen)
        for s, e in lists[k]:
            if max(high, e) - min(low, s) > rule.within or any(s < ce and cs < e for cs, ce in chosen):
                continue
            found = extend(k + 1, [*chosen, (s, e)])
            if found:
                return found
        return None

    for span in lists[0]:
        found = extend(1, [span])
        if found:
            return found
    return None


def _sentences(spans: Spans, start: int, end: int) -> bool:
    return spans.sentences[end - 1] - spans.sentences[start] < SENTENCES


def _context(rule: Rule, spans: Spans, start: int, end: int) -> bool:
    if any(spans.any_over(group, start, end) for group in rule.without):
        return False
    if rule.unless:
        sentence = spans.sentences[start]
        if any(spans.sentences[s] == sentence or spans.sentences[e - 1] == sentence
               for group in rule.unless for s, e in spans.of(group)):  # fmt: skip
            return False
    return all(spans.any_in(group, start - rule.within, end + rule.within) for group in rule.near)


def fire(rules: list[Rule], spans: Spans) -> list[tuple[Rule, int, int]]:
    """Each rule that matches, once, with the words (start, end) of its first match."""
    found = []
    for rule in rules:
        if not all(spans.has(group) for group in rule.sequence):
            continue
        match = (_ordered if rule.ordered else _unordered)(rule, spans)
        if match is not None:
            found.append((rule, *match))
    return found
