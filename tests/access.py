"""One school world for the access tests (tests/test_scopes.py, tests/test_doors.py): districts D1 (schools
A and B) and D2 (school C), classrooms A1, A2, B1 and C1 with one of everything, and every persona; and the
curriculum's lessons: the shipped library, and each classroom's teacher's own lesson."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import School, User
from classrooms.models import BabyObservation, Classroom, Enrollment, Session, Theme, VisitingFamily
from curriculum.assignments import services as assignment_services
from curriculum.live import services as live_services
from curriculum.models import (
    Activity,
    Assignment,
    CircleCard,
    CircleTurn,
    DilemmaVote,
    Lesson,
    LiveGroup,
    LiveMember,
    LiveRun,
    PuzzleAnswer,
    PuzzlePart,
    Restatement,
    SessionPlan,
    Story,
    StoryRead,
    Submission,
)
from curriculum.stories import services as story_services
from notifications.models import Notification
from peer_counselors import services as help_services
from peer_counselors.models import (
    CounselorProfile,
    DutyPeriod,
    DutySlot,
    HelpDesk,
    HelpMessage,
    HelpRequest,
    HelpRequestEvent,
)
from surveys import services as survey_services
from surveys.models import (
    AnonymousParticipation,
    Answer,
    Instrument,
    Respondent,
    Response,
    Score,
    SurveyCycle,
    SurveyWindow,
)
from tests import factories as f

# Everyone the access tests ask about, in the order the tables list them.
PERSONAS = (
    "anonymous",  # not signed in
    "inactive",  # a teacher of A1 whose account was switched off
    "student",  # enrolled in A1
    "other_student",  # school A, in A2 only; an orange hat (peer counselor) of school A
    "teacher",  # teaches A1
    "other_school_teacher",  # teaches B1, in school B
    "visit_instructor",  # a counselor of school A who leads the family visits of A1's theme
    "counselor",  # school A, leads no visit
    "school_admin",  # school A
    "other_school_admin",  # school B
    "district_admin",  # district D1 (schools A and B)
    "other_district_admin",  # district D2 (school C)
)


@dataclass
class Room:
    """A classroom of the access world and one of each thing that hangs off it."""

    classroom: Classroom
    teacher: User
    pupil: User  # a student enrolled here who is no persona
    visit: Session  # a family visit that started yesterday, still planned, with an observation
    lesson: Session  # a plain lesson in three days
    theme: Theme
    family: VisitingFamily
    # curriculum-assignments: the classroom's assignment, and each of its students' submission of it
    assignment: Assignment | None = None
    submissions: dict[int, Submission] = field(default_factory=dict)  # by student pk

    def submission_of(self, user) -> Submission:
        """``user``'s own submission here if they have one, else the room's pupil's."""
        return self.submissions.get(getattr(user, "pk", None), self.submissions[self.pupil.pk])

    # The curriculum: the classroom's teacher's own lesson (written or copied) and its one activity
    own_lesson: Lesson | None = None
    own_activity: Activity | None = None
    # Surveys: the school's open pre window (given to every classroom of the school), and each current
    # student's submitted self-report in it (by student pk)
    survey_window: SurveyWindow | None = None
    survey_responses: dict[int, Response] = field(default_factory=dict)
    # surveys-windows: the classroom's teacher's own anonymous cycle, whose pre window (over this classroom
    # alone) closed ten days ago, every current student having taken part
    survey_cycle: SurveyCycle | None = None
    survey_cycle_window: SurveyWindow | None = None
    survey_cycle_form: Instrument | None = None  # its form, the world's self-report

    # Peer counselors: the classroom's help request (A1: the student's, offered to the other student, an orange
    # hat; B1: its pupil's, offered to school B's orange hat; C1: its pupil's, offered to nobody; none in A2)
    help_request: HelpRequest | None = None
    # The roster: an orange hat of the room's school (A1: the other student; A2: school A's former one; B1, C1:
    # their schools'), one duty slot of theirs, and the school's duty period
    help_profile: CounselorProfile | None = None
    help_slot: DutySlot | None = None
    help_period: DutyPeriod | None = None

    # Live class practice: the classroom's dilemma under way ("SENTINEL-<room>-liverun"; see ``_live_runs``)
    live_run: LiveRun | None = None
    # The story wall: the pupil's approved, shared story, and each current student's norm-story work (by pk)
    story: Story | None = None
    story_submissions: dict[int, Submission] = field(default_factory=dict)

    def story_submission_of(self, user) -> Submission:
        return self.story_submissions.get(getattr(user, "pk", None), self.story_submissions[self.pupil.pk])

    def survey_response_of(self, user) -> Response:
        """``user``'s own survey response here if they have one, else the room's pupil's."""
        return self.survey_responses.get(getattr(user, "pk", None), self.survey_responses[self.pupil.pk])


@dataclass
class AccessWorld:
    people: dict[str, User | None]  # persona -> account (anonymous -> None)
    schools: dict[str, School]
    rooms: dict[str, Room]
    notifications: dict[str, Notification]  # by label
    leaver: User  # left A1 last month
    activity: Activity | None = None  # curriculum-assignments: a shipped library activity anyone adult may assign
    survey_form: Instrument | None = None  # surveys: the self-report every window uses
    imported_forms: dict[str, Instrument] = field(
        default_factory=dict
    )  # surveys: by school, its own imported instrument
    labels: dict[tuple[type, int], str] = field(default_factory=dict)

    def label(self, obj) -> str:
        return self.labels[(type(obj), obj.pk)]


def build_access_world() -> AccessWorld:
    """Districts D1 (schools A, B) and D2 (school C); classrooms A1, A2, B1, C1; every persona of PERSONAS.

    Every text of a classroom's things holds a ``SENTINEL-...`` string naming what it is, so a page can be
    searched for what it must not show.
    """
    d1, d2 = f.DistrictFactory(name="District D1"), f.DistrictFactory(name="District D2")
    schools = {
        "A": f.SchoolFactory(district=d1, name="SENTINEL-school-A"),
        "B": f.SchoolFactory(district=d1, name="SENTINEL-school-B"),
        "C": f.SchoolFactory(district=d2, name="SENTINEL-school-C"),
    }
    a, b, c = schools["A"], schools["B"], schools["C"]
    people = {
        "anonymous": None,
        "inactive": f.TeacherFactory(school=a, is_active=False),
        "student": f.StudentFactory(school=a),
        "other_student": f.StudentFactory(school=a),
        "teacher": f.TeacherFactory(school=a),
        "other_school_teacher": f.TeacherFactory(school=b),
        "visit_instructor": f.CounselorFactory(school=a),
        "counselor": f.CounselorFactory(school=a),
        "school_admin": f.SchoolAdminFactory(school=a),
        "other_school_admin": f.SchoolAdminFactory(school=b),
        "district_admin": f.DistrictAdminFactory(district=d1),
        "other_district_admin": f.DistrictAdminFactory(district=d2),
    }
    teachers = {
        "A1": [people["teacher"], people["inactive"]],
        "A2": [f.TeacherFactory(school=a)],
        "B1": [people["other_school_teacher"]],
        "C1": [f.TeacherFactory(school=c)],
    }
    labels = {(User, user.pk): name for name, user in people.items() if user is not None}
    labels[(User, teachers["A2"][0].pk)] = "A2-teacher"
    labels[(User, teachers["C1"][0].pk)] = "C1-teacher"
    now = timezone.now().replace(microsecond=0)
    rooms = {}
    for name, school in (("A1", a), ("A2", a), ("B1", b), ("C1", c)):
        classroom = f.ClassroomFactory(
            school=school,
            name=f"SENTINEL-{name}-classroom",
            teachers=teachers[name],
            calendar_token=f"calendar-{name}-" + secrets.token_urlsafe(16),
        )
        pupil = f.StudentFactory(
            school=school,
            username=f"SENTINEL-{name}-pupil-login",
            first_name=f"SENTINEL-{name}-Zora",
            last_name=f"SENTINEL-{name}-Quill",
        )
        Enrollment.objects.create(classroom=classroom, student=pupil)
        family = f.VisitingFamilyFactory(
            classroom=classroom,
            name=f"SENTINEL-{name}-family-name",
            contact_email=f"SENTINEL-{name}-family-email@home.example",
            contact_phone=f"SENTINEL-{name}-family-phone",
            baby_name=f"SENTINEL-{name}-baby",
            baby_born_on=timezone.localdate() - timedelta(days=120),
        )
        theme = f.ThemeFactory(classroom=classroom, number=1, title=f"SENTINEL-{name}-theme", family=family)
        visit = f.SessionFactory(
            classroom=classroom,
            theme=theme,
            kind=Session.Kind.FAMILY_VISIT,
            starts_at=now - timedelta(days=1),
            title=f"SENTINEL-{name}-visit-title",
            note=f"SENTINEL-{name}-visit-note",
        )
        BabyObservation.objects.create(
            session=visit,
            weight_kg=Decimal("6.40"),
            milestones=f"SENTINEL-{name}-milestones",
            feelings=["happy"],
            feelings_note=f"SENTINEL-{name}-feelings-note",
        )
        lesson = f.SessionFactory(
            classroom=classroom,
            starts_at=now + timedelta(days=3),
            title=f"SENTINEL-{name}-lesson-title",
            note=f"SENTINEL-{name}-lesson-note",
        )
        rooms[name] = Room(classroom, teachers[name][0], pupil, visit, lesson, theme, family)
        labels[(User, pupil.pk)] = f"{name}-pupil"
        for obj in (classroom, visit, lesson, theme, family):
            labels[(type(obj), obj.pk)] = name
    Enrollment.objects.create(classroom=rooms["A1"].classroom, student=people["student"])
    Enrollment.objects.create(classroom=rooms["A2"].classroom, student=people["other_student"])
    leaver = f.StudentFactory(
        school=a,
        username="SENTINEL-A1-leaver-login",
        first_name="SENTINEL-A1-leaver-Ines",
        last_name="SENTINEL-A1-leaver-Roy",
    )
    Enrollment.objects.create(classroom=rooms["A1"].classroom, student=leaver, left_at=now - timedelta(days=30))
    labels[(User, leaver.pk)] = "A1-leaver"
    rooms["A1"].theme.instructor = people["visit_instructor"]
    rooms["A1"].theme.save(update_fields=["instructor"])
    labels.update({(School, school.pk): name for name, school in schools.items()})

    # --- The curriculum -----------------------------------------------------------------------------------
    # The shipped library (loaded at migrate) is labelled "library"; each classroom's teacher has a lesson of
    # their own with one activity ("A1": the A1 teacher's), planned for the classroom's plain lesson session.
    labels.update(
        {(Lesson, pk): "library" for pk in Lesson.objects.filter(owner__isnull=True).values_list("pk", flat=True)}
    )
    for name, room in rooms.items():
        room.own_lesson = f.LessonFactory(owner=room.teacher, title=f"SENTINEL-{name}-mylesson")
        room.own_activity = f.ActivityFactory(lesson=room.own_lesson, title=f"SENTINEL-{name}-myactivity")
        SessionPlan.objects.create(session=room.lesson, lesson=room.own_lesson, planned_by=room.teacher)
        labels[(Lesson, room.own_lesson.pk)] = name
        labels[(Activity, room.own_activity.pk)] = name

    notifications = {}
    recipients = {name: user for name, user in people.items() if user is not None}
    recipients.update({"A2-teacher": teachers["A2"][0], "C1-teacher": teachers["C1"][0]})
    for name, user in recipients.items():
        notifications[name] = f.NotificationFactory(
            recipient=user,
            title=f"SENTINEL-notice-{name}",
            body=f"SENTINEL-notice-body-{name}",
            url=rooms["A1"].classroom.get_absolute_url(),
        )
    # A reminder addressed to a family, who has no account: nobody reads it in the app.
    notifications["family"] = f.NotificationFactory(
        recipient=None,
        to_email=rooms["A1"].family.contact_email,
        title="SENTINEL-notice-family",
        body="SENTINEL-notice-body-family",
        kind=Notification.Kind.VISIT_FAMILY_EMAIL,
    )
    labels.update({(Notification, n.pk): name for name, n in notifications.items()})
    activity = _curriculum_assignments(rooms)
    survey_form, imported_forms = _surveys(schools, rooms, people, labels)
    _peer_counselors(schools, rooms, people, labels)
    _live_runs(rooms, people, labels)
    _live_runs_done(rooms, people, labels)
    _stories(rooms, people, labels)
    return AccessWorld(
        people=people,
        schools=schools,
        rooms=rooms,
        notifications=notifications,
        leaver=leaver,
        labels=labels,
        activity=activity,
        survey_form=survey_form,
        imported_forms=imported_forms,
    )


# --- curriculum-assignments ---------------------------------------------------------------------------------


def _curriculum_assignments(rooms: dict[str, Room]) -> Activity:
    """Each classroom's perspective-writing assignment, given to its current students (A1: the student and
    A1's pupil; A2: the other student and its pupil; the leaver gets none). Its instructions, each answer
    and each teacher's feedback hold ``SENTINEL-<room>-...`` texts (tests/curriculum/test_assignment_scoping.py)."""
    # An activity of a shipped lesson (labelled "library" above), so that every adult may open and assign it.
    activity = f.ActivityFactory(
        lesson=Lesson.objects.filter(owner__isnull=True).order_by("pk").first(),
        title="Assignment activity",
        title_es="Actividad asignada",
    )
    for name, room in rooms.items():
        room.assignment = f.AssignmentFactory(
            classroom=room.classroom,
            activity=activity,
            instructions=f"SENTINEL-{name}-assignment-instructions",
            created_by=room.teacher,
        )
        for enrollment in room.classroom.enrollments.active().select_related("student"):
            student = enrollment.student
            label = "pupil" if student.pk == room.pupil.pk else "student"
            room.submissions[student.pk] = f.SubmissionFactory(
                assignment=room.assignment,
                student=student,
                state=Submission.State.IN_PROGRESS,
                answer={"text": f"SENTINEL-{name}-{label}-answer"},
                feedback=f"SENTINEL-{name}-{label}-feedback",
            )
    return activity


# --- surveys -----------------------------------------------------------------------------------------------


def _surveys(schools, rooms: dict[str, Room], people, labels) -> tuple[Instrument, dict[str, Instrument]]:
    """Each school's confidential cycle ("SENTINEL-<school>-cycle") with an open pre window given to its
    classrooms, over one self-report for every grade; each classroom's current students answer and submit
    it. Each school has an instrument of its own ("SENTINEL-<school>-instrument"), seen by its adults only. The window has
    a teacher report too, which no teacher has begun.

    Labels: a response and its answers by whose they are ("student", "A1-pupil"; an anonymous one
    "anonymous"); a score by its classroom; the self-report "access-form", every other shipped instrument
    (a teacher report here, and whatever Heard ships) "shipped". And, from ``_survey_windows``, each
    classroom's teacher's own anonymous cycle ("SENTINEL-<room>-cycle"), labelled by the classroom."""
    form = f.InstrumentFactory(
        slug="access-self-report", name={"en": "Access self-report", "es": "Autoinforme"}, subscales={"pt": 2}
    )
    teacher_report = f.InstrumentFactory(
        slug="access-teacher-report", name={"en": "Access teacher report", "es": "Informe docente"},
        respondent=Respondent.TEACHER, subscales={"helps": 2},
    )
    labels.update(
        {(Instrument, pk): "shipped" for pk in Instrument.objects.filter(school__isnull=True).values_list("pk", flat=True)}
    )
    labels[(Instrument, form.pk)] = "access-form"
    imported = {}
    for name, school in schools.items():
        imported[name] = f.InstrumentFactory(
            school=school,
            slug=f"imported-{name.lower()}",
            name={"en": f"SENTINEL-{name}-instrument", "es": f"SENTINEL-{name}-instrument"},
        )
        labels[(Instrument, imported[name].pk)] = name
        cycle = SurveyCycle.objects.create(school=school, title=f"SENTINEL-{name}-cycle", created_by=None)
        window = f.SurveyWindowFactory(
            cycle=cycle,
            instruments=[form, teacher_report],
            classrooms=[room.classroom for room in rooms.values() if room.classroom.school_id == school.pk],
        )
        labels[(SurveyCycle, cycle.pk)] = name
        labels[(SurveyWindow, window.pk)] = name
        for room in rooms.values():
            if room.classroom.school_id == school.pk:
                room.survey_window = window
    for room in rooms.values():
        for enrollment in room.classroom.enrollments.active().select_related("student"):
            student = enrollment.student
            response = survey_services.response_open(room.survey_window, student, form)
            survey_services.answer_save(response, student, "pt1", "4")
            survey_services.answer_save(response, student, "pt2", "2")
            room.survey_responses[student.pk] = survey_services.response_submit(response, student)
            labels[(Response, response.pk)] = labels[(User, student.pk)]
    _survey_windows(rooms, form, labels)
    for answer in Answer.objects.select_related("response"):
        who = answer.response.respondent_id
        labels[(Answer, answer.pk)] = labels[(User, who)] if who else "anonymous"
    labels.update({(Score, pk): labels[(Classroom, room_pk)] for pk, room_pk in Score.objects.values_list("pk", "classroom_id")})
    return form, imported


def _survey_windows(rooms: dict[str, Room], form: Instrument, labels) -> None:
    """surveys-windows: each classroom's teacher's own anonymous cycle ("SENTINEL-<room>-cycle"), whose pre
    window over the classroom opened twenty days ago and closed ten days ago; each current student took part
    (their AnonymousParticipation is labelled as they are) and handed it in."""
    now = timezone.now().replace(microsecond=0)
    for name, room in rooms.items():
        cycle = SurveyCycle.objects.create(
            school=room.classroom.school, title=f"SENTINEL-{name}-cycle", anonymous=True, created_by=room.teacher
        )
        window = f.SurveyWindowFactory(cycle=cycle, instruments=[form], classrooms=[room.classroom], created_by=room.teacher)
        for enrollment in room.classroom.enrollments.active().select_related("student"):
            student = enrollment.student
            response = survey_services.response_open(window, student, form)
            survey_services.answer_save(response, student, "pt1", "3")
            survey_services.answer_save(response, student, "pt2", "5")
            survey_services.response_submit(response, student)
            labels[(Response, response.pk)] = "anonymous"
        for participation in AnonymousParticipation.objects.filter(window=window):
            labels[(AnonymousParticipation, participation.pk)] = labels[(User, participation.student_id)]
        SurveyWindow.objects.filter(pk=window.pk).update(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=10))
        window.refresh_from_db()
        room.survey_cycle, room.survey_cycle_window, room.survey_cycle_form = cycle, window, form
        labels[(SurveyCycle, cycle.pk)] = name
        labels[(SurveyWindow, window.pk)] = name


# --- peer counselors ---------------------------------------------------------------------------------------


def _peer_counselors(schools, rooms: dict[str, Room], people, labels) -> None:
    """School A: the other student is an orange hat (an active profile, on duty at lunch on Tuesdays), and a
    former one is inactive ("A-inactive"); schools B and C have an orange hat of their own ("B", "C"). Each school
    has a duty period and its help desk ("SENTINEL-<school>-..."), and each orange hat a slot. Help requests, through the services: the student's in A1
    ("A1"), offered to the other student, with a message of theirs; a flagged one by another A1 student
    ("A1-flagged"), which goes to the counselors alone; B1's pupil's ("B1"), offered to school B's orange hat, and C1's
    pupil's ("C1"), which school C has no orange hat for.
    Their events are labelled as their requests."""
    a, b, c = schools["A"], schools["B"], schools["C"]
    profiles = {
        "other_student": CounselorProfile.objects.create(
            student=people["other_student"], school=a, notes="SENTINEL-A-profile-notes"
        ),
        "A-inactive": CounselorProfile.objects.create(student=f.StudentFactory(school=a), school=a, active=False),
        "B": CounselorProfile.objects.create(student=f.StudentFactory(school=b, grade=5), school=b),
        "C": CounselorProfile.objects.create(student=f.StudentFactory(school=c, grade=5), school=c),
    }
    labels.update({(CounselorProfile, p.pk): label for label, p in profiles.items()})
    periods = {}
    for name, school in (("A", a), ("B", b), ("C", c)):
        periods[name] = DutyPeriod.objects.create(school=school, name=f"SENTINEL-{name}-period", starts="12:00", ends="12:40")
        labels[(DutyPeriod, periods[name].pk)] = name
        desk = HelpDesk.objects.create(school=school, last_contact_name=f"SENTINEL-{name}-last-contact")
        labels[(HelpDesk, desk.pk)] = name
    for room, profile, period in (("A1", "other_student", "A"), ("A2", "A-inactive", "A"), ("B1", "B", "B"), ("C1", "C", "C")):
        rooms[room].help_profile, rooms[room].help_period = profiles[profile], periods[period]
        rooms[room].help_slot = DutySlot.objects.create(profile=profiles[profile], weekday=1, period=periods[period])
    requests = {
        "A1": help_services.help_request_file(
            requester=people["student"], topic="conflict", text="SENTINEL-A1-help-words"
        ),
        "A1-flagged": help_services.help_request_file(
            requester=f.StudentFactory(school=a), topic="other", text="I want to kill myself SENTINEL-A1-help-flagged"
        ),
        "B1": help_services.help_request_file(requester=rooms["B1"].pupil, topic="teased", text="SENTINEL-B1-help-words"),
        "C1": help_services.help_request_file(requester=rooms["C1"].pupil, topic="left_out", text="SENTINEL-C1-help-words"),
    }
    assert requests["A1-flagged"].flagged and not requests["A1"].flagged, "the screen routes the world's requests"
    message = help_services.help_message_post(request=requests["A1"], by=people["student"], body="SENTINEL-A1-help-message")
    labels[(HelpMessage, message.pk)] = "A1"
    for name in ("A1", "B1", "C1"):
        rooms[name].help_request = requests[name]
    # The students who are no persona: the one who asked the flagged request ("A-extra"), school A's former orange
    # hat ("A-former-hat"), schools B's and C's orange hats ("B-extra", "C-extra"); and the notifications the services sent, by whose they are.
    labels[(User, requests["A1-flagged"].requester_id)] = "A-extra"
    labels[(User, profiles["A-inactive"].student_id)] = "A-former-hat"
    labels[(User, profiles["B"].student_id)] = "B-extra"
    labels[(User, profiles["C"].student_id)] = "C-extra"
    for pk, recipient in Notification.objects.filter(kind__startswith="help_").values_list("pk", "recipient_id"):
        labels[(Notification, pk)] = labels.get((User, recipient), "B-extra")
    for label, request in requests.items():
        labels[(HelpRequest, request.pk)] = label
        labels.update({(HelpRequestEvent, pk): label for pk in request.events.values_list("pk", flat=True)})


# --- Live class practice ----------------------------------------------------------------------------------


def _live_runs(rooms: dict[str, Room], people, labels) -> None:
    """Each classroom's live dilemma, started by its teacher through the services ("SENTINEL-<room>-liverun").
    A1's is at its grouping step, with the student and A1's pupil in its group 1 ("A1-g1"); A2's is open with
    nobody in it; B1's and C1's are open, their pupils joined. A run by its room, a group as "A1-g1", a member
    by whose it is ("student", "A1-pupil", ...)."""
    dilemma = Activity.objects.filter(kind="dilemma", lesson__owner__isnull=True).order_by("pk").first()
    for name, room in rooms.items():
        run = live_services.live_start(classroom=room.classroom, activity=dilemma, by=room.teacher)
        LiveRun.objects.filter(pk=run.pk).update(title=f"SENTINEL-{name}-liverun")
        room.live_run = run
        labels[(LiveRun, run.pk)] = name
        joined = {"A1": [people["student"], room.pupil], "A2": [], "B1": [room.pupil], "C1": [room.pupil]}[name]
        for student in joined:
            member = live_services.live_join(run, student)
            labels[(LiveMember, member.pk)] = "student" if student == people["student"] else f"{name}-pupil"
    a1 = rooms["A1"]
    run = live_services.live_advance(a1.live_run, by=a1.teacher, expected=LiveRun.State.OPEN)
    run = live_services.live_advance(run, by=a1.teacher, expected=LiveRun.State.VOTING)
    (group,) = live_services.live_groups_form(run, by=a1.teacher, size=3)
    labels[(LiveGroup, group.pk)] = "A1-g1"
    for room in rooms.values():
        room.live_run.refresh_from_db()


def _live_runs_done(rooms: dict[str, Room], people, labels) -> None:
    """What A1's student and pupil left in three live activities A1 did before (closed, written as they end up;
    titled "SENTINEL-A1-done-<kind>"): a dilemma's first votes, with reasons ("student", "A1-pupil"), and the
    student's restatement of the pupil's reason ("A1-student-restates"); a circle's turn (the student speaks,
    the pupil sums up: "A1-turn") and both closing cards; a puzzle's parts ("student", "A1-pupil") and the
    group's answer ("A1-g1"). Each run labelled "A1", its group "A1-g1", its members by whose they are, as
    ``_live_runs`` labels the running one; every text a SENTINEL."""
    a1, student = rooms["A1"], people["student"]
    now = timezone.now() - timedelta(days=2)
    pair = [student, a1.pupil]
    runs = {}
    for kind in ("dilemma", "listening_circle", "team_puzzle"):
        activity = Activity.objects.filter(kind=kind, lesson__owner__isnull=True).order_by("pk").first()
        run = LiveRun.objects.create(
            classroom=a1.classroom, activity=activity, kind=kind, title=f"SENTINEL-A1-done-{kind}", content=activity.content,
            band=activity.lesson.band, state=LiveRun.State.CLOSED, led_by=a1.teacher, started_at=now, closed_at=now,
        )  # fmt: skip
        group = LiveGroup.objects.create(run=run, number=1)
        labels[(LiveRun, run.pk)], labels[(LiveGroup, group.pk)] = "A1", "A1-g1"
        for who in pair:
            member = LiveMember.objects.create(run=run, student=who, group=group, joined_at=now)
            labels[(LiveMember, member.pk)] = "student" if who == student else "A1-pupil"
        runs[kind] = (run, group)
    run, _ = runs["dilemma"]
    for who in pair:
        name = "student" if who == student else "A1-pupil"
        vote = DilemmaVote.objects.create(run=run, student=who, round=1, option=0, reason=f"SENTINEL-{name}-reason")
        labels[(DilemmaVote, vote.pk)] = name
    restated = Restatement.objects.create(
        run=run, reader=student, author=a1.pupil, restatement="SENTINEL-A1-restatement", reply="SENTINEL-A1-reply",
        restated_at=now, rating=Restatement.Rating.YES, rated_at=now,
    )  # fmt: skip
    labels[(Restatement, restated.pk)] = "A1-student-restates"
    run, group = runs["listening_circle"]
    turn = CircleTurn.objects.create(
        run=run, group=group, number=1, speaker=student, reflector=a1.pupil, seconds=240, started_at=now, ends_at=now,
        heard=5, rated_at=now,
    )  # fmt: skip
    labels[(CircleTurn, turn.pk)] = "A1-turn"
    for who in pair:
        name = "student" if who == student else "A1-pupil"
        card = CircleCard.objects.create(run=run, student=who, like=f"SENTINEL-{name}-like", wish=f"SENTINEL-{name}-wish")
        labels[(CircleCard, card.pk)] = name
    run, group = runs["team_puzzle"]
    for index, who in enumerate(pair):
        name = "student" if who == student else "A1-pupil"
        part = PuzzlePart.objects.create(
            run=run, group=group, student=who, index=index, contribution=f"SENTINEL-{name}-contribution"
        )
        labels[(PuzzlePart, part.pk)] = name
    answer = PuzzleAnswer.objects.create(run=run, group=group, text="SENTINEL-A1-answer", version=1, saved_by=student, saved_at=now)
    labels[(PuzzleAnswer, answer.pk)] = "A1-g1"


# --- The story wall ---------------------------------------------------------------------------------------


def _stories(rooms: dict[str, Room], people, labels) -> None:
    """Each classroom's norm story assigned to its students; its pupil's story ("SENTINEL-<room>-story"), sent
    with consent to share and approved; the A1 student's own ("SENTINEL-A1-student-story", "A1-student"),
    approved for their class alone, and their reading of the pupil's (a read, "student"). A1 and A2 are of one
    school, year and band, so their shared stories are on each other's walls."""
    activity = Activity.objects.filter(kind="norm_story", lesson__owner__isnull=True).order_by("pk").first()
    for name, room in rooms.items():
        assignment = assignment_services.assignment_create(classroom=room.classroom, activity=activity, by=room.teacher)
        room.story_submissions = {sub.student_id: sub for sub in assignment.submissions.all()}
        room.story = story_services.story_send(
            submission=room.story_submissions[room.pupil.pk], by=room.pupil, answer={"text": f"SENTINEL-{name}-story", "share": True}
        )
        story_services.story_approve(story=room.story, by=room.teacher)
        labels[(Story, room.story.pk)] = name
    a1, student = rooms["A1"], people["student"]
    own = story_services.story_send(
        submission=a1.story_submissions[student.pk], by=student, answer={"text": "SENTINEL-A1-student-story", "share": False}
    )
    story_services.story_approve(story=own, by=a1.teacher)
    labels[(Story, own.pk)] = "A1-student"
    read = story_services.story_open(story=a1.story, reader=student, classroom=a1.classroom)
    labels[(StoryRead, read.pk)] = "student"
    for room in rooms.values():
        room.story.refresh_from_db()
