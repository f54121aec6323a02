import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from classrooms.models import Classroom, Enrollment, Session, SessionAttendance
from curriculum.models import CircleTurn, DilemmaVote, LiveRun, Restatement
from surveys.models import Instrument, Response, Score, SurveyCycle, SurveyWindow

pytestmark = pytest.mark.django_db


def every_row():
    """All of Heard's rows, as comparable tuples (the join codes and hashes included)."""
    rows = {}
    for label in ("accounts", "classrooms", "notifications"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(model.objects.values_list(), key=repr)
    return rows


def test_seed_demo_builds_the_demo_district(capsys):
    call_command("seed_demo")
    assert User.objects.filter(role=User.Role.TEACHER).count() == 4
    assert User.objects.filter(role=User.Role.COUNSELOR).count() == 2
    assert User.objects.filter(role=User.Role.SCHOOL_ADMIN).count() == 2
    assert User.objects.filter(role=User.Role.DISTRICT_ADMIN).count() == 1
    assert Classroom.objects.count() == 6
    assert Classroom.objects.values("school").distinct().count() == 2
    assert 90 <= User.objects.filter(role=User.Role.STUDENT).count() <= 110
    assert Enrollment.objects.count() == User.objects.filter(role=User.Role.STUDENT).count()
    held = Session.objects.filter(status=Session.Status.HELD)
    assert not held.filter(attendance__isnull=True).exists()  # each held session has its register,
    assert SessionAttendance.objects.filter(present=False).exists() == held.exists()  # with someone away
    printed = capsys.readouterr().out
    for username in ["maple.s1", "teacher.rivera", "counselor.maple", "admin.maple", "district.admin"]:
        assert username in printed
        assert User.objects.filter(username=username).exists()


def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    first = every_row()
    call_command("seed_demo")
    assert every_row() == first
    assert "(0 rows created)" in capsys.readouterr().out


def test_maple_has_a_fall_to_spring_survey_with_outcomes_to_show_once(capsys):
    """Heard's shipped forms are loaded at migrate: Maple's pre window ran in September and everyone answered it;
    the post window is open, most have answered, and the demo student still has it to take. A second run adds nothing."""
    call_command("seed_demo")
    cycle = SurveyCycle.objects.get()
    pre, post = cycle.windows.get(phase="pre"), cycle.windows.get(phase="post")
    assert not pre.is_open() and pre.closes_at < post.opens_at and post.is_open()
    assert {c.school.name for c in pre.classrooms.all()} == {"Maple Elementary"}
    students = Enrollment.objects.filter(classroom__in=pre.classrooms.all()).count()
    assert Score.objects.filter(window=pre, respondent="student").values("student").distinct().count() == students - 1
    demo = User.objects.get(username="maple.s1")
    assert Response.objects.filter(window=pre).exclude(subject=demo).exists()
    assert not Response.objects.filter(window=post, respondent=demo).exists()
    assert Score.objects.filter(window=post).values("student").distinct().count() > students / 2
    call_command("seed_demo")
    assert SurveyCycle.objects.count() == 1 and SurveyWindow.objects.count() == 2
    assert "(0 rows created)" in capsys.readouterr().out


def test_without_the_shipped_forms_the_demo_has_no_survey(capsys):
    Instrument.objects.filter(school__isnull=True).delete()  # a database from before the surveys
    call_command("seed_demo")
    assert not SurveyCycle.objects.exists()


def test_room_12_did_a_dilemma_and_a_circle_live_and_its_practice_page_shows_them_once(client, capsys):
    """Through the services a class uses: every student of Room 12 voted twice and spoke once in a circle."""
    call_command("seed_demo")
    room = Classroom.objects.get(name="Room 12 · Grade 4")
    pupils = Enrollment.objects.filter(classroom=room).count()
    runs = LiveRun.objects.filter(classroom=room)
    assert sorted(runs.values_list("kind", "state")) == [("dilemma", "closed"), ("listening_circle", "closed")]
    assert DilemmaVote.objects.filter(run__classroom=room).count() == 2 * pupils
    assert CircleTurn.objects.filter(run__classroom=room).count() == pupils  # one full rotation in each group
    assert Restatement.objects.filter(run__classroom=room, restated_at__isnull=False).exists()
    client.force_login(room.teachers.get())
    html = client.get(reverse("curriculum:practice", args=[room.pk])).content.decode()
    assert f"{pupils} turns in 1 listening circle." in html and "in 1 live dilemma." in html
    call_command("seed_demo")
    assert runs.count() == 2
    assert "(0 rows created)" in capsys.readouterr().out
