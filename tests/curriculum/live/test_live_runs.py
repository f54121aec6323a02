"""A live run's state machine and its pages (curriculum.live): start, join, steps, groups, polls."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.live import services
from curriculum.models import LiveGroup, LiveMember, LiveRun
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory, TeacherFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

DILEMMA = {
    "situation": {"en": "A new child sits alone at lunch.", "es": "Un niño nuevo come solo."},
    "options": [{"en": "Sit with them"}, {"en": "Wait and see"}, {"en": "Tell a teacher"}],
    "reason_prompt": {"en": "Why would you do that?"},
}


@pytest.fixture
def room():
    classroom = ClassroomFactory(grade=4)
    students = StudentFactory.create_batch(7, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    activity = ActivityFactory(kind="dilemma", content=DILEMMA)
    return classroom, classroom.teachers.get(), students, activity


def start(client, classroom, teacher, activity):
    client.force_login(teacher)
    return client.post(reverse("curriculum:live_start"), {"classroom": classroom.pk, "activity": activity.pk})


def test_the_teacher_starts_a_dilemma_live_and_lands_on_its_page(client, room):
    classroom, teacher, _students, activity = room
    response = start(client, classroom, teacher, activity)
    run = LiveRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.state, run.kind, run.band, run.led_by) == ("open", "dilemma", "3_5", teacher)
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "A new child sits alone at lunch." in text and "Next: Voting" in text and "0 students have joined." in text


def test_a_second_live_activity_in_the_same_class_is_refused_until_the_first_closes(client, room):
    classroom, teacher, _students, activity = room
    start(client, classroom, teacher, activity)
    response = start(client, classroom, teacher, activity)
    assert LiveRun.objects.count() == 1
    assert response["Location"] == LiveRun.objects.get().get_absolute_url()
    page = client.get(response["Location"])
    assert "is still under way in this class" in page.content.decode()
    services.live_close(LiveRun.objects.get(), by=teacher)
    start(client, classroom, teacher, activity)
    assert LiveRun.objects.count() == 2


def test_a_student_opening_the_run_joins_once_and_sees_it_in_their_words(client, room):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    client.force_login(students[0])
    for _ in range(2):
        page = client.get(run.get_absolute_url())
        assert page.status_code == 200
    assert LiveMember.objects.filter(run=run).count() == 1
    assert "Your teacher will open the vote in a moment." in page.content.decode()
    run.refresh_from_db()
    assert run.version == 2  # the join moved the teacher's version once; the students' stage did not move
    assert run.stage == 1


def test_a_step_moves_once_even_when_the_teacher_clicks_twice(client, room):
    classroom, teacher, _students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    client.force_login(teacher)
    url = reverse("curriculum:live_advance", args=[run.pk])
    client.post(url, {"expected": "open"})
    response = client.post(url, {"expected": "open"}, follow=True)
    run.refresh_from_db()
    assert run.state == "voting"
    assert "This activity has already moved on (it is now: Voting)." in response.content.decode()
    with pytest.raises(ValidationError):
        services.live_advance(run, by=teacher, expected="nonsense")


def test_groups_are_formed_at_the_grouping_step_only_and_can_be_changed_before_the_next(client, room):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    for student in students:
        services.live_join(run, student)
    with pytest.raises(ValidationError, match="grouping step"):
        services.live_groups_form(run, by=teacher, size=3)
    run = services.live_advance(run, by=teacher, expected="open")
    run = services.live_advance(run, by=teacher, expected="voting")
    with pytest.raises(ValidationError, match="Form the groups first"):
        services.live_advance(run, by=teacher, expected="grouped")
    client.force_login(teacher)
    client.post(reverse("curriculum:live_groups", args=[run.pk]), {"size": "3", "mode": "mixed"})
    sizes = sorted(g.members.count() for g in LiveGroup.objects.filter(run=run))
    assert sizes == [3, 4]  # 7 students: nobody alone
    mover = LiveMember.objects.filter(run=run, group__number=1).first()
    client.post(reverse("curriculum:live_move", args=[run.pk]), {"student": mover.student_id, "group": "2"})
    mover.refresh_from_db()
    assert mover.group.number == 2
    run = services.live_advance(run, by=teacher, expected="grouped")
    response = client.post(reverse("curriculum:live_move", args=[run.pk]), {"student": mover.student_id, "group": "1"}, follow=True)
    assert "can no longer be moved" in response.content.decode()


def test_a_size_outside_three_to_five_is_refused_with_a_message(client, room):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    services.live_join(run, students[0])
    run = services.live_advance(services.live_advance(run, by=teacher, expected="open"), by=teacher, expected="voting")
    with pytest.raises(ValidationError, match="3 to 5"):
        services.live_groups_form(run, by=teacher, size=9)


def test_a_poll_with_the_current_etag_is_a_304_in_three_queries_and_a_change_gives_the_new_region(client, room, django_assert_num_queries):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    client.force_login(teacher)
    url = reverse("curriculum:live_poll", args=[run.pk, "teacher"])
    first = client.get(url)
    assert first.status_code == 200 and "0 students have joined." in first.content.decode()
    etag = first["ETag"]
    with django_assert_num_queries(3):  # session, the user with their school, the run's version
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    services.live_join(run, students[0])
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "1 student has joined." in changed.content.decode()
    assert "private" in changed["Cache-Control"] and "no-cache" in changed["Cache-Control"]


def test_a_students_poll_does_not_change_when_a_classmate_joins_but_does_when_the_step_moves(client, room):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    client.force_login(students[0])
    client.get(run.get_absolute_url())
    url = reverse("curriculum:live_poll", args=[run.pk, "student"])
    etag = client.get(url)["ETag"]
    services.live_join(run, students[1])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.live_advance(run, by=teacher, expected="open")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_another_classrooms_run_and_the_wrong_view_are_404s(client, room):
    classroom, teacher, students, activity = room
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    outsider = StudentFactory(school=classroom.school)
    other_teacher = TeacherFactory(school=classroom.school)
    client.force_login(outsider)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("curriculum:live_poll", args=[run.pk, "student"])).status_code == 404
    assert not LiveMember.objects.filter(student=outsider).exists()
    client.force_login(students[0])
    assert client.get(reverse("curriculum:live_poll", args=[run.pk, "teacher"])).status_code == 404
    assert client.get(reverse("curriculum:live_projector", args=[run.pk])).status_code == 404
    client.force_login(other_teacher)
    for name in ("live", "live_projector"):
        assert client.get(reverse(f"curriculum:{name}", args=[run.pk])).status_code == 404
    assert client.post(reverse("curriculum:live_advance", args=[run.pk]), {"expected": "open"}).status_code == 404
    run.refresh_from_db()
    assert run.state == "open"


def test_a_student_sees_only_their_own_group(client, room):
    classroom, teacher, students, activity = room
    for i, student in enumerate(students):  # names no page word or other name contains (random ones may collide)
        student.first_name = f"Qzname{i:02d}q"
        student.save(update_fields=["first_name"])
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    for student in students:
        services.live_join(run, student)
    run = services.live_advance(services.live_advance(run, by=teacher, expected="open"), by=teacher, expected="voting")
    services.live_groups_form(run, by=teacher, size=3)
    mine = LiveMember.objects.get(run=run, student=students[0]).group
    group_mates = [m.student.first_name for m in mine.members.select_related("student")]
    others = [m.student for m in LiveMember.objects.filter(run=run).exclude(group=mine).select_related("student")]
    assert others and len(group_mates) > 1
    client.force_login(students[0])
    text = client.get(run.get_absolute_url()).content.decode()
    assert f"You are in group {mine.number}" in text
    assert all(name in text for name in group_mates if name != students[0].first_name)
    for other in others:
        assert other.first_name not in text


def test_every_live_page_shows_the_activitys_title_in_the_pages_language(client, room):
    classroom, teacher, students, _activity = room
    activity = ActivityFactory(kind="dilemma", content=DILEMMA, title="Lunch alone", title_es="Almorzar solo")
    start(client, classroom, teacher, activity)
    run = LiveRun.objects.get()
    pages = [
        (teacher, run.get_absolute_url()),
        (teacher, reverse("curriculum:live_projector", args=[run.pk])),
        (teacher, classroom.get_absolute_url()),
        (students[0], run.get_absolute_url()),
        (students[0], reverse("dashboard")),  # "Live now"
    ]
    for user, url in pages:
        client.force_login(user)
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Almorzar solo" in spanish and "Lunch alone" not in spanish, url
        assert "Lunch alone" in english and "Almorzar solo" not in english, url


def test_a_students_home_shows_the_run_under_way_in_their_class_until_it_closes(client, room):
    """The home page's card names the run and its classroom and leads to it; another class's run and a closed one
    are not there. In Spanish, the run's Spanish title."""
    classroom, teacher, students, activity = room
    activity.title, activity.title_es = "Lunch table", "La mesa del almuerzo"
    activity.save()
    run = services.live_start(classroom=classroom, activity=activity, by=teacher)
    other = ClassroomFactory(school=classroom.school, name="Room Elsewhere")
    services.live_start(classroom=other, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=other.teachers.get())
    client.force_login(students[0])
    card = parse(client.get(reverse("dashboard")).text).find("section", class_="live-now")
    assert "Your class is doing this together now" in card.text
    assert "Lunch table" in card.text and classroom.name in card.text
    assert [a.attrs["href"] for a in card.find_all("a")] == [run.get_absolute_url()]
    client.cookies["django_language"] = "es"
    assert "La mesa del almuerzo" in client.get(reverse("dashboard")).text
    services.live_close(run, by=teacher)
    assert "live-now" not in client.get(reverse("dashboard")).text
