"""The curriculum's role matrix: what lesson_scope, lesson_manage_scope, assignment_scope and submission_scope let
each persona see, in a small world of two schools, against one table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from curriculum import permissions
from curriculum.models import Assignment, Lesson, Submission
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    EnrollmentFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def _lesson(label, owner=None):
    return Lesson.objects.create(
        slug="" if owner else f"shipped-{label.lower()}", owner=owner, school=owner.school if owner else None,
        program="caring_community", band="3_5", theme=1, theme_title="Unit", part="lesson", title=label, minutes=30,
    )


@pytest.fixture
def world():
    a = SchoolFactory(name="A")
    b = SchoolFactory(name="B", district=a.district)
    people = {
        "anonymous": AnonymousUser(),
        "teacher": TeacherFactory(school=a), "colleague": TeacherFactory(school=a), "other_school_teacher": TeacherFactory(school=b),
        "student": StudentFactory(school=a), "classmate": StudentFactory(school=a), "other_class_student": StudentFactory(school=a),
        "left_student": StudentFactory(school=a), "other_school_student": StudentFactory(school=b),
        "counselor": CounselorFactory(school=a), "school_admin": SchoolAdminFactory(school=a),
        "other_school_admin": SchoolAdminFactory(school=b), "district_admin": DistrictAdminFactory(district=a.district),
        "inactive_teacher": TeacherFactory(school=a, is_active=False),
    }
    rooms = {"A1": ClassroomFactory(school=a), "A2": ClassroomFactory(school=a), "B1": ClassroomFactory(school=b)}
    rooms["A1"].teachers.add(people["teacher"], people["inactive_teacher"])
    rooms["A2"].teachers.add(people["colleague"])
    rooms["B1"].teachers.add(people["other_school_teacher"])
    pupils = {"A1": ["student", "classmate", "left_student"], "A2": ["other_class_student"], "B1": ["other_school_student"]}
    for room, names in pupils.items():
        for name in names:
            enrollment = EnrollmentFactory(classroom=rooms[room], student=people[name])
            if name == "left_student":
                enrollment.left_at = enrollment.joined_at
                enrollment.save()
    labels = {}
    for label, owner in (("shipped", None), ("teacher-copy", "teacher"), ("colleague-copy", "colleague"), ("B-copy", "other_school_teacher")):
        labels[_lesson(label, people[owner] if owner else None).pk] = label
    for room, names in pupils.items():
        assignment = Assignment.objects.create(classroom=rooms[room], kind="perspective_writing", title=room,
                                               activity_instructions={"en": "x"}, content={}, band="3_5")
        labels[("assignment", assignment.pk)] = room
        for name in names:
            work = Submission.objects.create(assignment=assignment, student=people[name])
            labels[("submission", work.pk)] = f"{room}:{name}"
    return people, labels


EXPECTED = {
    #                lesson_scope                        manage            assignments        submissions
    "anonymous": (set(), set(), set(), set()),
    "inactive_teacher": (set(), set(), set(), set()),
    "teacher": ({"shipped", "teacher-copy"}, {"teacher-copy"}, {"A1"}, {"A1:student", "A1:classmate", "A1:left_student"}),
    "colleague": ({"shipped", "colleague-copy"}, {"colleague-copy"}, {"A2"}, {"A2:other_class_student"}),
    "other_school_teacher": ({"shipped", "B-copy"}, {"B-copy"}, {"B1"}, {"B1:other_school_student"}),
    "student": (set(), set(), {"A1"}, {"A1:student"}),
    "classmate": (set(), set(), {"A1"}, {"A1:classmate"}),
    "other_class_student": (set(), set(), {"A2"}, {"A2:other_class_student"}),
    # A student who left the class no longer opens its work.
    "left_student": (set(), set(), set(), set()),
    "other_school_student": (set(), set(), {"B1"}, {"B1:other_school_student"}),
    "counselor": ({"shipped"}, set(), set(), set()),
    # The school admin manages the school's assignments; student answers stay with the teachers.
    "school_admin": ({"shipped"}, set(), {"A1", "A2"}, set()),
    "other_school_admin": ({"shipped"}, set(), {"B1"}, set()),
    "district_admin": ({"shipped"}, set(), set(), set()),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_curriculum_scope_lets_each_persona_see_what_the_table_says(world, persona):
    people, labels = world
    user = people[persona]
    # Only this world's lessons: the shipped library is in the database too.
    ours = Lesson.objects.filter(pk__in=[k for k in labels if isinstance(k, int)])
    lessons = {labels[pk] for pk in ours.filter(permissions.lesson_scope(user)).values_list("pk", flat=True)}
    managed = {labels[pk] for pk in ours.filter(permissions.lesson_manage_scope(user)).values_list("pk", flat=True)}
    assignments = {
        labels[("assignment", pk)] for pk in Assignment.objects.filter(permissions.assignment_scope(user)).values_list("pk", flat=True)
    }
    submissions = {
        labels[("submission", pk)] for pk in Submission.objects.filter(permissions.submission_scope(user)).values_list("pk", flat=True)
    }
    assert (lessons, managed, assignments, submissions) == EXPECTED[persona]


def test_a_teacher_moved_to_another_school_loses_their_copies_and_classes(world):
    people, labels = world
    teacher = people["teacher"]
    teacher.school = SchoolFactory()
    teacher.save()
    seen = Lesson.objects.filter(permissions.lesson_scope(teacher), pk__in=[k for k in labels if isinstance(k, int)])
    assert set(seen.values_list("title", flat=True)) == {"shipped"}
    assert not Submission.objects.filter(permissions.submission_scope(teacher)).exists()
