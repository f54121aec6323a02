"""A demo district to click around in: ``python manage.py seed_demo``.

Idempotent: every row is found by a natural key and created only if missing, and nothing
that exists is changed, so running it twice changes nothing.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import District, School, User
from classrooms import joincodes
from classrooms.models import (
    BabyObservation,
    Classroom,
    Enrollment,
    Feeling,
    ProgramYear,
    Session,
    VisitingFamily,
)
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import program_year_sessions_sync, program_year_set, session_mark_held
from classrooms.school_years import current_school_year
from curriculum.assignments.services import (
    assignment_create,
    submission_draft_save,
    submission_return,
    submission_turn_in,
)
from curriculum.circles import rotation
from curriculum.circles import services as circle_services
from curriculum.dilemmas import selectors as dilemma_selectors
from curriculum.dilemmas import services as dilemma_services
from curriculum.feelings import FAMILY_OF, FEELINGS, WHEEL
from curriculum.live import services as live_services
from curriculum.models import Activity, Assignment, LiveMember, LiveRun
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk
from peer_counselors import services as help_services
from peer_counselors.models import CounselorProfile, DutyPeriod, DutySlot, HelpDesk, HelpRequest, Weekday
from surveys import services as survey_services
from surveys.models import Instrument, Item, Phase, Respondent, SurveyCycle, SurveyWindow

DEMO_PASSWORD = "heard-demo-2026"  # noqa: S105 - printed for the demo on purpose

FIRST_NAMES = (
    "Amara Ben Chloe Diego Elif Farah Gabe Hana Ines Jonah Kai Lena Malik Nia Omar Priya Quinn "
    "Rosa Sami Tariq Uma Vera Wes Ximena Yusuf Zara Ada Bodhi Cleo Dev Esme Felix Gia Hugo Isla "
    "Jude Kira Leo Maya Noor Oscar Pia Rafael Sofia Theo Una Vik Willa Yara Zane"
).split()
LAST_NAMES = (
    "Abara Brooks Chen Duarte Eriksen Fofana Garcia Haddad Ito Jensen Kowalski Lopez Mensah "
    "Nakamura Okafor Patel Quispe Rossi Silva Tanaka Umar Varga Walsh Xu Yilmaz Zulu"
).split()

SCHOOLS = [
    # (school, admin, counselor, [(teacher, [(classroom, grade, students)])])
    (
        "Maple Elementary",
        ("admin.maple", "Grace", "Hopper"),
        ("counselor.maple", "Ruth", "Okoye"),
        [
            (("teacher.rivera", "Lucia", "Rivera"), [("Room 3 · Kindergarten", 0, 16), ("Room 8 · Grade 2", 2, 17)]),
            (("teacher.nguyen", "Thanh", "Nguyen"), [("Room 12 · Grade 4", 4, 17)]),
        ],
    ),
    (
        "Cedar Middle School",
        ("admin.cedar", "Marcus", "Bell"),
        ("counselor.cedar", "Ana", "Petrov"),
        [
            (("teacher.osei", "Kwame", "Osei"), [("Homeroom 6B", 6, 17), ("Advisory 7A", 7, 16)]),
            (("teacher.schmidt", "Lena", "Schmidt"), [("Advisory 8C", 8, 17)]),
        ],
    ),
]
DISTRICT_ADMIN = ("district.admin", "Iris", "Walker")
DEMO_SIGN_INS = [
    ("student", "maple.s1"),
    ("teacher", "teacher.rivera"),
    ("counselor", "counselor.maple"),
    ("orange hat", "maple.s34"),
    ("school admin", "admin.maple"),
    ("district admin", "district.admin"),
]


class Command(BaseCommand):
    help = "Create a demo district (two schools, 4 teachers, 100 students in 6 classrooms) if it is not there."

    def handle(self, *args, **options):
        self.password_hash = make_password(DEMO_PASSWORD)  # one hash for every demo account: demo only
        self.created = 0
        with transaction.atomic():
            self.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({self.created} rows created)."))
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
        for role, username in DEMO_SIGN_INS:
            self.stdout.write(f"  {role:<16} {username}")

    def user(self, username, first, last, role, **fields) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": role, "password": self.password_hash, **fields},
        )
        self.created += created
        return user

    def seed(self):
        district, created = District.objects.get_or_create(name="Riverside Unified (demo)")
        self.created += created
        self.user(*DISTRICT_ADMIN, User.Role.DISTRICT_ADMIN, district=district, email="district.admin@example.org")
        year = current_school_year()
        student_number = 0
        for school_name, admin, counselor, teachers in SCHOOLS:
            school, created = School.objects.get_or_create(district=district, name=school_name)
            self.created += created
            prefix = school_name.split()[0].lower()
            self.user(*admin, User.Role.SCHOOL_ADMIN, school=school, email=f"{admin[0]}@example.org")
            self.user(*counselor, User.Role.COUNSELOR, school=school, email=f"{counselor[0]}@example.org")
            school_student = 0
            for teacher_key, classrooms in teachers:
                teacher = self.user(*teacher_key, User.Role.TEACHER, school=school, email=f"{teacher_key[0]}@example.org")
                for name, grade, size in classrooms:
                    classroom, created = Classroom.objects.get_or_create(
                        school=school,
                        school_year=year,
                        name=name,
                        defaults={
                            "grade": grade,
                            "join_code": joincodes.generate(),
                            "join_code_expires_at": timezone.now() + settings.JOIN_CODE_LIFETIME,
                        },
                    )
                    self.created += created
                    if created:
                        classroom.teachers.add(teacher)
                    for _ in range(size):
                        school_student += 1
                        student_number += 1
                        first = FIRST_NAMES[student_number % len(FIRST_NAMES)]
                        last = LAST_NAMES[(student_number * 7) % len(LAST_NAMES)]
                        student = self.user(
                            f"{prefix}.s{school_student}", first, last, User.Role.STUDENT, school=school, grade=grade
                        )
                        _, created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
                        self.created += created
                self.welcome(teacher)
            self.program_years(school, year)
            self.practice(school, year)
            self.orange_hats(school, prefix)
            self.live_practice(school, year)
        self.surveys(School.objects.get(district=district, name=SCHOOLS[0][0]), year)

    def welcome(self, teacher: User) -> None:
        # A fixed moment makes the welcome's key the same on every run.
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        if not Notification.objects.filter(recipient=teacher, kind=Notification.Kind.WELCOME).exists():
            self.created += 1
        notifications_create_bulk(
            drafts=[
                NotificationDraft(
                    recipient_id=teacher.pk,
                    kind=Notification.Kind.WELCOME,
                    due_at=moment,
                    title="Welcome to Heard: your demo classrooms are ready",
                    body="Open a classroom to see its roster and join code, add students or print sign-in cards.",
                    url="/classrooms/",
                )
            ]
        )

    # (classroom, kind of year, ordinal, weekday, time): Room 3 is a Roots-of-Empathy-style year
    # with a visiting family, two more classrooms run monthly lessons, the others have none yet
    # (Room 8 shows the "set up the program year" state).
    PROGRAM_YEARS = {
        "Room 3 · Kindergarten": (ProgramYear.Format.VISITS, 2, 2, time(10, 0)),
        "Room 12 · Grade 4": (ProgramYear.Format.LESSONS, 1, 1, time(13, 30)),
        "Homeroom 6B": (ProgramYear.Format.LESSONS, 3, 3, time(9, 15)),
    }
    LESSON_TITLES = ["Noticing feelings in faces", "Whose shoes? Seeing it their way", "Listening to understand"]
    # What the class measured at each visit, in order: weight (kg), length (cm), milestone, feelings.
    BABY_LOG = [
        ("5.60", "58.0", "Smiles back at the children", [Feeling.CURIOUS, Feeling.HAPPY]),
        ("6.40", "61.5", "Holds her head up; laughs at the song", [Feeling.HAPPY, Feeling.EXCITED, Feeling.SHY]),
        ("7.10", "64.0", "Rolls from tummy to back", [Feeling.PROUD, Feeling.FRUSTRATED]),
        ("7.70", "66.0", "Reaches for the green ball", [Feeling.CURIOUS, Feeling.CALM]),
        ("8.20", "68.5", "Sits with a little help", [Feeling.PROUD, Feeling.TIRED]),
    ]

    # (lesson slug, activity key, months ago it was given, share of the class that turned it in). Grade 4
    # practises with Caring community across three months, so its Practice page has a trend; the
    # kindergarten has a feelings guess done and one still to do (the demo student's To do).
    PRACTICE = {
        "Room 12 · Grade 4": [
            ("cc-35-02-clues-to-feelings", "priya-at-lunch", 2, 1.0),
            ("cc-35-05-more-than-one-reason", "leo-and-the-saved-seat", 2, 0.9),
            ("cc-35-02-clues-to-feelings", "omar-at-kickball", 1, 0.9),
            ("cc-35-11-the-group-project", "marco-missing-part", 1, 0.8),
            ("cc-35-09-room-at-the-lunch-table", "nia-squeezed-in", 0, 0.7),
            ("cc-35-07-a-day-as-the-new-student", "amara-alone-at-recess", 0, 0.6),
        ],
        "Room 3 · Kindergarten": [
            ("bv-k2-01-pre", "tomas-at-the-door", 1, 0.9),
            ("bv-k2-02-pre", "sam-no-nap", 0, 0.0),
        ],
    }

    def practice(self, school: School, year: int) -> None:
        """Assignments given in past months and the class's answers, through the same services a class uses."""
        now = timezone.now()
        for classroom in Classroom.objects.filter(school=school, school_year=year, name__in=self.PRACTICE):
            if Assignment.objects.filter(classroom=classroom).exists():
                continue  # already seeded
            teacher = classroom.teachers.first()
            pupils = list(User.objects.filter(enrollments__classroom=classroom).order_by("username"))
            for slug, key, months_ago, share in self.PRACTICE[classroom.name]:
                activity = Activity.objects.filter(lesson__slug=slug, lesson__owner__isnull=True, key=key).first()
                if activity is None:
                    continue
                given = now - timedelta(days=30 * months_ago + 3)
                assignment = assignment_create(
                    classroom=classroom, activity=activity, by=teacher, due_at=given + timedelta(days=7), now=given,
                    instructions="Take your time, and say why you think so.",
                )
                self.created += 1 + len(pupils)
                works = {w.student_id: w for w in assignment.submissions.all()}
                for index, pupil in enumerate(pupils[: round(len(pupils) * share)]):
                    answer = demo_answer(assignment, index, months_ago)
                    work = submission_draft_save(submission=works[pupil.pk], by=pupil, answer=answer, now=given + timedelta(days=1))
                    work = submission_turn_in(submission=work, by=pupil, now=given + timedelta(days=2))
                    if index == 0:
                        submission_return(
                            submission=work, by=teacher, now=given + timedelta(days=3),
                            feedback="You noticed the clues in the story. What else might they have felt?",
                        )

    LIVE_CLASSROOM = "Room 12 · Grade 4"

    def live_practice(self, school: School, year: int) -> None:
        """Room 12 did a dilemma and a listening circle live last week, through the services a class uses,
        so its Practice page shows reasons said back and how heard the speakers felt."""
        classroom = Classroom.objects.filter(school=school, school_year=year, name=self.LIVE_CLASSROOM).first()
        if classroom is None or LiveRun.objects.filter(classroom=classroom).exists():
            return
        teacher = classroom.teachers.first()
        pupils = list(User.objects.filter(enrollments__classroom=classroom).order_by("username"))
        shipped = Activity.objects.filter(lesson__owner__isnull=True, lesson__band="3_5").order_by("lesson__slug", "position")
        dilemma, circle = shipped.filter(kind="dilemma").first(), shipped.filter(kind="listening_circle").first()
        if dilemma is None or circle is None or len(pupils) < 6:
            return
        start = timezone.now() - timedelta(days=7)
        self.demo_dilemma(classroom, teacher, pupils, dilemma, start)
        self.demo_circle(classroom, teacher, pupils, circle, start + timedelta(hours=2))

    def demo_dilemma(self, classroom, teacher, pupils, activity, at) -> None:
        run = live_services.live_start(classroom=classroom, activity=activity, by=teacher, now=at)
        options = len(dilemma_selectors.options_of(run))
        run = live_services.live_advance(run, by=teacher, expected="open", now=at)
        for index, pupil in enumerate(pupils):
            dilemma_services.dilemma_vote(
                run, by=pupil, option=index % options, reason="Because it is fair to everyone.", now=at
            )
        run = live_services.live_advance(run, by=teacher, expected="voting", now=at)
        live_services.live_groups_form(run, by=teacher, size=4)
        run = live_services.live_advance(run, by=teacher, expected="grouped", now=at)
        assigned = dilemma_selectors.assignments(run)
        readers = [p for p in pupils if p.pk in assigned]
        for pupil in readers[: len(readers) - 2]:  # two did not finish in time
            dilemma_services.restatement_write(
                run, by=pupil, author_id=assigned[pupil.pk], restatement="You think it is fair because...",
                reply="I see it, and I also think...", now=at,
            )  # fmt: skip
        ratings = ["yes", "yes", "partly", "yes", "no"]
        by_pk = {p.pk: p for p in pupils}
        for index, row in enumerate(run.restatements.filter(restated_at__isnull=False).order_by("pk")):
            if index % 6 != 5:  # some authors never rated
                dilemma_services.restatement_rate(row, by=by_pk[row.author_id], rating=ratings[index % len(ratings)], now=at)
        run = live_services.live_advance(run, by=teacher, expected="restating", now=at)
        for index, pupil in enumerate(pupils):
            moved = index % 5 == 0
            dilemma_services.dilemma_vote(run, by=pupil, option=(index + moved) % options, reason="", now=at)
        live_services.live_close(run, by=teacher, now=at)
        self.created += 1

    def demo_circle(self, classroom, teacher, pupils, activity, at) -> None:
        run = live_services.live_start(classroom=classroom, activity=activity, by=teacher, now=at)
        for pupil in pupils:
            live_services.live_join(run, pupil, now=at)
        run = live_services.live_advance(run, by=teacher, expected="open", now=at)
        live_services.live_groups_form(run, by=teacher, size=4)
        run = live_services.live_advance(run, by=teacher, expected="grouped", now=at)
        heard = [5, 4, 5, 3, 5, 4, 2, 5]
        by_pk = {p.pk: p for p in pupils}
        for group in run.groups.all():
            members = list(LiveMember.objects.filter(group=group).order_by("pk").values_list("student_id", flat=True))
            turns: list[tuple[int, int]] = []
            for _ in members:  # one full rotation: everyone talks once and sums up once
                upcoming = rotation.next_turn(members, turns)
                speaker = by_pk[upcoming.speaker]
                circle_services.circle_reflector_choose(run, by=speaker, reflector_id=upcoming.suggested, now=at)
                at += timedelta(minutes=4)
                turn = circle_services.circle_turn_finish(run, by=speaker, now=at)
                circle_services.circle_rate(run, by=speaker, turn_id=turn.pk, heard=heard[turn.pk % len(heard)], now=at)
                turns.append((upcoming.speaker, upcoming.suggested))
        run = live_services.live_advance(run, by=teacher, expected="running", now=at)
        for pupil in pupils[::2]:
            circle_services.circle_card_write(
                run, by=pupil, like="I liked being listened to.", wish="I wish we had more time.", now=at
            )
        live_services.live_close(run, by=teacher, now=at)
        self.created += 1

    # Maple's fall-to-spring cycle: the self-reports (K-2 read aloud, 3-8), the peer nomination and the teacher
    # report. The pre window ran in September and everyone answered; the post window is open now, and most of
    # Room 3 and Room 12 have answered it but only a few of Room 8 (so its figures are hidden as too small).
    # maple.s1 (Room 3) has not: the demo student's home page shows the survey to take.
    SURVEY_SLUGS = ("heard-self-k-2", "heard-self-3-8", "heard-peer", "heard-teacher")
    SURVEY_POST_SHARE = {"Room 3 · Kindergarten": 0.95, "Room 8 · Grade 2": 0.45, "Room 12 · Grade 4": 0.9}

    def surveys(self, school: School, year: int) -> None:
        title = "Fall to spring empathy survey"
        forms = list(Instrument.objects.filter(school__isnull=True, slug__in=self.SURVEY_SLUGS))
        if not forms or SurveyCycle.objects.filter(school=school, title=title).exists():
            return  # no shipped instruments (an old database), or already seeded
        admin = User.objects.get(username=SCHOOLS[0][1][0])
        classrooms = list(Classroom.objects.filter(school=school, school_year=year).order_by("grade"))
        now = timezone.now()
        cycle = SurveyCycle.objects.create(school=school, title=title, created_by=admin)
        pre = SurveyWindow.objects.create(
            cycle=cycle, phase=Phase.PRE, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1), created_by=admin
        )
        pre.instruments.set(forms)
        pre.classrooms.set(classrooms)
        self.survey_answers(pre, classrooms, share=None, gain=0)
        # The pre window ran in September: moved there once its answers are in (the services refuse a closed window).
        september = datetime(year, 9, 8, 8, 0, tzinfo=school.zone)
        SurveyWindow.objects.filter(pk=pre.pk).update(opens_at=september, closes_at=september + timedelta(days=12))
        post = SurveyWindow.objects.create(
            cycle=cycle, phase=Phase.POST, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=10), created_by=admin
        )
        post.instruments.set(forms)
        post.classrooms.set(classrooms)
        self.survey_answers(post, classrooms, share=self.SURVEY_POST_SHARE, gain=1)
        self.created += 3

    def survey_answers(self, window: SurveyWindow, classrooms: list, *, share: dict | None, gain: int) -> None:
        """Every (or ``share`` of each classroom's) student answers the window's student forms; each classroom's
        teacher fills in the teacher report. Answers vary by student and item; ``gain`` nudges some up at post."""
        for classroom in classrooms:
            pupils = list(
                User.objects.filter(enrollments__classroom=classroom, enrollments__left_at__isnull=True).order_by("username")
            )
            answering = pupils if share is None else pupils[len(pupils) - round(len(pupils) * share[classroom.name]) :]
            for index, pupil in enumerate(answering):
                if pupil.username == DEMO_SIGN_INS[0][1]:
                    continue  # the demo student takes it themselves
                for form in window.forms_for(classroom.grade):
                    response = survey_services.response_open(window, pupil, form)
                    items = list(form.items.order_by("order"))
                    if form.respondent == Respondent.PEER:
                        others = survey_services.classmates(response)
                        for n, item in enumerate(items):
                            picks = min(2 + gain, form.nominations_max)
                            named = [others[(index * 3 + n + k * 5 + gain) % len(others)] for k in range(picks)] if others else []
                            survey_services.nominations_save(response, pupil, item.key, named)
                    else:
                        for n, item in enumerate(items):
                            points = item.scale_points
                            value = 1 + (index * 7 + n * 3) % points
                            if gain and (index + n) % 3:
                                value = min(points, value + gain)
                            if item.reverse:
                                value = points + 1 - value
                            survey_services.answer_save(response, pupil, item.key, str(value))
                    survey_services.response_submit(response, pupil)
            teacher = classroom.teachers.first()
            form = window.form_for(classroom.grade, Respondent.TEACHER)
            if teacher is not None and form is not None:
                items = list(form.items.filter(kind=Item.Kind.RATING).order_by("order"))
                ratings = {
                    pupil.pk: {
                        item.key: str(1 + (i * 5 + n * 2 + gain * ((i + n) % 2)) % item.scale_points) for n, item in enumerate(items)
                    }
                    for i, pupil in enumerate(pupils)
                }
                survey_services.teacher_report_save(window, teacher, classroom, ratings, submit=True)

    def program_years(self, school: School, year: int) -> None:
        now = timezone.now()
        for classroom in Classroom.objects.filter(school=school, school_year=year, name__in=self.PROGRAM_YEARS):
            if ProgramYear.objects.filter(classroom=classroom).exists():
                continue  # already seeded: never changed on a second run
            format, ordinal, weekday, at = self.PROGRAM_YEARS[classroom.name]
            teacher = classroom.teachers.first()
            recurrence = Recurrence(
                first_month=date(year, 10, 1), last_month=date(year + 1, 6, 1), at=at, time_zone=school.time_zone,
                ordinal=ordinal, weekday=weekday,
            )
            program_year = program_year_set(classroom=classroom, recurrence=recurrence, by=teacher, format=format)
            # The demo starts in a year already under way: plan the months already past too.
            program_year_sessions_sync(program_year=program_year, now=datetime(year, 9, 1, tzinfo=UTC))
            self.created += 1 + Session.objects.filter(classroom=classroom).count()
            sessions = list(Session.objects.filter(classroom=classroom).select_related("theme").order_by("starts_at"))
            for session, title in zip(
                (s for s in sessions if s.kind in (Session.Kind.LESSON, Session.Kind.PRE_VISIT)), self.LESSON_TITLES,
                strict=False,
            ):
                session.title = title
                session.save(update_fields=["title"])
            past = [s for s in sessions if s.starts_at < now]
            pupils = list(
                Enrollment.objects.filter(classroom=classroom).order_by("student__username").values_list("student", flat=True)
            )
            for n, session in enumerate(past[:-1]):  # the latest past one stays unmarked, as a teacher forgets
                # Marked as its teacher marks it, register and all: a different child or two away each time.
                away = {pupils[(3 * n + k) % len(pupils)] for k in range(1 + n % 2)} if pupils else set()
                session_mark_held(session=session, by=teacher, note="Went as planned.", absent_ids=away)
                Session.objects.filter(pk=session.pk).update(status_changed_at=session.starts_at)  # marked that day
                self.created += len(pupils)
            if format == ProgramYear.Format.VISITS:
                self.visiting_family(classroom, year, sessions, now)

    def visiting_family(self, classroom: Classroom, year: int, sessions: list, now: datetime) -> None:
        family = VisitingFamily.objects.create(
            classroom=classroom, name="The Okafor family", contact_email="okafor.family@example.org", contact_phone="+1 555 0100",
            baby_name="Ada", baby_born_on=date(year, 8, 3),
        )
        instructor = User.objects.filter(school=classroom.school, role=User.Role.COUNSELOR).first()
        themes = {s.theme for s in sessions if s.theme}
        for theme in themes:
            theme.family, theme.instructor = family, instructor
            theme.save(update_fields=["family", "instructor"])
        visits = [s for s in sessions if s.kind == Session.Kind.FAMILY_VISIT and s.starts_at < now]
        for visit, (weight, length, milestone, feelings) in zip(visits, self.BABY_LOG, strict=False):
            BabyObservation.objects.create(
                session=visit, weight_kg=Decimal(weight), length_cm=Decimal(length), milestones=milestone,
                feelings=list(feelings), feelings_note="She turned to the voice she knew and went still.",
                recorded_by=classroom.teachers.first(),
            )
        self.created += 1 + len(themes) + len(visits)


    # Two orange hats per school (Maple: two of Room 12, grade 4; Cedar: one of 6B, one of 7A), on duty at the morning
    # and lunch recesses; at Maple, three requests: one waiting, one an orange hat took with a time to meet, and one
    # the screen sent to the counselor (a weapon at the bus stop).
    ORANGE_HATS = {"maple": ("maple.s34", "maple.s35"), "cedar": ("cedar.s2", "cedar.s18")}

    def orange_hats(self, school: School, prefix: str) -> None:
        if CounselorProfile.objects.filter(school=school).exists():
            return
        HelpDesk.objects.get_or_create(
            school=school,
            defaults={"last_contact_name": "Principal's office", "last_contact_email": f"office.{prefix}@example.org",
                      "last_contact_phone": "(555) 010-0100"},
        )
        morning = DutyPeriod.objects.create(school=school, name="Morning recess", starts=time(10, 0), ends=time(10, 15))
        lunch = DutyPeriod.objects.create(school=school, name="Lunch recess", starts=time(12, 0), ends=time(12, 40))
        trained = timezone.localdate() - timedelta(days=40)
        profiles = []
        for n, username in enumerate(self.ORANGE_HATS[prefix]):
            profile = CounselorProfile.objects.create(
                student=User.objects.get(username=username), school=school, trained_on=trained
            )
            DutySlot.objects.create(profile=profile, weekday=Weekday.TUESDAY + 2 * n, period=lunch)
            DutySlot.objects.create(profile=profile, weekday=Weekday.MONDAY + 2 * n, period=morning)
            profiles.append(profile)
            self.created += 3
        if prefix != "maple":
            return
        help_services.help_request_file(
            requester=User.objects.get(username="maple.s20"), topic="conflict", meet_period=lunch,
            text="Kai and I both want to be goalie and now he won't talk to me.", classmate="Kai",
        )
        taken = help_services.help_request_file(
            requester=User.objects.get(username="maple.s22"), topic="left_out",
            text="Nobody saves me a seat at lunch anymore.",
        )
        help_services.help_request_accept(request=taken, by=profiles[0].student)
        help_services.help_request_propose_time(
            request=taken, by=profiles[0].student, when=timezone.now() + timedelta(days=1), place="The library",
        )
        help_services.help_request_file(
            requester=User.objects.get(username="maple.s25"), topic="other",
            text="A boy at the bus stop said he will bring a knife tomorrow.",
        )
        self.created += HelpRequest.objects.filter(school=school).count()


def demo_answer(assignment, index: int, months_ago: int) -> dict:
    """A plausible answer that gets closer to the mark in later months (the Practice page's trend)."""
    content = assignment.content
    closer = (index + 3 - months_ago) % 4  # 0: far off; 1: same family; 2-3: the very feeling
    if assignment.kind == "feelings_guess":
        key = (content.get("key") or {}).get("feelings") or ["happy"]
        family = FAMILY_OF[key[0]]
        if closer == 0:
            picked = [next(f for f in FEELINGS if FAMILY_OF[f] != family)]
        elif closer == 1:
            picked = [next(f for f in WHEEL[family] if f != key[0])]
        else:
            picked = [key[0]]
        intensity = (content.get("key") or {}).get("intensity") or 3
        return {"feelings": picked, "intensity": max(1, min(5, intensity + (index % 3) - 1)), "why": "Because of how they looked."}
    if assignment.kind == "situational_attribution":
        situational = 1 + (2 - months_ago) // 2 + (index % 2)
        about = ["situation"] * situational + ["person"] * (3 - situational)
        reasons = ["Something happened at home.", "They were in a hurry.", "They did not know.", "They forgot."]
        return {
            "explanations": [{"text": reasons[i], "about": about[i]} for i in range(3)] + [{"text": "", "about": ""}] * 2,
            "self_explanations": [{"text": "I had a bad morning.", "about": "situation"}] + [{"text": "", "about": ""}] * 2,
        }
    return {"text": "I looked at it the way they would."}
