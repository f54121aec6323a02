"""Count every classroom's sessions into its new kept counts (``Classroom.sessions_held`` and the rest).

One UPDATE over the classrooms that have sessions, each count a subquery over their sessions, as
``classrooms.program.services.classroom_sessions_recount`` counts them. Going back needs nothing: the previous
migration's reverse drops the columns.
"""

from django.db import migrations
from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count_sessions(apps, schema_editor):
    Classroom = apps.get_model("classrooms", "Classroom")
    Session = apps.get_model("classrooms", "Session")
    db = schema_editor.connection.alias

    def per_classroom(aggregate, *, default=None, **only):
        sessions = Session.objects.using(db).filter(classroom=OuterRef("pk"), **only).order_by().values("classroom")
        found = Subquery(sessions.annotate(v=aggregate).values("v"))
        return found if default is None else Coalesce(found, Value(default))

    Classroom.objects.using(db).filter(pk__in=Session.objects.using(db).values("classroom")).update(
        sessions_planned=per_classroom(Count("pk"), default=0, status="planned"),
        sessions_held=per_classroom(Count("pk"), default=0, status="held"),
        sessions_cancelled=per_classroom(Count("pk"), default=0, status="cancelled"),
        held_register=per_classroom(Sum("register_count"), default=0, status="held"),
        held_present=per_classroom(Sum("present_count"), default=0, status="held"),
        first_planned_at=per_classroom(Min("starts_at"), status="planned"),
        last_held_at=per_classroom(Max("starts_at"), status="held"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("classrooms", "0011_classroom_session_counts"),
    ]

    operations = [
        migrations.RunPython(count_sessions, migrations.RunPython.noop, elidable=True),
    ]
