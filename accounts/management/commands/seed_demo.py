"""A demo district to click around in: ``python manage.py seed_demo``.

Idempotent: every row is found by a natural key and created only if missing, and nothing
that exists is changed, so running it twice changes nothing.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import District, School, User
from classrooms import joincodes
from classrooms.forms import current_school_year
from classrooms.models import Classroom, Enrollment
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk

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
