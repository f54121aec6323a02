"""Safety screening of help requests: the two phrase tables, the lists' hygiene, normalisation, and
properties that hold for any text (peer_counselors/screening.py decides every rule in its docstring)."""

import ast
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from peer_counselors import screening, screening_concepts
from peer_counselors.screening import CATEGORIES, Screening, normalise, screen
from tests.peer_counselors import (
    phrases_dev6,
    phrases_dev7,
    phrases_dev7_tuner,
    phrases_dev8_tuner,
    phrases_dev9_tuner,
    phrases_dev10_tuner,
    phrases_dev11_tuner,
    phrases_dev12a_tuner,
    phrases_dev12b_tuner,
    phrases_dev12c_tuner,
    phrases_dev12d_tuner,
    phrases_dev12e_tuner,
    phrases_dev13_tuner,
    phrases_dev13b_tuner,
    phrases_holdout,
    phrases_holdout2,
    phrases_holdout3,
    phrases_holdout4,
    phrases_holdout5,
    phrases_holdout6,
    phrases_holdout7,
    phrases_holdout8,
    phrases_tuned,
)

ROOT = Path(__file__).resolve().parents[2]

# The autouse settings fixture in conftest.py touches nothing these pure functions read.
property_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Words for who someone is. None may appear in a list entry; none may change an ordinary text's screening.
IDENTITY = (
    "gay lesbian trans transgender queer bi bisexual nonbinary muslim jewish christian catholic hindu sikh "
    "buddhist black white brown asian latino latina hispanic mexican immigrant immigrants refugee indian "
    "african arab chinese korean disabled autistic deaf blind fat gordo gorda negro negra moreno morena "
    "lesbiana inmigrante mexicano mexicana migrante refugiado musulman musulmana judio judia cristiano "
    "catolica indigena autista sordo ciego discapacitado chino"
).split()



def misses(table):
    return [text for _, text, _ in table if not screen(text).flagged]


def false_alarms(table):
    return [(text, screen(text).terms) for _, text in table if screen(text).flagged]


def keeps_level(table, *, recall: float, false_alarms: float) -> None:
    """A holdout of 300 rows or more each way, every category in it, screened at ``recall`` or better and with no more
    than ``false_alarms`` of its ordinary rows flagged; counts only (``counted``)."""
    flag, ordinary = table.FLAG, table.NOT
    assert len(flag) >= 300 and len(ordinary) >= 300
    assert {category for _, _, category in flag} == set(CATEGORIES)
    found, alarms = counted(flag, ordinary)
    assert found >= recall, f"recall {found:.3f}"
    assert alarms / len(ordinary) <= false_alarms, f"{alarms} false alarms"


def counted(flag, ordinary) -> tuple[float, int]:
    """A blind table's recall and its number of false alarms, counts only: its rows are never shown in a failure
    (that would make it stop being blind)."""
    recall = sum(screen(text).flagged for _, text, _ in flag) / len(flag)
    alarms = sum(screen(text).flagged for _, text in ordinary)
    print(f"blind table: recall {recall:.3f} ({round(recall * len(flag))} of {len(flag)}), {alarms} of {len(ordinary)} false alarms")
    return recall, alarms


# --- the tables ------------------------------------------------------------------------------------------


def test_tuned_table_is_big_enough_in_both_languages():
    """At least 150 phrases each way, English and Spanish (and Spanglish) in both."""
    assert len(phrases_tuned.FLAG) >= 150 and len(phrases_tuned.NOT) >= 150
    for table in (phrases_tuned.FLAG, phrases_tuned.NOT):
        assert {row[0] for row in table} == {"en", "es", "mix"}
    assert {category for _, _, category in phrases_tuned.FLAG} == set(CATEGORIES)


def test_every_tuned_phrase_that_must_flag_flags_in_its_category():
    """Each must-flag phrase of the tuned table is flagged, with the category it was written for."""
    wrong = []
    for _, text, category in phrases_tuned.FLAG:
        result = screen(text)
        if not result.flagged or category not in result.categories:
            wrong.append((text, category, result.categories))
    assert wrong == []


def test_no_tuned_ordinary_phrase_flags():
    """No ordinary phrase of the tuned table is flagged."""
    assert false_alarms(phrases_tuned.NOT) == []


def test_holdout_table_is_big_enough_in_both_languages():
    assert len(phrases_holdout.FLAG) >= 100 and len(phrases_holdout.NOT) >= 100
    for table in (phrases_holdout.FLAG, phrases_holdout.NOT):
        assert {row[0] for row in table} == {"en", "es", "mix"}


# Measured once, when the holdout table was written after the lists froze: recall 0.880 (103 of 117), false
# alarms 0.009 (1 of 110). The compositional entries written against phrases_dev*.py lifted it to 0.991, but the
# brief for that round named a few of its misses as examples, so it is no longer blind: the second holdout is.
def test_holdout_table_is_screened_well_enough():
    """The holdout table (written after the lists froze, since developed against): recall >= 0.99, false alarms <= 0.05.
    bench/screening.py prints the real figures."""
    missed, alarms = misses(phrases_holdout.FLAG), false_alarms(phrases_holdout.NOT)
    recall = 1 - len(missed) / len(phrases_holdout.FLAG)
    false_alarm_rate = len(alarms) / len(phrases_holdout.NOT)
    assert recall >= 0.99, f"recall {recall:.3f}; missed: {missed}"
    assert false_alarm_rate <= 0.05, f"false alarms {false_alarm_rate:.3f}: {alarms}"


# The second holdout (phrases_holdout2.py) was written by someone who never saw the lists or the other tables, after
# the first round: recall 0.645 (107 of 166), false alarms 0.029 (5 of 172) on the first lists; 0.783 (130 of 166)
# and 0.017 (3 of 172) after the compositional round; 0.819 (136 of 166) and 0.017 (3 of 172) after the fifth round
# (families written from phrases_dev5.py's misses, which took that table from 0.596 to 1.000). Far from the 0.98
# target; this guards the level reached, so that a change to the lists cannot quietly lose ground where nobody tuned.
# With the concept layer (screening_concepts.py): 0.861 (143 of 166), then 0.910 (151 of 166), false alarms 0.017 (3 of
# 172), at commit 0879821 (its third and last look); the level guarded stays the one reached before it. Branch tune2
# developed against its misses (families, not rows): 0.994 (165 of 166), false alarms 0.006 (1 of 172).
def test_the_blind_holdout_keeps_the_level_it_reached():
    flag, ordinary = phrases_holdout2.MUST_FLAG, phrases_holdout2.MUST_NOT_FLAG
    missed = [text for text, _ in flag if not screening.screen(text).flagged]
    alarms = [text for text in ordinary if screening.screen(text).flagged]
    assert 1 - len(missed) / len(flag) >= 0.99, f"recall {1 - len(missed) / len(flag):.3f}"
    assert len(alarms) / len(ordinary) <= 0.05, f"false alarms: {alarms}"


# The third holdout (phrases_holdout3.py, 2026-12-02) was written by a helper kept away from the screen, its lists and
# every other table, and measured once, after the concept layer froze: recall 0.754 (172 of 228; English 0.772,
# Spanish 0.728), false alarms 0.011 (3 of 275); the screen before the concept layer scored 0.671 (153 of 228) on it.
# Far from the 0.98 target: this guards the level reached; its misses are never printed (bench/screening.py). Branch
# tune2 then developed against its misses (families of situations, not its rows): 0.974 (222 of 228), false alarms
# 0.011 (3 of 275); it is a development table since.
def test_the_third_blind_holdout_keeps_the_level_it_reached():
    flag, ordinary = phrases_holdout3.FLAG, phrases_holdout3.NOT
    recall, alarms = counted(flag, ordinary)
    assert recall >= 0.97, f"recall {recall:.3f}"
    assert alarms / len(ordinary) <= 0.05, f"{alarms} false alarms"


# The third holdout, looked at a second time (counts only) after the situation rules of branch tune: 0.825 (188 of
# 228), false alarms 0.022 (6 of 275). The fourth holdout (phrases_holdout4.py, 296 must-flag, 309 ordinary) was
# written by a helper who never opened the screen, its lists or any table, before the situation rules, and measured
# twice: on the screen before them (commit 6518076) recall 0.774 (229 of 296; English 0.831, Spanish 0.713, Spanglish
# 0.708), false alarms 0.032 (10 of 309); on the frozen rules (commit 9f0941e) 0.861 (255 of 296; 0.877, 0.840,
# 0.854), false alarms 0.036 (11 of 309); 26 of its rows also stand in a development table (short phrases written
# alike): without them 0.853 (237 of 278). Branch tune2 (its rows never looked at; counts after each commit, and the
# entries behind the rows a change lost or gained, without their text) took it to 0.892 (264 of 296), then, once three
# wide rules were narrowed because the bench's run-on texts flagged twice as often, 0.885 (262 of 296; English 0.883,
# Spanish 0.883, Spanglish 0.896), false alarms 0.032 (10 of 309), while the tables it tuned on rose to 0.97-1.00: the
# gap is the honest measure of how little a round of families generalises. Branch tune3 (tuned on the fifth
# holdout's rows, this table's counts read after each commit, never its rows): 0.889 (263 of 296; English 0.890,
# Spanish 0.883, Spanglish 0.896), false alarms 0.032 (10 of 309). Branches tune4a and tune4b (2026-12-03; counts
# only): 0.922 (273 of 296), false alarms 0.032 (10 of 309). This guards the level reached.
def test_the_fourth_blind_holdout_keeps_the_level_it_reached():
    flag, ordinary = phrases_holdout4.FLAG, phrases_holdout4.NOT
    assert len(flag) >= 250 and len(ordinary) >= 250
    recall, alarms = counted(flag, ordinary)
    assert recall >= 0.92, f"recall {recall:.3f}"
    assert alarms / len(ordinary) <= 0.05, f"{alarms} false alarms"


# The fifth holdout (phrases_holdout5.py, 354 must-flag, 374 ordinary, 59 a category, en/es/Spanglish) was written
# by a helper who never opened the screen, its lists or any table, while branch tune2 was being tuned (the tuner never
# saw it), and measured by the lead twice, counts only: on main before tune2 (c2e1fee) recall 0.794 (281 of 354;
# English 0.786, Spanish 0.796, Spanglish 0.815), false alarms 0.029 (11 of 374); with tune2 merged (2692473) 0.833
# (295 of 354; 0.833 in each language), false alarms 0.027 (10 of 374). Weakest: harm to others (34 -> 43 of 59).
# 14 of its must-flag rows also stand in an earlier table: without them 0.826. Branch tune3 then tuned on its rows
# (families written from its misses), so it is no longer blind: 0.994 (352 of 354; English 0.995, Spanish 0.991,
# Spanglish 1.000), false alarms 0.027 (10 of 374), while the fourth holdout, kept unseen (counts only), moved from
# 0.885 to 0.889 (263 of 296). This guards the level reached.
def test_the_fifth_holdout_keeps_the_level_it_reached():
    keeps_level(phrases_holdout5, recall=0.99, false_alarms=0.05)


# The sixth holdout (phrases_holdout6.py, 332 must-flag, 385 ordinary, 55-56 a category) was written by a helper who
# never opened the screen, its lists or any table, while branch tune3 was tuned (on the fifth holdout's rows), and
# measured by the lead twice, counts only: with tune2 (commit 1980e5a) recall 0.822 (273 of 332; English 0.835,
# Spanish 0.775, Spanglish 0.875), false alarms 0.023 (9 of 385); with tune3 merged (8aa9d6f) 0.834 (277 of 332;
# 0.846, 0.794, 0.875), false alarms 0.023. Weakest: emergencies (39 of 55) and harm to others (41 of 55). Three
# rounds running, a round lifts the table it tunes on to about 0.99 and the next fresh table by 1 to 4 points: this is
# where the word lists stand on wording they have not seen. With tune4a and tune4b merged (2026-12-03, counts only)
# 0.877 (291 of 332), false alarms 0.023 (9 of 385); tune4b's tuner once saw two of its ordinary rows by a grep
# meant for another table (no change was aimed at them). This guards the level reached.
def test_the_sixth_blind_holdout_keeps_the_level_it_reached():
    keeps_level(phrases_holdout6, recall=0.87, false_alarms=0.05)


# The seventh holdout (phrases_holdout7.py, 360 must-flag, 442 ordinary, 60 a category; en 197, es 109, Spanglish
# 54) was written on 2026-12-03 by a helper who never opened the screen, its lists or any table, told to avoid the
# textbook phrases, while branches tune4a and tune4b were tuned (neither could read it). Measured by the lead twice,
# counts only: on main before the round (3bfe9c7) recall 0.725 (261 of 360; English 0.756, Spanish 0.706, Spanglish
# 0.648), false alarms 0.034 (15 of 442); with both rounds merged 0.806 (290 of 360; 0.822, 0.798, 0.759; weapon 58,
# emergency 51, self-harm 48, abuse 46, harm to others 46, unsafe home 41 of 60), false alarms 0.034. 5 of its
# must-flag and 13 of its ordinary rows also stand in an earlier table (without them: 0.803, 15 of 429). The round
# that lifted its own tables to 0.99-1.00 lifted this one by 8 points: still far from 0.98. This guards the level.
def test_the_seventh_blind_holdout_keeps_the_level_it_reached():
    keeps_level(phrases_holdout7, recall=0.80, false_alarms=0.04)


# The eighth holdout (phrases_holdout8.py, 360 must-flag, 423 ordinary, 60 a category; en 198, es 108, Spanglish
# 54) was written on 2026-12-03 by a helper who never opened the screen, its lists or any table, asked for indirect
# wording (what happened, not its name), while branch tune5 was tuned (its tuner could not read it). Measured by the
# lead twice, counts only: before tune5 (b78ac2e) recall 0.769 (277 of 360; English 0.737, Spanish 0.852, Spanglish
# 0.722; self-harm 37, harm to others 44, unsafe home 46, abuse 48, emergency 51, weapon 51 of 60), false alarms
# 0.040 (17 of 423); with tune5 0.772 (278 of 360), false alarms 0.040: tune5's own tables went to 1.000 and this one
# moved by one row. This guards the level reached.
def test_the_eighth_blind_holdout_keeps_the_level_it_reached():
    keeps_level(phrases_holdout8, recall=0.77, false_alarms=0.045)


def test_the_tables_do_not_share_phrases():
    """The holdout measures something only if none of its phrases is in the tuned table."""
    tuned = {normalise(row[1]) for row in (*phrases_tuned.FLAG, *phrases_tuned.NOT)}
    shared = [row[1] for row in (*phrases_holdout.FLAG, *phrases_holdout.NOT) if normalise(row[1]) in tuned]
    shared += [row[1] for row in (*phrases_dev6.FLAG, *phrases_dev6.NOT) if normalise(row[1]) in tuned]
    assert shared == []


def test_sixth_development_table_is_big_enough_in_both_languages():
    assert len(phrases_dev6.FLAG) >= 120 and len(phrases_dev6.NOT) >= 120
    for table in (phrases_dev6.FLAG, phrases_dev6.NOT):
        assert {row[0] for row in table} == {"en", "es", "mix"}
    assert {category for _, _, category in phrases_dev6.FLAG} == set(CATEGORIES)


# Written before the concept layer's rules and frozen (recall 0.795, false alarms 0.057 on the phrase lists alone);
# the concept layer was developed against it: 0.977 (167 of 171), false alarms 0.006 (1 of 158). bench/screening.py
# prints the figures; this guards the level, as the holdout's test does.
def test_sixth_development_table_is_screened_well_enough():
    missed, alarms = misses(phrases_dev6.FLAG), false_alarms(phrases_dev6.NOT)
    recall = 1 - len(missed) / len(phrases_dev6.FLAG)
    assert recall >= 0.98, f"recall {recall:.3f}; missed: {missed}"
    assert len(alarms) / len(phrases_dev6.NOT) <= 0.05, f"false alarms: {alarms}"


# Written by the tuning round of branch tune before its rules (recall 0.717, 137 of 191, false alarms 0.071, 8 of 112),
# then tuned against: 0.979 (187 of 191), false alarms 0.027 (3 of 112). This guards the level, as above.
def test_the_tuners_development_table_is_screened_well_enough():
    assert {row[0] for row in phrases_dev7_tuner.FLAG} == {"en", "es", "mix"}
    missed, alarms = misses(phrases_dev7_tuner.FLAG), false_alarms(phrases_dev7_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev7_tuner.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev7_tuner.NOT) <= 0.05, f"false alarms: {alarms}"


# Written for branch tune by a helper who never saw the screen or any table (393 must-flag, 397 ordinary, weighted to
# emergencies and unsafe homes): 0.684 (269 of 393), false alarms 0.048 (19 of 397) on the screen before the
# situation rules; the rules were then written against its misses: 0.952, false alarms 0.043 (17 of 397); after branch
# tune2 (families from its misses among others) 0.995 (391 of 393), false alarms 0.013 (5 of 397).
def test_the_seventh_development_table_is_screened_well_enough():
    assert {category for _, _, category in phrases_dev7.FLAG} == set(CATEGORIES)
    missed, alarms = misses(phrases_dev7.FLAG), false_alarms(phrases_dev7.NOT)
    assert 1 - len(missed) / len(phrases_dev7.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev7.NOT) <= 0.05, f"false alarms: {alarms}"


# Written by branch tune2 before it changed the lists, one family per block (first names, grown-ups at home, anyone not
# breathing, not existing, Spanish forms and chat spelling, black eyes): 0.765 (104 of 136), false alarms 0.127 (13 of
# 102); then tuned against: 0.993 (135 of 136), false alarms 0.039 (4 of 102).
def test_the_eighth_development_table_is_screened_well_enough():
    assert {row[0] for row in phrases_dev8_tuner.FLAG} == {"en", "es", "mix"}
    missed, alarms = misses(phrases_dev8_tuner.FLAG), false_alarms(phrases_dev8_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev8_tuner.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev8_tuner.NOT) <= 0.05, f"false alarms: {alarms}"


# Written by branch tune2 mid-round, before any entry for it (harm to others, weapons, emergencies): 0.780 (46 of 59),
# false alarms 0.095 (4 of 42); then tuned against: 1.000, false alarms 0.024 (1 of 42).
def test_the_ninth_development_table_is_screened_well_enough():
    missed, alarms = misses(phrases_dev9_tuner.FLAG), false_alarms(phrases_dev9_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev9_tuner.FLAG) >= 0.98, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev9_tuner.NOT) <= 0.05, f"false alarms: {alarms}"


# The tuner's four batches of fresh must-flag wording, late in branch tune2 (123 of 150 flagged before their entries):
# 147 of 150 after.
def test_the_tuners_probes_are_screened_well_enough():
    missed = misses(phrases_dev10_tuner.FLAG)
    assert 1 - len(missed) / len(phrases_dev10_tuner.FLAG) >= 0.98, f"missed: {missed}"


# The tuner's probes of branch tune3: fresh wording for each family written from the fifth holdout's misses, and
# ordinary rows beside them, written after the entries and before running them (45 of 46 flagged, 3 of 28 false
# alarms); 46 of 46 and 0 of 28 once a reading, a rule and a benign entry followed.
def test_the_third_rounds_probes_are_screened_well_enough():
    missed, alarms = misses(phrases_dev11_tuner.FLAG), false_alarms(phrases_dev11_tuner.NOT)
    assert {category for _, _, category in phrases_dev11_tuner.FLAG} == set(CATEGORIES)
    assert 1 - len(missed) / len(phrases_dev11_tuner.FLAG) >= 0.98, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev11_tuner.NOT) <= 0.05, f"false alarms: {alarms}"



# Branch tune4a's development table (emergencies, harm to others, weapons; 150 must-flag, 161 ordinary, many of them
# alarming), written before the round looked at any miss. Blind, on the screen before the round (88a9ddf): recall
# 0.873 (131 of 150: emergency 48/55, harm to others 41/50, weapon 42/45), false alarms 0.081 (13 of 161). Tuned
# against since (strong words and situations that flag unless a benign context is in the sentence): 149 of 150, 1 of
# 161. This guards the level reached.
def test_the_fourth_rounds_development_table_is_screened_well_enough():
    missed, alarms = misses(phrases_dev12a_tuner.FLAG), false_alarms(phrases_dev12a_tuner.NOT)
    assert len(phrases_dev12a_tuner.FLAG) >= 120 and len(phrases_dev12a_tuner.NOT) >= 150
    assert {category for _, _, category in phrases_dev12a_tuner.FLAG} == {"emergency", "harm_to_others", "weapon"}
    assert 1 - len(missed) / len(phrases_dev12a_tuner.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev12a_tuner.NOT) <= 0.02, f"false alarms: {alarms}"


# Branch tune4a's second probes (62 must-flag, 66 ordinary that look alarming), written after the round's first
# entries and before running them: on 88a9ddf 48 of 62 flagged, 16 of 66 false alarms; with the first entries (da73cf8)
# 51 of 62 and 17 of 66 (14 of them by older entries): how little the first entries reached fresh wording. Tuned
# against since: 59 of 62, 4 of 66. This guards the level reached.
def test_the_fourth_rounds_probes_are_screened_well_enough():
    missed, alarms = misses(phrases_dev12b_tuner.FLAG), false_alarms(phrases_dev12b_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev12b_tuner.FLAG) >= 0.95, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev12b_tuner.NOT) <= 0.07, f"false alarms: {alarms}"


# Branch tune4a's third probes (58 must-flag, 48 ordinary), written after the round's second entries and before running
# them, in styles the first two sets had little of (long narratives, signs without the key word, regional slang): on
# 88a9ddf 36 of 58 flagged, on a8dd651 41 of 58 (emergencies 10 of 22), 5 of 48 false alarms (older entries). Tuned
# against since: 58 of 58, 2 of 48. This guards the level reached.
def test_the_fourth_rounds_third_probes_are_screened_well_enough():
    missed, alarms = misses(phrases_dev12c_tuner.FLAG), false_alarms(phrases_dev12c_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev12c_tuner.FLAG) >= 0.98, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev12c_tuner.NOT) <= 0.05, f"false alarms: {alarms}"


# Branch tune4a's fourth probes (51 must-flag, 40 ordinary), written after round 4's entries and before running them:
# on 88a9ddf 27 of 51, on 1b04596 32 of 51 (0.627), 5 of 40 false alarms (older entries): the honest measure of how far
# four rounds of families reach fresh wording. Tuned against since: 47 of 51. This guards the level reached.
def test_the_fourth_rounds_fourth_probes_are_screened_well_enough():
    missed, alarms = misses(phrases_dev12d_tuner.FLAG), false_alarms(phrases_dev12d_tuner.NOT)
    assert 1 - len(missed) / len(phrases_dev12d_tuner.FLAG) >= 0.92, f"missed: {missed}"
    assert len(alarms) / len(phrases_dev12d_tuner.NOT) <= 0.125, f"false alarms: {alarms}"
# Branch tune4b's development table (self-harm, abuse, unsafe homes; 139 must-flag, 178 ordinary, many of them
# alarming on the surface), written before the round looked at the lists or the screen's misses, and measured once
# so, blind for these three families: recall 0.921 (128 of 139; self-harm 45 of 49, abuse 40 of 44, unsafe home 43
# of 46; English 0.933, Spanish 0.902, Spanglish 0.889), false alarms 0.112 (20 of 178). Tuned against since (concepts
# and benign context, not phrases): this guards the level reached.
def test_the_tune4b_development_table_is_screened_well_enough():
    table = phrases_dev12e_tuner
    assert len(table.FLAG) >= 120 and len(table.NOT) >= 150
    assert {category for _, _, category in table.FLAG} == {"self_harm", "abuse", "unsafe_home"}
    for category in ("self_harm", "abuse", "unsafe_home"):
        assert sum(row[2] == category for row in table.FLAG) >= 40
    missed, alarms = misses(table.FLAG), false_alarms(table.NOT)
    assert 1 - len(missed) / len(table.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(table.NOT) <= 0.03, f"false alarms: {alarms}"

# Branch tune5's development table (all six families, 30 or 31 rows each, 61 % Spanish or Spanglish; 183 must-flag,
# 190 ordinary, many alarming on the surface), written before the round looked at the screen's misses and measured
# once so, blind: recall 0.929 (170 of 183; unsafe home 27 of 31, abuse 30 of 31, harm to others 24 of 30, self-harm
# 29 of 31, emergency and weapon all), false alarms 0.058 (11 of 190). Tuned against since with broad concept classes
# of both languages (rules.txt, "tune5") and narrow benign entries: this guards the level reached.
def test_the_tune5_development_table_is_screened_well_enough():
    table = phrases_dev13_tuner
    assert len(table.FLAG) >= 180 and len(table.NOT) >= 180
    for category in ("self_harm", "abuse", "unsafe_home", "harm_to_others", "emergency", "weapon"):
        assert sum(row[2] == category for row in table.FLAG) >= 30
    assert sum(row[0] != "en" for row in table.FLAG) >= 0.4 * len(table.FLAG)
    missed, alarms = misses(table.FLAG), false_alarms(table.NOT)
    assert 1 - len(missed) / len(table.FLAG) >= 0.99, f"missed: {missed}"
    assert len(alarms) / len(table.NOT) <= 0.02, f"false alarms: {alarms}"

# Branch tune5's midway probes (63 must-flag for unsafe homes, abuse, harm to others and self-harm; 40 ordinary),
# written after the round's first classes and before running them: 40 of 63 (0.635), 2 of 40 false alarms. Tuned
# against since (broad classes of both languages): this guards the level reached.
def test_the_tune5_probes_are_screened_well_enough():
    table = phrases_dev13b_tuner
    assert len(table.FLAG) >= 60 and len(table.NOT) >= 40
    missed, alarms = misses(table.FLAG), false_alarms(table.NOT)
    assert 1 - len(missed) / len(table.FLAG) >= 0.98, f"missed: {missed}"
    assert len(alarms) / len(table.NOT) <= 0.05, f"false alarms: {alarms}"

# --- the concept layer (screening_concepts.py) -----------------------------------------------------------------


def concept_terms(text):
    return [term for term in screen(text).terms if term.startswith("concept: ")]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i took like 10 of my moms pills last nite", "self_harm"),  # a number of pills taken, no list entry
        ("quiero matar a mi compañero", "harm_to_others"),  # a wish, a way to hurt, a person
        ("ya no kiero bibir", "self_harm"),  # "bibir" sounds like "vivir"
        ("me quiero suisidar", "self_harm"),  # and "suisidar" like "suicidar"
        ("my moms boyfreind touches me", "abuse"),  # one edit from "boyfriend"
        ("ese wey trae un cuchiyo en la mochila", "weapon"),  # one edit from "cuchillo" (squeezed)
        ("i wnat to die", "self_harm"),  # two letters swapped in a word of four
        ("there is no comida at home and no electricity", "unsafe_home"),  # Spanglish: both lists' concepts
    ],
)
def test_the_concept_layer_flags_fresh_wording(text, category):
    result = screen(text)
    assert result.flagged and category in result.categories
    assert concept_terms(text), "no concept rule fired"


def test_benign_context_drops_only_the_concepts_it_overlaps():
    """"this homework is killing me" holds a way to hurt and "me", and suppresses both; a wish to die beside it
    still flags, by the concept rule as well as the lists."""
    assert not screen("my mom is gonna kill me, i lost my jacket again").flagged
    result = screen("this homework is killing me and i want to die")
    assert result.flagged and "concept: self_harm: desire death /9 ~3 -other -deathidiom" in result.terms


def test_a_concept_rule_stays_within_one_sentence():
    """A wish in one sentence and a way to hurt with a person in the next do not add up to a flag."""
    assert concept_terms("im gonna golpear a ese niño")
    assert not screen("im gonna go to the game. golpear a ese niño is what they did in the movie").flagged
    assert not concept_terms("i want to go. the end it was")


def test_tolerant_readings_leave_real_words_alone():
    """An edit away from a tolerant word is often a real word ("stayed" from "stabbed", "strange" from
    "strangle"): no word of the tables' ordinary phrases, or of the project's own English and Spanish texts, is
    read as a concept word it is not, apart from the misspellings and forms listed here."""
    tolerant = screening._lists().tolerant
    words = {w for table in (phrases_tuned, phrases_holdout, phrases_dev6) for row in table.NOT for w in normalise(row[1]).split()}
    for po in ROOT.glob("locale/*/LC_MESSAGES/django.po"):
        words |= set(normalise(po.read_text(encoding="utf-8")).split())
    allowed = {"grandmas", "grandpas", "privates", "punches", "quiero", "lastima", "desaparece", "golpeo", "diaz", "desc"}
    read = {w: tolerant.readings(w) for w in words if w not in allowed}
    assert {w: r for w, r in read.items() if r} == {}


def test_no_concept_holds_an_identity_word_or_reads_one_tolerantly():
    lists = screening._lists()
    identity = {normalise(word) for word in IDENTITY}
    offending = sorted({p.source for p in lists.concept_patterns if entry_words(p) & identity})
    stems = sorted({p.source for p in lists.concept_patterns for pos in p.positions if pos for word in identity
                    if pos.stems and word.startswith(pos.stems)})  # fmt: skip
    assert offending == [] and stems == []
    assert {word: lists.tolerant.readings(word) for word in identity if lists.tolerant.readings(word)} == {}


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [("want", "wnat", True), ("knife", "knif", True), ("knife", "knifes", True), ("knife", "kinfe", True),
     ("knife", "knight", False), ("abcd", "abdc", True), ("abcd", "badc", False), ("same", "same", False)],
)
def test_one_edit(a, b, near):
    assert screening_concepts.one_edit(a, b) is near


def test_spanish_sounds():
    assert screening_concepts.sounds("vivir") == screening_concepts.sounds("bibir")
    assert screening_concepts.sounds("suicidar") == screening_concepts.sounds("suisidar")
    assert screening_concepts.sounds("quiero") == screening_concepts.sounds("kiero")
    assert screening_concepts.sounds("vaya") != screening_concepts.sounds("bala")


def test_every_rule_names_concepts_that_exist_and_a_bad_rule_fails_naming_its_place():
    lists = screening._lists()
    named = {pattern.category for pattern in lists.concept_patterns}
    assert lists.rules and all(rule.concepts <= named for rule in lists.rules)
    for line, message in [
        ("self_harm: desire death", "a rule is"),
        ("nothing: desire death /6", "unknown category"),
        ("self_harm: desire death & suicide /6", "separated by"),
    ]:
        with pytest.raises(ValueError, match=message) as raised:
            screening_concepts.parse_rule(line, CATEGORIES, "rules.txt:3")
        assert "rules.txt:3" in str(raised.value)


def test_a_rule_matches_in_order_within_its_words_and_without_what_it_excludes():
    rule = screening_concepts.parse_rule("self_harm: desire death /4 -other", CATEGORIES, "t")
    unordered = screening_concepts.parse_rule("unsafe_home: fear & home /4 +self", CATEGORIES, "t")

    def fires(target, spans, sentences=None):
        sentences = sentences or [0] * 20
        return bool(screening_concepts.fire([target], screening_concepts.Spans(spans, sentences)))

    assert fires(rule, [(0, 1, "desire"), (3, 4, "death")])
    assert not fires(rule, [(0, 1, "desire"), (4, 5, "death")])  # five words
    assert not fires(rule, [(3, 4, "death"), (4, 5, "desire")])  # the wrong order
    assert not fires(rule, [(0, 1, "desire"), (1, 2, "other"), (3, 4, "death")])
    assert not fires(rule, [(0, 1, "desire"), (3, 4, "death")], [0, 0, 1, 1] + [1] * 16)  # two sentences
    gapped = screening_concepts.parse_rule("harm_to_others: desire violence target /9 ~1", CATEGORIES, "t")
    assert fires(gapped, [(0, 1, "desire"), (2, 3, "violence"), (4, 5, "target")])
    assert not fires(gapped, [(0, 1, "desire"), (2, 3, "violence"), (5, 6, "target")])  # two words between
    assert fires(unordered, [(2, 3, "home"), (0, 1, "fear"), (5, 6, "self")])
    assert not fires(unordered, [(2, 3, "home"), (0, 1, "fear")])  # no "self" near


# --- decisions of the docstring -----------------------------------------------------------------------------


def test_negated_self_harm_still_goes_to_an_adult():
    """Negation is not read: a false alarm costs less than a miss."""
    assert screen("I'm not going to kill myself").flagged
    assert screen("no me voy a matar").flagged


def test_the_identity_word_is_never_what_flags():
    """"they'll hurt me because I'm gay" flags, by "hurt me"; no matched entry mentions who the child is."""
    result = screen("they said they'll hurt me because I'm gay")
    assert result.flagged and "harm_to_others" in result.categories
    assert not any(word in term.split() for term in result.terms for word in IDENTITY)
    assert not screen("I'm gay").flagged


def test_an_injury_named_with_an_identity_word_flags_only_as_the_injury():
    """"black eye" and "fat lip" are joined into one word (rewrites.txt), so no entry holds "black" or "fat"; the
    injury with who did it flags, the identity word alone never does."""
    assert normalise("a black eye and a fat lip") == "a blackeye and a fatlip"
    assert "abuse" in screen("my dad gave me a black eye").categories
    assert screen("my mom has a black eye again from her boyfriend").flagged
    for text in ["im black", "my dad is black and my mom is white", "we eat black eyed peas", "kids call me fat"]:
        assert not screen(text).flagged, text


def test_a_first_name_is_a_person_where_the_rules_want_one():
    """slots.txt's {name}: "kill Brandon" is "kill him"; a name in game talk is nothing."""
    assert "harm_to_others" in screen("im going to kill Brandon for real this time").categories
    assert "harm_to_others" in screen("voy a matar a Mateo mañana").categories
    assert screen("i wanna push Chloe down the stairs").flagged
    assert not screen("i want to beat Noah at chess so bad").flagged
    assert not screen("Olivia killed it at the talent show").flagged


def test_spanish_forms_are_read_as_their_plain_word():
    """A verb with pronouns joined on, and a diminutive, are also read as the plain word (step 9)."""
    assert "apunalar" in screening._spanish_bases("apunalarlo") and "pegar" in screening._spanish_bases("pegarle")
    assert "hermano" in screening._spanish_bases("hermanito") and "mama" in screening._spanish_bases("mamita")
    assert screening._spanish_bases("carla") == () and screening._spanish_bases("matar") == ()
    assert screen("quiero lastimar a mi hermanito").flagged


def test_an_emoji_alone_never_flags_but_counts_beside_words():
    """🔪 cuts a cake; "bring 🔪 to school" is a weapon."""
    assert not screen("cutting a cake 🔪🎂").flagged
    assert screen("im bringing 🔪🔪 to school").categories == ("weapon",)


def test_benign_context_suppresses_only_the_match_it_overlaps():
    """"this homework is killing me" is nothing; beside "I want to kill myself" it hides nothing."""
    assert not screen("this homework is killing me").flagged
    result = screen("this homework is killing me and i want to kill myself")
    assert result.flagged and result.categories == ("self_harm",)


def test_screening_names_sorted_categories_and_each_term_once():
    result = screen("my dad hits me. my dad hits me. i want to die")
    assert result.categories == tuple(sorted(result.categories))
    assert set(result.categories) <= set(CATEGORIES)
    assert len(result.terms) == len(set(result.terms))
    assert screen("") == Screening(flagged=False, categories=(), terms=())


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Ｉ ＷＡＮＴ", "i want"),  # NFKC, casefold
        ("𝐤𝐢𝐥𝐥", "kil"),  # mathematical letters; squeezed
        ("sui\u200bci\u00adde\ufeff", "suicide"),  # zero-width space, soft hyphen, BOM
        ("suicidarmé papá", "suicidarme papa"),  # accents
        ("kіll", "kil"),  # a Cyrillic і
        ("don't I'm", "dont im"),
        ("k i l l", "kil"),
        ("k.i.l.l  m-y-s-e-l-f", "kilmyself"),  # one run: found inside (see the next test)
        ("diiiiie killlll", "die kil"),
        ("k1ll mys3lf h@rm $ad", "kil myself harm sad"),
        ("call 911 at 3 on 2025", "cal 911 at 3 on 2025"),
        ("die!!! !!!", "die"),
        ("I'm going to go, I want to", "im gona go i wana"),
        ("sewer slide", "suicide"),
        ("🔪🔪 🔪 cake", "🔪 cake"),
    ],
)
def test_normalisation_steps(written, normalised):
    assert normalise(written) == normalised


def test_other_spellings_add_a_reading_without_replacing_the_word():
    """"m" is read "me" for "m quiero matar", but "5 m" stays metres in the normalised text."""
    assert screen("m quiero matar").flagged
    assert normalise("5 m") == "5 m"


def test_spaced_out_and_run_together_words_are_found():
    for text in ["k.i.l.l  m-y-s-e-l-f", "killmyself", "#iwanttodie", "he has a g u n", "i d o n t want to live"]:
        assert screen(text).flagged, text


def test_a_masked_letter_reads_as_the_list_words_it_may_stand_for():
    """"k*ll", "k#ll", "su*cide": a "*" or "#" inside a word is one letter or none; the word stays as written."""
    for text in ["i want to k*ll myself", "i want to k#ll myself", "looking up su*cide", "he said he would k*ll me"]:
        assert screen(text).flagged, text
    assert normalise("k#ll m*") == "k*l m"
    for text in ["this is sh*t", "what the f*ck", "*k*", "a*b*c*d", "k*ll it in the game"]:
        assert not screen(text).flagged, text


def test_format_characters_are_every_unicode_cf():
    """The deleted characters are every category Cf of this Python's Unicode, the five skin tones, and
    format characters of later Unicode versions (unassigned here)."""
    deleted = {chr(c) for c in range(sys.maxunicode + 1) if screening._FORMAT.fullmatch(chr(c))}
    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    skin_tones = {chr(c) for c in range(0x1F3FB, 0x1F400)}
    assert cf <= deleted
    assert {c for c in deleted - cf - skin_tones if unicodedata.category(c) != "Cn"} == set()


# --- the lists ------------------------------------------------------------------------------------------------


def entry_words(pattern):
    return {word for position in pattern.positions if position for word in position.words}


def test_no_list_entry_holds_an_identity_word():
    lists = screening._lists()
    identity = {normalise(word) for word in IDENTITY}
    offending = sorted({p.source for p in lists.patterns if p.category != "benign" and entry_words(p) & identity})
    stems = sorted({p.source for p in lists.patterns for pos in p.positions if pos for word in identity
                    if pos.stems and word.startswith(pos.stems) and p.category != "benign"})  # fmt: skip
    assert offending == [] and stems == []


def test_every_emoji_in_the_lists_needs_words_beside_it():
    """No trigger entry is a lone word that an emoji could fill, and no emoji alone (or repeated) flags."""
    lists = screening._lists()
    emoji = {w for p in lists.patterns for w in entry_words(p) if screening._IS_EMOJI.search(w)}
    assert emoji, "the lists hold no emoji: the test would prove nothing"
    for pattern in lists.patterns:
        required = [pos for pos in pattern.positions if pos is not None and not pos.optional]
        if pattern.category != "benign" and len(required) == 1:
            assert not any(screening._IS_EMOJI.search(w) for w in required[0].words), pattern.source
    for each in emoji:
        assert not screen(each).flagged and not screen(each * 5).flagged and not screen(" ".join(emoji)).flagged


def test_a_malformed_entry_fails_naming_its_place():
    slots = screening._lists().slots
    for line, message in [
        (".. die", "starts with a word"),
        ("die? now", "starts with a word"),
        ("die ..", "ends with a word"),
        ("want .. .. die", "two gaps"),
        ("{nope} die", "no slot named"),
        ("ab* die", "shorter than 3"),
        ("self-harm", "not one word"),
    ]:
        with pytest.raises(ValueError, match=message) as raised:
            screening._patterns(line, "self_harm", slots, "en/self_harm.txt:7")
        assert "en/self_harm.txt:7" in str(raised.value)


def test_screening_imports_nothing_from_django():
    """Pure: the module's own imports, and what importing it loads in a fresh interpreter."""
    tree = ast.parse(Path(screening.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)
    probe = "import sys, peer_counselors.screening as s; s.screen('x'); print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- properties ---------------------------------------------------------------------------------------------

ORDINARY = [text for _, text in phrases_tuned.NOT]
FLAGGED = [text for _, text, _ in phrases_tuned.FLAG]
PLAIN_FLAGGED = [text for text in FLAGGED if text.isascii() and all(w.isalpha() for w in text.replace("'", "").split())]


@property_settings
@given(st.text())
def test_screen_never_raises_and_is_deterministic(text):
    assert screen(text) == screen(text)


@property_settings
@given(st.text())
def test_words_found_sentence_by_sentence_are_the_words_of_the_whole_text(text):
    """The second layer's sentences change nothing the first layer reads."""
    found, sentences = screening._found_in_sentences(text)
    assert found == screening._found(text)
    assert len(sentences) == len(found) and sentences == sorted(sentences)


@property_settings
@given(st.sampled_from(FLAGGED), st.sampled_from(ORDINARY))
def test_the_concept_layer_only_adds(flagged, ordinary):
    """A flagged phrase after an ordinary sentence stays flagged: the sentences the second layer reads take nothing
    from the first."""
    assert screen(f"{ordinary}. {flagged}").flagged and screen(f"{ordinary}!\n{flagged}").flagged


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec=None), min_size=2_000, max_size=20_000))
def test_screen_takes_huge_odd_unicode(text):
    assert isinstance(screen(text), Screening)


@property_settings
@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


IDENTITY_CLAUSES = ["i'm {}", "i am {} and", "as a {} kid", "my friend is {}", "soy {}", "because i'm {}", "{}"]


@property_settings
@given(
    st.sampled_from(ORDINARY),
    st.sampled_from(IDENTITY),
    st.sampled_from(IDENTITY_CLAUSES),
    st.sampled_from(["{clause} {text}", "{text} {clause}", "{clause}. {text}", "{text}, {clause}"]),
)
def test_identity_words_added_to_ordinary_text_never_flag(text, identity, clause, joined):
    """Said before or after what the child wrote, a word for who they are changes nothing."""
    assert not screen(joined.format(clause=clause.format(identity), text=text)).flagged


@property_settings
@given(st.sampled_from(ORDINARY), st.lists(st.sampled_from(IDENTITY), min_size=1, max_size=3))
def test_identity_words_beside_nouns_never_flag(text, identity):
    """After an article or "my"/"mi" of an ordinary phrase ("my gay friend"), one word at each such place."""
    words = text.split()
    spots = [i + 1 for i, w in enumerate(words) if w.lower() in {"a", "the", "my", "his", "her", "mi", "un", "una"}]
    for spot, word in sorted(zip(spots, identity, strict=False), reverse=True):
        words.insert(spot, word)
    assert not screen(" ".join(words)).flagged


@property_settings
@given(st.sampled_from(FLAGGED), st.sampled_from(IDENTITY), st.sampled_from(["because i'm {}", "i'm {} and", "{}"]))
def test_identity_words_added_to_flagged_text_keep_it_flagged(text, identity, frame):
    phrase = frame.format(identity)
    assert screen(f"{phrase} {text}").flagged and screen(f"{text} {phrase}").flagged


@property_settings
@given(st.sampled_from(PLAIN_FLAGGED), st.sampled_from([" ", ".", "-", " . "]), st.randoms())
def test_spacing_out_a_word_of_a_flagged_phrase_still_flags(text, separator, rnd):
    """Any word of three letters or more, spaced out, unless a one-letter word beside it would be swallowed
    into the run (the module docstring, step 5)."""
    words = text.split()
    alone = [len(w) > 1 for w in ["xx", *words, "xx"]]
    long_words = [i for i, word in enumerate(words) if len(word) >= 3 and alone[i] and alone[i + 2]]
    assume(long_words)
    i = rnd.choice(long_words)
    words[i] = separator.join(words[i])
    assert screen(" ".join(words)).flagged, " ".join(words)


def test_a_long_ordinary_text_is_screened_in_its_whole_length():
    """A flag phrase at the end of 2,000 characters of chatter is still found."""
    chatter = random.Random(7).choices(ORDINARY, k=200)
    text = " ".join(chatter)[:2_000]
    assert not screen(text).flagged
    assert screen(text + " i want to die").flagged


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("our apartment is on fire i hid in the closet", True),
        ("he brought a gun to the football game", True),
        ("at the game he had a gun", True),
        ("we had a fire drill today and we hid under the desks", False),
        ("we played hide and seek and i hid in the closet", False),
        ("the gun in the game is op", False),
        ("in fortnite i got a gun", False),
    ],
)
def test_a_drill_or_a_game_beside_the_words_does_not_hide_a_real_fire_or_a_real_gun(text, flagged):
    """Benign context for drills and games sits next to its words: a real fire, or a gun brought to a football game,
    is not swallowed by an entry meant for a fire drill or a game's loot (both were missed before)."""
    assert screen(text).flagged is flagged


def test_a_spelling_reading_completes_a_rewrite_but_otherwise_stays_out_of_normalise():
    """Step 9's readings are not in normalise's output, except inside a rewrite of step 8 they completed (the
    docstring says so): "whant to" is rewritten as "want to" is; "u" and "r" stay as written."""
    assert normalise("i whant to die") == normalise("i want to die") == "i wana die"
    assert normalise("u r going to") == "u r gona"
