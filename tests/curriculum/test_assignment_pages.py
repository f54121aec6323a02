"""The assignment pages: what they show, escaped, and what they cost (2 rows and 20 cost the same queries)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classrooms.models import BabyObservation, Session
from curriculum.models import Submission
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    ClassroomFactory,
    SessionFactory,
    StudentFactory,
    SubmissionFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_grid_costs_the_same_queries_for_2_or_20_students_and_assignments(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    url = reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": classroom.pk})
    counts = []
    for size in (2, 20):
        students = StudentFactory.create_batch(size - len(counts) * 2, school=classroom.school)
        for student in students:
            classroom.enrollments.create(student=student)
        everyone = [e.student for e in classroom.enrollments.all()]
        for _ in range(size - len(counts) * 2):
            AssignmentFactory(classroom=classroom, students=everyone, due_at=timezone.now() + timedelta(days=1))
        counts.append(queries(client, url))
    page = client.get(url)
    assert len(list(parse(page.text).find("tbody").find_all("tr"))) == 20
    assert len(list(parse(page.text).find_all("th", class_="work-grid__assignment"))) == 20
    assert counts[0] == counts[1]


def test_the_to_do_page_costs_the_same_queries_for_2_or_20_assignments(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    client.force_login(student)
    url = reverse("curriculum:my_work")
    counts = []
    for size in (2, 20):
        for _ in range(size - len(counts) * 2):
            AssignmentFactory(classroom=ClassroomFactory(school=student.school, students=[student]), students=[student])
        counts.append(queries(client, url))
    assert len(list(parse(client.get(url).text).find_all("li", class_="work-card"))) == 20
    assert counts[0] == counts[1]
    assert classroom  # the first classroom's work is there too


def test_the_to_do_list_puts_the_soonest_due_first_and_leaves_done_and_returned_work_to_their_tabs(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    now = timezone.now()
    later = AssignmentFactory(classroom=classroom, title="Later", due_at=now + timedelta(days=5), students=[student])
    AssignmentFactory(classroom=classroom, title="Sooner", due_at=now + timedelta(days=1), students=[student])
    AssignmentFactory(classroom=classroom, title="Whenever", students=[student])
    done = AssignmentFactory(classroom=classroom, title="Finished", students=[student])
    done.submissions.update(state=Submission.State.TURNED_IN, turned_in_at=now)
    back = AssignmentFactory(classroom=classroom, title="Given back", students=[student])
    back.submissions.update(state=Submission.State.RETURNED, turned_in_at=now, returned_at=now)
    client.force_login(student)

    def titles(tab=""):
        page = client.get(reverse("curriculum:my_work") + (f"?tab={tab}" if tab else ""))
        return [t.text for t in parse(page.text).find_all("span", class_="work-card__title")]

    assert titles() == ["Sooner", "Later", "Whenever"]
    assert titles("done") == ["Finished"]
    assert titles("returned") == ["Given back"]
    assert titles("nonsense") == titles()
    home = client.get(reverse("dashboard")).text
    assert "Sooner" in home and "Finished" not in home
    assert later.title in home


def test_html_in_titles_instructions_answers_and_feedback_is_shown_escaped(client):
    student = StudentFactory(first_name=SCRIPT)
    classroom = ClassroomFactory(school=student.school, students=[student], name=f"Room {SCRIPT}")
    activity = ActivityFactory(title=SCRIPT, title_es=SCRIPT, instructions={"en": SCRIPT})
    assignment = AssignmentFactory(classroom=classroom, activity=activity, instructions=SCRIPT)
    SubmissionFactory(
        assignment=assignment, student=student, state=Submission.State.RETURNED,
        answer={"text": SCRIPT}, feedback=SCRIPT, turned_in_at=timezone.now(), returned_at=timezone.now(),
    )
    submission = assignment.submissions.get()
    teacher = classroom.teachers.get()
    pages = {
        student: [reverse("curriculum:my_work") + "?tab=returned", submission.get_absolute_url(), reverse("dashboard"), classroom.get_absolute_url()],
        teacher: [
            reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": classroom.pk}), assignment.get_absolute_url(),
            submission.get_absolute_url(), classroom.get_absolute_url(),
            reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk}) + f"?activity={activity.pk}",
        ],
    }
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            page = client.get(url).content.decode()
            assert SCRIPT not in page, url
            assert ESCAPED in page, url


def test_the_answer_page_autosaves_with_htmx_and_keeps_a_copy_in_the_browser(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    submission = AssignmentFactory(classroom=classroom, students=[student]).submissions.get()
    client.force_login(student)
    html = client.get(submission.get_absolute_url()).text
    page = parse(html)
    form = page.find("form", class_="answer-form").attrs
    assert form["hx-post"] == reverse("curriculum:submission_save", kwargs={"pk": submission.pk})
    assert "input delay" in form["hx-trigger"] and "focusout" in form["hx-trigger"]
    assert (form["data-draft-key"], form["data-draft-version"]) == (str(submission.pk), "0")
    assert page.find(id="draft-status").attrs["role"] == "status"
    assert 'src="/static/js/draft.js"' in html
    assert page.find("textarea").attrs.get("maxlength")  # the length counter's limit


def test_the_review_page_shows_the_default_rubric_the_answer_and_the_history(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    submission = AssignmentFactory(classroom=classroom, students=[student]).submissions.get()
    client.force_login(student)
    client.post(reverse("curriculum:submission_turn_in", kwargs={"pk": submission.pk}), {"answer_form": "1", "text": "As the baby I see light."})
    client.force_login(classroom.teachers.get())
    page = parse(client.get(submission.get_absolute_url()).text)
    text = page.text
    assert "As the baby I see light." in text
    for label in ("Stays in the other person's point of view throughout", "Names what they think, feel and want", "Describes without judging them"):
        assert label in text
    assert len(list(page.find_all("input", type="radio", name="rubric_perspective_kept"))) == 3  # 0, 1, 2
    assert "Turned in" in page.find("ol", class_="work-history").text
    assert page.find("button", value="return")


def test_an_activitys_own_rubric_replaces_the_default(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    rubric = [{"key": "voice", "label": "Writes in the baby's voice", "points": 3}]
    activity = ActivityFactory(content={"prompt": {"en": "Tell it as the baby."}, "guiding_questions": [{"en": "What?"}], "rubric": rubric})
    submission = AssignmentFactory(classroom=classroom, activity=activity, students=[student]).submissions.get()
    submission.state, submission.answer, submission.turned_in_at = Submission.State.TURNED_IN, {"text": "Hi"}, timezone.now()
    submission.save()
    client.force_login(classroom.teachers.get())
    page = parse(client.get(submission.get_absolute_url()).text)
    assert "Writes in the baby's voice" in page.text
    assert "Stays in the other person" not in page.text
    client.post(reverse("curriculum:submission_review", kwargs={"pk": submission.pk}), {"rubric_voice": "3", "feedback": "", "action": "return"})
    submission.refresh_from_db()
    assert (submission.rubric_points, submission.rubric_max, submission.state) == (3, 3, Submission.State.RETURNED)


def test_a_baby_visit_guess_turned_in_before_the_observation_is_scored_once_it_is_logged(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    visit = SessionFactory(classroom=classroom, kind=Session.Kind.FAMILY_VISIT, starts_at=timezone.now() - timedelta(hours=2))
    activity = ActivityFactory(kind="feelings_guess", content={
        "key_source": "baby_visit", "scenario": {"en": "The baby looks at us."}, "why_prompt": {"en": "Why?"},
    })
    submission = AssignmentFactory(classroom=classroom, activity=activity, session=visit, students=[student]).submissions.get()
    client.force_login(student)
    client.post(reverse("curriculum:submission_turn_in", kwargs={"pk": submission.pk}), {"answer_form": "1", "feelings": ["happy"], "intensity": "3", "why": "She smiled."})
    submission.refresh_from_db()
    assert submission.state == Submission.State.TURNED_IN and submission.accuracy_points is None
    BabyObservation.objects.create(session=visit, feelings=["happy", "calm"])
    submission.refresh_from_db()
    assert (submission.accuracy_points, submission.accuracy_max) == (2, 4)
    client.force_login(classroom.teachers.get())
    client.post(reverse("curriculum:submission_review", kwargs={"pk": submission.pk}), {"feedback": "", "action": "return"})
    submission.refresh_from_db()
    assert submission.state == Submission.State.RETURNED
    assert (submission.accuracy_points, submission.accuracy_max, submission.intensity_difference) == (2, 4, None)


def test_the_classroom_page_has_an_assignments_tab_with_what_is_turned_in_to_review(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    assignment = AssignmentFactory(classroom=classroom, title="A day as the baby", students=[student])
    assignment.submissions.update(state=Submission.State.TURNED_IN, turned_in_at=timezone.now())
    client.force_login(classroom.teachers.get())
    page = parse(client.get(classroom.get_absolute_url()).text)
    panel = page.find(id="assignments")
    assert "A day as the baby" in panel.text and "1 turned in" in panel.text
    assert "1 turned in to review" in page.find("dl", class_="classroom-summary").text
    teacher_home = client.get(reverse("dashboard")).text
    assert "Work to review" in teacher_home and "A day as the baby" in teacher_home


def test_each_grid_cell_says_its_state_in_words_and_opens_that_students_work(client):
    classroom = ClassroomFactory()
    ana, ben = StudentFactory(school=classroom.school), StudentFactory(school=classroom.school)
    for student in (ana, ben):
        classroom.enrollments.create(student=student)
    past = AssignmentFactory(classroom=classroom, students=[ana, ben], due_at=timezone.now() - timedelta(hours=1))
    Submission.objects.filter(assignment=past, student=ana).update(state="turned_in", turned_in_at=timezone.now())
    client.force_login(classroom.teachers.get())
    html = client.get(reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": classroom.pk})).text
    ana_work, ben_work = (past.submissions.get(student=s) for s in (ana, ben))

    def cell(work) -> str:
        """The words of the cell that links to ``work``."""
        found = re.search(rf'<a href="{re.escape(reverse("curriculum:submission", args=[work.pk]))}">(.*?)</a>', html, re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())

    assert cell(ana_work) == "✓ Turned in ⏰ Late"
    assert cell(ben_work) == "○ Assigned ⚠ Missing"


def test_the_grid_says_its_states_in_spanish_to_a_spanish_reader(client):
    """The cells written in Python (curriculum/templatetags/work_grid.py) are translated as the page is."""
    classroom = ClassroomFactory()
    ana, ben = StudentFactory(school=classroom.school), StudentFactory(school=classroom.school)
    for student in (ana, ben):
        classroom.enrollments.create(student=student)
    past = AssignmentFactory(classroom=classroom, students=[ana], due_at=timezone.now() - timedelta(hours=1))
    Submission.objects.filter(assignment=past, student=ana).update(state="turned_in", turned_in_at=timezone.now())
    client.force_login(classroom.teachers.get())
    url = reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": classroom.pk})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
    assert "Entregada" in html and "Tarde" in html and "No asignada" in html
    assert "Turned in" not in html and "Not given" not in html
