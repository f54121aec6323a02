"""Count the registers already taken into their sessions' new ``register_count`` and ``present_count``.

One UPDATE over the sessions that have a register, each count a subquery over its rows, so a district's
registers are counted by the database in one statement. Going back needs nothing: the previous migration's
reverse drops the two columns.
"""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_registers(apps, schema_editor):
    Session = apps.get_model("classrooms", "Session")
    SessionAttendance = apps.get_model("classrooms", "SessionAttendance")
    db = schema_editor.connection.alias

    def counted(lines):
        per_session = lines.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(per_session), Value(0))

    lines = SessionAttendance.objects.using(db)
    Session.objects.using(db).filter(pk__in=lines.values("session")).update(
        register_count=counted(lines), present_count=counted(lines.filter(present=True))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("classrooms", "0009_session_register_counts"),
    ]

    operations = [
        migrations.RunPython(count_registers, migrations.RunPython.noop, elidable=True),
    ]
