"""A district's worth of rows for the benches, written in bulk: schools, classrooms with a teacher each and a class of
students enrolled, each classroom's sessions and, if asked, the registers of its held sessions.

Used by bench/pages.py (``--students``: the demo's district grown) and bench/fidelity.py (two districts of its
own). What differs between them is given: the district (an existing one, or one made first), how many schools and
classrooms and how classrooms are shared out among the schools, the schools' names and time zones, a code that
keeps usernames and join codes apart, and each classroom's sessions. Registers are written as rows in bulk and
then counted into their sessions (``session_registers_recount``), as every write of a register keeps them, and
the sessions into their classrooms (``classroom_sessions_recount``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from accounts.models import District, School, User
from classrooms.models import Classroom, Enrollment, Session, SessionAttendance
from classrooms.program.services import classroom_sessions_recount, session_registers_recount
from classrooms.school_years import current_school_year

BATCH = 5000  # rows an INSERT
STUDENTS_PER_CLASSROOM = 25


@dataclass
class Grown:
    """What ``district_grow`` wrote."""

    district: District
    schools: list[School]
    classrooms: list[Classroom]
    students: int
    sessions: int
    register_lines: int


def district_grow(
    *,
    district: District | str,
    n_schools: int,
    n_classrooms: int,
    code: str,
    now: datetime,
    sessions_of: Callable[[int, Classroom], list[Session]],
    school_name: str = "School {:03d}",
    zones: Sequence[str] = ("America/New_York",),
    per_school: int | None = None,
    registers: bool = False,
    per_classroom: int = STUDENTS_PER_CLASSROOM,
) -> Grown:
    """Add ``n_schools`` schools and ``n_classrooms`` classrooms of this school year to ``district`` (or to a new
    district of that name).

    Classroom ``n`` goes to school ``n // per_school`` (schools filled in turn), or with no ``per_school`` to school
    ``n % n_schools`` (dealt round). School ``n`` is named ``school_name.format(n)``, in zone ``zones[n % len]``.
    ``code`` makes the usernames (``{code}-teacher{n}``, ``{code}-student{n}``) and join codes (``{CODE}{n:06d}``).
    ``sessions_of(n, classroom)`` gives classroom ``n``'s sessions, unsaved. With ``registers``, every held session
    has its class on its register, one student in ten away (which one turns with the session)."""
    if isinstance(district, str):
        district = District.objects.create(name=district)
    unusable, year = make_password(None), current_school_year()
    schools = School.objects.bulk_create(
        School(district=district, name=school_name.format(n), time_zone=zones[n % len(zones)]) for n in range(n_schools)
    )

    def school_of(n: int) -> School:
        return schools[n // per_school] if per_school else schools[n % n_schools]

    classrooms = Classroom.objects.bulk_create(
        (
            Classroom(
                school=school_of(n), name=f"Room {n:05d}", grade=n % 9, school_year=year,
                join_code=f"{code.upper()}{n:06d}", join_code_expires_at=now + timedelta(days=30),
            )
            for n in range(n_classrooms)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    teachers = User.objects.bulk_create(
        (
            User(username=f"{code}-teacher{n}", role=User.Role.TEACHER, password=unusable, school_id=c.school_id,
                 first_name="Teacher", last_name=f"{n:05d}")
            for n, c in enumerate(classrooms)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    teaching = Classroom.teachers.through
    teaching.objects.bulk_create(
        (teaching(classroom=c, user=t) for c, t in zip(classrooms, teachers, strict=True)), batch_size=BATCH
    )
    students = User.objects.bulk_create(
        (
            User(username=f"{code}-student{n}", role=User.Role.STUDENT, password=unusable, grade=3,
                 school_id=classrooms[n // per_classroom].school_id)
            for n in range(n_classrooms * per_classroom)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    Enrollment.objects.bulk_create(
        (Enrollment(classroom=classrooms[n // per_classroom], student=s) for n, s in enumerate(students)),
        batch_size=BATCH,
    )
    sessions = Session.objects.bulk_create(
        [session for n, classroom in enumerate(classrooms) for session in sessions_of(n, classroom)], batch_size=BATCH
    )
    lines = 0
    if registers:
        pupils: dict[int, list[int]] = {}
        for n, s in enumerate(students):
            pupils.setdefault(classrooms[n // per_classroom].pk, []).append(s.pk)
        held = [s for s in sessions if s.status == Session.Status.HELD]
        lines = len(
            SessionAttendance.objects.bulk_create(
                (
                    SessionAttendance(session=session, student_id=pk, present=(i + session.pk) % 10 != 0)
                    for session in held
                    for i, pk in enumerate(pupils[session.classroom_id])
                ),
                batch_size=BATCH,
            )
        )
        session_registers_recount(sessions=Session.objects.filter(classroom__school__in=schools, status=Session.Status.HELD))
    else:  # the classrooms' kept counts of their sessions, as every write of a session keeps them
        classroom_sessions_recount(classroom_ids=[c.pk for c in classrooms])
    return Grown(district, schools, classrooms, len(students), len(sessions), lines)
