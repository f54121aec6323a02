"""A teacher's own lessons: a copy of a shipped one, or written with the forms; theirs alone to change; checked by
the same schema as the shipped files; and never touched when the shipped library is loaded again."""

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum.library.files import LESSONS_DIR
from curriculum.library.services import lesson_duplicate, lesson_update, library_load
from curriculum.models import Activity, Lesson, SessionPlan
from tests.factories import (
    ActivityFactory,
    ClassroomFactory,
    CounselorFactory,
    LessonFactory,
    SchoolFactory,
    SessionFactory,
    TeacherFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db
SHIPPED_FILE = LESSONS_DIR / "baby_visits" / "k2" / "01-meeting-the-baby-2-visit.yaml"

LESSON = {
    "title": "Whose turn is it?", "program": "caring_community", "band": "3_5", "part": "lesson", "theme": "2",
    "theme_title": "Fair turns", "minutes": "40",
    "objectives": "Students notice who waits.\nStudents name how waiting feels.",
    "materials": "A ball\nA timer",
    "steps": "Sit in a circle.\n\nPass the ball.\nStop and ask.\nListen to answers.\n  Close together.  ",
    "discussion": "Who waited?\nHow did it feel?\nWhat could we change?",
    "connections": "art: Draw the circle.\nmaths: Count the turns.", "home_link": "",
}


@pytest.fixture
def hello_baby():
    return Lesson.objects.get(slug="bv-k2-01-visit")


def errors_beside(response, field: str) -> str:
    """The error text shown under a form field (crispy's invalid-feedback for ``id_<field>``)."""
    page = parse(response.text)
    found = [e.text for e in page.find_all(id=f"error_1_id_{field}")] + [e.text for e in page.find_all(id=f"error_2_id_{field}")]
    return " ".join(found)


def test_make_my_own_copy_gives_the_teacher_a_lesson_of_their_own_with_every_activity(client, hello_baby):
    teacher = TeacherFactory()
    client.force_login(teacher)
    response = client.post(reverse("curriculum:lesson_copy", args=[hello_baby.pk]))
    copy = Lesson.objects.get(owner=teacher)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert (copy.slug, copy.school, copy.copied_from, copy.title) == ("", teacher.school, hello_baby, hello_baby.title)
    assert copy.steps == hello_baby.steps and copy.home_link == hello_baby.home_link
    mine = list(copy.activities.values_list("key", "kind", "title", "title_es", "instructions", "content"))
    theirs = list(hello_baby.activities.values_list("key", "kind", "title", "title_es", "instructions", "content"))
    assert mine == theirs and mine
    page = client.get(copy.get_absolute_url()).text
    assert "Your own lesson" in page and "Copied from “Hello, baby!”." in page
    assert reverse("curriculum:lesson_edit", args=[copy.pk]) in page
    assert reverse("curriculum:lesson_edit", args=[hello_baby.pk]) not in client.get(hello_baby.get_absolute_url()).text


def test_only_a_teacher_copies_and_only_a_lesson_they_may_open():
    admin_like = CounselorFactory()
    colleague_copy = LessonFactory()
    with pytest.raises(PermissionDenied):
        lesson_duplicate(lesson=Lesson.objects.get(slug="bv-k2-01-visit"), by=admin_like)
    with pytest.raises(PermissionDenied):
        lesson_duplicate(lesson=colleague_copy, by=TeacherFactory(school=colleague_copy.school))


def test_a_teacher_cannot_edit_a_shipped_lesson_or_a_colleagues_copy(client, hello_baby):
    teacher = TeacherFactory()
    colleague = LessonFactory(owner=TeacherFactory(school=teacher.school), title="Colleague's")
    activity = ActivityFactory(lesson=colleague)
    client.force_login(teacher)
    for lesson in (hello_baby, colleague):
        assert client.get(reverse("curriculum:lesson_edit", args=[lesson.pk])).status_code == 404
        assert client.post(reverse("curriculum:lesson_edit", args=[lesson.pk]), LESSON).status_code == 404
        assert client.post(reverse("curriculum:lesson_delete", args=[lesson.pk])).status_code == 404
        assert client.post(reverse("curriculum:activity_create", args=[lesson.pk]), {"kind": "norm_story", "prompt": "x"}).status_code == 404
    assert client.get(colleague.get_absolute_url()).status_code == 404  # a copy is its owner's alone
    assert client.post(reverse("curriculum:activity_delete", args=[colleague.pk, activity.pk])).status_code == 404
    assert Lesson.objects.filter(pk=colleague.pk, title="Colleague's").exists() and Activity.objects.filter(pk=activity.pk).exists()
    with pytest.raises(PermissionDenied):
        lesson_update(lesson=hello_baby, by=teacher, **{**_fields(), "title": "Mine now"})


def _fields():
    return {
        "program": "caring_community", "band": "3_5", "theme": 2, "theme_title": "Fair turns", "part": "lesson",
        "title": "T", "minutes": 40, "objectives": ["a", "b"], "materials": ["c"], "steps": list("defgh"),
        "discussion": list("ijk"), "connections": [], "home_link": "",
    }


def test_another_schools_teachers_copy_is_a_404_and_a_teacher_who_moved_loses_their_old_copies(client):
    copy = LessonFactory(title="Rivera's feelings lesson")
    client.force_login(TeacherFactory(school=SchoolFactory(district=copy.school.district)))
    assert client.get(copy.get_absolute_url()).status_code == 404
    assert client.get(reverse("curriculum:lesson_preview", args=[copy.pk])).status_code == 404
    assert client.post(reverse("curriculum:lesson_copy", args=[copy.pk])).status_code == 404
    owner = copy.owner
    owner.school = SchoolFactory()
    owner.save(update_fields=["school"])
    client.force_login(owner)
    assert client.get(copy.get_absolute_url()).status_code == 404


def test_a_teacher_writes_a_lesson_one_item_a_line(client):
    teacher = TeacherFactory()
    client.force_login(teacher)
    response = client.post(reverse("curriculum:lesson_create"), LESSON)
    lesson = Lesson.objects.get(owner=teacher)
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url() + "#activities"
    assert lesson.steps == ["Sit in a circle.", "Pass the ball.", "Stop and ask.", "Listen to answers.", "Close together."]
    assert lesson.connections == [{"subject": "art", "text": "Draw the circle."}, {"subject": "maths", "text": "Count the turns."}]
    assert (lesson.theme, lesson.minutes, lesson.school, lesson.slug) == (2, 40, teacher.school, "")
    assert "whose turn is it?" in lesson.search_text
    form = parse(client.get(reverse("curriculum:lesson_edit", args=[lesson.pk])).text)
    assert form.find("textarea", name="steps").text.split() == "Sit in a circle. Pass the ball. Stop and ask. Listen to answers. Close together.".split()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("steps", "One.\nTwo.\nThree.", "Give at least 5, one a line (there are 3)."),
        ("objectives", "\n".join(f"Objective {n}" for n in range(6)), "Give at most 4, one a line (there are 6)."),
        ("discussion", "Why?\nHow?", "Give at least 3, one a line (there are 2)."),
        ("steps", "Sit.\nPass.\n" + "x" * 501 + "\nAsk.\nClose.", "Line 3: This is too long: keep it to 500 characters at most (it has 501)."),
        ("title", "T" * 501, "This is too long: keep it to 500 characters at most (it has 501)."),
        ("minutes", "500", "The largest allowed is 120."),
        ("theme", "0", "The smallest allowed is 1."),
        ("part", "pre_visit", "A Caring-community lesson is a lesson of its own, not part of a family visit."),
        ("connections", "cooking: Bake bread.", "Line 1: start with the subject"),
    ],
)
def test_a_lesson_the_schema_refuses_is_explained_beside_the_field_and_nothing_typed_is_lost(client, field, value, message):
    teacher = TeacherFactory()
    client.force_login(teacher)
    typed = {**LESSON, field: value, "title": LESSON["title"] if field != "title" else value}
    response = client.post(reverse("curriculum:lesson_create"), typed)
    assert response.status_code == 200 and not Lesson.objects.filter(owner=teacher).exists()
    assert message in errors_beside(response, field)
    page = parse(response.text)
    kept = page.find(name=field) if field in ("part", "program", "band") else None
    if field in ("steps", "objectives", "discussion", "connections"):
        assert page.find("textarea", name=field).text.split() == value.split()
    elif kept is None:
        assert page.find("input", name=field).attrs["value"] == value
    assert page.find("textarea", name="discussion").text.split() == typed["discussion"].split()


def test_a_baby_visits_lesson_needs_its_note_for_families_and_is_not_for_grades_6_to_8(client):
    client.force_login(TeacherFactory())
    response = client.post(reverse("curriculum:lesson_create"), {**LESSON, "program": "baby_visits", "band": "6_8", "part": "pre_visit"})
    assert "Baby visits is written for K-2 and grades 3-5." in errors_beside(response, "band")
    response = client.post(reverse("curriculum:lesson_create"), {**LESSON, "program": "baby_visits", "part": "pre_visit"})
    assert "A Baby-visits lesson has a note for families." in errors_beside(response, "home_link")


def test_markup_typed_into_a_lesson_is_shown_as_text(client):
    teacher = TeacherFactory()
    client.force_login(teacher)
    script = "<script>alert(1)</script>"
    client.post(reverse("curriculum:lesson_create"), {**LESSON, "title": script, "steps": LESSON["steps"] + "\n" + script, "home_link": script})
    lesson = Lesson.objects.get(owner=teacher)
    for url in (lesson.get_absolute_url(), reverse("curriculum:library"), reverse("curriculum:lesson_edit", args=[lesson.pk])):
        page = client.get(url).text
        assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    response = client.post(reverse("curriculum:lesson_create"), {**LESSON, "title": script, "steps": "x"})
    assert script not in response.text and "&lt;script&gt;" in response.text


ACTIVITIES = {
    "perspective_writing": {
        "prompt": "Tell the morning as the baby.", "prompt_es": "Cuenta la mañana como el bebé.", "picture": "baby",
        "guiding_questions": "What do you hear?\nWho is near?", "guiding_questions_es": "¿Qué oyes?\n¿Quién está cerca?",
    },
    "story_exchange": {"prompt": "Tell about a time you helped.", "retell_prompt": "Tell your partner's story as yours.", "guiding_questions": ""},
    "feelings_guess": {
        "key_source": "author", "scenario": "Leo's tower falls.", "why_prompt": "What clue?", "key_feelings": ["frustrated", "sad"],
        "key_intensity": "4",
    },
    "situational_attribution": {"behaviour": "Ana did not say hello.", "explanations_min": "2", "self_prompt": "When did you?"},
    "story_inner_state": {
        "title": "The lost ball", "lines": "Sam had a ball.\nIt rolled away.\nSam looked.", "question_rows": "2",
        "questions_1_after_line": "", "questions_1_asks": "", "questions_1_character": "", "questions_1_question": "",
        "questions_2_after_line": "2", "questions_2_asks": "feels", "questions_2_character": "Sam", "questions_2_question": "How does Sam feel?",
    },
}


@pytest.mark.parametrize("kind", list(ACTIVITIES))
def test_a_teacher_adds_an_activity_of_each_kind_students_do_and_edits_it_again(client, kind):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    client.force_login(teacher)
    url = reverse("curriculum:activity_create", args=[lesson.pk])
    assert client.get(url, {"kind": kind}).status_code == 200
    typed = {"kind": kind, "activity_title": "My activity", "activity_title_es": "Mi actividad", "instructions": "Read. Then answer.", **ACTIVITIES[kind]}
    response = client.post(url, typed)
    activity = Activity.objects.get(lesson=lesson)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (activity.kind, activity.title, activity.title_es, activity.key) == (kind, "My activity", "Mi actividad", "my-activity")
    assert activity.instructions == {"en": "Read. Then answer."}
    edit = reverse("curriculum:activity_edit", args=[lesson.pk, activity.pk])
    form = parse(client.get(edit).text)
    assert form.find("input", name="activity_title").attrs["value"] == "My activity"
    assert client.post(edit, {**typed, "activity_title": "Renamed"}).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed" and "renamed" in Lesson.objects.get(pk=lesson.pk).search_text
    if kind == "perspective_writing":
        assert activity.content["guiding_questions"][1] == {"en": "Who is near?", "es": "¿Quién está cerca?"}
    if kind == "feelings_guess":
        assert activity.content["key"] == {"feelings": ["frustrated", "sad"], "intensity": 4}
    if kind == "story_inner_state":  # the empty first row is no question
        assert activity.content["questions"] == [{"after_line": 2, "asks": "feels", "character": "Sam", "question": {"en": "How does Sam feel?"}}]


@pytest.mark.parametrize(
    ("kind", "typed", "field", "message"),
    [
        ("perspective_writing", {"prompt": "Write.", "guiding_questions": ""}, "guiding_questions", "This field is required."),
        ("perspective_writing", {"prompt": "Write.", "guiding_questions": "\n".join("Q?" for _ in range(7))}, "guiding_questions",
         "Give at most 6, one a line (there are 7)."),
        ("perspective_writing", {"prompt": "Write.", "guiding_questions": "A?\nB?", "guiding_questions_es": "¿A?"}, "guiding_questions_es",
         "Write one Spanish line for each English line"),
        ("perspective_writing", {"prompt": "W" * 2001, "guiding_questions": "A?"}, "prompt",
         "This is too long: keep it to 2000 characters at most (it has 2001)."),
        ("feelings_guess", {"key_source": "author", "scenario": "A moment.", "why_prompt": "Why?"}, "key_feelings",
         "Choose the feelings the person in the moment had"),
        ("feelings_guess", {"key_source": "author", "scenario": "A moment.", "why_prompt": "Why?", "key_feelings": ["happy", "sad", "calm", "shy"]},
         "key_feelings", "Choose at most 3 feelings."),
        ("situational_attribution", {"behaviour": "B.", "explanations_min": "9", "self_prompt": "S?"}, "explanations_min",
         "The largest allowed is 5."),
        ("story_inner_state", {"title": "T", "lines": "One.\nTwo.\nThree.", "question_rows": "1", "questions_1_after_line": "7",
                               "questions_1_asks": "feels", "questions_1_character": "Sam", "questions_1_question": "How?"}, None,
         "A question comes after a line the story does not have."),
        ("story_inner_state", {"title": "T", "lines": "One.\nTwo.", "question_rows": "1", "questions_1_after_line": "1",
                               "questions_1_asks": "feels", "questions_1_character": "Sam", "questions_1_question": "How?"}, "lines",
         "Give at least 3"),
    ],
)
def test_an_activity_the_schema_refuses_is_explained_beside_the_field(client, kind, typed, field, message):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    client.force_login(teacher)
    response = client.post(
        reverse("curriculum:activity_create", args=[lesson.pk]),
        {"kind": kind, "activity_title": "<b>Bold</b>", "instructions": "Read.", **typed},
    )
    assert response.status_code == 200 and not Activity.objects.filter(lesson=lesson).exists()
    shown = errors_beside(response, field) if field else parse(response.text).find("div", class_="alert-danger").text
    assert message in shown
    assert 'value="&lt;b&gt;Bold&lt;/b&gt;"' in response.text  # what was typed is kept, as text


def test_a_story_gets_another_row_of_questions_without_saving_or_losing_what_was_typed(client):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    client.force_login(teacher)
    response = client.post(reverse("curriculum:activity_create", args=[lesson.pk]), {
        "kind": "story_inner_state", "activity_title": "Story", "instructions": "Read.", "title": "T", "lines": "A.\nB.\nC.",
        "question_rows": "1", "questions_1_after_line": "2", "questions_1_character": "Sam", "more_questions": "1",
    })
    assert response.status_code == 200 and not Activity.objects.filter(lesson=lesson).exists()
    page = parse(response.text)
    assert page.find("input", name="questions_2_question") and page.find("input", name="question_rows").attrs["value"] == "2"
    assert page.find("input", name="questions_1_character").attrs["value"] == "Sam"
    assert "is-invalid" not in response.text


def test_a_lesson_holds_at_most_six_activities(client):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    ActivityFactory.create_batch(6, lesson=lesson)
    client.force_login(teacher)
    assert reverse("curriculum:activity_create", args=[lesson.pk]) not in client.get(lesson.get_absolute_url()).text
    response = client.post(reverse("curriculum:activity_create", args=[lesson.pk]), {
        "kind": "norm_story", "activity_title": "Seventh", "instructions": "Read.", "prompt": "Tell a kind moment."})
    assert "A lesson has at most 6 activities." in response.text
    assert lesson.activities.count() == 6


def test_deleting_an_own_lesson_takes_it_off_the_sessions_it_was_planned_for(client):
    classroom = ClassroomFactory()
    teacher = classroom.teachers.get()
    lesson = LessonFactory(owner=teacher)
    session = SessionFactory(classroom=classroom)
    SessionPlan.objects.create(session=session, lesson=lesson, planned_by=teacher)
    client.force_login(teacher)
    response = client.post(reverse("curriculum:lesson_delete", args=[lesson.pk]), follow=True)
    assert "1 session it was planned for has no lesson planned now." in response.text
    assert not Lesson.objects.filter(pk=lesson.pk).exists() and not SessionPlan.objects.exists()


def test_loading_the_library_again_never_touches_a_teachers_copy(tmp_path, hello_baby):
    """A content update rewrites the shipped lesson; the teacher's copy, and its activities, stay as they were."""
    teacher = TeacherFactory()
    copy = lesson_duplicate(lesson=hello_baby, by=teacher)
    Lesson.objects.filter(pk=copy.pk).update(title="Hello, baby! (my way)")
    Activity.objects.filter(lesson=copy).update(title="My own question")
    before = (
        list(Lesson.objects.filter(pk=copy.pk).values()),
        list(Activity.objects.filter(lesson=copy).order_by("pk").values()),
    )
    assert library_load().created == []  # idempotent: the files are already in
    edited = tmp_path / SHIPPED_FILE.name
    shutil.copy(SHIPPED_FILE, edited)
    text = edited.read_text()
    edited.write_text(text.replace("title: Hello, baby!", "title: Hello again, baby!").replace(
        "en: How does the baby feel?", "en: How does the baby feel today?"))
    report = library_load(paths=[Path(edited)])
    assert report.updated == ["bv-k2-01-visit"]
    hello_baby.refresh_from_db()
    assert hello_baby.title == "Hello again, baby!"
    assert hello_baby.activities.get().title == "How does the baby feel today?"
    after = (
        list(Lesson.objects.filter(pk=copy.pk).values()),
        list(Activity.objects.filter(lesson=copy).order_by("pk").values()),
    )
    assert after == before
    assert library_load(paths=[Path(edited)]).unchanged == ["bv-k2-01-visit"]  # and a second load writes nothing


def test_every_refusal_shows_at_once_not_one_save_at_a_time(client):
    client.force_login(TeacherFactory())
    response = client.post(reverse("curriculum:lesson_create"), {
        **LESSON, "steps": "One.\nTwo.", "connections": "cooking: Bake bread.", "minutes": "many", "discussion": "Why?"})
    assert "Line 1: start with the subject" in errors_beside(response, "connections")
    assert "Give at least 5, one a line (there are 2)." in errors_beside(response, "steps")
    assert "Give at least 3, one a line (there are 1)." in errors_beside(response, "discussion")
    assert errors_beside(response, "minutes")  # Django's own "Enter a whole number.", once
    assert errors_beside(response, "minutes").count(".") == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=300), st.sampled_from(["\x00", "9" * 5000, "-1", "<script>", "\ufeff", " " * 50, "0"])))
def test_nothing_typed_into_the_lesson_forms_makes_a_500(client, value):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    activity = ActivityFactory(lesson=lesson)
    session = SessionFactory(classroom=ClassroomFactory(school=teacher.school, teachers=[teacher]))
    client.force_login(teacher)
    everything = dict.fromkeys([*LESSON, "activity_title", "activity_title_es", "instructions", "instructions_es", "picture",
                                "question_rows", "key_feelings", *{k for kind in ACTIVITIES.values() for k in kind}], value)
    posts = [(reverse("curriculum:lesson_create"), everything), (reverse("curriculum:lesson_edit", args=[lesson.pk]), everything),
             (reverse("curriculum:activity_edit", args=[lesson.pk, activity.pk]), everything),
             (reverse("curriculum:session_plan", kwargs={"pk": session.classroom_id, "session_pk": session.pk}), {"lesson": value})]
    posts += [(reverse("curriculum:activity_create", args=[lesson.pk]), {**everything, "kind": kind}) for kind in ACTIVITIES]
    for url, data in posts:
        assert client.post(url, data).status_code < 500, url
    assert client.get(reverse("curriculum:library"), {"q": value, "theme": value, "kind": value}).status_code < 500
