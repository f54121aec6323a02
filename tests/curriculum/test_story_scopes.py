"""The story wall's role matrix: what story_scope, story_moderate_scope and story_read_scope let each persona
see, in a small world of two schools, against one table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from curriculum import permissions
from curriculum.models import Assignment, Story, StoryRead, Submission
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
S = Story.State


@pytest.fixture
def world():
    a = SchoolFactory(name="A")
    b = SchoolFactory(name="B", district=a.district)
    people = {
        "anonymous": AnonymousUser(),
        "teacher": TeacherFactory(school=a),
        "colleague": TeacherFactory(school=a),
        "teacher7": TeacherFactory(school=a),
        "other_school_teacher": TeacherFactory(school=b),
        "inactive_teacher": TeacherFactory(school=a, is_active=False),
        "student": StudentFactory(school=a),
        "classmate": StudentFactory(school=a),
        "left_student": StudentFactory(school=a),
        "other_class_student": StudentFactory(school=a),
        "older_student": StudentFactory(school=a),
        "other_school_student": StudentFactory(school=b),
        "counselor": CounselorFactory(school=a),
        "school_admin": SchoolAdminFactory(school=a),
        "other_school_admin": SchoolAdminFactory(school=b),
        "district_admin": DistrictAdminFactory(district=a.district),
    }
    rooms = {
        "A1": ClassroomFactory(school=a, grade=4, teachers=[people["teacher"], people["inactive_teacher"]]),
        "A2": ClassroomFactory(school=a, grade=5, teachers=[people["colleague"]]),  # the same band, 3-5
        "A3": ClassroomFactory(school=a, grade=7, teachers=[people["teacher7"]]),
        "B1": ClassroomFactory(school=b, grade=4, teachers=[people["other_school_teacher"]]),
    }
    pupils = {
        "A1": ["student", "classmate", "left_student"],
        "A2": ["other_class_student"],
        "A3": ["older_student"],
        "B1": ["other_school_student"],
    }
    for room, names in pupils.items():
        for name in names:
            enrollment = EnrollmentFactory(classroom=rooms[room], student=people[name])
            if name == "left_student":
                enrollment.left_at = enrollment.joined_at
                enrollment.save()
    labels, stories = {}, {}
    for label, room, author, state, share in (
        ("pending", "A1", "student", S.PENDING, True),
        ("approved-shared", "A1", "student", S.APPROVED, True),
        ("approved-own", "A1", "student", S.APPROVED, False),
        ("declined", "A1", "student", S.DECLINED, True),
        ("sent_back", "A1", "classmate", S.SENT_BACK, True),
        ("left-approved", "A1", "left_student", S.APPROVED, False),
        ("A2-shared", "A2", "other_class_student", S.APPROVED, True),
        ("A3-shared", "A3", "older_student", S.APPROVED, True),
        ("B-shared", "B1", "other_school_student", S.APPROVED, True),
    ):
        assignment = Assignment.objects.create(
            classroom=rooms[room],
            kind="norm_story",
            title=label,
            activity_instructions={"en": "x"},
            content={"prompt": "x"},
            band="3_5",
        )
        work = Submission.objects.create(assignment=assignment, student=people[author], state="turned_in")
        story = Story.objects.create(
            submission=work, classroom=rooms[room], author=people[author], text=label, state=state, share_consent=share
        )
        labels[story.pk], stories[label] = label, story
    for label, story, reader, room in (
        ("read:classmate", "approved-shared", "classmate", "A1"),
        ("read:other_class", "approved-shared", "other_class_student", "A2"),
        ("read:B", "B-shared", "other_school_student", "B1"),
    ):
        read = StoryRead.objects.create(story=stories[story], reader=people[reader], classroom=rooms[room], opens=1)
        labels[("read", read.pk)] = label
    return people, labels


A1_ALL = {"pending", "approved-shared", "approved-own", "declined", "sent_back", "left-approved"}
A1_WALL = {"approved-shared", "approved-own", "left-approved"}
NOTHING = (set(), set(), set())
EXPECTED = {
    #                      story_scope                                            moderate         reads
    "anonymous": NOTHING,
    "inactive_teacher": NOTHING,
    "teacher": (A1_ALL | {"A2-shared"}, A1_ALL, {"read:classmate"}),
    "colleague": ({"A2-shared", "approved-shared"}, {"A2-shared"}, {"read:other_class"}),
    "teacher7": ({"A3-shared"}, {"A3-shared"}, set()),
    "other_school_teacher": ({"B-shared"}, {"B-shared"}, {"read:B"}),
    # The author: all her own, in any state; the class's wall; the band's shared stories. Never a classmate's unapproved one.
    "student": ({"pending", "declined"} | A1_WALL | {"A2-shared"}, set(), set()),
    "classmate": ({"sent_back"} | A1_WALL | {"A2-shared"}, set(), {"read:classmate"}),
    # Another class of the band: only what the author shares, and never the class-only ones.
    "other_class_student": ({"A2-shared", "approved-shared"}, set(), {"read:other_class"}),
    # Grade 7 is another band; a student who left the class no longer sees its wall, nor their own story there.
    "older_student": ({"A3-shared"}, set(), set()),
    "left_student": NOTHING,
    "other_school_student": ({"B-shared"}, set(), {"read:B"}),
    "counselor": NOTHING,
    # The school admin counts the class's reading, never reads a story.
    "school_admin": (set(), set(), {"read:classmate", "read:other_class"}),
    "other_school_admin": (set(), set(), {"read:B"}),
    "district_admin": NOTHING,
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_story_scope_lets_each_persona_see_what_the_table_says(world, persona):
    people, labels = world
    user = people[persona]
    seen = {labels[pk] for pk in Story.objects.filter(permissions.story_scope(user)).values_list("pk", flat=True)}
    moderated = {
        labels[pk] for pk in Story.objects.filter(permissions.story_moderate_scope(user)).values_list("pk", flat=True)
    }
    reads = {
        labels[("read", pk)]
        for pk in StoryRead.objects.filter(permissions.story_read_scope(user)).values_list("pk", flat=True)
    }
    assert (seen, moderated, reads) == EXPECTED[persona]


def test_a_story_leaves_the_other_walls_the_moment_consent_is_withdrawn(world):
    people, labels = world
    shared = Story.objects.get(text="approved-shared")
    assert Story.objects.filter(permissions.story_scope(people["other_class_student"]), pk=shared.pk).exists()
    Story.objects.filter(pk=shared.pk).update(share_consent=False)
    assert not Story.objects.filter(permissions.story_scope(people["other_class_student"]), pk=shared.pk).exists()
    assert Story.objects.filter(permissions.story_scope(people["classmate"]), pk=shared.pk).exists()


def test_another_school_year_is_another_wall(world):
    people, labels = world
    Story.objects.filter(text="A2-shared").update(
        classroom=ClassroomFactory(school=people["student"].school, grade=4, school_year=2027)
    )
    assert not Story.objects.filter(permissions.story_scope(people["student"]), text="A2-shared").exists()
