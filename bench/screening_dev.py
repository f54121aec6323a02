"""The safety screen on the development tables (tests/peer_counselors/phrases_dev*.py), and its time on texts
built from the tuned and development tables only (the holdout stays blind: bench/screening.py reads it).

    .venv/bin/python bench/screening_dev.py
    .venv/bin/python bench/screening_dev.py --misses      # list the development table's misses and false alarms
"""

import argparse
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peer_counselors import screening  # noqa: E402
from tests.peer_counselors import (  # noqa: E402
    phrases_dev,
    phrases_dev2,
    phrases_dev3,
    phrases_dev4,
    phrases_dev5,
    phrases_dev6,
    phrases_probes,
    phrases_tuned,
)

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--misses", action="store_true")
PARSER.add_argument("--texts", type=int, default=3_000)
ARGS = PARSER.parse_args()


def quality(name, table):
    print(f"{name}: {len(table.FLAG)} must-flag, {len(table.NOT)} ordinary")
    for language in ("en", "es", "mix", "all"):
        flag = [row for row in table.FLAG if language in ("all", row[0])]
        ordinary = [row for row in table.NOT if language in ("all", row[0])]
        results = [screening.screen(text) for _, text, _ in flag]
        flagged = sum(r.flagged for r in results)
        placed = sum(c in r.categories for r, (_, _, c) in zip(results, flag, strict=True))
        alarms = sum(screening.screen(text).flagged for _, text in ordinary)
        print(f"  {language:4} recall {flagged / len(flag):.3f} ({flagged}/{len(flag)})  in category"
              f" {placed / len(flag):.3f}  false alarms {alarms / len(ordinary):.3f} ({alarms}/{len(ordinary)})")
    if ARGS.misses:
        for language, text, category in table.FLAG:
            result = screening.screen(text)
            if not result.flagged:
                print(f"  missed      [{language}] {text!r} ({category})")
            elif category not in result.categories:
                print(f"  other class [{language}] {text!r}: {category} expected, {result.categories}")
        for language, text in table.NOT:
            result = screening.screen(text)
            if result.flagged:
                print(f"  false alarm [{language}] {text!r}: {'; '.join(result.terms)}")


def timing():
    rnd = random.Random(1)
    ordinary = [t for _, t in (*phrases_tuned.NOT, *phrases_dev.NOT)]
    flag = [t for _, t, _ in (*phrases_tuned.FLAG, *phrases_dev.FLAG)]
    texts = []
    for _ in range(ARGS.texts):
        parts, size, length = [], 0, rnd.randint(1_900, 2_000)
        while size < length:
            part = rnd.choice(ordinary) if rnd.random() < 0.6 else "".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(1, 12)))
            parts.append(part)
            size += len(part) + 1
        text = " ".join(parts)[:length]
        if rnd.random() < 0.2:
            text = text[:1_000] + " " + rnd.choice(flag) + " " + text[1_000:]
        texts.append(text)
    times = []
    for text in texts:
        start = time.perf_counter_ns()
        screening.screen(text)
        times.append((time.perf_counter_ns() - start) / 1_000)
    times.sort()
    print(f"time on {len(texts)} texts of ~2,000 characters: median {statistics.median(times):.0f} µs,"
          f" p99 {times[int(len(times) * 0.99)]:.0f} µs")


started = time.perf_counter()
screening._lists()
print(f"lists loaded in {(time.perf_counter() - started) * 1_000:.0f} ms")
quality("tuned table", phrases_tuned)
quality("development table", phrases_dev)
quality("second development table", phrases_dev2)
quality("third development table", phrases_dev3)
quality("fourth development table", phrases_dev4)
quality("fifth development table", phrases_dev5)
quality("sixth development table (written before the concept layer, frozen)", phrases_dev6)
probes = [(text, screening.screen(text)) for _, text in phrases_probes.NOT]
print(f"probes for false alarms: {sum(r.flagged for _, r in probes)} of {len(probes)} flag")
if ARGS.misses:
    for text, result in probes:
        if result.flagged:
            print(f"  false alarm {text!r}: {'; '.join(result.terms)}")
timing()
