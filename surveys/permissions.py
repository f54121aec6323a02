"""Who may see and change the surveys' models, as one ``Q`` per model (failing closed).

* Instruments: every adult of a school sees the shipped ones and their school's imported ones; a school's
  admin imports and exports them. A student sees only the forms they answer (self-reports and peer
  nominations) of windows given to them: never a teacher report, whose items are about them.
* Cycles and windows: a school's admin opens and manages them for the school; a teacher for the
  classrooms they teach (their own cycles). A student sees the windows given to a classroom they are in
  now; a teacher those that include a classroom they teach; admins their school's or district's.
* Responses and answers: read by their respondent only (a student their own, a teacher the reports they
  filled in). Nobody else reads an answer; admins get aggregated outcomes and, audited, a student-level export.
* Anonymous participation: that a student took part in an anonymous window, seen by that student only
  (response rates count them in the database, never showing whose they are).
* Scores: aggregated on the outcomes page for a classroom's teachers, the school's admin and the
  district's admin; a student never sees scores, not even their own.
"""

from django.db.models import Q

from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from classrooms.models import Classroom
from classrooms.permissions import classroom_manage_scope, scoped_classroom_pks
from surveys.models import AnonymousParticipation, Respondent, Response, SurveyCycle, SurveyWindow

ADULT_ROLES = (User.Role.TEACHER, User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)
OUTCOME_ROLES = (User.Role.TEACHER, User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)
STUDENT_ANSWERED = (Respondent.STUDENT, Respondent.PEER)  # the forms a student fills in (not the teacher report)


def _classroom_ids(scope: Q):
    return Classroom.objects.filter(scope).values("pk")


def can_open_windows(user) -> bool:
    """A school's admin (any classroom of the school) and a teacher (the classrooms they teach)."""
    return signed_in(user) and user.role in (User.Role.SCHOOL_ADMIN, User.Role.TEACHER) and bool(user.school_id)


def can_import_instruments(user) -> bool:
    return signed_in(user) and user.role == User.Role.SCHOOL_ADMIN and bool(user.school_id)


def can_browse_instruments(user) -> bool:
    """The instruments pages are for the adults of a school or district; a student meets only the forms given to them."""
    if not signed_in(user) or user.role not in ADULT_ROLES:
        return False
    return bool(user.district_id) if user.role == User.Role.DISTRICT_ADMIN else bool(user.school_id)


def can_see_outcomes(user) -> bool:
    if not signed_in(user) or user.role not in OUTCOME_ROLES:
        return False
    return bool(user.district_id) if user.role == User.Role.DISTRICT_ADMIN else bool(user.school_id)


def can_see_district_outcomes(user) -> bool:
    """A district's admin sees every school's cycles of the district pooled on one page."""
    return signed_in(user) and user.role == User.Role.DISTRICT_ADMIN and bool(user.district_id)


def can_export_student_level(user) -> bool:
    """Student-level scores leave Heard only with a school's or district's admin, each export audited."""
    return can_see_outcomes(user) and user.role in (User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)


def instrument_scope(user) -> Q:
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(
            pk__in=SurveyWindow.instruments.through.objects.filter(
                surveywindow__in=SurveyWindow.objects.filter(window_scope(user)).values("pk")
            ).values("instrument_id"),
            respondent__in=STUDENT_ANSWERED,
        )
    if user.role == User.Role.DISTRICT_ADMIN:
        return Q(school__isnull=True) | Q(school__district_id=user.district_id) if user.district_id else NOTHING
    if user.role in ADULT_ROLES and user.school_id:
        return Q(school__isnull=True) | Q(school_id=user.school_id)
    return NOTHING


def instrument_manage_scope(user) -> Q:
    """Instruments ``user`` may change or remove: their school's imported ones (a shipped one never)."""
    if not can_import_instruments(user):
        return NOTHING
    return Q(school_id=user.school_id)


def cycle_scope(user) -> Q:
    if not signed_in(user):
        return NOTHING
    return Q(pk__in=SurveyWindow.objects.filter(window_scope(user)).values("cycle_id")) | cycle_manage_scope(user)


def cycle_manage_scope(user) -> Q:
    """Cycles ``user`` may add windows to, change and close: the school's (its admin); their own (a teacher, in their school now)."""
    if not can_open_windows(user):
        return NOTHING
    if user.role == User.Role.SCHOOL_ADMIN:
        return Q(school_id=user.school_id)
    return Q(school_id=user.school_id, created_by_id=user.pk)


def window_scope(user) -> Q:
    """Windows ``user`` may see: given to a classroom they are in now (a student) or teach (a teacher); their
    school's or district's (admins); and those they manage."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.STUDENT:
        return Q(
            pk__in=SurveyWindow.classrooms.through.objects.filter(
                classroom_id__in=scoped_classroom_pks(user)
            ).values("surveywindow_id")
        )
    if user.role == User.Role.TEACHER:
        given = SurveyWindow.classrooms.through.objects.filter(
            classroom_id__in=scoped_classroom_pks(user, manage=True)
        )
        return Q(pk__in=given.values("surveywindow_id"), cycle__school_id=user.school_id) | window_manage_scope(user)
    if user.role == User.Role.SCHOOL_ADMIN and user.school_id:
        return Q(cycle__school_id=user.school_id)
    if user.role == User.Role.DISTRICT_ADMIN and user.district_id:
        return Q(cycle__school__district_id=user.district_id)
    return NOTHING


def window_manage_scope(user) -> Q:
    return Q(cycle__in=SurveyCycle.objects.filter(cycle_manage_scope(user)).values("pk"))


def response_scope(user) -> Q:
    """Responses whose answers ``user`` may read: those they gave, in their school now. Nobody else's. An
    anonymous response is its student's while they are still answering it (their participation row is the
    only link, and it is cut when they hand it in)."""
    if not signed_in(user) or not user.school_id:
        return NOTHING
    drafts = AnonymousParticipation.objects.filter(student_id=user.pk, finished=False, response__isnull=False).values(
        "response_id"
    )
    return (Q(respondent_id=user.pk) | Q(respondent__isnull=True, pk__in=drafts)) & Q(
        window__cycle__school_id=user.school_id
    )


def anonymous_participation_scope(user) -> Q:
    """A student's own participations in anonymous windows, in their school now; nobody else's."""
    if not signed_in(user) or user.role != User.Role.STUDENT or not user.school_id:
        return NOTHING
    return Q(student_id=user.pk, window__cycle__school_id=user.school_id)


def answer_scope(user) -> Q:
    return Q(response__in=Response.objects.filter(response_scope(user)).values("pk"))


def outcome_classrooms(user) -> Q:
    """The classrooms (a ``Q`` on Classroom) whose outcomes ``user`` sees: those they teach (a teacher), their
    school's or district's (admins). ``score_scope`` is exactly these classrooms' scores; the outcomes page
    also applies it to a student's group (their pre classroom), so a student who moved counts in one place."""
    if not can_see_outcomes(user):
        return NOTHING
    if user.role == User.Role.TEACHER:
        return classroom_manage_scope(user)
    if user.role == User.Role.SCHOOL_ADMIN:
        return Q(school_id=user.school_id)
    return Q(school__district_id=user.district_id)


def score_scope(user) -> Q:
    """Scores ``user``'s outcomes may add up: their classrooms' (a teacher), school's or district's (admins)."""
    if not can_see_outcomes(user):
        return NOTHING
    return Q(classroom_id__in=_classroom_ids(outcome_classrooms(user)))
