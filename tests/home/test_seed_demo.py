import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from classrooms.models import Classroom, Enrollment, Session, SessionAttendance
from surveys.models import SurveyCycle, SurveyWindow
from tests.factories import InstrumentFactory

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


def test_with_the_shipped_forms_each_school_has_an_open_survey_window_once(capsys):
    """Where Heard's shipped forms are loaded, the demo students have a survey open; a second run adds nothing."""
    InstrumentFactory(slug="heard-self-3-8", grade_min=3, grade_max=8)
    InstrumentFactory(slug="heard-self-k-2", grade_min=0, grade_max=2)
    call_command("seed_demo")
    windows = SurveyWindow.objects.all()
    assert windows.count() == 2 and all(w.is_open() for w in windows)
    assert {c.name for w in windows for c in w.classrooms.all()} == set(Classroom.objects.values_list("name", flat=True))
    call_command("seed_demo")
    assert SurveyWindow.objects.count() == 2
    assert "(0 rows created)" in capsys.readouterr().out


def test_without_the_shipped_forms_the_demo_has_no_survey(capsys):
    call_command("seed_demo")
    assert not SurveyCycle.objects.exists()
