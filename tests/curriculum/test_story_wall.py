"""The empathy story wall: a student writes (with drafts), sends it to the teacher, who approves, sends back
with a note or declines; approved stories are on the class wall and, while the author consents, without the
name on the walls of the school's other classes of the same band; reading is counted per class."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.models import Story, StoryRead, Submission
from curriculum.stories import services
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    NormStoryActivityFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def story_assignment(classroom, students):
    return AssignmentFactory(classroom=classroom, activity=NormStoryActivityFactory(), students=students)


def sent_story(classroom, author, *, text="Ana listened when I was sad.", share=True) -> Story:
    assignment = story_assignment(classroom, [author])
    submission = assignment.submissions.get(student=author)
    return services.story_send(submission=submission, by=author, answer={"text": text, "share": share})


def approved_story(classroom, author, **kwargs) -> Story:
    story = sent_story(classroom, author, **kwargs)
    return services.story_approve(story=story, by=classroom.teachers.get())


@pytest.fixture
def school():
    """One school: Room A and Room B in grade 4 (band 3-5), Room C in grade 7, Room D grade 4 of the next
    school year; and a grade-4 room of another school. Each with one student."""
    here, elsewhere = SchoolFactory(), SchoolFactory()
    people = {
        name: StudentFactory(school=here, first_name=name.title()) for name in ("ana", "ben", "cleo", "dev", "eli")
    }
    people["far"] = StudentFactory(school=elsewhere, first_name="Far")
    rooms = {
        "A": ClassroomFactory(school=here, grade=4, students=[people["ana"], people["eli"]]),
        "B": ClassroomFactory(school=here, grade=4, students=[people["ben"]]),
        "C": ClassroomFactory(school=here, grade=7, students=[people["cleo"]]),
        "D": ClassroomFactory(school=here, grade=4, school_year=2027, students=[people["dev"]]),
        "F": ClassroomFactory(school=elsewhere, grade=4, students=[people["far"]]),
    }
    return people, rooms


def wall_html(client, user, room) -> str:
    client.force_login(user)
    response = client.get(reverse("curriculum:story_wall", args=[room.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_teacher_assigns_the_norm_story_and_each_student_writes_it_on_the_story_page(client, school):
    people, rooms = school
    activity = NormStoryActivityFactory()
    client.force_login(rooms["A"].teachers.get())
    url = reverse("curriculum:assignment_create", kwargs={"classroom_pk": rooms["A"].pk}) + f"?activity={activity.pk}"
    assert "cannot be assigned" not in client.get(url).content.decode()
    assert client.post(url, {"who": "class"}).status_code == 302
    work = Submission.objects.get(assignment__activity=activity, student=people["ana"])
    client.force_login(people["ana"])
    response = client.get(work.get_absolute_url())
    assert response.url == reverse("curriculum:story_write", args=[work.pk])
    page = client.get(response.url).content.decode()
    assert "Tell about a time someone understood how you felt." in page
    assert "Send to my teacher" in page


def test_a_draft_is_kept_and_sending_puts_the_story_in_the_teachers_queue_only(client, school):
    people, rooms = school
    work = story_assignment(rooms["A"], [people["ana"], people["eli"]]).submissions.get(student=people["ana"])
    client.force_login(people["ana"])
    saved = client.post(
        reverse("curriculum:submission_save", args=[work.pk]),
        {"answer_form": "1", "text": "Half a story", "share": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved" in saved.content.decode()
    work.refresh_from_db()
    assert work.answer == {"text": "Half a story", "share": True}
    response = client.post(
        reverse("curriculum:story_send", args=[work.pk]),
        {"answer_form": "1", "text": "Eli helped me up.", "share": "1"},
        follow=True,
    )
    assert "Your story is on its way to your teacher" in response.content.decode()
    story = Story.objects.get(submission=work)
    assert (story.state, story.text, story.share_consent) == (Story.State.PENDING, "Eli helped me up.", True)
    assert "Eli helped me up." not in wall_html(client, people["eli"], rooms["A"])
    client.force_login(rooms["A"].teachers.get())
    assert "Eli helped me up." in client.get(reverse("curriculum:story_review", args=[rooms["A"].pk])).content.decode()


def test_an_empty_story_cannot_be_sent_and_a_too_long_one_is_refused_without_losing_the_draft(client, school):
    people, rooms = school
    work = story_assignment(rooms["A"], [people["ana"]]).submissions.get()
    client.force_login(people["ana"])
    response = client.post(
        reverse("curriculum:story_send", args=[work.pk]), {"answer_form": "1", "text": "   "}, follow=True
    )
    assert response.status_code == 200
    assert "Write your story before you send it to your teacher." in response.content.decode()
    assert not Story.objects.exists()
    too_long = "a" * 2001
    response = client.post(
        reverse("curriculum:submission_save", args=[work.pk]),
        {"answer_form": "1", "text": too_long},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "longer than 2000" in response.content.decode()
    response = client.post(
        reverse("curriculum:story_send", args=[work.pk]), {"answer_form": "1", "text": too_long}, follow=True
    )
    assert response.status_code == 200
    assert "longer than 2000" in response.content.decode()
    assert not Story.objects.exists()


VISIBLE = {
    # reader: (sees a shared story of Room A, sees an unshared one)
    "ana": (True, True),  # the author, on her own wall
    "eli": (True, True),  # a classmate
    "ben": (True, False),  # another class of the same school, year and band
    "cleo": (False, False),  # grade 7: another band
    "dev": (False, False),  # the next school year
    "far": (False, False),  # another school
}


@pytest.mark.parametrize("reader", sorted(VISIBLE))
def test_who_sees_an_approved_story_on_which_wall(client, school, reader):
    people, rooms = school
    shared = approved_story(rooms["A"], people["ana"], text="Shared story", share=True)
    own = approved_story(rooms["A"], people["ana"], text="Class story", share=False)
    room = next(r for r in rooms.values() if r.enrollments.filter(student=people[reader]).exists())
    html = wall_html(client, people[reader], room)
    assert ("Shared story" in html, "Class story" in html) == VISIBLE[reader]
    for story in (shared, own):
        visible = "Shared story" in html if story == shared else "Class story" in html
        detail = client.get(reverse("curriculum:story", args=[room.pk, story.pk]))
        assert detail.status_code == (200 if visible else 404)


def test_a_story_from_another_class_carries_no_name_and_says_where_it_is_from(client, school):
    people, rooms = school
    approved_story(rooms["A"], people["ana"], text="Shared story", share=True)
    html = wall_html(client, people["ben"], rooms["B"])
    assert "From another class" in html and "Ana" not in html
    story = Story.objects.get()
    client.post(reverse("curriculum:story_open", args=[rooms["B"].pk, story.pk]))
    detail = client.get(reverse("curriculum:story", args=[rooms["B"].pk, story.pk])).content.decode()
    assert "A story from another class" in detail and "Ana" not in detail
    own_wall = wall_html(client, people["eli"], rooms["A"])
    assert "By Ana" in own_wall and "From another class" not in own_wall


def test_nothing_unapproved_is_seen_by_another_student_even_by_its_id(client, school):
    people, rooms = school
    pending = sent_story(rooms["A"], people["ana"], text="Waiting story")
    declined = services.story_decline(
        story=sent_story(rooms["A"], people["ana"], text="Declined story"), by=rooms["A"].teachers.get()
    )
    back = services.story_send_back(
        story=sent_story(rooms["A"], people["ana"], text="Back story"),
        by=rooms["A"].teachers.get(),
        note="More, please",
    )
    client.force_login(people["eli"])
    for story in (pending, declined, back):
        assert client.get(reverse("curriculum:story", args=[rooms["A"].pk, story.pk])).status_code == 404
        assert client.post(reverse("curriculum:story_open", args=[rooms["A"].pk, story.pk])).status_code == 404
        assert client.post(reverse("curriculum:story_consent", args=[story.pk]), {"share": "0"}).status_code == 404
        assert client.get(reverse("curriculum:story_write", args=[story.submission_id])).status_code == 404
    html = wall_html(client, people["eli"], rooms["A"])
    assert "Waiting story" not in html and "Declined story" not in html and "Back story" not in html
    assert not StoryRead.objects.exists()


def test_withdrawing_consent_takes_the_story_off_other_walls_at_once_and_twice_is_no_error(client, school):
    people, rooms = school
    story = approved_story(rooms["A"], people["ana"], text="Shared story", share=True)
    assert "Shared story" in wall_html(client, people["ben"], rooms["B"])
    client.force_login(people["ana"])
    url = reverse("curriculum:story_consent", args=[story.pk])
    first = client.post(url, {"share": "0"}, follow=True)
    assert "Only your own class can read your story now." in first.content.decode()
    second = client.post(url, {"share": "0"}, follow=True)
    assert second.status_code == 200
    assert "Your story is already only for your own class." in second.content.decode()
    assert "Shared story" not in wall_html(client, people["ben"], rooms["B"])
    client.force_login(people["ben"])
    assert client.get(reverse("curriculum:story", args=[rooms["B"].pk, story.pk])).status_code == 404
    assert "Shared story" in wall_html(client, people["eli"], rooms["A"])  # still on her own class's wall
    story.refresh_from_db()
    assert story.share_consent is False and story.submission.answer["share"] is False


def test_moderation_moves_only_along_the_machine(school):
    people, rooms = school
    teacher = rooms["A"].teachers.get()
    story = sent_story(rooms["A"], people["ana"])
    with pytest.raises(ValidationError):
        services.story_send_back(story=story, by=teacher, note="  ")  # a send-back needs a note
    back = services.story_send_back(story=story, by=teacher, note="Say how it felt.")
    assert back.state == Story.State.SENT_BACK
    back.submission.refresh_from_db()
    assert (back.submission.state, back.submission.feedback) == (Submission.State.RETURNED, "Say how it felt.")
    with pytest.raises(ValidationError):
        services.story_approve(story=back, by=teacher)  # it is with the student now
    again = services.story_send(
        submission=back.submission, by=people["ana"], answer={"text": "It felt warm.", "share": False}
    )
    assert (again.state, again.sends, again.text, again.share_consent) == (
        Story.State.PENDING,
        2,
        "It felt warm.",
        False,
    )
    assert services.story_send(submission=again.submission, by=people["ana"]).sends == 2  # a double tap is one sending
    approved = services.story_approve(story=again, by=teacher)
    assert services.story_approve(story=approved, by=teacher).state == Story.State.APPROVED  # twice is once
    with pytest.raises(ValidationError):
        services.story_send_back(story=approved, by=teacher, note="Too late")
    with pytest.raises(ValidationError):
        services.story_send(submission=approved.submission, by=people["ana"])
    taken_down = services.story_decline(story=approved, by=teacher)
    assert taken_down.state == Story.State.DECLINED
    with pytest.raises(ValidationError):
        services.story_approve(story=taken_down, by=teacher)


def test_only_the_classs_teacher_moderates_and_only_the_author_changes_consent(school):
    people, rooms = school
    story = sent_story(rooms["A"], people["ana"])
    for someone in (rooms["B"].teachers.get(), people["eli"], people["ana"], TeacherFactory(school=rooms["A"].school)):
        with pytest.raises(PermissionDenied):
            services.story_approve(story=story, by=someone)
        with pytest.raises(PermissionDenied):
            services.story_decline(story=story, by=someone)
    with pytest.raises(PermissionDenied):
        services.story_consent_set(story=story, by=people["eli"], share=False)
    story.refresh_from_db()
    assert story.state == Story.State.PENDING


def test_the_teacher_decides_through_the_queue_and_a_refused_send_back_keeps_the_typed_note(client, school):
    people, rooms = school
    teacher = rooms["A"].teachers.get()
    story = sent_story(rooms["A"], people["ana"])
    client.force_login(teacher)
    url = reverse("curriculum:story_decide", args=[rooms["A"].pk, story.pk])
    long_note = "x" * 2001
    refused = client.post(url, {"action": "send_back", "note": long_note})
    assert refused.status_code == 200
    assert long_note in refused.content.decode()
    empty = client.post(url, {"action": "send_back", "note": ""})
    assert empty.status_code == 200 and "Write a note so the student knows what to change." in empty.content.decode()
    assert client.post(url, {"action": "nonsense"}).status_code == 200
    assert Story.objects.get().state == Story.State.PENDING
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "story is on the wall" in response.content.decode()
    assert Story.objects.get().state == Story.State.APPROVED
    # Another class's teacher: the story is not theirs to decide.
    client.force_login(rooms["B"].teachers.get())
    assert (
        client.post(
            reverse("curriculum:story_decide", args=[rooms["B"].pk, story.pk]), {"action": "decline"}
        ).status_code
        == 404
    )
    assert client.get(reverse("curriculum:story_review", args=[rooms["A"].pk])).status_code == 404


def test_the_author_sees_the_teachers_note_and_sends_a_new_version(client, school):
    people, rooms = school
    story = sent_story(rooms["A"], people["ana"])
    services.story_send_back(story=story, by=rooms["A"].teachers.get(), note="Tell us what Eli said.")
    client.force_login(people["ana"])
    page = client.get(reverse("curriculum:story_write", args=[story.submission_id])).content.decode()
    assert "Tell us what Eli said." in page and "Send it again" in page
    client.post(
        reverse("curriculum:story_send", args=[story.submission_id]),
        {"answer_form": "1", "text": "Eli said: you are brave."},
    )
    story.refresh_from_db()
    assert (story.state, story.text) == (Story.State.PENDING, "Eli said: you are brave.")


def test_a_story_is_sent_from_its_own_page_not_the_answer_pages_buttons(client, school):
    people, rooms = school
    work = story_assignment(rooms["A"], [people["ana"]]).submissions.get()
    client.force_login(people["ana"])
    client.post(reverse("curriculum:submission_turn_in", args=[work.pk]), {"answer_form": "1", "text": "Sneaky"})
    work.refresh_from_db()
    assert work.state == Submission.State.ASSIGNED and not Story.objects.exists()


def test_html_and_script_in_a_story_are_shown_as_text(client, school):
    people, rooms = school
    story = approved_story(rooms["A"], people["ana"], text='<script>alert("hi")</script> <b>bold</b>')
    for html in (
        wall_html(client, people["eli"], rooms["A"]),
        client.get(reverse("curriculum:story", args=[rooms["A"].pk, story.pk])).content.decode(),
    ):
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html
    client.force_login(rooms["A"].teachers.get())
    review = client.get(reverse("curriculum:story_review", args=[rooms["A"].pk])).content.decode()
    assert "<script>alert" not in review


def test_the_wall_costs_the_same_queries_for_two_stories_or_twenty(client, school, django_assert_max_num_queries):
    people, rooms = school
    url = reverse("curriculum:story_wall", args=[rooms["B"].pk])
    client.force_login(people["ben"])

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        approved_story(rooms["A"], StudentFactory(school=rooms["A"].school), text="Shared")
    few = count_queries()
    for _ in range(18):
        approved_story(rooms["A"], StudentFactory(school=rooms["A"].school), text="Shared")
    assert wall_html(client, people["ben"], rooms["B"]).count("From another class") == 20
    with django_assert_max_num_queries(few):
        client.get(url)


def test_opening_counts_per_class_and_the_beacon_adds_clamped_time(client, school):
    people, rooms = school
    story = approved_story(rooms["A"], people["ana"], share=True)
    client.force_login(people["ben"])
    time_url = reverse("curriculum:story_read_time", args=[rooms["B"].pk, story.pk])
    assert client.post(time_url, {"seconds": "30"}).status_code == 204  # not opened yet: nothing to add to
    assert not StoryRead.objects.exists()
    opened = client.post(reverse("curriculum:story_open", args=[rooms["B"].pk, story.pk]))
    assert opened.url == reverse("curriculum:story", args=[rooms["B"].pk, story.pk])
    client.post(reverse("curriculum:story_open", args=[rooms["B"].pk, story.pk]))
    for value in ("40", "999999", "-5", "abc", "1" * 30):
        assert client.post(time_url, {"seconds": value}).status_code == 204
    read = StoryRead.objects.get()
    assert (read.reader, read.classroom, read.opens, read.seconds) == (
        people["ben"],
        rooms["B"],
        2,
        40 + services.READ_SECONDS_MAX,
    )
    assert "You read this" in wall_html(client, people["ben"], rooms["B"])
    # The author's own opening is not a read, and a teacher's neither.
    client.force_login(people["ana"])
    client.post(reverse("curriculum:story_open", args=[rooms["A"].pk, story.pk]))
    client.force_login(rooms["A"].teachers.get())
    client.post(reverse("curriculum:story_open", args=[rooms["A"].pk, story.pk]))
    assert StoryRead.objects.count() == 1
    # GETs do not count.
    assert client.get(time_url).status_code == 405


def test_the_teacher_sees_the_classs_reading_as_class_figures(client, school):
    people, rooms = school
    story = approved_story(rooms["A"], people["ana"], share=True)
    for reader in (people["ben"], StudentFactory(school=rooms["B"].school)):
        rooms["B"].enrollments.get_or_create(student=reader)
        services.story_open(story=story, reader=reader, classroom=rooms["B"])
    services.story_read_time_add(story=story, reader=people["ben"], classroom=rooms["B"], seconds=50)
    client.force_login(rooms["B"].teachers.get())
    page = client.get(reverse("curriculum:story_engagement", args=[rooms["B"].pk])).content.decode()
    assert "How the class reads its story wall" in page
    assert "1 from other classes" in page and "of 2 in the class (100%)" in page and "50 s" in page
    assert "Ben" not in page  # no student is named
    client.force_login(people["ben"])
    assert client.get(reverse("curriculum:story_engagement", args=[rooms["B"].pk])).status_code == 404


def test_the_practice_page_shows_stories_written_and_read(client, school):
    people, rooms = school
    story = approved_story(rooms["A"], people["ana"], share=True)
    services.story_open(story=story, reader=people["eli"], classroom=rooms["A"])
    client.force_login(rooms["A"].teachers.get())
    page = client.get(reverse("curriculum:practice", args=[rooms["A"].pk])).content.decode()
    assert "Story wall" in page
    assert "Stories written" in page and "Stories read" in page


def test_the_assignment_page_leads_the_teacher_to_the_story_queue(client, school):
    people, rooms = school
    story = sent_story(rooms["A"], people["ana"])
    client.force_login(rooms["A"].teachers.get())
    page = client.get(story.submission.assignment.get_absolute_url()).content.decode()
    assert reverse("curriculum:story_review", args=[rooms["A"].pk]) in page
    assert client.get(story.submission.get_absolute_url()).url == reverse(
        "curriculum:story_review", args=[rooms["A"].pk]
    )
    # Returned through the assignment's review form, a story would skip the queue: that form sends the teacher there.
    response = client.post(
        reverse("curriculum:submission_review", args=[story.submission_id]), {"action": "return", "feedback": "x"}
    )
    assert response.url == reverse("curriculum:story_review", args=[rooms["A"].pk])
    story.submission.refresh_from_db()
    assert story.submission.state == Submission.State.TURNED_IN
