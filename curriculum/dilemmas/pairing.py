"""Who restates whose reason in a live dilemma: a pure function, no database.

Each student who voted (a *reader*) is given one classmate's reason (its *author*) to say back in their
own words. The point is perspective-taking, so the author should have chosen differently:

1. a classmate in the reader's own group with a different answer (they are about to talk together);
2. else anyone in the class with a different answer;
3. else (everyone chose the same) any other classmate.

Within the first tier that has anyone, the author restated the fewest times so far is taken, so each
reason is restated by about one person; ties go to the next student after the reader in id order (a
ring), so two readers with the same choices do not all land on the same classmate. Nobody restates
their own reason; a class of one voter has no assignment. The result depends only on the answers and
the groups (sorted by id), so it is the same every time it is computed for the same run.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def assign_restatements(answers: Mapping[int, Hashable], groups: Mapping[int, int | None]) -> dict[int, int]:
    """reader id -> author id, for every student in ``answers`` (student id -> their first choice) when
    there is any other student; ``groups`` gives each student's group number (None: in no group)."""
    students = sorted(answers)
    if len(students) < 2:
        return {}
    place = {student: i for i, student in enumerate(students)}
    load = dict.fromkeys(students, 0)
    n = len(students)
    assigned: dict[int, int] = {}
    for reader in students:
        others = [s for s in students if s != reader]
        different = [s for s in others if answers[s] != answers[reader]]
        group = groups.get(reader)
        same_group = [s for s in different if group is not None and groups.get(s) == group]
        tier = same_group or different or others
        author = min(tier, key=lambda s: (load[s], (place[s] - place[reader]) % n))
        assigned[reader] = author
        load[author] += 1
    return assigned
