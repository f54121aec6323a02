"""A lesson as a teacher reads it (a printable lesson plan), as a student sees it (the preview), and the way on
to assigning one of its activities."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import translation

from curriculum.content import PICTURES
from curriculum.library.files import LESSONS_DIR, lesson_file_read
from curriculum.library.pictures import ALT
from curriculum.models import Lesson
from tests.factories import ActivityFactory, ClassroomFactory, LessonFactory, SessionFactory, TeacherFactory
from tests.pages import parse, section_text

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HELLO_BABY_FILE = LESSONS_DIR / "baby_visits" / "k2" / "01-meeting-the-baby-2-visit.yaml"


@pytest.fixture
def hello_baby():
    """A shipped lesson: Baby visits, K-2, the first family visit (its data file is HELLO_BABY_FILE)."""
    return Lesson.objects.get(slug="bv-k2-01-visit")


@pytest.fixture
def teacher_with_class():
    classroom = ClassroomFactory(name="Room 4", grade=1)
    return classroom.teachers.get(), classroom


def story_lesson(owner=None):
    """A lesson with one activity of each of the five kinds students do on their own screens."""
    lesson = LessonFactory(owner=owner or TeacherFactory())
    T = lambda en, es=None: {"en": en, **({"es": es} if es else {})}  # noqa: E731
    kinds = {
        "perspective_writing": {"prompt": T("Tell it as the new girl.", "Cuéntalo como la niña nueva."), "picture": "friends",
                                "guiding_questions": [T("What did she see?", "¿Qué vio?")]},
        "story_exchange": {"prompt": T("Tell about a time you helped."), "retell_prompt": T("Tell your partner's story as yours.")},
        "feelings_guess": {"key_source": "author", "scenario": T("Leo's tower falls down."), "why_prompt": T("What clue did you see?"),
                           "key": {"feelings": ["frustrated", "sad"], "intensity": 4}, "picture": "rain"},
        "situational_attribution": {"behaviour": T("Ana did not say hello."), "explanations_min": 2, "self_prompt": T("When did you not say hello?")},
        "story_inner_state": {"title": T("The lost ball"), "lines": [T("Sam had a red ball."), T("It rolled away."), T("Sam looked everywhere.")],
                              "questions": [{"after_line": 2, "asks": "feels", "character": "Sam", "question": T("How does Sam feel?")}]},
    }
    for i, (kind, content) in enumerate(kinds.items()):
        ActivityFactory(lesson=lesson, kind=kind, content=content, title=f"Activity {kind}", position=i)
    return lesson


def test_the_lesson_page_holds_the_whole_lesson_plan(client, hello_baby):
    client.force_login(TeacherFactory())
    response = client.get(hello_baby.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    spec = lesson_file_read(HELLO_BABY_FILE).spec  # the page shows what the data file holds
    for heading, line in (
        ("objectives-heading", spec.objectives[0]),
        ("materials-heading", spec.materials[-1]),
        ("steps-heading", spec.steps[-1]),
        ("discussion-heading", spec.discussion[2]),
        ("connections-heading", spec.connections[0].text),
        ("home-heading", spec.home_link.split(". ")[0]),
    ):
        assert " ".join(line.split()) in section_text(page, heading), heading
    assert len(list(parse(page).find("ol", class_="lesson-steps").find_all("li"))) == len(spec.steps)
    activities = section_text(page, "activities-heading")
    assert "How does the baby feel?" in activities and "¿Cómo se siente el bebé?" in activities  # both languages
    assert "What the class observed in the baby at the family visit" in activities
    picture = parse(page).find("img", class_="activity-card__picture")
    assert picture.attrs["alt"] == str(ALT["baby"]) and picture.attrs["src"].endswith("/curriculum/pictures/baby.svg")


def test_every_kind_of_activity_is_shown_with_all_its_content(client):
    teacher = TeacherFactory()
    lesson = story_lesson(owner=teacher)
    client.force_login(teacher)
    activities = section_text(client.get(lesson.get_absolute_url()).text, "activities-heading")
    for text in (
        "Tell it as the new girl.", "Cuéntalo como la niña nueva.", "What did she see?", "Heard's rubric",
        "Tell your partner's story as yours.", "Leo's tower falls down.", "frustrated, sad", "strength 4 of 5",
        "Ana did not say hello.", "at least 2 explanations", "The lost ball", "It rolled away.",
        "Question about Sam (what they feel): How does Sam feel?",
    ):
        assert text in activities, text


def test_printing_the_lesson_leaves_out_the_menu_and_the_buttons(client, hello_baby):
    client.force_login(TeacherFactory())
    page = parse(client.get(hello_baby.get_absolute_url()).text)
    assert "d-print-none" in page.find("nav", aria_label="Main").attrs["class"]
    assert "d-print-none" in page.find("div", class_="lesson-actions").attrs["class"]
    assert all("d-print-none" in div.attrs["class"] for div in page.find_all("div", class_="activity-card__actions"))
    css = (ROOT / "static" / "css" / "library.css").read_text()
    assert "@media print" in css and ".activity-card { box-shadow: none" in css


def test_the_student_preview_shows_each_activity_large_in_the_chosen_language(client, hello_baby):
    client.force_login(TeacherFactory())
    url = reverse("curriculum:lesson_preview", args=[hello_baby.pk])
    english = parse(client.get(url).text)
    screen = english.find("section", class_="student-screen")
    assert screen.find("h2").text == "How does the baby feel?"
    assert "The baby is on the blanket." in screen.text
    assert english.find("nav", class_="preview-language").find("a", aria_current="true").text == "English"
    spanish = parse(client.get(url, {"lang": "es"}).text)
    screen = spanish.find("section", class_="student-screen")
    assert screen.attrs["lang"] == "es"
    assert screen.find("h2").text == "¿Cómo se siente el bebé?"
    assert "El bebé está en la manta." in screen.text
    assert spanish.find("nav", class_="preview-language").find("a", aria_current="true").text == "Español"
    with translation.override("es"):
        assert screen.find("img").attrs["alt"] == str(ALT["baby"])  # the picture's words in the student's language


def test_a_text_without_spanish_stays_english_and_says_so_to_a_screen_reader(client):
    teacher = TeacherFactory()
    lesson = LessonFactory(owner=teacher)
    ActivityFactory(lesson=lesson, title="Only English", content={"prompt": "Write as the dog.", "guiding_questions": ["Where is the dog?"]})
    client.force_login(teacher)
    screen = parse(client.get(reverse("curriculum:lesson_preview", args=[lesson.pk]), {"lang": "es"}).text).find(
        "section", class_="student-screen"
    )
    prompt = next(p for p in screen.find_all("p") if p.text == "Write as the dog.")
    assert prompt.attrs["lang"] == "en"
    assert screen.find("h2").attrs["lang"] == "en"


def test_the_preview_has_nothing_to_answer(client):
    teacher = TeacherFactory()
    lesson = story_lesson(owner=teacher)
    client.force_login(teacher)
    page = parse(client.get(reverse("curriculum:lesson_preview", args=[lesson.pk])).text).find("main")
    assert list(page.find_all("textarea")) == [] and list(page.find_all("input")) == [] and list(page.find_all("button")) == []
    assert len(list(page.find_all("section", class_="student-screen"))) == 5


def test_every_picture_has_its_words_in_both_languages_and_is_a_small_drawing_without_text():
    assert set(ALT) == set(PICTURES)
    for name in PICTURES:
        svg = (ROOT / "static" / "curriculum" / "pictures" / f"{name}.svg").read_text()
        assert svg.startswith("<svg") and 'viewBox="' in svg, name
        assert len(svg.encode()) < 3200, f"{name}.svg is {len(svg.encode())} bytes"
        assert "<text" not in svg and "<script" not in svg and "href" not in svg, name


def test_assign_goes_on_to_the_assignment_page_with_the_activity_and_the_session(client, hello_baby, teacher_with_class):
    teacher, classroom = teacher_with_class
    session = SessionFactory(classroom=classroom)
    activity = hello_baby.activities.get()
    client.force_login(teacher)
    page = client.get(hello_baby.get_absolute_url(), {"classroom": classroom.pk, "session": session.pk}).text
    assert "Assigning for Room 4's session of" in page
    form = parse(page).find("form", class_="assign-form")
    assert form.attrs["action"] == reverse("curriculum:activity_assign", args=[hello_baby.pk, activity.pk])
    response = client.get(form.attrs["action"], {"classroom": classroom.pk, "session": session.pk})
    assert response.status_code == 302
    where = urlparse(response["Location"])
    assert where.path == reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk})
    assert parse_qs(where.query) == {"activity": [str(activity.pk)], "session": [str(session.pk)]}


def test_a_teacher_with_several_classrooms_chooses_one_and_cannot_choose_anothers(client, hello_baby, teacher_with_class):
    teacher, classroom = teacher_with_class
    second = ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room 5")
    elsewhere = ClassroomFactory(school=teacher.school, name="Room 6")
    activity = hello_baby.activities.get()
    client.force_login(teacher)
    select = parse(client.get(hello_baby.get_absolute_url()).text).find("select", name="classroom")
    assert [o.text for o in select.find_all("option")] == ["Room 4", "Room 5"]
    url = reverse("curriculum:activity_assign", args=[hello_baby.pk, activity.pk])
    assert client.get(url, {"classroom": second.pk}).status_code == 302
    assert client.get(url, {"classroom": elsewhere.pk}).status_code == 404
    assert client.get(url, {"classroom": "9" * 30}).status_code == 404
    assert client.get(url).status_code == 404


def test_an_activity_the_whole_class_does_with_the_teacher_is_not_assigned(client, teacher_with_class):
    teacher, _classroom = teacher_with_class
    lesson = LessonFactory(owner=teacher)
    circle = ActivityFactory(lesson=lesson, kind="listening_circle", content={"topic": "A time you were heard."})
    client.force_login(teacher)
    page = client.get(lesson.get_absolute_url()).text
    assert "You lead it with the whole class" in page
    assert reverse("curriculum:activity_assign", args=[lesson.pk, circle.pk]) not in page  # no "Assign to"
    assert reverse("curriculum:live_start") in page and f"Start live with {_classroom.name}" in page
    assert client.get(reverse("curriculum:activity_assign", args=[lesson.pk, circle.pk]), {"classroom": _classroom.pk}).status_code == 404
