"""Loading the shipped lesson files: in the database after migrate, idempotent, a file that does not validate
named with its field and loaded not at all, and a shipped lesson's update leaves assignments' copies alone."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from curriculum.library.files import LESSONS_DIR, lesson_paths
from curriculum.library.services import library_load
from curriculum.models import Activity, Lesson
from tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
EXAMPLE = LESSONS_DIR / "baby_visits" / "k2" / "01-meeting-the-baby-2-visit.yaml"


def test_every_shipped_lesson_is_in_the_database_after_migrate():
    assert Lesson.objects.filter(owner__isnull=True).count() == len(lesson_paths())
    assert Lesson.objects.filter(slug="bv-k2-01-visit", activities__kind="feelings_guess").exists()


def test_loading_again_changes_nothing(django_assert_max_num_queries):
    before = list(Lesson.objects.values_list("pk", "updated_at").order_by("pk"))
    activities = list(Activity.objects.values_list("pk", "content").order_by("pk"))
    with django_assert_max_num_queries(3):  # one read of the digests, and no write
        report = library_load()
    assert report.created == [] and report.updated == [] and report.errors == []
    assert len(report.unchanged) == len(lesson_paths())
    assert list(Lesson.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert list(Activity.objects.values_list("pk", "content").order_by("pk")) == activities


def _copy_example(tmp_path: Path, text_change=None) -> Path:
    target = tmp_path / "lesson.yaml"
    text = EXAMPLE.read_text()
    target.write_text(text_change(text) if text_change else text)
    return target


def test_an_edited_file_updates_its_lesson_and_an_assignment_keeps_what_it_was_given(tmp_path):
    lesson = Lesson.objects.get(slug="bv-k2-01-visit")
    activity = lesson.activities.get()
    assignment = AssignmentFactory(activity=activity, content=activity.content, kind=activity.kind)
    given = dict(assignment.content)
    edited = _copy_example(tmp_path, lambda t: t.replace("title: Hello, baby!", "title: Hello again, baby!"))
    edited.write_text(edited.read_text().replace("She moves", "The baby moves").replace("Mueve las manos", "Mueve sus manitas"))
    report = library_load(paths=[edited])
    assert report.updated == ["bv-k2-01-visit"]
    lesson.refresh_from_db()
    assert lesson.title == "Hello again, baby!"
    assignment.refresh_from_db()
    assert assignment.content == given


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda t: t.replace("minutes: 40", "minutes: forty"), "minutes"),
        (lambda t: t.replace("part: family_visit", "part: lunch"), "part"),
        (lambda t: t.replace("      key_source: baby_visit", "      key_source: author"), "activities.0"),
        (lambda t: t.replace("objectives:", "objetives:"), "objectives"),  # missing, and "objetives" unknown
        (lambda t: t + "\n  - : [unclosed", ""),
    ],
)
def test_a_malformed_file_is_named_with_its_field_and_nothing_of_it_is_loaded(tmp_path, change, field):
    Lesson.objects.filter(slug="bv-k2-01-visit").delete()
    broken = _copy_example(tmp_path, change)
    good = tmp_path / "other.yaml"
    shutil.copy(LESSONS_DIR / "baby_visits" / "k2" / "01-meeting-the-baby-1-pre.yaml", good)
    report = library_load(paths=[broken, good])
    (error,) = report.errors
    assert "lesson.yaml" in str(error) and error.field.startswith(field)
    assert not Lesson.objects.filter(slug="bv-k2-01-visit").exists()
    assert report.unchanged == ["bv-k2-01-pre"] or report.created == ["bv-k2-01-pre"]


def test_two_files_with_one_slug_are_both_refused(tmp_path):
    one, two = tmp_path / "a.yaml", tmp_path / "b.yaml"
    text = EXAMPLE.read_text().replace("slug: bv-k2-01-visit", "slug: twice")
    one.write_text(text)
    two.write_text(text)
    report = library_load(paths=[one, two])
    assert len(report.errors) == 2 and not Lesson.objects.filter(slug="twice").exists()


def test_the_command_reports_what_it_did_and_fails_on_a_bad_file(tmp_path, monkeypatch, capsys):
    call_command("lessons_load")
    assert "0 lessons added, 0 updated" in capsys.readouterr().out
    broken = tmp_path / "lessons"
    broken.mkdir()
    (broken / "bad.yaml").write_text("slug: [")
    monkeypatch.setattr("curriculum.library.services.lesson_paths", lambda: [broken / "bad.yaml"])
    with pytest.raises(CommandError):
        call_command("lessons_load")
    assert "bad.yaml" in capsys.readouterr().err


def test_a_teachers_copy_is_never_touched_by_a_reload():
    shipped = Lesson.objects.get(slug="bv-k2-01-visit")
    teacher = TeacherFactory()
    copy = Lesson.objects.create(
        owner=teacher, school=teacher.school, copied_from=shipped, program=shipped.program, band=shipped.band,
        theme=shipped.theme, theme_title=shipped.theme_title, part=shipped.part, title="My own hello", minutes=30,
    )
    Lesson.objects.filter(pk=shipped.pk).update(source_digest="stale")  # as if the file had changed
    library_load()
    copy.refresh_from_db()
    assert copy.title == "My own hello" and copy.owner == teacher
