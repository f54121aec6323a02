"""Persona factories: tests read as stories about a teacher, a student, a school."""

from datetime import date, time, timedelta

import factory
from django.utils import timezone

from accounts.models import District, School, User
from classrooms import joincodes
from classrooms.models import Classroom, Enrollment, Session, Theme, VisitingFamily
from classrooms.program.services import classroom_sessions_recount
from curriculum.models import Activity, Assignment, Lesson, Submission
from notifications.models import Notification
from peer_counselors.models import CounselorProfile, DutyPeriod, DutySlot, HelpRequest, Topic
from surveys.models import Instrument, Item, Phase, Respondent, Subscale, SurveyCycle, SurveyWindow
from surveys.services import min_items

PASSWORD = "correct-horse-7"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    time_zone = "America/Chicago"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    school = factory.SubFactory(SchoolFactory)
    password = factory.django.Password(PASSWORD)


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student{n}")
    role = User.Role.STUDENT
    grade = 3


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    role = User.Role.TEACHER
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")


class CounselorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"counselor{n}")
    role = User.Role.COUNSELOR
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")


class SchoolAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"schooladmin{n}")
    role = User.Role.SCHOOL_ADMIN


class DistrictAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"districtadmin{n}")
    role = User.Role.DISTRICT_ADMIN
    school = None
    district = factory.SubFactory(DistrictFactory)


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    grade = 3
    school_year = 2026
    join_code = factory.LazyFunction(joincodes.generate)
    join_code_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        """``ClassroomFactory(teachers=[t])``; with none given, one teacher of the same school."""
        if not create:
            return
        for teacher in extracted if extracted is not None else [TeacherFactory(school=self.school)]:
            self.teachers.add(teacher)

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        """``ClassroomFactory(students=[s, ...])`` enrolls them."""
        if create and extracted:
            for student in extracted:
                Enrollment.objects.create(classroom=self, student=student)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..classroom.school"))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(TeacherFactory)
    kind = Notification.Kind.WELCOME
    subject_key = factory.Sequence(lambda n: f"test.thing:{n}")
    due_at = factory.LazyFunction(timezone.now)
    title = factory.Sequence(lambda n: f"Notification {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    starts_at = factory.Sequence(lambda n: timezone.now().replace(microsecond=0) + timedelta(days=n + 1))

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        """Its classroom's kept counts, as every service that writes a session keeps them."""
        if create:
            classroom_sessions_recount(classroom_ids=[self.classroom_id])


class VisitingFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitingFamily

    classroom = factory.SubFactory(ClassroomFactory)
    name = factory.Sequence(lambda n: f"Family {n}")
    contact_email = factory.Sequence(lambda n: f"family{n}@home.example")
    baby_name = "Ada"
    baby_born_on = date(2026, 7, 1)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    classroom = factory.SubFactory(ClassroomFactory)
    number = factory.Sequence(lambda n: n + 1)


# --- Curriculum: lessons, activities, assignments and submissions -----------------------------------------

PERSPECTIVE_CONTENT = {
    "prompt": {
        "en": "Write a day in the life of the baby, as the baby.",
        "es": "Escribe un día en la vida del bebé, como el bebé.",
    },
    "guiding_questions": [{"en": "What does the baby see first?"}],
}
FEELINGS_CONTENT = {
    "key_source": "author",
    "scenario": {"en": "Sam's tower falls down."},
    "why_prompt": {"en": "Why do you think so?"},
    "key": {"feelings": ["frustrated"], "intensity": 4},
}


class LessonFactory(factory.django.DjangoModelFactory):
    """A teacher's own lesson (``owner`` set, no slug), valid for the schema; ``LessonFactory(owner=None,
    slug="...")`` is a shipped one."""

    class Meta:
        model = Lesson

    owner = factory.SubFactory(TeacherFactory)
    school = factory.LazyAttribute(lambda lesson: lesson.owner.school if lesson.owner else None)
    slug = factory.LazyAttribute(lambda lesson: "" if lesson.owner else f"test-lesson-{lesson.title_number}")
    program = "caring_community"
    band = "3_5"
    theme = 1
    theme_title = "Belonging"
    part = "lesson"
    title = factory.Sequence(lambda n: f"Lesson {n}")
    minutes = 40
    objectives = ["Students notice how a classmate feels.", "Students name one clue."]
    materials = ["Paper and pencils"]
    steps = [f"Step {n} of the lesson." for n in range(1, 6)]
    discussion = ["What did you notice?", "How could you tell?", "What would you do next time?"]
    connections = []
    home_link = ""
    search_text = factory.LazyAttribute(lambda lesson: f"{lesson.title} {lesson.theme_title}".casefold())

    class Params:
        title_number = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    """A perspective-writing activity, valid for its kind's schema."""

    class Meta:
        model = Activity

    # A shipped lesson's activity by default: every teacher may open and assign it.
    lesson = factory.SubFactory(LessonFactory, owner=None)
    key = factory.Sequence(lambda n: f"activity-{n}")
    position = factory.Sequence(lambda n: n)
    kind = "perspective_writing"
    title = factory.Sequence(lambda n: f"Activity {n}")
    title_es = ""
    instructions = {"en": "Read the prompt. Then write.", "es": "Lee la consigna. Luego escribe."}
    content = factory.LazyFunction(
        lambda: {
            "prompt": {"en": "Tell the day as the new student.", "es": "Cuenta el día como el alumno nuevo."},
            "guiding_questions": [{"en": "What did they see first?"}],
        }
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment with its own copy of an activity; ``students=[...]`` gives each a submission."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    activity = factory.SubFactory(ActivityFactory)
    kind = factory.SelfAttribute("activity.kind")
    title = factory.SelfAttribute("activity.title")
    title_es = factory.SelfAttribute("activity.title_es")
    activity_instructions = factory.SelfAttribute("activity.instructions")
    content = factory.SelfAttribute("activity.content")
    band = "3_5"
    instructions = ""
    due_at = None

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        if create and extracted:
            for student in extracted:
                SubmissionFactory(assignment=self, student=student)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    assignment = factory.SubFactory(AssignmentFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..assignment.classroom.school"))


# --- Surveys ---------------------------------------------------------------------------------------------------

FIVE_POINTS = [
    {"value": v, "label": {"en": label, "es": label_es}}
    for v, label, label_es in (
        (1, "Not at all like me", "Nada como yo"),
        (2, "A little like me", "Un poco como yo"),
        (3, "Sometimes like me", "A veces como yo"),
        (4, "Mostly like me", "Casi siempre como yo"),
        (5, "Very much like me", "Muy parecido a mí"),
    )
]


class InstrumentFactory(factory.django.DjangoModelFactory):
    """An instrument; ``subscales={"pt": 3, "ec": 2}`` gives it subscales of that many rating items
    (keys ``pt1``, ``pt2``...; ``reverse=["pt2"]`` turns some round). Peer instruments get nomination items."""

    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"instrument-{n}")
    school = None
    name = factory.Sequence(lambda n: {"en": f"Survey {n}", "es": f"Encuesta {n}"})
    respondent = Respondent.STUDENT
    grade_min = 0
    grade_max = 8
    scale = FIVE_POINTS

    @factory.post_generation
    def subscales(self, create, extracted, reverse=(), **kwargs):
        if not create:
            return
        kind = Item.Kind.NOMINATION if self.respondent == Respondent.PEER else Item.Kind.RATING
        for order, (key, count) in enumerate((extracted or {"pt": 3}).items()):
            subscale = Subscale.objects.create(
                instrument=self,
                key=key,
                name={"en": key.upper(), "es": key.upper()},
                order=order,
                min_items=1 if kind == Item.Kind.NOMINATION else min_items(count),
            )
            for i in range(1, count + 1):
                Item.objects.create(
                    instrument=self,
                    subscale=subscale,
                    key=f"{key}{i}",
                    order=order * 100 + i,
                    kind=kind,
                    text={"en": f"Item {key}{i}", "es": f"Pregunta {key}{i}"},
                    reverse=f"{key}{i}" in reverse,
                    scale=[] if kind == Item.Kind.NOMINATION else self.scale,
                )


class SurveyCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyCycle

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Empathy survey {n}")


class SurveyWindowFactory(factory.django.DjangoModelFactory):
    """An open window (opened yesterday, closes in a week); ``instruments=[...]``, ``classrooms=[...]``."""

    class Meta:
        model = SurveyWindow
        skip_postgeneration_save = True

    cycle = factory.SubFactory(SurveyCycleFactory)
    phase = Phase.PRE
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @factory.post_generation
    def instruments(self, create, extracted, **kwargs):
        if create and extracted:
            self.instruments.set(extracted)

    @factory.post_generation
    def classrooms(self, create, extracted, **kwargs):
        if create and extracted:
            self.classrooms.set(extracted)


# --- Peer counselors -------------------------------------------------------------------------------------------


class DutyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyPeriod

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Lunch recess {n}")
    starts = time(12, 0)
    ends = time(12, 40)


class CounselorProfileFactory(factory.django.DjangoModelFactory):
    """An active peer counselor ("orange hat"): a student of the school with a profile; ``student=`` to pick one."""

    class Meta:
        model = CounselorProfile

    student = factory.SubFactory(StudentFactory, grade=5)
    school = factory.LazyAttribute(lambda p: p.student.school)
    trained_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    active = True


def PeerCounselorFactory(**kwargs) -> User:  # noqa: N802 (a persona, read like the other factories)
    """A student who is an active peer counselor; keyword arguments go to the student."""
    return CounselorProfileFactory(student=StudentFactory(**({"grade": 5} | kwargs))).student


class DutySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutySlot

    profile = factory.SubFactory(CounselorProfileFactory)
    weekday = 1
    period = factory.LazyAttribute(lambda s: DutyPeriodFactory(school=s.profile.school))


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A request as a row, unscreened and offered to nobody: for reports and lists. Flows go through
    ``peer_counselors.services.help_request_file``, which screens and routes."""

    class Meta:
        model = HelpRequest

    requester = factory.SubFactory(StudentFactory)
    school = factory.LazyAttribute(lambda r: r.requester.school)
    requester_grade = factory.LazyAttribute(lambda r: r.requester.grade)
    topic = Topic.CONFLICT
    text = "My friend and I keep arguing at recess."


# --- The empathy story wall (curriculum.stories) -----------------------------------------------------------

NORM_STORY_CONTENT = {
    "prompt": {"en": "Tell about a time someone understood how you felt.", "es": "Cuenta una vez que alguien entendió cómo te sentías."},
    "example": {"en": "When I was new, Sam sat with me at lunch."},
}


class NormStoryActivityFactory(ActivityFactory):
    kind = "norm_story"
    content = factory.LazyFunction(lambda: dict(NORM_STORY_CONTENT))
