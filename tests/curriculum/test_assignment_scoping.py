"""Who opens which assignment and submission: each role, their own and another's (tests/access.py's world).

A student opens their own work and no classmate's; a teacher their classroom's and no other's; the
school's admin sees an assignment and where each student's work stands, never an answer; the
district, the counselors and the visit instructor see none of it. Another's is a 404, and no page
shows an answer, an instruction or feedback from outside what the persona may see.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import PERSONAS

pytestmark = pytest.mark.django_db

# persona -> the rooms whose assignment page they open (200 or, for its student, on to their work).
OPENS_ASSIGNMENT = {"student": {"A1"}, "other_student": {"A2"}, "teacher": {"A1"}, "other_school_teacher": {"B1"},
                    "school_admin": {"A1", "A2"}, "other_school_admin": {"B1"}}
# persona -> (room, whose) submissions they open: their own, or their classroom's (teachers).
OPENS_SUBMISSION = {
    "student": {("A1", "student")}, "other_student": {("A2", "student")},
    "teacher": {("A1", "student"), ("A1", "pupil")}, "other_school_teacher": {("B1", "pupil")},
}
# persona -> the sentinel texts (room, kind) their pages may show: instructions of the assignments they open;
# answers and feedback of the submissions they open.
SIGNED_IN = [p for p in PERSONAS if p not in ("anonymous", "inactive")]


def submissions(world):
    """(room, whose) -> submission, for every submission of the world."""
    found = {}
    for name, room in world.rooms.items():
        for student_pk, submission in room.submissions.items():
            found[(name, "pupil" if student_pk == room.pupil.pk else "student")] = submission
    return found


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_each_role_opens_exactly_its_own_assignments_and_submissions(access_world, persona):
    client = Client()
    client.force_login(access_world.people[persona])
    wrong = []
    for name, room in access_world.rooms.items():
        response = client.get(reverse("curriculum:assignment", kwargs={"pk": room.assignment.pk}))
        expected = (302 if persona.endswith("student") else 200) if name in OPENS_ASSIGNMENT.get(persona, ()) else 404
        if response.status_code != expected:
            wrong.append(f"assignment {name}: {response.status_code}, expected {expected}")
    for key, submission in submissions(access_world).items():
        response = client.get(reverse("curriculum:submission", kwargs={"pk": submission.pk}))
        expected = 200 if key in OPENS_SUBMISSION.get(persona, ()) else 404
        if response.status_code != expected:
            wrong.append(f"submission {key}: {response.status_code}, expected {expected}")
        for action in ("submission_save", "submission_turn_in", "submission_reclaim"):
            mine = persona.endswith("student") and key in OPENS_SUBMISSION.get(persona, ())
            got = client.post(reverse(f"curriculum:{action}", kwargs={"pk": submission.pk}), {"answer_form": "1", "text": "x"}).status_code
            if (got == 404) == mine:
                wrong.append(f"{action} {key}: {got}")
        for action in ("submission_review", "submission_excuse"):
            theirs = persona.endswith("teacher") and key in OPENS_SUBMISSION.get(persona, ())
            got = client.post(reverse(f"curriculum:{action}", kwargs={"pk": submission.pk}), {"feedback": ""}).status_code
            if (got == 404) == theirs:
                wrong.append(f"{action} {key}: {got}")
    assert not wrong, "\n".join(wrong)


SENTINEL = re.compile(r"SENTINEL-(A1|A2|B1|C1)-(student|pupil|assignment)-(answer|feedback|instructions)")


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_no_page_shows_an_answer_or_instructions_from_outside_the_personas_scope(access_world, persona):
    """Every assignment page, grid, classroom page, work list and submission, read by each persona."""
    client = Client()
    client.force_login(access_world.people[persona])
    paths = [reverse("curriculum:my_work"), reverse("dashboard")]
    for room in access_world.rooms.values():
        paths += [
            room.classroom.get_absolute_url(),
            reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": room.classroom.pk}),
            reverse("curriculum:assignment", kwargs={"pk": room.assignment.pk}),
        ]
    paths += [reverse("curriculum:submission", kwargs={"pk": s.pk}) for s in submissions(access_world).values()]
    allowed = {(room, "assignment", "instructions") for room in OPENS_ASSIGNMENT.get(persona, ())}
    allowed |= {(room, whose, "answer") for room, whose in OPENS_SUBMISSION.get(persona, ())}
    if persona.endswith("teacher"):
        allowed |= {(room, whose, "feedback") for room, whose in OPENS_SUBMISSION.get(persona, ())}
    leaks, seen = [], set()
    for path in paths:
        response = client.get(path, follow=True)
        for match in SENTINEL.finditer(response.content.decode()):
            seen.add(match.groups())
            if match.groups() not in allowed:
                leaks.append(f"{path} shows {match.group(0)}")
    assert not leaks, "\n".join(leaks)
    # What the persona may see does show, so the absence of the rest means something.
    assert {g for g in allowed if g[2] != "feedback"} <= seen
