"""The student-level export of a cycle's scores: the one way a student's scores leave Heard, for a school's or
district's admin, each export an audit event (who, which cycle, how many rows) written with the read.

It is a service, not a selector, because it is an action that is recorded: the rows and the audit row are read
and written in one transaction, so no export goes unrecorded and the count is the count sent.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from classrooms.permissions import student_scope
from surveys.models import Phase, Score, SurveyCycle
from surveys.permissions import can_export_student_level, cycle_scope, score_scope
from surveys.services import SurveyRefused


@dataclass(frozen=True)
class StudentScore:
    """One student's pre and post score on one subscale (never their answers)."""

    student_id: int
    username: str
    first_name: str
    last_name: str
    school: str
    classroom: str
    grade: int
    instrument: str
    respondent: str
    subscale: str
    pre: float | None
    post: float | None
    # Peer nominations: the nominations received and their z within the class (the score above is the share of
    # the classmates who took part who named the student); None for the other informants.
    pre_received: int | None = None
    pre_z: float | None = None
    post_received: int | None = None
    post_z: float | None = None


def _text(data: dict) -> str:
    return data.get((get_language() or "en")[:2]) or data.get("en") or ""


@transaction.atomic
def student_scores_export(
    *,
    by: User,
    cycle: SurveyCycle,
    school: int | None = None,
    grade: int | None = None,
    classroom: int | None = None,
    subscale: int | None = None,
    respondent: str | None = None,
) -> list[StudentScore]:
    """Every scored student's pre and post score per subscale, within ``by``'s scope and the filters; recorded.

    A student is named (username, first and last name) only to someone who looks after them (a school's admin:
    ``student_scope``); a district's admin gets each student's ID number alone, as their scopes give them no
    student's name anywhere else either."""
    if not can_export_student_level(by) or not SurveyCycle.objects.filter(cycle_scope(by), pk=cycle.pk).exists():
        raise PermissionDenied
    if cycle.anonymous:
        raise SurveyRefused(
            _(
                "This cycle is anonymous: no score is linked to a student, so there is nothing to export student by student."
            )
        )
    scores = Score.objects.filter(score_scope(by), cycle=cycle, student__isnull=False)
    if school is not None:
        scores = scores.filter(school_id=school)
    if grade is not None:
        scores = scores.filter(grade=grade)
    if classroom is not None:
        scores = scores.filter(classroom_id=classroom)
    if subscale is not None:
        scores = scores.filter(subscale_id=subscale)
    if respondent:
        scores = scores.filter(respondent=respondent)
    scores = scores.annotate(named=Exists(User.objects.filter(student_scope(by), pk=OuterRef("student_id"))))
    found: dict[tuple[int, int], dict] = {}
    for row in scores.order_by(
        "school__name",
        "grade",
        "classroom__name",
        "student__last_name",
        "student__first_name",
        "student_id",
        "instrument_id",
        "subscale__order",
        "subscale_id",
        "phase",
    ).values(
        "student_id",
        "student__username",
        "student__first_name",
        "student__last_name",
        "school__name",
        "classroom__name",
        "grade",
        "instrument__name",
        "respondent",
        "subscale__name",
        "subscale_id",
        "phase",
        "value",
        "received",
        "z",
        "named",
    ):
        entry = found.setdefault((row["student_id"], row["subscale_id"]), {**row, Phase.PRE: None, Phase.POST: None})
        entry[row["phase"]] = row["value"]
        entry[f"{row['phase']}_received"], entry[f"{row['phase']}_z"] = row["received"], row["z"]
        if row["phase"] == Phase.PRE:  # a student who moved classroom between the surveys is listed where they started
            entry["classroom__name"], entry["school__name"], entry["grade"] = (
                row["classroom__name"],
                row["school__name"],
                row["grade"],
            )
    rows = [
        StudentScore(
            student_id=e["student_id"],
            username=e["student__username"] if e["named"] else "",
            first_name=e["student__first_name"] if e["named"] else "",
            last_name=e["student__last_name"] if e["named"] else "",
            school=e["school__name"],
            classroom=e["classroom__name"],
            grade=e["grade"],
            instrument=_text(e["instrument__name"]),
            respondent=e["respondent"],
            subscale=_text(e["subscale__name"]),
            pre=e[Phase.PRE],
            post=e[Phase.POST],
            pre_received=e.get("pre_received"),
            pre_z=e.get("pre_z"),
            post_received=e.get("post_received"),
            post_z=e.get("post_z"),
        )
        for e in found.values()
    ]
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.SURVEY_STUDENT_EXPORT,
        actor=by,
        school_id=cycle.school_id,
        object_id=cycle.pk,
        count=len(rows),
    )
    return rows
