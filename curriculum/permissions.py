"""Who may see and change the curriculum's models, as one ``Q`` per model (failing closed).

* Lessons: every adult of a school browses the shipped library; a teacher's own lessons (written or
  copied) are theirs alone, in their current school. Students never browse the library: they see
  what is assigned to them, through the assignment's own copy.
* Assignments: the classroom's teachers and the school's admin see and manage them; a student sees
  the ones they have a submission for, in a classroom of their current school.
* Submissions: a student sees their own; the classroom's teachers see their class's. School and
  district admins see outcomes aggregated (the Practice page), never a student's answer.
* Live runs (dilemma corners, listening circles, team puzzles): the classroom's teachers and the school's
  admin lead them; a student of the classroom takes part in the one under way and sees, of the groups,
  only their own (its members, and what the group writes).
* Stories (the empathy story wall): see ``story_scope``, ``story_moderate_scope`` and ``story_read_scope``.
* A listening circle's turns: a student sees those of their own group (who speaks, who sums up, the
  timer); only the speaker rates their own. Closing cards: a student sees their own; the leader sees all.
"""

from django.db.models import Exists, OuterRef, Q

from accounts import request_memo
from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from classrooms.models import Classroom
from classrooms.permissions import classroom_manage_scope, classroom_scope, scoped_classroom_pks
from curriculum.content import BAND_GRADES
from curriculum.models import Assignment, LiveGroup, LiveMember, LiveRun, Story, Submission

ADULT_ROLES = (User.Role.TEACHER, User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)


def _has_place(user) -> bool:
    return bool(user.school_id or (user.role == User.Role.DISTRICT_ADMIN and user.district_id))


def can_browse_library(user) -> bool:
    """Every adult with a school or a district browses the shipped library; students never do."""
    return signed_in(user) and user.role in ADULT_ROLES and _has_place(user)


def can_write_lessons(user) -> bool:
    """A teacher of a school writes lessons of their own and copies shipped ones."""
    return signed_in(user) and user.role == User.Role.TEACHER and bool(user.school_id)


def lesson_scope(user) -> Q:
    """Lessons ``user`` may open: the shipped library (any adult with a school or district) and their own."""
    if not can_browse_library(user):
        return NOTHING
    own = Q(owner_id=user.pk, school_id=user.school_id) if user.school_id else NOTHING
    return Q(owner__isnull=True) | own


def lesson_manage_scope(user) -> Q:
    """Lessons ``user`` may edit: only their own, written or copied, in their current school."""
    if not can_write_lessons(user):
        return NOTHING
    return Q(owner_id=user.pk, school_id=user.school_id)


def _classrooms(user, *, manage: bool = False) -> Q:
    """Rows with a ``classroom`` whose classroom ``user`` may open (with ``manage``, manage)."""
    return Q(classroom__in=scoped_classroom_pks(user, manage=manage))


def assignment_manage_scope(user) -> Q:
    """Assignments ``user`` may give, edit and review: in the classrooms they teach or run."""
    if not signed_in(user) or user.role not in (User.Role.TEACHER, User.Role.SCHOOL_ADMIN):
        return NOTHING
    return _classrooms(user, manage=True)


def assignment_scope(user) -> Q:
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        mine = Q(pk__in=Submission.objects.filter(student_id=user.pk).values("assignment_id"))
        return mine & _classrooms(user)
    return assignment_manage_scope(user)


def submission_scope(user) -> Q:
    """Submissions ``user`` may open: their own (a student, in a classroom they are still in), or
    their class's (the classroom's teachers)."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(student_id=user.pk) & Q(assignment__in=Assignment.objects.filter(_classrooms(user)).values("pk"))
    if user.role == User.Role.TEACHER:
        return Q(assignment__in=Assignment.objects.filter(assignment_manage_scope(user)).values("pk"))
    return NOTHING


def live_run_manage_scope(user) -> Q:
    """Live runs ``user`` may lead: in the classrooms they teach or run (as assignments)."""
    return assignment_manage_scope(user)


def live_run_scope(user) -> Q:
    """Live runs ``user`` may open: a student, those of the classrooms they are in now; an adult, those they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return _classrooms(user)
    return live_run_manage_scope(user)


def live_run_join_scope(user) -> Q:
    """``live_run_scope(user)`` as joins rather than nested subqueries (tests/test_scopes.py holds it to the same rows
    for every persona), for fetching one run by its pk: the live poll's one query before its ETag (issue 15), which
    Django compiles in about half the time. A student: the runs of the classrooms they are enrolled in now, of their
    school; a teacher: of the classrooms they teach, of their school; a school admin: of their school's."""
    if not signed_in(user) or not user.school_id:
        return NOTHING
    school = Q(classroom__school_id=user.school_id)
    if user.role == User.Role.STUDENT:
        return school & Q(classroom__enrollments__student_id=user.pk, classroom__enrollments__left_at__isnull=True)
    if user.role == User.Role.TEACHER:
        return school & Q(classroom__teachers__id=user.pk)
    if user.role == User.Role.SCHOOL_ADMIN:
        return school
    return NOTHING


def _student_groups(user) -> Q:
    own = LiveMember.objects.filter(student_id=user.pk, run__in=LiveRun.objects.filter(live_run_scope(user)).values("pk"))
    return Q(pk__in=own.exclude(group__isnull=True).values("group_id"))


def live_group_scope(user) -> Q:
    """Groups ``user`` may see: a student, their own group of each run they may open; an adult, the groups of runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return _student_groups(user)
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def live_member_scope(user) -> Q:
    """Members ``user`` may see: a student, themselves and the members of their own groups; an adult, those of runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        runs = LiveRun.objects.filter(live_run_scope(user)).values("pk")
        return Q(run__in=runs) & (Q(student_id=user.pk) | Q(group__in=LiveGroup.objects.filter(_student_groups(user)).values("pk")))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def opened_by(run: LiveRun, user) -> None:
    """Record on ``run`` that it was just fetched through ``live_run_scope(user)`` (an adult's is
    ``live_run_manage_scope``): the proof ``live_members_of_run`` and ``circle_turns_of_run`` ask for."""
    run.opened_by = request_memo.user_key(user)


def _opened(run: LiveRun, user) -> bool:
    return signed_in(user) and getattr(run, "opened_by", None) == request_memo.user_key(user)


def opened_here(run: LiveRun, user) -> bool:
    """Whether ``run`` was fetched through ``user``'s scope in this request (``opened_by``)."""
    return _opened(run, user)


def _own_group_in(run: LiveRun, user):
    return LiveMember.objects.filter(run_id=run.pk, student_id=user.pk, group__isnull=False).values("group_id")


def live_members_of_run(user, run: LiveRun) -> Q:
    """``live_member_scope(user)`` within ``run``: the same members (tests/test_scopes.py checks it for every persona
    and run). For a run ``user`` opened in this request (``opened_by``), as lookups on that run alone, whose runs'
    subquery is then known to hold it: a student, themselves and the members of their group in it; its leader,
    every member. The general scope nests the runs in scope and the student's groups in them, which Django compiles
    again on every request in several times the time the page's other queries take (issue 15: the live poll). Any
    other run: the general scope, narrowed to the run."""
    if not _opened(run, user):
        return live_member_scope(user) & Q(run_id=run.pk)
    if user.role == User.Role.STUDENT:
        return Q(run_id=run.pk) & (Q(student_id=user.pk) | Q(group_id__in=_own_group_in(run, user)))
    return Q(run_id=run.pk)


def live_members_seen_in(user, run: LiveRun, members: list) -> list:
    """Of ``members`` (every member of ``run``, read without a scope: a live page's copy kept by the run's version,
    curriculum.live.selectors.run_rows), those ``live_members_of_run(user, run)`` finds, in their order, for a run
    ``user`` opened in this request: a student, themselves and the members of their group in it; its leader,
    every member. For any other run, none (the caller reads it through the scope instead: ``opened_here``).
    ``members`` need ``student_id`` and ``group_id``; tests/test_scopes.py holds this to the query for every
    persona and run."""
    if not _opened(run, user):
        return []
    if user.role != User.Role.STUDENT:
        return list(members)
    own_group = next((m.group_id for m in members if m.student_id == user.pk and m.group_id is not None), None)
    return [m for m in members if m.student_id == user.pk or (own_group is not None and m.group_id == own_group)]


def circle_turns_of_run(user, run: LiveRun) -> Q:
    """``circle_turn_scope(user)`` within ``run``, as ``live_members_of_run`` narrows the members: for a run ``user``
    opened in this request, a student's group's turns in it, or every turn of it for its leader."""
    if not _opened(run, user):
        return circle_turn_scope(user) & Q(run_id=run.pk)
    if user.role == User.Role.STUDENT:
        return Q(run_id=run.pk) & Q(group_id__in=_own_group_in(run, user))
    return Q(run_id=run.pk)


# --- The empathy story wall (curriculum.stories) ---


def _on_walls_of(rooms) -> Q:
    """Stories on the wall of any of ``rooms`` (a Classroom queryset): approved ones of the room itself, and
    approved ones the author shares, of a class of the same school, school year and grade band."""
    shared = NOTHING
    for grades in BAND_GRADES.values():
        alike = rooms.filter(grade__in=grades, school_id=OuterRef("classroom__school_id"), school_year=OuterRef("classroom__school_year"))
        shared |= Q(classroom__grade__in=grades) & Q(Exists(alike))
    return Q(state=Story.State.APPROVED) & (Q(classroom__in=rooms.values("pk")) | (Q(share_consent=True) & shared))


def story_scope(user) -> Q:
    """Stories ``user`` may read.

    * a student: their own, in any state (in a classroom of their current school they are still in), and
      the approved stories on their classes' walls (their class's; another class's of the same school,
      school year and grade band while its author consents). Never another student's unapproved story.
    * a teacher: every story of the classrooms they teach, in any state (to moderate them), and the
      approved stories shared onto those classrooms' walls.
    * anyone else: none (school and district admins see the class's reading figures, never a story).
    """
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        rooms = Classroom.objects.filter(classroom_scope(user))
        return (Q(author_id=user.pk) & _classrooms(user)) | _on_walls_of(rooms)
    if user.role == User.Role.TEACHER:
        rooms = Classroom.objects.filter(classroom_manage_scope(user))
        return _classrooms(user, manage=True) | _on_walls_of(rooms)
    return NOTHING


def story_moderate_scope(user) -> Q:
    """Stories ``user`` may approve, send back or decline: those of the classrooms they teach (a teacher of
    the author's class, in their current school). Not the school admin, who does not review work either."""
    if not signed_in(user) or user.role != User.Role.TEACHER:
        return NOTHING
    return _classrooms(user, manage=True)


def story_read_scope(user) -> Q:
    """Reads (StoryRead) ``user`` may count: a student their own; the classroom's teachers and school admin
    their class's reads, shown as the class's figures only (no reader is named or ranked)."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(reader_id=user.pk) & _classrooms(user)
    if user.role in (User.Role.TEACHER, User.Role.SCHOOL_ADMIN):
        return _classrooms(user, manage=True)
    return NOTHING


def puzzle_part_scope(user) -> Q:
    """Puzzle parts ``user`` may see: a student, those of their own groups (their own parts to read, their
    groupmates' to see what they told the group); an adult, those of runs they lead. Which part's text a
    student reads is narrowed again by the page: only their own."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(group__in=LiveGroup.objects.filter(_student_groups(user)).values("pk"))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def puzzle_answer_scope(user) -> Q:
    """Group answers ``user`` may see: a student, their own groups'; an adult, those of runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(group__in=LiveGroup.objects.filter(_student_groups(user)).values("pk"))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def circle_turn_scope(user) -> Q:
    """Circle turns ``user`` may see: a student, those of their own groups; an adult, those of runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(group__in=LiveGroup.objects.filter(_student_groups(user)).values("pk"))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def circle_card_scope(user) -> Q:
    """Closing cards ``user`` may see: a student, their own (in runs they may open); an adult, those of runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(student_id=user.pk, run__in=LiveRun.objects.filter(live_run_scope(user)).values("pk"))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def dilemma_vote_scope(user) -> Q:
    """Dilemma votes ``user`` may see: a student, their own (the class sees only the anonymous split); an
    adult, those of the runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(student_id=user.pk) & Q(run__in=LiveRun.objects.filter(live_run_scope(user)).values("pk"))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))


def restatement_scope(user) -> Q:
    """Restatements ``user`` may see: a student, the ones they write and the ones of their own reason (its
    reader is never named to them); an adult, those of the runs they lead."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        runs = LiveRun.objects.filter(live_run_scope(user)).values("pk")
        return Q(run__in=runs) & (Q(reader_id=user.pk) | Q(author_id=user.pk))
    return Q(run__in=LiveRun.objects.filter(live_run_manage_scope(user)).values("pk"))
